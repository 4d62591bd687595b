//! Operator reads and the token rotation (`/admin/…`): what members see of themselves, for any
//! participant, plus every clearing. Each answer is a `geo-api` type; refusals are problems.

use axum::extract::{Path, State};
use axum::Json;
use geo_api as api;
use geo_protocol::{Amount, ErrorCode};

use super::extract::{Admin, Query};
use super::handlers::{
    history_of, lines_of, page_limit, parse_code, parse_pid, participant_view, search, seq_cursor,
};
use super::AppState;
use crate::api::problem::{HubError, HubResult};
use crate::engine::event_body;
use crate::engine::journal::JournalEvent;

/// `GET /admin/participants`.
pub async fn participants(
    State(s): State<AppState>,
    _admin: Admin,
    Query(q): Query<api::ParticipantSearch>,
) -> HubResult<Json<api::Page<api::Participant>>> {
    search(&s, q).await.map(Json)
}

/// `GET /admin/participants/{pid}`.
pub async fn participant(
    State(s): State<AppState>,
    _admin: Admin,
    Path(pid): Path<String>,
) -> HubResult<Json<api::Participant>> {
    participant_view(&s, &parse_pid(&pid)?).await.map(Json)
}

/// `GET /admin/participants/{pid}/trust-lines`.
pub async fn trust_lines(
    State(s): State<AppState>,
    _admin: Admin,
    Path(pid): Path<String>,
    Query(q): Query<api::TrustLineQuery>,
) -> HubResult<Json<api::Page<api::TrustLine>>> {
    lines_of(&s, &parse_pid(&pid)?, q).await.map(Json)
}

/// `GET /admin/participants/{pid}/payments`.
pub async fn payments(
    State(s): State<AppState>,
    _admin: Admin,
    Path(pid): Path<String>,
    Query(q): Query<api::HistoryQuery>,
) -> HubResult<Json<api::Page<api::Payment>>> {
    let pid = parse_pid(&pid)?;
    participant_view(&s, &pid).await?;
    history_of(&s, &pid, q).await.map(Json)
}

/// `GET /admin/clearings`: committed clearings from the journal, newest first; the cursor is the
/// journal position to continue below.
pub async fn clearings(
    State(s): State<AppState>,
    _admin: Admin,
    Query(q): Query<api::operator::ClearingHistoryQuery>,
) -> HubResult<Json<api::Page<api::Clearing>>> {
    let limit = page_limit(q.limit)?;
    let only = q.equivalent.as_deref().map(parse_code).transpose()?;
    let mut before = seq_cursor(q.cursor.as_deref())?;
    let mut found = Vec::new();
    'scan: loop {
        let rows = s
            .store
            .journal_of_kind("clearing_committed", before, 200)
            .await
            .map_err(HubError::storage)?;
        let exhausted = rows.len() < 200;
        for (seq, at, event) in rows {
            before = Some(seq);
            if let JournalEvent::ClearingCommitted {
                clearing_id,
                equivalent,
                set_offs,
            } = event
            {
                if only.as_ref().is_some_and(|o| o != &equivalent) {
                    continue;
                }
                found.push((seq, at, clearing_id, equivalent, set_offs));
                if found.len() > limit {
                    break 'scan;
                }
            }
        }
        if exhausted {
            break;
        }
    }
    let next = (found.len() > limit).then(|| found[limit - 1].0.to_string());
    found.truncate(limit);
    let mut items = Vec::with_capacity(found.len());
    for (seq, at, id, code, set_offs) in found {
        let precision = s.query(|e| e.equivalent(&code).map(|q| q.precision)).await;
        // The same hub-signed receipt its members got, as stored with their events when the
        // clearing was journaled, so the console can verify each one.
        let data = s.store.event_body(seq).await.map_err(HubError::storage)?;
        let receipt = match data.map(|d| event_body::event_of("clearing_committed", &d)) {
            Some(Ok(api::EventKind::ClearingCommitted { receipt, .. })) => receipt,
            Some(_) => return Err(HubError::internal("a stored clearing event does not parse")),
            None => None,
        };
        items.push(api::Clearing {
            clearing_id: id.to_string(),
            edges: set_offs
                .into_iter()
                .map(|o| api::SetOff {
                    debtor: o.debtor,
                    creditor: o.creditor,
                    amount: precision
                        .map(|p| Amount::from_minor(o.amount, p).to_string())
                        .unwrap_or_else(|| o.amount.to_string()),
                })
                .collect(),
            equivalent: code,
            at: at.to_string(),
            journal_seq: seq,
            receipt,
        });
    }
    Ok(Json(api::Page {
        items,
        next_cursor: next,
    }))
}

/// `POST /admin/token`: a new operator token, written to its file before it replaces the old one
/// (so a crash between the two leaves the file's token, which the hub reads on start).
pub async fn rotate_token(
    State(s): State<AppState>,
    _admin: Admin,
) -> HubResult<Json<api::operator::AdminToken>> {
    let Some(file) = &s.admin_token_file else {
        return Err(HubError::new(
            ErrorCode::Conflict,
            "the operator token is set in the configuration (GEO_ADMIN_TOKEN, --admin-token or the TOML file); change it there and restart",
        ));
    };
    let token = super::random_token(24);
    crate::secret::write_secret(file, &token)
        .map_err(|e| HubError::internal(format!("{}: {e}", file.display())))?;
    *s.admin_token.write().expect("token lock") = token.clone();
    tracing::warn!(file = %file.display(), "operator token rotated");
    Ok(Json(api::operator::AdminToken { admin_token: token }))
}
