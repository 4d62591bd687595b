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
    let (member, equivalent) = s
        .query(|e| (e.participant(&payee), e.equivalent(&code)))
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
    Ok(preimage_for(&s.hub, &payer_hub, &tx_id).condition())
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
        Ok(Reply::Payment(record)) => *record,
        Ok(Reply::PaymentExisting(tx_id)) => s
            .store
            .payment(&tx_id)
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
