//! Renders engine state as the wire types of `geo-api`. Amounts are canonical decimal strings at the
//! equivalent's precision.

use geo_api as api;
use geo_protocol::{Amount, Identity, Precision};

use crate::engine::queries::{
    BalanceTotals, ClearingPreview, CounterpartyDebt, EquivalentInfo, LineInfo, OpenProposal,
};
use crate::engine::receipt::{self, total_text};
use crate::engine::records::PaymentRecord;
use crate::engine::stats::LedgerStats;
use crate::engine::Participant;

impl From<&Participant> for api::Participant {
    fn from(p: &Participant) -> Self {
        api::Participant {
            pid: p.pid.clone(),
            public_key: p.public_key.to_base64(),
            display_name: p.display_name.clone(),
            kind: p.kind,
            profile: p.profile.clone(),
            status: p.status,
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

impl From<&EquivalentInfo> for api::Equivalent {
    fn from(b: &EquivalentInfo) -> Self {
        api::Equivalent {
            code: b.code.clone(),
            precision: b.precision.places(),
            description: b.description.clone(),
            active: b.active,
        }
    }
}

/// Renders a live line.
pub fn trust_line_view(line: &LineInfo) -> api::TrustLine {
    let text = |m: u64| Amount::from_minor(m, line.precision).to_string();
    api::TrustLine {
        id: line.id.to_string(),
        creditor: line.creditor.clone(),
        debtor: line.debtor.clone(),
        equivalent: line.equivalent.clone(),
        limit: text(line.limit),
        used: text(line.used),
        reserved: text(line.reserved),
        available: text(line.available),
        policy: line.policy.clone(),
        status: "active".into(),
        created_at: line.created_at.to_string(),
        updated_at: line.updated_at.to_string(),
    }
}

/// Renders a payment record with the receipt kept with it.
pub fn payment_view(hub: &Identity, r: &PaymentRecord) -> api::Payment {
    payment_view_with(hub, r, None)
}

/// Renders a payment record with its receipt's text if already made (signed for this answer),
/// else the receipt made from the kept signature.
pub fn payment_view_with(
    hub: &Identity,
    r: &PaymentRecord,
    receipt: Option<String>,
) -> api::Payment {
    api::Payment {
        tx_id: r.tx_id.to_string(),
        payer: r.payer.clone(),
        payee: r.payee.clone(),
        equivalent: r.equivalent.clone(),
        amount: r.text(r.amount),
        status: r.status,
        error_code: r.error_code,
        routes: r
            .routes
            .iter()
            .map(|p| api::Route {
                path: p.path.clone(),
                amount: r.text(p.amount),
            })
            .collect(),
        description: r.description.clone(),
        invoice_id: r.invoice_id.clone(),
        created_at: r.created_at.to_string(),
        decided_at: r.decided_at.map(|t| t.to_string()),
        hold_expires_at: r.hold_expires_at.map(|t| t.to_string()),
        journal_seq: r.journal_seq,
        receipt: receipt.or_else(|| receipt::kept_payment_receipt(hub, r)),
        peer_receipt: None,
        peer_hub_key: None,
        preimage: None,
    }
}

/// Signed decimal text of a minor-unit difference of totals.
pub fn signed_text(minor: i128, precision: Precision) -> String {
    let abs = total_text(minor.unsigned_abs(), precision);
    if minor < 0 {
        format!("-{abs}")
    } else {
        abs
    }
}

/// Renders a participant's totals in one equivalent.
pub fn balance_view(b: &BalanceTotals) -> api::Balance {
    let t = |v: u128| total_text(v, b.precision);
    api::Balance {
        equivalent: b.equivalent.clone(),
        trust_given: t(b.trust_given),
        trust_received: t(b.trust_received),
        debt: t(b.debt),
        credit: t(b.credit),
        net: signed_text(b.credit as i128 - b.debt as i128, b.precision),
        available_to_spend: t(b.available_to_spend),
        available_to_receive: t(b.available_to_receive),
    }
}

/// Renders one neighbour's debts and limits.
pub fn counterparty_view(c: &CounterpartyDebt, precision: Precision) -> api::Counterparty {
    let text = |m: u64| Amount::from_minor(m, precision).to_string();
    api::Counterparty {
        pid: c.pid.clone(),
        display_name: c.display_name.clone(),
        i_owe: text(c.i_owe),
        owes_me: text(c.owes_me),
        limit_given: text(c.limit_given),
        limit_received: text(c.limit_received),
    }
}

/// Renders a clearing preview.
pub fn clearing_preview_view(p: &ClearingPreview) -> api::ClearingPreview {
    api::ClearingPreview {
        equivalent: p.equivalent.clone(),
        clearable: total_text(p.clearable, p.precision),
        debts_reduced: p.debts_reduced,
        clearable_debts: p.clearable_debts,
        total_debt: total_text(p.total_debt, p.precision),
    }
}

/// Renders an open proposal with the signed message the engine made when it opened.
pub fn proposal_view(p: &OpenProposal) -> api::ClearingProposal {
    api::ClearingProposal {
        clearing_id: p.clearing_id.to_string(),
        equivalent: p.equivalent.clone(),
        consent_required_from: p.consent_required_from.clone(),
        accepted_by: p.accepted_by.clone(),
        expires_at: p.expires_at.to_string(),
        proposal_digest: p.signed.digest.to_string(),
        proposal: p.signed.json.clone(),
    }
}

impl From<&LedgerStats> for api::HubStats {
    fn from(s: &LedgerStats) -> Self {
        api::HubStats {
            participants: api::ParticipantCounts {
                active: s.active,
                suspended: s.suspended,
                retired: s.left,
            },
            journal_length: s.journal_length,
            open_holds: s.open_holds,
            payments_committed: s.payments_committed,
            payments_aborted: s.payments_aborted,
            equivalents: s
                .equivalents
                .iter()
                .map(|e| api::EquivalentStats {
                    equivalent: e.code.clone(),
                    precision: e.precision.places(),
                    active: e.active,
                    debt_outstanding: total_text(e.debt_outstanding, e.precision),
                    cleared_to_date: total_text(e.cleared_to_date, e.precision),
                    payments_committed: e.payments_committed,
                })
                .collect(),
        }
    }
}
