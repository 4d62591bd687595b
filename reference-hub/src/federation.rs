//! The hub's side of federation (`spec/federation.md`), as far as it is built: which hubs are
//! linked, who may register as a hub, the hub's own account in its ledger (§1), and the payee's
//! hub's part of a payment between hubs (§3 conditions, §6 downstream).

use geo_protocol::federation::{commit_deadline, Preimage};
use geo_protocol::{
    Digest, Envelope, EquivalentCode, ErrorCode, HubFulfil, HubPrepare, HubReject, HubRejectStage,
    Identity, Message, Nonce, ParticipantKind, ParticipantRegister, Pid, SignedMessage, TxId,
};
use serde_json::Value;

use crate::api::{AppState, HubError};
use crate::config::Settings;
use crate::engine::records::{PaymentRecord, PaymentState};
use crate::engine::{Command, EngineError, ParticipantStatus, Reply};
use crate::writer::{now, WriterHandle};

/// The linked hubs as the discovery document lists them.
pub fn linked_hubs(settings: &Settings) -> Vec<geo_api::LinkedHub> {
    settings
        .linked_hubs()
        .into_iter()
        .map(|a| geo_api::LinkedHub {
            hub_pid: a.pid,
            url: a.hub.as_str().to_owned(),
        })
        .collect()
}

/// §1: only this hub itself and the hubs its operator linked register as kind `hub`.
pub fn check_hub_registration(
    settings: &Settings,
    this_hub: &Pid,
    signer: &Pid,
    kind: ParticipantKind,
) -> Result<(), HubError> {
    let linked = || settings.linked_hubs().iter().any(|a| &a.pid == signer);
    if kind != ParticipantKind::Hub || signer == this_hub || linked() {
        return Ok(());
    }
    Err(HubError::new(
        ErrorCode::Forbidden,
        format!(
            "{signer} is not a hub linked to this one: only linked hubs register as kind hub (federation.md §1)"
        ),
    ))
}

/// §1: a hub with links is a participant of its own ledger, registered with its own key. Done once;
/// a later start finds it registered.
pub async fn register_own_account(
    settings: &Settings,
    hub: &Identity,
    writer: &WriterHandle,
) -> Result<(), EngineError> {
    if settings.federation_links.is_empty() {
        return Ok(());
    }
    let register = ParticipantRegister {
        public_key: hub.public_key(),
        display_name: "This hub".into(),
        kind: ParticipantKind::Hub,
        profile: None,
    };
    let signed = Envelope::new(
        hub.pid(),
        Some(hub.pid()),
        Nonce::random(),
        now(),
        60,
        register,
    )
    .sign(hub)
    .expect("a hub's own registration is valid");
    match writer.submit(Command::Register(signed)).await {
        Ok(_) | Err(EngineError::AlreadyRegistered(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// How long a hub's answers to another hub stay valid, seconds.
const ANSWER_TTL_SECONDS: i64 = 300;

/// §3: the preimage this hub releases for `tx_id` prepared by `payer_hub`. Derived from the hub's
/// key, so it is unpredictable to everyone else and needs no state before the prepare.
pub fn preimage_for(hub: &Identity, payer_hub: &Pid, tx_id: &TxId) -> Preimage {
    let mut tagged = b"geo/1 fulfilment secret\n".to_vec();
    tagged.extend_from_slice(&*hub.seed());
    let secret = Digest::of(&tagged).to_bytes();
    Preimage::derive(&secret, payer_hub, tx_id)
}

/// The operator's link to the hub at `hub_url`, else `E_HUB_NOT_LINKED`.
fn link_to(
    settings: &Settings,
    hub_url: &geo_protocol::geo_uri::HubUrl,
) -> Result<geo_protocol::geo_uri::ParticipantAddress, HubError> {
    settings
        .linked_hubs()
        .into_iter()
        .find(|a| &a.hub == hub_url)
        .ok_or_else(|| {
            HubError::new(
                ErrorCode::HubNotLinked,
                format!("{hub_url} is not a hub linked to this one (federation.md §2)"),
            )
        })
}

fn is_linked(settings: &Settings, pid: &Pid) -> bool {
    settings.linked_hubs().iter().any(|a| &a.pid == pid)
}

/// `GET /federation/condition` (§3): the condition of a payment a linked hub will prepare here.
pub async fn condition(
    s: &AppState,
    q: &geo_api::federation::ConditionQuery,
) -> Result<Digest, HubError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        HubError::new(ErrorCode::Validation, format!("{what}: {e}"))
    };
    let payer_hub = Pid::parse(&q.payer_hub).map_err(|e| bad("payer_hub", &e))?;
    let tx_id = TxId::parse(&q.tx_id).map_err(|e| bad("tx_id", &e))?;
    let payee = Pid::parse(&q.payee).map_err(|e| bad("payee", &e))?;
    let code = EquivalentCode::parse(&q.equivalent).map_err(|e| bad("equivalent", &e))?;
    if !is_linked(&s.settings, &payer_hub) {
        return Err(HubError::new(
            ErrorCode::HubNotLinked,
            format!("{payer_hub} is not a hub linked to this one"),
        ));
    }
    payable_here(s, &payee, &code).await?;
    Ok(preimage_for(&s.hub, &payer_hub, &tx_id).condition())
}

/// The refusals a payee's hub gives a linked hub about a member before any routing (§3, §12):
/// unknown or inactive member, unknown or inactive equivalent.
async fn payable_here(s: &AppState, payee: &Pid, code: &EquivalentCode) -> Result<(), HubError> {
    let (member, equivalent) = s
        .query(|e| (e.participant(payee), e.equivalent(code)))
        .await;
    let member = member.ok_or_else(|| {
        HubError::new(
            ErrorCode::UnknownParticipant,
            format!("participant {payee} is not registered"),
        )
    })?;
    if member.status != ParticipantStatus::Active {
        return Err(HubError::new(
            ErrorCode::ParticipantInactive,
            format!("participant {payee} is {}", member.status.as_str()),
        ));
    }
    if !equivalent.is_some_and(|e| e.active) {
        return Err(HubError::new(
            ErrorCode::UnknownEquivalent,
            format!("equivalent {code} does not exist or is inactive"),
        ));
    }
    Ok(())
}

/// `GET /federation/capacity` (§12, downstream): what a prepare from the calling hub, a linked
/// hub logged in as its account here, could carry to `payee` now: the router's `max_amount` from
/// that account under this hub's own limits, as a prepare is routed. Exactly what the calling hub
/// could learn by preparing (protocol §8.6 with that account as the caller), nothing more.
pub async fn capacity_for_peer(
    s: &AppState,
    caller: &Pid,
    q: &geo_api::federation::PeerCapacityQuery,
) -> Result<geo_api::Capacity, HubError> {
    if !is_linked(&s.settings, caller) {
        return Err(HubError::new(
            ErrorCode::HubNotLinked,
            format!("{caller} is not a hub linked to this one: only a linked hub asks here"),
        ));
    }
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        HubError::new(ErrorCode::Validation, format!("{what}: {e}"))
    };
    let payee = Pid::parse(&q.payee).map_err(|e| bad("payee", &e))?;
    let code = EquivalentCode::parse(&q.equivalent).map_err(|e| bad("equivalent", &e))?;
    payable_here(s, &payee, &code).await?;
    let preview = s
        .query(|e| e.capacity(caller, &payee, &code, None, None, None))
        .await?;
    Ok(geo_api::Capacity {
        payee,
        equivalent: code,
        max_amount: geo_protocol::Amount::from_minor(preview.max_amount, preview.precision)
            .to_string(),
        can_pay: None,
    })
}

/// `GET /payments/capacity` with `payee_hub` (§12, upstream): what `payer` could pay a member of
/// a linked hub now, the smaller of this hub's part (payer → the peer account, under the query's
/// limits) and the peer hub's (its answer to `GET /federation/capacity`). The peer is asked only
/// when this hub's part is positive, and the member learns the smaller amount only.
pub async fn capacity_across(
    s: &AppState,
    payer: &Pid,
    q: &geo_api::CapacityQuery,
) -> Result<geo_api::Capacity, HubError> {
    let hub_url = q.payee_hub.as_deref().unwrap_or_default();
    let hub_url = geo_protocol::geo_uri::HubUrl::parse(hub_url).map_err(|e| {
        HubError::new(ErrorCode::Validation, format!("payee_hub: {e}")).with("field", "payee_hub")
    })?;
    let link = link_to(&s.settings, &hub_url)?;
    let payee = Pid::parse(&q.payee)
        .map_err(|e| HubError::new(ErrorCode::Validation, format!("payee: {e}")))?;
    let code = EquivalentCode::parse(&q.equivalent)
        .map_err(|e| HubError::new(ErrorCode::Validation, format!("equivalent: {e}")))?;
    let not_registered = || {
        HubError::new(
            ErrorCode::HubNotLinked,
            format!("the linked hub {} has not registered here", link.pid),
        )
    };
    if s.key_of(&link.pid).is_none() {
        return Err(not_registered());
    }
    let here = s
        .query(|e| {
            e.capacity(
                payer,
                &link.pid,
                &code,
                q.amount.as_deref(),
                q.max_hops,
                q.max_paths,
            )
        })
        .await?;
    let mut max = here.max_amount;
    if max > 0 {
        let there = peer_capacity(s, &link, &payee, &code).await?;
        let there = there
            .max_amount
            .parse::<geo_protocol::DecimalAmount>()
            .ok()
            .and_then(|a| a.to_amount(here.precision).ok())
            .ok_or_else(|| {
                HubError::new(
                    ErrorCode::PeerHubUnavailable,
                    format!(
                        "the payee's hub answered an amount that is not one: {}",
                        there.max_amount
                    ),
                )
            })?;
        max = max.min(there.minor());
    }
    let amount = q
        .amount
        .as_deref()
        .map(|a| geo_protocol::Amount::parse(a, here.precision))
        .transpose()
        .map_err(|e| HubError::new(ErrorCode::InvalidAmount, e.to_string()))?;
    Ok(geo_api::Capacity {
        payee,
        equivalent: code,
        max_amount: geo_protocol::Amount::from_minor(max, here.precision).to_string(),
        can_pay: amount.map(|a| a.minor() <= max),
    })
}

/// Access tokens this hub holds at its linked hubs (as its account there), by peer PID, with
/// when to log in again.
type PeerTokens = std::sync::Mutex<std::collections::HashMap<Pid, (String, std::time::Instant)>>;

fn peer_tokens() -> &'static PeerTokens {
    static TOKENS: std::sync::OnceLock<PeerTokens> = std::sync::OnceLock::new();
    TOKENS.get_or_init(Default::default)
}

/// The peer's refusal of a hub-to-hub read: silence (down, overloaded, an answer that is no
/// problem document) is `E_PEER_HUB_UNAVAILABLE`, a refusal keeps the peer's code.
async fn peer_refusal(what: &str, sent: Result<reqwest::Response, reqwest::Error>) -> HubError {
    match sent {
        Err(e) => HubError::new(
            ErrorCode::PeerHubUnavailable,
            format!("the payee's hub did not answer ({what}): {e}"),
        ),
        Ok(r) if transient(r.status()) => HubError::new(
            ErrorCode::PeerHubUnavailable,
            format!("the payee's hub answered {} ({what})", r.status()),
        ),
        Ok(r) => {
            let (code, why) = problem_code(r).await;
            let code = match code {
                ErrorCode::Internal => ErrorCode::PeerHubUnavailable,
                other => other,
            };
            HubError::new(code, why)
        }
    }
}

/// Logs in at the linked hub as this hub's account there (a `login` signed with the hub's key).
async fn peer_login(
    s: &AppState,
    link: &geo_protocol::geo_uri::ParticipantAddress,
) -> Result<String, HubError> {
    let challenge = http()
        .post(peer_url(link, geo_api::auth::CHALLENGE.path))
        .json(&geo_api::ChallengeRequest {
            pid: s.hub.pid().to_string(),
        })
        .send()
        .await;
    let challenge: geo_api::Challenge = match challenge {
        Ok(r) if r.status().is_success() => r.json().await.map_err(|e| {
            HubError::new(
                ErrorCode::PeerHubUnavailable,
                format!("login challenge: {e}"),
            )
        })?,
        other => {
            let e = peer_refusal("login challenge", other).await;
            // The peer does not know this hub: it has not registered this hub's account there.
            return Err(match e.code {
                ErrorCode::UnknownParticipant => HubError::new(
                    ErrorCode::HubNotLinked,
                    format!("this hub is not registered at the linked hub {}", link.pid),
                ),
                _ => e,
            });
        }
    };
    let login = Envelope::new(
        s.hub.pid(),
        Some(link.pid.clone()),
        Nonce::random(),
        now(),
        60,
        geo_protocol::Login {
            challenge: challenge.challenge,
        },
    )
    .sign(&s.hub)
    .map_err(HubError::internal)?;
    let sent = http()
        .post(peer_url(link, geo_api::auth::LOGIN.path))
        .header("content-type", "application/json")
        .body(login.to_json())
        .send()
        .await;
    let tokens: geo_api::Tokens = match sent {
        Ok(r) if r.status().is_success() => r
            .json()
            .await
            .map_err(|e| HubError::new(ErrorCode::PeerHubUnavailable, format!("login: {e}")))?,
        other => return Err(peer_refusal("login", other).await),
    };
    // Logged in again a little before the token lapses.
    let ttl = std::time::Duration::from_secs((tokens.expires_in.max(0) as u64).saturating_sub(30));
    peer_tokens().lock().expect("peer tokens").insert(
        link.pid.clone(),
        (tokens.access_token.clone(), std::time::Instant::now() + ttl),
    );
    Ok(tokens.access_token)
}

/// §12: the peer hub's `GET /federation/capacity` for `payee`, asked as this hub's account there
/// (a cached access token, logging in again once when the peer no longer takes it).
async fn peer_capacity(
    s: &AppState,
    link: &geo_protocol::geo_uri::ParticipantAddress,
    payee: &Pid,
    code: &EquivalentCode,
) -> Result<geo_api::Capacity, HubError> {
    let q = geo_api::federation::PeerCapacityQuery {
        payee: payee.to_string(),
        equivalent: code.to_string(),
    };
    let url = peer_url(
        link,
        &geo_api::federation::CAPACITY.path_with_query(&[], &q),
    );
    let cached = peer_tokens()
        .lock()
        .expect("peer tokens")
        .get(&link.pid)
        .filter(|(_, until)| std::time::Instant::now() < *until)
        .map(|(token, _)| token.clone());
    let mut token = match cached {
        Some(t) => t,
        None => peer_login(s, link).await?,
    };
    for attempt in 0..2 {
        let sent = http().get(&url).bearer_auth(&token).send().await;
        match sent {
            Ok(r) if r.status().is_success() => {
                return r.json().await.map_err(|e| {
                    HubError::new(ErrorCode::PeerHubUnavailable, format!("capacity: {e}"))
                })
            }
            // The peer restarted (tokens do not outlive its process) or the token lapsed.
            Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED && attempt == 0 => {
                token = peer_login(s, link).await?;
            }
            other => return Err(peer_refusal("capacity", other).await),
        }
    }
    Err(HubError::new(
        ErrorCode::PeerHubUnavailable,
        "the payee's hub does not take this hub's login",
    ))
}

/// Signs an answer to the hub that sent a prepare.
fn answer<P: Message>(s: &AppState, to: &Pid, payload: P) -> Result<Value, HubError> {
    Envelope::new(
        s.hub.pid(),
        Some(to.clone()),
        Nonce::random(),
        now(),
        ANSWER_TTL_SECONDS,
        payload,
    )
    .sign(&s.hub)
    .map(|m| m.to_value())
    .map_err(HubError::internal)
}

fn reject(
    s: &AppState,
    to: &Pid,
    tx_id: TxId,
    code: ErrorCode,
    reason: String,
) -> Result<Value, HubError> {
    let reason: String = reason
        .chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect();
    answer(
        s,
        to,
        HubReject {
            tx_id,
            stage: HubRejectStage::Prepare,
            code,
            reason: (!reason.is_empty()).then_some(reason),
        },
    )
}

/// The answer a decided payment gives its prepare: the fulfil of a commit, the reject of an abort.
fn outcome(s: &AppState, to: &Pid, record: &PaymentRecord) -> Result<Value, HubError> {
    match (
        record.status,
        crate::engine::receipt::kept_payment_receipt(&s.hub, record),
    ) {
        (PaymentState::Committed, Some(receipt)) => answer(
            s,
            to,
            HubFulfil {
                tx_id: record.tx_id,
                preimage: preimage_for(&s.hub, to, &record.tx_id),
                receipt,
            },
        ),
        (PaymentState::Aborted, _) => {
            let code = record.error_code.unwrap_or(ErrorCode::Internal);
            reject(
                s,
                to,
                record.tx_id,
                code,
                format!("the payment ended with {code}"),
            )
        }
        _ => Err(HubError::internal("a prepared payment has no answer yet")),
    }
}

/// `POST /federation/prepare` (§6, downstream): a verified `hub_prepare` is answered with a signed
/// `hub_fulfil` once this hub has committed its part, or a signed `hub_reject`.
pub async fn prepare(s: &AppState, msg: SignedMessage<HubPrepare>) -> Result<Value, HubError> {
    let signer = msg.signer().clone();
    let p = msg.payload().clone();
    if !is_linked(&s.settings, &signer) {
        return reject(
            s,
            &signer,
            p.tx_id,
            ErrorCode::HubNotLinked,
            format!("{signer} is not a hub linked to this one"),
        );
    }
    // Step 1 before any rule that depends on the time: a prepare already decided gets its answer.
    if let Some(record) = s
        .store
        .payment(&p.tx_id)
        .await
        .map_err(HubError::internal)?
    {
        if record.payer == signer && record.payload_digest == msg.payload_digest() {
            return outcome(s, &signer, &record);
        }
        return reject(
            s,
            &signer,
            p.tx_id,
            ErrorCode::TxIdConflict,
            format!("tx_id {} was already used for another request", p.tx_id),
        );
    }
    let deadline = match commit_deadline(p.hold_until, now(), s.settings.federation_margin_seconds)
    {
        Ok(d) => d,
        Err(e) => return reject(s, &signer, p.tx_id, e.code(), e.to_string()),
    };
    if let Err(e) = preimage_for(&s.hub, &signer, &p.tx_id).fulfils(&p.condition) {
        return reject(
            s,
            &signer,
            p.tx_id,
            e.code(),
            "the condition is not the one this hub gives for this payment".into(),
        );
    }
    let record = match s
        .writer
        .submit(Command::PayFromHub {
            prepare: msg,
            deadline,
        })
        .await
    {
        Ok(Reply::Payment(record, _)) => *record,
        Ok(Reply::PaymentExisting(tx_id)) => s
            .store
            .known_payment(&tx_id)
            .await
            .map_err(HubError::internal)?
            .ok_or_else(|| HubError::internal("a decided payment is not stored"))?,
        Ok(_) => return Err(HubError::internal("unexpected reply to a prepare")),
        Err(EngineError::Unavailable(why)) => return Err(EngineError::Unavailable(why).into()),
        Err(EngineError::Internal(why)) => return Err(HubError::internal(why)),
        Err(e) => return reject(s, &signer, p.tx_id, e.code(), e.to_string()),
    };
    outcome(s, &signer, &record)
}

/// The hold of a cross-hub payment whose request names no `hold_seconds` (§6 upstream step 2).
pub const DEFAULT_CROSS_HUB_HOLD_SECONDS: u32 = 30;

/// How long to wait before sending a prepare again when the peer hub did not answer.
const RESEND_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

/// A member's payment to another hub's member, as the payer's hub ends it: its own record, and
/// when it committed, the peer hub's signed receipt and the preimage that released it.
pub struct CrossHubPayment {
    /// This hub's part (payer → … → the peer account).
    pub record: PaymentRecord,
    /// The peer hub's `payment_receipt` of its part (its account of this hub → … → payee).
    pub peer_receipt: Option<String>,
    /// The preimage of the payment's condition, which with this hub's prepare proves the release.
    pub preimage: Option<Preimage>,
}

/// How one exchange with the peer hub ended.
enum PeerAnswer {
    /// A verified fulfil that matches the condition, as its JSON text.
    Fulfilled(Box<SignedMessage<HubFulfil>>, String),
    /// A verified fulfil that does not (a lying hub, §6 upstream step 6), as its JSON text.
    Lied(String),
    /// A refusal (a verified `hub_reject`, or a problem document at verification).
    Refused(ErrorCode, String),
    /// No usable answer (down, slow, overloaded, or an answer that does not verify): try again.
    Silent(String),
}

fn http() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(2))
            .timeout(std::time::Duration::from_secs(5))
            .build()
            .expect("an HTTP client")
    })
}

fn peer_url(link: &geo_protocol::geo_uri::ParticipantAddress, path: &str) -> String {
    format!("{}{}{path}", link.hub, geo_api::BASE)
}

/// A problem document's code (`E_INTERNAL` when the body is no problem document).
async fn problem_code(resp: reqwest::Response) -> (ErrorCode, String) {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    let code = body["code"]
        .as_str()
        .and_then(ErrorCode::parse)
        .unwrap_or(ErrorCode::Internal);
    let detail = body["detail"].as_str().unwrap_or_default().to_owned();
    (code, format!("the payee's hub answered {status}: {detail}"))
}

/// Whether an HTTP status from the peer means "try again" (overloaded, down, timed out).
fn transient(status: reqwest::StatusCode) -> bool {
    status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS
}

/// §3: the condition of the payment, asked of the payee's hub.
async fn fetch_condition(
    s: &AppState,
    link: &geo_protocol::geo_uri::ParticipantAddress,
    p: &geo_protocol::PaymentRequest,
) -> PeerAnswerOr<Digest> {
    let q = geo_api::federation::ConditionQuery {
        payer_hub: s.hub.pid().to_string(),
        tx_id: p.tx_id.to_string(),
        payee: p.payee.to_string(),
        equivalent: p.equivalent.to_string(),
    };
    let url = peer_url(
        link,
        &geo_api::federation::CONDITION.path_with_query(&[], &q),
    );
    match http().get(url).send().await {
        Err(e) => Err(PeerAnswer::Silent(format!("condition: {e}"))),
        Ok(r) if transient(r.status()) => {
            Err(PeerAnswer::Silent(format!("condition: {}", r.status())))
        }
        Ok(r) if !r.status().is_success() => {
            let (code, why) = problem_code(r).await;
            Err(PeerAnswer::Refused(code, why))
        }
        Ok(r) => match r.json::<geo_api::federation::Condition>().await {
            Ok(c) => Ok(c.condition),
            Err(e) => Err(PeerAnswer::Silent(format!("condition: {e}"))),
        },
    }
}

type PeerAnswerOr<T> = Result<T, PeerAnswer>;

/// §6 upstream step 3: sends the signed prepare once and judges the answer: a fulfil is verified
/// with the peer's key (envelope, embedded receipt) and checked against the condition and the
/// payment; a reject is verified likewise.
async fn send_prepare(
    s: &AppState,
    link: &geo_protocol::geo_uri::ParticipantAddress,
    prepare: &SignedMessage<HubPrepare>,
) -> PeerAnswer {
    let Some(key) = s.key_of(&link.pid) else {
        return PeerAnswer::Refused(
            ErrorCode::HubNotLinked,
            format!("the linked hub {} has not registered here", link.pid),
        );
    };
    let url = peer_url(link, geo_api::federation::PREPARE.path);
    let sent = http()
        .post(url)
        .header("content-type", "application/json")
        .body(prepare.to_json())
        .send()
        .await;
    let resp = match sent {
        Err(e) => return PeerAnswer::Silent(format!("prepare: {e}")),
        Ok(r) if transient(r.status()) => {
            return PeerAnswer::Silent(format!("prepare: {}", r.status()))
        }
        Ok(r) if !r.status().is_success() => {
            let (code, why) = problem_code(r).await;
            return PeerAnswer::Refused(code, why);
        }
        Ok(r) => r,
    };
    let text = match resp.text().await {
        Ok(t) => t,
        Err(e) => return PeerAnswer::Silent(format!("prepare answer: {e}")),
    };
    let mut policy = geo_protocol::VerifyPolicy::new(now(), Some(s.hub.pid()));
    policy.max_validity_seconds = 600;
    policy.max_clock_skew_seconds = 60;
    let p = prepare.payload();
    if let Ok(fulfil) = SignedMessage::<HubFulfil>::from_json(&text) {
        let receipt = fulfil.payload().decode_receipt();
        let verified = fulfil.verify(&key, &policy).is_ok()
            && receipt
                .as_ref()
                .is_ok_and(|r| r.verify_signature(&key).is_ok());
        if !verified || fulfil.payload().tx_id != p.tx_id {
            return PeerAnswer::Silent(format!("a fulfil that does not verify: {text}"));
        }
        let receipt = receipt.expect("checked above");
        let r = receipt.payload();
        // B's part runs from this hub's account to the payee, for the prepared amount.
        let matches = r.payer == s.hub.pid()
            && r.payee == p.payee
            && same_value(&r.amount, &p.amount)
            && r.equivalent == p.equivalent;
        if fulfil.payload().preimage.fulfils(&p.condition).is_err() || !matches {
            return PeerAnswer::Lied(text);
        }
        return PeerAnswer::Fulfilled(Box::new(fulfil), text);
    }
    match SignedMessage::<HubReject>::from_json(&text) {
        Ok(reject)
            if reject.verify(&key, &policy).is_ok()
                && reject.payload().tx_id == p.tx_id
                && reject.payload().stage == HubRejectStage::Prepare =>
        {
            let r = reject.payload();
            PeerAnswer::Refused(r.code, r.reason.clone().unwrap_or_default())
        }
        _ => PeerAnswer::Silent(format!(
            "an answer that is neither fulfil nor reject: {text}"
        )),
    }
}

/// Whether two wire amounts are the same value however written (`10` and `10.00`: the peer's
/// receipt writes the amount at its equivalent's precision, the member's request need not).
fn same_value(a: &geo_protocol::DecimalAmount, b: &geo_protocol::DecimalAmount) -> bool {
    let finest = geo_protocol::Precision::new(geo_protocol::MAX_PRECISION).expect("the finest");
    matches!((a.to_amount(finest), b.to_amount(finest)), (Ok(x), Ok(y)) if x == y)
}

async fn record_of(s: &AppState, reply: Reply) -> Result<PaymentRecord, HubError> {
    match reply {
        Reply::Payment(record, _) => Ok(*record),
        Reply::PaymentExisting(tx_id) => s
            .store
            .known_payment(&tx_id)
            .await
            .map_err(HubError::storage)?
            .ok_or_else(|| HubError::internal("a decided payment is not stored")),
        _ => Err(HubError::internal("unexpected reply to a payment")),
    }
}

/// §6 upstream: a member's `payment_request` whose `payee_hub` is a linked hub. The route to the
/// peer account is held, the payee's hub prepared (the same signed bytes again while it does not
/// answer, until the hold's deadline), and the hold committed on its verified fulfil or aborted on
/// its refusal, a lie, or silence. A request already decided answers its outcome again (asking the
/// peer again for its fulfil, which it answers from its journal); one aborted for the peer's
/// silence asks it once, and refuses a fulfil as late (§7) so the peer records it.
pub async fn pay(
    s: &AppState,
    msg: SignedMessage<geo_protocol::PaymentRequest>,
) -> Result<CrossHubPayment, HubError> {
    let p = msg.payload().clone();
    let hub_url = p
        .payee_hub
        .clone()
        .expect("the caller routes only these here");
    let link = link_to(&s.settings, &hub_url)?;
    let hold_seconds = p.hold_seconds.unwrap_or(DEFAULT_CROSS_HUB_HOLD_SECONDS);
    let reply = s
        .writer
        .submit(Command::PayToHub {
            request: msg.clone(),
            peer: link.pid.clone(),
            hold_seconds,
        })
        .await?;
    let record = record_of(s, reply).await?;
    let hold_until = record.hold_expires_at;
    let done = |record| CrossHubPayment {
        record,
        peer_receipt: None,
        preimage: None,
    };
    // Aborted for the peer's silence: it may have committed meanwhile (a late fulfilment, §7).
    let gave_up = record.status == PaymentState::Aborted
        && record.error_code == Some(ErrorCode::PeerHubUnavailable);
    let (
        PaymentState::Prepared | PaymentState::Committed | PaymentState::Aborted,
        Some(hold_until),
    ) = (record.status, hold_until)
    else {
        return Ok(done(record));
    };
    if record.status == PaymentState::Aborted && !gave_up {
        return Ok(done(record));
    }
    let committed = record.status == PaymentState::Committed;
    let prepare_of = |condition: Digest| {
        Envelope::new(
            s.hub.pid(),
            Some(link.pid.clone()),
            Nonce::random(),
            now(),
            ANSWER_TTL_SECONDS,
            HubPrepare {
                tx_id: p.tx_id,
                payer: msg.signer().clone(),
                payee: p.payee.clone(),
                equivalent: p.equivalent.clone(),
                amount: p.amount.clone(),
                condition,
                hold_until,
                // The request that made the payment, also when a re-signed copy of it asks again
                // (§6 step 4: the same prepare payload), so the peer answers it as the same prepare.
                request_digest: record.request_digest,
                description: p.description.clone(),
            },
        )
        .sign(&s.hub)
    };
    let mut prepare = None;
    let answer = loop {
        let answer = match &prepare {
            None => match fetch_condition(s, &link, &p).await {
                Ok(condition) => {
                    let signed = prepare_of(condition).map_err(HubError::internal)?;
                    let answer = send_prepare(s, &link, &signed).await;
                    prepare = Some(signed);
                    answer
                }
                Err(answer) => answer,
            },
            Some(signed) => send_prepare(s, &link, signed).await,
        };
        match answer {
            PeerAnswer::Silent(why) if !committed && !gave_up && now() < hold_until => {
                tracing::info!(tx_id = %p.tx_id, %why, "the payee's hub did not answer; sending again");
                tokio::time::sleep(RESEND_AFTER).await;
            }
            other => break other,
        }
    };
    if committed {
        // A retry of a committed payment: the peer's receipt if it answers, else this hub's alone.
        return Ok(match answer {
            PeerAnswer::Fulfilled(fulfil, _) => CrossHubPayment {
                record,
                peer_receipt: Some(fulfil.payload().receipt.clone()),
                preimage: Some(fulfil.payload().preimage.clone()),
            },
            _ => done(record),
        });
    }
    if gave_up {
        // Asked once: a fulfil now is late, and refused so the peer records it against the link.
        if let PeerAnswer::Fulfilled(..) = answer {
            tracing::warn!(tx_id = %p.tx_id, "a fulfilment after the hold's deadline (federation.md §7)");
            refuse_fulfilment(s, &link, p.tx_id, ErrorCode::FulfilmentLate).await;
        }
        return Ok(done(record));
    }
    let end = |outcome: Result<String, ErrorCode>| match outcome {
        Ok(fulfil) => Command::CommitForHub {
            tx_id: p.tx_id,
            peer: link.pid.clone(),
            fulfil,
        },
        Err(code) => Command::AbortForHub {
            tx_id: p.tx_id,
            peer: link.pid.clone(),
            code,
        },
    };
    let (command, fulfil) = match answer {
        PeerAnswer::Fulfilled(fulfil, text) => (end(Ok(text)), Some(fulfil)),
        PeerAnswer::Lied(text) => {
            tracing::warn!(tx_id = %p.tx_id, peer = %link.pid, fulfil = %text,
                "the payee's hub sent a fulfil that does not match the condition (federation.md §6 step 6)");
            refuse_fulfilment(s, &link, p.tx_id, ErrorCode::ConditionMismatch).await;
            (end(Err(ErrorCode::ConditionMismatch)), None)
        }
        PeerAnswer::Refused(code, why) => {
            tracing::info!(tx_id = %p.tx_id, %code, %why, "the payee's hub refused the payment");
            (end(Err(code)), None)
        }
        PeerAnswer::Silent(why) => {
            tracing::warn!(tx_id = %p.tx_id, %why, "the payee's hub did not answer before the hold's deadline");
            (end(Err(ErrorCode::PeerHubUnavailable)), None)
        }
    };
    let record = match s.writer.submit(command).await {
        Ok(reply) => record_of(s, reply).await?,
        // The hold ended otherwise meanwhile (expired): its stored outcome.
        Err(EngineError::AlreadyAborted(tx_id)) | Err(EngineError::AlreadyCommitted(tx_id)) => {
            record_of(s, Reply::PaymentExisting(tx_id)).await?
        }
        Err(e) => return Err(e.into()),
    };
    if record.status != PaymentState::Committed {
        if fulfil.is_some() {
            tracing::warn!(tx_id = %p.tx_id, "a fulfilment after the hold's deadline (federation.md §7)");
            refuse_fulfilment(s, &link, p.tx_id, ErrorCode::FulfilmentLate).await;
        }
        return Ok(done(record));
    }
    let fulfil = fulfil.expect("only a fulfil commits");
    Ok(CrossHubPayment {
        record,
        peer_receipt: Some(fulfil.payload().receipt.clone()),
        preimage: Some(fulfil.payload().preimage.clone()),
    })
}

/// §7: the payments this hub committed whose fulfilment a linked hub refused (downstream), or with
/// `by_this_hub` those whose fulfilment this hub refused (upstream), oldest first, each once.
pub async fn refused_fulfilments(
    s: &AppState,
    by_this_hub: bool,
) -> Result<Vec<geo_api::federation::RefusedFulfilment>, HubError> {
    let mut out = Vec::new();
    for (tx_id, refused) in s.query(|e| e.refused_fulfilments(by_this_hub)).await {
        out.push(listed(s, tx_id, refused).await?);
    }
    Ok(out)
}

/// A refused fulfilment as listed, with its payment's amount (what the operators settle).
async fn listed(
    s: &AppState,
    tx_id: TxId,
    refused: crate::engine::ledger::RefusedFulfilment,
) -> Result<geo_api::federation::RefusedFulfilment, HubError> {
    let payment = s
        .store
        .payment(&tx_id)
        .await
        .map_err(HubError::storage)?
        .ok_or_else(|| HubError::internal("a refused fulfilment's payment is not stored"))?;
    Ok(geo_api::federation::RefusedFulfilment {
        tx_id: tx_id.to_string(),
        peer: refused.peer,
        code: refused.code,
        amount: payment.text(payment.amount),
        equivalent: payment.equivalent.to_string(),
        journal_seq: refused.seq,
        recorded_at: refused.at.to_string(),
    })
}

/// `POST /federation/reject` (§7, downstream): a linked hub refuses this hub's fulfilment of a
/// payment it committed here. This hub keeps the payment (its payee is paid) and records the
/// refusal against the link; the engine records it once per `tx_id` and answers a refusal sent
/// again as first recorded.
pub async fn refused_fulfilment(
    s: &AppState,
    msg: SignedMessage<HubReject>,
) -> Result<geo_api::federation::RefusedFulfilment, HubError> {
    let signer = msg.signer().clone();
    let r = msg.payload().clone();
    if !is_linked(&s.settings, &signer) {
        return Err(HubError::new(
            ErrorCode::HubNotLinked,
            format!("{signer} is not a hub linked to this one"),
        ));
    }
    if r.stage != HubRejectStage::Fulfil
        || !matches!(
            r.code,
            ErrorCode::FulfilmentLate | ErrorCode::ConditionMismatch
        )
    {
        return Err(HubError::new(
            ErrorCode::Validation,
            "only a refused fulfilment (stage fulfil, E_FULFILMENT_LATE or E_CONDITION_MISMATCH) is sent here",
        ));
    }
    match s
        .writer
        .submit(Command::RecordRefusedFulfilment(msg))
        .await?
    {
        Reply::FulfilmentRefused(tx_id, refused) => listed(s, tx_id, refused).await,
        _ => Err(HubError::internal(
            "unexpected reply to a refused fulfilment",
        )),
    }
}

/// §7 upstream: records that this hub refuses the payee's hub's fulfilment (late, or not
/// matching) and tells that hub, once; the outcome here does not depend on either.
async fn refuse_fulfilment(
    s: &AppState,
    link: &geo_protocol::geo_uri::ParticipantAddress,
    tx_id: TxId,
    code: ErrorCode,
) {
    let reject = Envelope::new(
        s.hub.pid(),
        Some(link.pid.clone()),
        Nonce::random(),
        now(),
        ANSWER_TTL_SECONDS,
        HubReject {
            tx_id,
            stage: HubRejectStage::Fulfil,
            code,
            reason: Some(code.title().to_owned()),
        },
    )
    .sign(&s.hub);
    let Ok(reject) = reject else { return };
    if let Err(e) = s
        .writer
        .submit(Command::RefuseFulfilment(reject.clone()))
        .await
    {
        tracing::error!(%tx_id, %code, error = %e, "this hub's refusal of a fulfilment was not recorded");
    }
    let sent = http()
        .post(peer_url(link, geo_api::federation::REJECT.path))
        .header("content-type", "application/json")
        .body(reject.to_json())
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => {}
        other => tracing::warn!(%tx_id, %code, answer = ?other.map(|r| r.status()),
            "the payee's hub did not take this hub's refusal of its fulfilment"),
    }
}

/// §6 crash recovery: the member's requests of the cross-hub holds `held` an earlier run left
/// open, read from the journal before this run's writer can expire any of them.
pub async fn held_requests(
    store: &crate::storage::Store,
    held: &[TxId],
) -> Vec<SignedMessage<geo_protocol::PaymentRequest>> {
    let mut requests = Vec::with_capacity(held.len());
    for tx_id in held {
        match journaled_request(store, tx_id).await {
            Ok(msg) => requests.push(msg),
            Err(why) => {
                tracing::error!(%tx_id, %why, "a held cross-hub payment cannot be resumed")
            }
        }
    }
    requests
}

/// §6 crash recovery: drives each of `held` again in the background, as its member's retry would:
/// a hold still open is prepared at the peer again until it ends; one that expired while this hub
/// was down asks the peer once, and refuses its fulfilment as late if it had committed (§7).
pub fn resume_held(state: &AppState, held: Vec<SignedMessage<geo_protocol::PaymentRequest>>) {
    for msg in held {
        let s = state.clone();
        let tx_id = msg.payload().tx_id;
        tracing::info!(%tx_id, "resuming a cross-hub payment held before the restart");
        tokio::spawn(async move {
            if let Err(e) = pay(&s, msg).await {
                tracing::warn!(%tx_id, code = %e.code, "a resumed cross-hub payment failed");
            }
        });
    }
}

/// The peer hub's signed fulfil that committed `record`, a payment this hub held to a linked hub's
/// account, read from the journal entry of its commit (`None` for any other payment).
pub async fn journaled_fulfil(
    s: &AppState,
    record: &PaymentRecord,
) -> Result<Option<HubFulfil>, HubError> {
    if record.status != PaymentState::Committed || !is_linked(&s.settings, &record.payee) {
        return Ok(None);
    }
    let entries = s
        .store
        .journal_of_kind("payment_committed", Some(record.journal_seq + 1), 1)
        .await
        .map_err(HubError::storage)?;
    match entries.into_iter().next() {
        Some((
            seq,
            _,
            crate::engine::journal::JournalEvent::PaymentCommitted {
                tx_id,
                fulfil: Some(fulfil),
                ..
            },
        )) if seq == record.journal_seq && tx_id == record.tx_id => {
            SignedMessage::<HubFulfil>::from_json(&fulfil)
                .map(|m| Some(m.payload().clone()))
                .map_err(HubError::internal)
        }
        _ => Ok(None),
    }
}

/// The member's signed request of a held payment, from the journal entry that prepared it.
async fn journaled_request(
    store: &crate::storage::Store,
    tx_id: &TxId,
) -> Result<SignedMessage<geo_protocol::PaymentRequest>, String> {
    let record = store
        .payment(tx_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("its payment row is missing")?;
    let entries = store
        .journal_of_kind("payment_prepared", Some(record.journal_seq + 1), 1)
        .await
        .map_err(|e| e.to_string())?;
    match entries.into_iter().next() {
        Some((
            seq,
            _,
            crate::engine::journal::JournalEvent::PaymentPrepared {
                tx_id: t, request, ..
            },
        )) if seq == record.journal_seq && t == *tx_id => {
            SignedMessage::from_json(&request).map_err(|e| e.to_string())
        }
        _ => Err(format!(
            "no payment_prepared entry at {}",
            record.journal_seq
        )),
    }
}
