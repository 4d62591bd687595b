//! Request handlers: decode and verify, submit to the writer or read the ledger, render.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use geo_protocol::{
    EquivalentCode, ErrorCode, Login, ParticipantRegister, ParticipantUpdate, PaymentAbort,
    PaymentCommit, PaymentRequest, Pid, Precision, SignedMessage, TrustLineClose, TrustLineSet,
    TxId,
};
use serde_json::json;

use super::extract::{same_signer, verified, Admin, Auth, JsonBody, JsonText, Path, Query, Signed};
use super::problem::{HubError, HubResult};
use super::rate_limit;
use super::views::*;
use super::AppState;
use crate::engine::clearing::ProposalStatus;
use crate::engine::event_body;
use crate::engine::queries::LineDirection;
use crate::engine::receipt::total_text;
use crate::engine::records::{PaymentRecord, PaymentState};
use crate::engine::{Command, ParticipantStatus, Reply};
use crate::storage::{HistoryDirection, HistoryQuery as StoredHistoryQuery};
use crate::writer::now;
use geo_api as api;

type ApiResult<T> = Result<T, HubError>;

pub(super) fn parse_pid(text: &str) -> HubResult<Pid> {
    Pid::parse(text).map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))
}

pub(super) fn parse_code(text: &str) -> HubResult<EquivalentCode> {
    EquivalentCode::parse(text).map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))
}

pub(super) fn page_limit(limit: Option<u32>) -> HubResult<usize> {
    match limit.unwrap_or(50) {
        l @ 1..=200 => Ok(l as usize),
        _ => Err(HubError::new(
            ErrorCode::Validation,
            "limit must be 1 to 200",
        )),
    }
}

/// A cursor that names a journal position (the listing continues before it).
pub(super) fn seq_cursor(cursor: Option<&str>) -> HubResult<Option<u64>> {
    cursor
        .map(|c| {
            c.parse::<u64>()
                .map_err(|_| HubError::new(ErrorCode::Validation, "invalid cursor"))
        })
        .transpose()
}

fn cursor_offset(cursor: &Option<String>) -> HubResult<usize> {
    match cursor {
        None => Ok(0),
        Some(c) => c
            .parse()
            .map_err(|_| HubError::new(ErrorCode::Validation, "invalid cursor")),
    }
}

fn paginate<T>(items: Vec<T>, offset: usize, limit: usize) -> api::Page<T> {
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
    let next = (offset + page.len() < total).then(|| (offset + page.len()).to_string());
    api::Page {
        items: page,
        next_cursor: next,
    }
}

// ---------- system ----------

pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(s): State<AppState>) -> Response {
    let ready = s.ready.load(std::sync::atomic::Ordering::Relaxed) && !s.writer.has_failed();
    if ready && s.store.ping().await.is_ok() {
        Json(json!({ "status": "ready", "backend": s.store.backend() })).into_response()
    } else {
        HubError::new(ErrorCode::Unavailable, "not ready").into_response()
    }
}

pub async fn metrics(State(s): State<AppState>) -> Response {
    crate::metrics::observe_ledger(&s.query(|e| e.stats()).await);
    crate::metrics::observe_projection_lag(s.store.projection_lag());
    let body = s.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response()
}

pub async fn not_found() -> HubError {
    HubError::not_found("no such endpoint")
}

pub async fn method_not_allowed() -> HubError {
    HubError::new(
        ErrorCode::MethodNotAllowed,
        "this endpoint does not accept that method",
    )
}

pub async fn hub_info(State(s): State<AppState>) -> Json<api::HubInfo> {
    Json(api::HubInfo {
        protocol: geo_protocol::PROTOCOL_VERSION.into(),
        hub_pid: s.hub.pid(),
        public_key: s.hub.public_key().to_base64(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: s.store.backend().into(),
        features: ["payments", "holds", "multipath", "events", "receipts"]
            .map(String::from)
            .to_vec(),
        limits: api::HubLimits {
            max_hops: s.settings.max_hops,
            max_paths: s.settings.max_paths,
            max_hold_seconds: s.settings.max_hold_seconds,
            max_validity_seconds: s.settings.max_validity_seconds,
            max_clock_skew_seconds: s.settings.max_clock_skew_seconds,
            max_body_bytes: s.settings.max_body_bytes as u64,
            challenge_ttl_seconds: s.settings.challenge_ttl_seconds,
            max_batch_payments: s.settings.max_batch_payments as u32,
        },
        linked_hubs: crate::federation::linked_hubs(&s.settings),
    })
}

pub async fn openapi_json() -> Json<serde_json::Value> {
    Json(super::openapi::document())
}

// ---------- auth ----------

pub async fn challenge(
    State(s): State<AppState>,
    JsonBody(req): JsonBody<api::ChallengeRequest>,
) -> ApiResult<Json<api::Challenge>> {
    let pid = parse_pid(&req.pid)?;
    if s.key_of(&pid).is_none() {
        return Err(HubError::new(
            ErrorCode::UnknownParticipant,
            format!("participant {pid} is not registered"),
        ));
    }
    let (challenge, expires_at) = s.sessions.challenge(pid, s.settings.challenge_ttl_seconds);
    Ok(Json(api::Challenge {
        challenge,
        expires_at,
    }))
}

async fn issue_tokens(s: &AppState, pid: Pid) -> ApiResult<Json<api::Tokens>> {
    let p = s
        .query(|e| e.participant(&pid))
        .await
        .ok_or_else(|| HubError::not_found("participant"))?;
    if p.status != ParticipantStatus::Active {
        return Err(HubError::new(
            ErrorCode::ParticipantInactive,
            format!("participant is {}", p.status.as_str()),
        ));
    }
    let participant = api::Participant::from(&p);
    let access_token = s
        .sessions
        .issue_access(pid.clone(), s.settings.access_token_ttl_seconds);
    let refresh_token = super::random_token(32);
    let hash = geo_protocol::Digest::of(refresh_token.as_bytes()).to_string();
    s.store
        .insert_refresh(
            &hash,
            &pid,
            now().unix() + s.settings.refresh_token_ttl_seconds,
        )
        .await
        .map_err(HubError::storage)?;
    Ok(Json(api::Tokens {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: s.settings.access_token_ttl_seconds,
        refresh_expires_in: s.settings.refresh_token_ttl_seconds,
        participant,
    }))
}

pub async fn login(
    State(s): State<AppState>,
    Signed(msg): Signed<Login>,
) -> ApiResult<Json<api::Tokens>> {
    s.sessions
        .consume_challenge(&msg.payload().challenge, msg.signer())?;
    issue_tokens(&s, msg.signer().clone()).await
}

pub async fn refresh(
    State(s): State<AppState>,
    JsonBody(req): JsonBody<api::RefreshRequest>,
) -> ApiResult<Json<api::Tokens>> {
    let hash = geo_protocol::Digest::of(req.refresh_token.as_bytes()).to_string();
    let (pid, exp) = s
        .store
        .take_refresh(&hash)
        .await
        .map_err(HubError::storage)?
        .ok_or_else(|| {
            HubError::new(
                ErrorCode::TokenExpired,
                "unknown, used or revoked refresh token",
            )
        })?;
    if exp < now().unix() {
        return Err(HubError::new(
            ErrorCode::TokenExpired,
            "the refresh token has expired; log in again",
        ));
    }
    issue_tokens(&s, parse_pid(&pid).map_err(HubError::internal)?).await
}

// ---------- participants ----------

pub(super) async fn participant_view(s: &AppState, pid: &Pid) -> ApiResult<api::Participant> {
    s.query(|e| e.participant(pid))
        .await
        .map(|p| api::Participant::from(&p))
        .ok_or_else(|| HubError::not_found(format!("participant {pid}")))
}

pub async fn register(
    State(s): State<AppState>,
    Signed(msg): Signed<ParticipantRegister>,
) -> ApiResult<Response> {
    let pid = msg.signer().clone();
    crate::federation::check_hub_registration(&s.settings, &s.hub.pid(), &pid, msg.payload().kind)?;
    s.writer.submit(Command::Register(msg)).await?;
    Ok((StatusCode::CREATED, Json(participant_view(&s, &pid).await?)).into_response())
}

pub async fn me(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<api::Participant>> {
    Ok(Json(participant_view(&s, &auth.0).await?))
}

pub async fn update_me(
    State(s): State<AppState>,
    auth: Auth,
    Signed(msg): Signed<ParticipantUpdate>,
) -> ApiResult<Json<api::Participant>> {
    same_signer(&auth, &msg)?;
    s.writer.submit(Command::UpdateParticipant(msg)).await?;
    Ok(Json(participant_view(&s, &auth.0).await?))
}

pub async fn participant(
    State(s): State<AppState>,
    _auth: Auth,
    Path(pid): Path<String>,
) -> ApiResult<Json<api::Participant>> {
    Ok(Json(participant_view(&s, &parse_pid(&pid)?).await?))
}

pub async fn search_participants(
    State(s): State<AppState>,
    _auth: Auth,
    Query(q): Query<api::ParticipantSearch>,
) -> ApiResult<Json<api::Page<api::Participant>>> {
    search(&s, q).await.map(Json)
}

/// Participants matching a search (members and the operator search alike).
pub(super) async fn search(
    s: &AppState,
    q: api::ParticipantSearch,
) -> ApiResult<api::Page<api::Participant>> {
    let limit = page_limit(q.limit)?;
    let offset = cursor_offset(&q.cursor)?;
    let needle = q.q.unwrap_or_default();
    let items: Vec<api::Participant> = s
        .query(|e| e.search_participants(&needle, q.kind.as_deref()))
        .await
        .iter()
        .map(api::Participant::from)
        .collect();
    Ok(paginate(items, offset, limit))
}

// ---------- equivalents ----------

pub async fn equivalents(State(s): State<AppState>) -> Json<Vec<api::Equivalent>> {
    let all = s.query(|e| e.equivalents()).await;
    Json(all.iter().map(api::Equivalent::from).collect())
}

pub async fn admin_set_equivalent(
    State(s): State<AppState>,
    _admin: Admin,
    Path(code): Path<String>,
    JsonBody(req): JsonBody<api::EquivalentSettings>,
) -> ApiResult<Json<api::Equivalent>> {
    let code = parse_code(&code)?;
    let precision = Precision::new(req.precision)
        .map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))?;
    if req.description.chars().count() > 200 {
        return Err(HubError::new(
            ErrorCode::Validation,
            "description is at most 200 characters",
        ));
    }
    s.writer
        .submit(Command::SetEquivalent {
            code: code.clone(),
            precision,
            description: req.description,
            active: req.active,
        })
        .await?;
    let set = s
        .query(|e| e.equivalent(&code))
        .await
        .ok_or_else(|| HubError::internal("a set equivalent is missing"))?;
    Ok(Json(api::Equivalent::from(&set)))
}

pub async fn admin_set_status(
    State(s): State<AppState>,
    _admin: Admin,
    Path(pid): Path<String>,
    JsonBody(req): JsonBody<api::StatusChange>,
) -> ApiResult<Json<api::Participant>> {
    let pid = parse_pid(&pid)?;
    s.writer
        .submit(Command::SetParticipantStatus {
            pid: pid.clone(),
            status: req.status,
            reason: req.reason,
        })
        .await?;
    Ok(Json(participant_view(&s, &pid).await?))
}

pub async fn admin_integrity(State(s): State<AppState>, _admin: Admin) -> ApiResult<Response> {
    let report = crate::integrity::verify_integrity(&s.store, &s.engine).await;
    let status = if report.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    Ok((status, Json(report)).into_response())
}

pub async fn admin_stats(State(s): State<AppState>, _admin: Admin) -> Json<api::HubStats> {
    let stats = s.query(|e| e.stats()).await;
    Json(api::HubStats::from(&stats))
}

// ---------- trust lines ----------

async fn line_view(
    s: &AppState,
    creditor: &Pid,
    debtor: &Pid,
    code: &EquivalentCode,
) -> ApiResult<api::TrustLine> {
    let line = s
        .query(|e| e.trust_line(creditor, debtor, code))
        .await
        .ok_or_else(|| HubError::not_found("trust line"))?;
    Ok(trust_line_view(&line))
}

pub async fn set_trust_line(
    State(s): State<AppState>,
    auth: Auth,
    Signed(msg): Signed<TrustLineSet>,
) -> ApiResult<Json<api::TrustLine>> {
    same_signer(&auth, &msg)?;
    let (debtor, code) = (
        msg.payload().debtor.clone(),
        msg.payload().equivalent.clone(),
    );
    s.writer.submit(Command::SetTrustLine(msg)).await?;
    Ok(Json(line_view(&s, &auth.0, &debtor, &code).await?))
}

pub async fn close_trust_line(
    State(s): State<AppState>,
    auth: Auth,
    Signed(msg): Signed<TrustLineClose>,
) -> ApiResult<Json<api::ClosedLine>> {
    same_signer(&auth, &msg)?;
    let (debtor, code) = (
        msg.payload().debtor.clone(),
        msg.payload().equivalent.clone(),
    );
    s.writer.submit(Command::CloseTrustLine(msg)).await?;
    Ok(Json(api::ClosedLine {
        creditor: auth.0,
        debtor,
        equivalent: code,
        status: "closed".into(),
    }))
}

pub async fn list_trust_lines(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<api::TrustLineQuery>,
) -> ApiResult<Json<api::Page<api::TrustLine>>> {
    lines_of(&s, &auth.0, q).await.map(Json)
}

/// A participant's trust lines as they list them.
pub(super) async fn lines_of(
    s: &AppState,
    pid: &Pid,
    q: api::TrustLineQuery,
) -> ApiResult<api::Page<api::TrustLine>> {
    let limit = page_limit(q.limit)?;
    let offset = cursor_offset(&q.cursor)?;
    let direction = match q.direction.as_deref().unwrap_or("all") {
        "all" => LineDirection::All,
        "outgoing" => LineDirection::Outgoing,
        "incoming" => LineDirection::Incoming,
        other => {
            return Err(HubError::new(
                ErrorCode::Validation,
                format!("direction {other:?} is not all, outgoing or incoming"),
            ))
        }
    };
    let filter = q.equivalent.as_deref().map(parse_code).transpose()?;
    let items: Vec<api::TrustLine> = s
        .query(|e| e.lines_of(pid, filter.as_ref(), direction))
        .await?
        .iter()
        .map(trust_line_view)
        .collect();
    Ok(paginate(items, offset, limit))
}

pub async fn trust_line(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<api::TrustLine>> {
    let id = TxId::parse(&id).map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))?;
    let line = s.query(|e| e.trust_line_by_id(&auth.0, id)).await?;
    Ok(Json(trust_line_view(&line)))
}

// ---------- payments ----------

/// A payment outcome as answered: committed and prepared are the payment; an aborted payment is a
/// problem carrying the payment and its signed receipt (except when the payer itself asked for the
/// abort).
fn payment_outcome(
    s: &AppState,
    record: &PaymentRecord,
    receipt: Option<String>,
    abort_requested: bool,
) -> ApiResult<api::Payment> {
    let view = payment_view_with(&s.hub, record, receipt);
    match (record.status, record.error_code) {
        (PaymentState::Aborted, Some(code)) if !(abort_requested && code == ErrorCode::Aborted) => {
            let mut err = HubError::new(
                code,
                match code {
                    ErrorCode::InsufficientCapacity => {
                        "no combination of paths can carry this amount now".to_owned()
                    }
                    ErrorCode::ReservationExpired => {
                        "the hold expired before it was committed".to_owned()
                    }
                    other => other.title().to_owned(),
                },
            );
            if let Some(max) = record.max_routable {
                err = err.with("max_amount", record.text(max));
            }
            if let Some(receipt) = &view.receipt {
                let receipt: serde_json::Value =
                    serde_json::from_str(receipt).expect("receipts are JSON");
                err = err.with("receipt", receipt);
            }
            Err(err.with(
                "payment",
                serde_json::to_value(&view).expect("views serialise"),
            ))
        }
        _ => Ok(view),
    }
}

/// The answer of a payment outcome: 200 with the payment, or its problem document.
fn answer(outcome: ApiResult<api::Payment>) -> Response {
    match outcome {
        Ok(view) => Json(view).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The outcome a payment command's reply stands for.
async fn reply_outcome(
    s: &AppState,
    reply: Reply,
    abort_requested: bool,
) -> ApiResult<api::Payment> {
    match reply {
        Reply::Payment(record, receipt) => {
            metrics::counter!("geo_payments_total", "status" => record.status.as_str())
                .increment(1);
            payment_outcome(s, &record, receipt, abort_requested)
        }
        Reply::PaymentExisting(tx_id) => {
            let record = s
                .store
                .known_payment(&tx_id)
                .await
                .map_err(HubError::storage)?
                .ok_or_else(|| HubError::not_found("payment"))?;
            payment_outcome(s, &record, None, abort_requested)
        }
        Reply::Done
        | Reply::Clearing(_)
        | Reply::Proposed(_)
        | Reply::ProposalStatus(_)
        | Reply::FulfilmentRefused(..) => Err(HubError::internal("unexpected reply to a payment")),
    }
}

async fn render_reply(s: &AppState, reply: Reply, abort_requested: bool) -> ApiResult<Response> {
    Ok(answer(reply_outcome(s, reply, abort_requested).await))
}

/// A payment to another hub's member (federation.md §6), with that hub's receipt once committed.
async fn pay_across(s: &AppState, msg: SignedMessage<PaymentRequest>) -> ApiResult<api::Payment> {
    let paid = crate::federation::pay(s, msg).await?;
    metrics::counter!("geo_payments_total", "status" => paid.record.status.as_str()).increment(1);
    if paid.record.status != PaymentState::Committed {
        return payment_outcome(s, &paid.record, None, false);
    }
    let mut view = payment_view(&s.hub, &paid.record);
    view.peer_hub_key = paid
        .peer_receipt
        .as_ref()
        .and_then(|_| s.key_of(&paid.record.payee))
        .map(|k| k.to_base64());
    view.peer_receipt = paid.peer_receipt;
    view.preimage = paid.preimage.map(|p| p.to_string());
    Ok(view)
}

pub async fn pay(
    State(s): State<AppState>,
    auth: Auth,
    Signed(msg): Signed<PaymentRequest>,
) -> ApiResult<Response> {
    same_signer(&auth, &msg)?;
    if msg.payload().payee_hub.is_some() {
        return Ok(answer(pay_across(&s, msg).await));
    }
    let reply = s.writer.submit(Command::Pay(msg)).await?;
    render_reply(&s, reply, false).await
}

/// `POST /payments/batch`: each signed request read, verified and decided on its own, as `pay`
/// would; the local ones go to the writer side by side (one journal batch, one commit, as a rule).
/// The token names who sends the batch (its rate budget is charged per payment); each payment's own
/// signature authorises it, so a batch may carry several payers' payments.
pub async fn pay_batch(
    State(s): State<AppState>,
    auth: Auth,
    JsonText(batch): JsonText<api::PaymentBatch>,
) -> ApiResult<Json<api::PaymentBatchResults>> {
    let count = batch.payments.len();
    let cap = s.settings.max_batch_payments;
    if count == 0 {
        return Err(HubError::new(
            ErrorCode::Validation,
            "a batch carries at least one payment",
        )
        .with("field", "payments"));
    }
    if count > cap {
        return Err(HubError::new(
            ErrorCode::PayloadTooLarge,
            format!("a batch carries at most {cap} payments, this one {count}"),
        )
        .with("max_payments", cap as u64));
    }
    // The request itself took one unit of the caller's budget; its other payments take theirs.
    if !s
        .limiter
        .allow_n(&rate_limit::participant_key(&auth.0), count - 1)
    {
        metrics::counter!("geo_rate_limited_total").increment(1);
        return Err(HubError::new(
            ErrorCode::RateLimited,
            "too many payments; slow down",
        ));
    }
    let mut results: Vec<Option<ApiResult<api::Payment>>> = vec![None; count];
    let (mut local, mut across) = (Vec::new(), Vec::new());
    for (i, raw) in batch.payments.iter().enumerate() {
        match verified::<PaymentRequest>(&s, raw.get()) {
            Err(e) => results[i] = Some(Err(e)),
            Ok(msg) if msg.payload().payee_hub.is_some() => across.push((i, msg)),
            Ok(msg) => local.push((i, msg)),
        }
    }
    let (at, commands): (Vec<usize>, Vec<Command>) =
        local.into_iter().map(|(i, m)| (i, Command::Pay(m))).unzip();
    let replies = s.writer.submit_all(commands).await;
    for (i, reply) in at.into_iter().zip(replies) {
        results[i] = Some(match reply {
            Ok(reply) => reply_outcome(&s, reply, false).await,
            Err(e) => Err(e.into()),
        });
    }
    let state = &s;
    let across = futures_util::future::join_all(
        across
            .into_iter()
            .map(|(i, msg)| async move { (i, pay_across(state, msg).await) }),
    )
    .await;
    for (i, outcome) in across {
        results[i] = Some(outcome);
    }
    Ok(Json(api::PaymentBatchResults {
        results: results
            .into_iter()
            .map(|r| match r.expect("every payment has its result") {
                Ok(view) => api::PaymentResult::Payment(Box::new(view)),
                Err(e) => api::PaymentResult::Problem(Box::new(e.to_problem())),
            })
            .collect(),
    }))
}

fn path_tx(tx_id: &str, body: &TxId) -> HubResult<()> {
    if tx_id != body.to_string() {
        return Err(HubError::new(
            ErrorCode::Validation,
            "the tx_id in the path and in the signed message differ",
        ));
    }
    Ok(())
}

pub async fn commit_hold(
    State(s): State<AppState>,
    auth: Auth,
    Path(tx_id): Path<String>,
    Signed(msg): Signed<PaymentCommit>,
) -> ApiResult<Response> {
    same_signer(&auth, &msg)?;
    path_tx(&tx_id, &msg.payload().tx_id)?;
    let reply = s.writer.submit(Command::CommitHold(msg)).await?;
    render_reply(&s, reply, false).await
}

pub async fn abort_hold(
    State(s): State<AppState>,
    auth: Auth,
    Path(tx_id): Path<String>,
    Signed(msg): Signed<PaymentAbort>,
) -> ApiResult<Response> {
    same_signer(&auth, &msg)?;
    path_tx(&tx_id, &msg.payload().tx_id)?;
    let reply = s.writer.submit(Command::AbortHold(msg)).await?;
    render_reply(&s, reply, true).await
}

pub async fn payment(
    State(s): State<AppState>,
    auth: Auth,
    Path(tx_id): Path<String>,
) -> ApiResult<Json<api::Payment>> {
    let tx_id =
        TxId::parse(&tx_id).map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))?;
    let record = s.store.payment(&tx_id).await.map_err(HubError::storage)?;
    match record {
        // Visible to its payer, its payee and the intermediaries whose debts it changed; others
        // cannot even learn that it exists.
        Some(r) if r.payer == auth.0 || r.payee == auth.0 || relayed_by(&r, &auth.0) => {
            let mut view = payment_view(&s.hub, &r);
            // A payment to another hub's member: that hub's receipt, from the fulfil journaled
            // with the commit (federation.md §6 step 4), as the payment's answer carried it.
            if let Some(fulfil) = crate::federation::journaled_fulfil(&s, &r).await? {
                view.peer_hub_key = s.key_of(&r.payee).map(|k| k.to_base64());
                view.peer_receipt = Some(fulfil.receipt);
                view.preimage = Some(fulfil.preimage.to_string());
            }
            Ok(Json(view))
        }
        _ => Err(HubError::not_found(format!("payment {tx_id}"))),
    }
}

/// Whether a committed payment ran through `pid` (as neither payer nor payee).
fn relayed_by(r: &PaymentRecord, pid: &Pid) -> bool {
    r.status == PaymentState::Committed && r.routes.iter().any(|p| p.path.contains(pid))
}

pub async fn history(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<api::HistoryQuery>,
) -> ApiResult<Json<api::Page<api::Payment>>> {
    history_of(&s, &auth.0, q).await.map(Json)
}

/// A participant's payments as their history lists them.
pub(super) async fn history_of(
    s: &AppState,
    pid: &Pid,
    q: api::HistoryQuery,
) -> ApiResult<api::Page<api::Payment>> {
    let limit = page_limit(q.limit)?;
    let direction = match q.direction.as_deref().unwrap_or("all") {
        "all" => HistoryDirection::All,
        "sent" => HistoryDirection::Sent,
        "received" => HistoryDirection::Received,
        "relayed" => HistoryDirection::Relayed,
        other => {
            return Err(HubError::new(
                ErrorCode::Validation,
                format!("direction {other:?} is not all, sent, received or relayed"),
            ))
        }
    };
    if let Some(st) = &q.status {
        if !["prepared", "committed", "aborted"].contains(&st.as_str()) {
            return Err(HubError::new(
                ErrorCode::Validation,
                "status is prepared, committed or aborted",
            ));
        }
    }
    let time = |t: &Option<String>| {
        t.as_deref()
            .map(|t| {
                geo_protocol::Timestamp::parse(t)
                    .map(|t| t.unix())
                    .map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))
            })
            .transpose()
    };
    let before_seq = seq_cursor(q.cursor.as_deref())?;
    let query = StoredHistoryQuery {
        direction,
        equivalent: q
            .equivalent
            .as_deref()
            .map(parse_code)
            .transpose()?
            .map(|c| c.to_string()),
        status: q.status.clone(),
        from: time(&q.from)?,
        to: time(&q.to)?,
        before_seq,
        limit: limit as u32 + 1,
    };
    let mut rows = s
        .store
        .history(pid, &query)
        .await
        .map_err(HubError::storage)?;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| r.journal_seq.to_string())
    } else {
        None
    };
    Ok(api::Page {
        items: rows.iter().map(|r| payment_view(&s.hub, r)).collect(),
        next_cursor: next,
    })
}

pub async fn capacity(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<api::CapacityQuery>,
) -> ApiResult<Json<api::Capacity>> {
    if q.payee_hub.is_some() {
        return Ok(Json(
            crate::federation::capacity_across(&s, &auth.0, &q).await?,
        ));
    }
    let payee = parse_pid(&q.payee)?;
    let code = parse_code(&q.equivalent)?;
    let preview = s
        .query(|e| {
            e.capacity(
                &auth.0,
                &payee,
                &code,
                q.amount.as_deref(),
                q.max_hops,
                q.max_paths,
            )
        })
        .await?;
    Ok(Json(api::Capacity {
        payee,
        equivalent: code,
        max_amount: geo_protocol::Amount::from_minor(preview.max_amount, preview.precision)
            .to_string(),
        can_pay: preview.can_pay,
    }))
}

// ---------- clearing ----------

pub async fn clearing_preview(
    State(s): State<AppState>,
    _auth: Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<api::ClearingPreview>> {
    let code = parse_code(&code)?;
    let problem = s.query(|e| e.clearing_problem(&code)).await?;
    // The solver is CPU-bound: off the async threads, and off the engine's lock.
    let preview = tokio::task::spawn_blocking(move || problem.preview())
        .await
        .map_err(HubError::internal)??;
    Ok(Json(clearing_preview_view(&preview)))
}

pub async fn admin_run_clearing(
    State(s): State<AppState>,
    _admin: Admin,
    Path(code): Path<String>,
) -> ApiResult<Json<api::ClearingRun>> {
    let code = parse_code(&code)?;
    let Some(equivalent) = s.query(|e| e.equivalent(&code)).await else {
        return Err(HubError::new(
            ErrorCode::UnknownEquivalent,
            format!("equivalent {code}"),
        ));
    };
    let outcome = s.clearing.run(&code).await?;
    let proposal = outcome.proposed.map(|id| id.to_string());
    let mut run = api::ClearingRun {
        cleared: false,
        equivalent: code.clone(),
        clearing_id: None,
        total: None,
        debts_reduced: None,
        journal_seq: None,
        proposal,
    };
    if let Some(c) = outcome.applied {
        let precision = equivalent.precision;
        run.cleared = true;
        run.clearing_id = Some(c.clearing_id.to_string());
        run.total = Some(total_text(c.total, precision));
        run.debts_reduced = Some(c.debts as u64);
        run.journal_seq = Some(c.journal_seq);
    }
    Ok(Json(run))
}

pub async fn clearing_proposals(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<api::ClearingProposal>>> {
    let open = s.query(|e| e.proposals_for(&auth.0)).await;
    Ok(Json(open.iter().map(proposal_view).collect()))
}

pub async fn clearing_consent(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Signed(msg): Signed<geo_protocol::ClearingConsent>,
) -> ApiResult<Json<api::ConsentOutcome>> {
    same_signer(&auth, &msg)?;
    if id != msg.payload().clearing_id.to_string() {
        return Err(HubError::new(
            ErrorCode::Validation,
            "the clearing_id in the path and in the signed message differ",
        ));
    }
    let clearing_id = msg.payload().clearing_id;
    let code = s.query(|e| e.proposal_equivalent(clearing_id)).await;
    match s.writer.submit(Command::Consent(msg)).await? {
        Reply::ProposalStatus(status) => {
            if let (ProposalStatus::Rejected, Some(code)) = (status, code) {
                // The refused debts are now excluded: re-solve the rest without waiting for the schedule.
                s.clearing.resolve_after_rejection(code);
            }
            Ok(Json(api::ConsentOutcome {
                clearing_id: id,
                status: status.as_str().to_owned(),
            }))
        }
        _ => Err(HubError::internal("unexpected reply to a consent")),
    }
}

pub async fn clearings(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<api::PageQuery>,
) -> ApiResult<Json<api::Page<api::Clearing>>> {
    let limit = page_limit(q.limit)?;
    let before = seq_cursor(q.cursor.as_deref())?;
    let rows = s
        .store
        .events_of_kind(&auth.0, "clearing_committed", before, limit as u32 + 1)
        .await
        .map_err(HubError::storage)?;
    let mut items = Vec::new();
    for row in rows.iter().take(limit) {
        // The body stored when the clearing was journaled, with the receipt signed then.
        let Ok(api::EventKind::ClearingCommitted {
            clearing_id,
            equivalent,
            edges,
            at,
            receipt,
        }) = event_body::event_of(&row.kind, &row.data)
        else {
            return Err(HubError::internal("a stored clearing event does not parse"));
        };
        items.push(api::Clearing {
            clearing_id,
            equivalent,
            edges,
            at,
            journal_seq: row.journal_seq,
            receipt,
        });
    }
    let next = (rows.len() > limit).then(|| rows[limit - 1].id.to_string());
    Ok(Json(api::Page {
        items,
        next_cursor: next,
    }))
}

// ---------- balance ----------

pub async fn balance(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<api::Balance>>> {
    let totals = s.query(|e| e.balances(&auth.0)).await;
    Ok(Json(totals.iter().map(balance_view).collect()))
}

pub async fn debts(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<api::Counterparty>>> {
    let code = parse_code(&code)?;
    let (precision, items) = s.query(|e| e.counterparties(&auth.0, &code)).await?;
    Ok(Json(
        items
            .iter()
            .map(|c| counterparty_view(c, precision))
            .collect(),
    ))
}

// ---------- federation ----------

pub async fn federation_condition(
    State(s): State<AppState>,
    Query(q): Query<api::federation::ConditionQuery>,
) -> ApiResult<Json<api::federation::Condition>> {
    let condition = crate::federation::condition(&s, &q).await?;
    Ok(Json(api::federation::Condition { condition }))
}

pub async fn federation_capacity(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<api::federation::PeerCapacityQuery>,
) -> ApiResult<Json<api::Capacity>> {
    Ok(Json(
        crate::federation::capacity_for_peer(&s, &auth.0, &q).await?,
    ))
}

pub async fn federation_reject(
    State(s): State<AppState>,
    Signed(msg): Signed<geo_protocol::HubReject>,
) -> ApiResult<Json<api::federation::RefusedFulfilment>> {
    crate::federation::refused_fulfilment(&s, msg)
        .await
        .map(Json)
}

pub async fn admin_refused_fulfilments(
    State(s): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<api::federation::RefusedFulfilment>>> {
    crate::federation::refused_fulfilments(&s, false)
        .await
        .map(Json)
}

pub async fn admin_refused_peer_fulfilments(
    State(s): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<api::federation::RefusedFulfilment>>> {
    crate::federation::refused_fulfilments(&s, true)
        .await
        .map(Json)
}

pub async fn federation_prepare(
    State(s): State<AppState>,
    Signed(msg): Signed<geo_protocol::HubPrepare>,
) -> ApiResult<Json<serde_json::Value>> {
    crate::federation::prepare(&s, msg).await.map(Json)
}
