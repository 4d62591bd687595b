//! Renders engine state as the wire types of `geo-api`. Amounts are canonical decimal strings at the
//! equivalent's precision.

use geo_api as api;
use geo_protocol::{Amount, Identity, Nonce, PaymentReceipt, Precision, SignedMessage};

use crate::engine::ledger::{Book, Participant, TrustLine};
use crate::engine::records::PaymentRecord;
use crate::engine::stats::LedgerStats;
use crate::engine::Engine;

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

impl From<&Book> for api::Equivalent {
    fn from(b: &Book) -> Self {
        api::Equivalent {
            code: b.code.clone(),
            precision: b.precision.places(),
            description: b.description.clone(),
            active: b.active,
        }
    }
}

/// Renders a live line.
pub fn trust_line_view(engine: &Engine, book: &Book, line: &TrustLine) -> api::TrustLine {
    let l = &engine.ledger;
    let text = |m: u64| Amount::from_minor(m, book.precision).to_string();
    api::TrustLine {
        id: line.id.to_string(),
        creditor: l.pid(line.creditor).clone(),
        debtor: l.pid(line.debtor).clone(),
        equivalent: book.code.clone(),
        limit: text(line.limit),
        used: text(book.debt(line.debtor, line.creditor)),
        reserved: text(book.reserved(line.debtor, line.creditor)),
        available: text(book.capacity(line.debtor, line.creditor).max(0) as u64),
        policy: line.policy.clone(),
        status: "active".into(),
        created_at: line.created_at.to_string(),
        updated_at: line.updated_at.to_string(),
    }
}

/// Signs a receipt deterministically (same outcome, same bytes), so it can be produced on any read.
pub fn sign_receipt(hub: &Identity, receipt: PaymentReceipt) -> SignedMessage<PaymentReceipt> {
    let seed = geo_protocol::Digest::of(
        format!("geo receipt {} {:?}", receipt.tx_id, receipt.status).as_bytes(),
    );
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().expect("16 bytes"));
    let at = receipt.decided_at;
    geo_protocol::Envelope::new(hub.pid(), None, nonce, at, 600, receipt)
        .sign(hub)
        .expect("receipts are valid")
}

/// Renders a payment record with its receipt.
pub fn payment_view(hub: &Identity, r: &PaymentRecord) -> api::Payment {
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
        receipt: r
            .receipt()
            .map(|rc| sign_receipt(hub, rc).to_value().to_string()),
    }
}

/// Decimal text of a total of minor units (a sum of amounts, which may pass 2^64 − 1): the canonical
/// amount form, exactly `precision` fraction digits, never clamped.
pub fn total_text(minor: u128, precision: Precision) -> String {
    let p = precision.places() as usize;
    if p == 0 {
        return minor.to_string();
    }
    let scale = 10u128.pow(p as u32);
    format!("{}.{:0p$}", minor / scale, minor % scale)
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

/// A computed balance view for one book.
pub fn balance_view(book: &Book, me: u32) -> api::Balance {
    let p = book.precision;
    let (mut given, mut received, mut debt, mut credit, mut spend, mut receive) =
        (0u128, 0u128, 0u128, 0u128, 0u128, 0u128);
    if let Some(neigh) = book.neighbours.get(&me) {
        for &x in neigh {
            given += book.limit(me, x) as u128;
            received += book.limit(x, me) as u128;
            debt += book.debt(me, x) as u128;
            credit += book.debt(x, me) as u128;
            spend += book.capacity(me, x).max(0) as u128;
            receive += book.capacity(x, me).max(0) as u128;
        }
    }
    let t = |v: u128| total_text(v, p);
    api::Balance {
        equivalent: book.code.clone(),
        trust_given: t(given),
        trust_received: t(received),
        debt: t(debt),
        credit: t(credit),
        net: signed_text(credit as i128 - debt as i128, p),
        available_to_spend: t(spend),
        available_to_receive: t(receive),
    }
}

/// Signs the receipt of a committed clearing from its event (deterministic, like payment receipts);
/// `None` when the event is not a committed clearing.
pub fn clearing_receipt(
    hub: &Identity,
    event: &api::EventKind,
    journal_seq: u64,
    precision: Precision,
) -> Option<String> {
    let api::EventKind::ClearingCommitted {
        clearing_id,
        equivalent,
        edges,
        at,
        ..
    } = event
    else {
        return None;
    };
    let edges: Vec<geo_protocol::messages::DebtEdge> = edges
        .iter()
        .map(|e| {
            Some(geo_protocol::messages::DebtEdge {
                debtor: e.debtor.clone(),
                creditor: e.creditor.clone(),
                amount: e.amount.parse().ok()?,
            })
        })
        .collect::<Option<_>>()?;
    let total: u64 = edges
        .iter()
        .map(|e| {
            e.amount
                .to_amount(precision)
                .map(|a| a.minor())
                .unwrap_or(0)
        })
        .sum();
    let receipt = geo_protocol::ClearingReceipt {
        clearing_id: clearing_id.parse().ok()?,
        equivalent: equivalent.clone(),
        edges,
        total: Amount::from_minor(total, precision).to_decimal(),
        committed_at: at.parse().ok()?,
        journal_seq,
    };
    let seed = geo_protocol::Digest::of(
        format!("geo clearing receipt {}", receipt.clearing_id).as_bytes(),
    );
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().ok()?);
    let at = receipt.committed_at;
    let signed = geo_protocol::Envelope::new(hub.pid(), None, nonce, at, 600, receipt)
        .sign(hub)
        .ok()?;
    Some(signed.to_value().to_string())
}

/// Renders (and deterministically signs) an open proposal.
pub fn proposal_view(
    hub: &Identity,
    ledger: &crate::engine::ledger::Ledger,
    book: &Book,
    p: &crate::engine::ledger::Proposal,
) -> api::ClearingProposal {
    let text = |m: u64| Amount::from_minor(m, book.precision).to_decimal();
    let payload = geo_protocol::ClearingProposal {
        clearing_id: p.id,
        equivalent: book.code.clone(),
        edges: p
            .set_offs
            .iter()
            .map(|&(d, c, a)| geo_protocol::messages::DebtEdge {
                debtor: ledger.pid(d).clone(),
                creditor: ledger.pid(c).clone(),
                amount: text(a),
            })
            .collect(),
        consent_required_from: p.required.iter().map(|i| ledger.pid(*i).clone()).collect(),
    };
    let seed = geo_protocol::Digest::of(format!("geo clearing proposal {}", p.id).as_bytes());
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().expect("16 bytes"));
    let ttl = (p.expires_at.unix() - p.created_at.unix()).max(1);
    let signed = geo_protocol::Envelope::new(hub.pid(), None, nonce, p.created_at, ttl, payload)
        .sign(hub)
        .expect("proposals are valid");
    api::ClearingProposal {
        clearing_id: p.id.to_string(),
        equivalent: book.code.clone(),
        consent_required_from: p.required.iter().map(|i| ledger.pid(*i).clone()).collect(),
        accepted_by: p.accepted.iter().map(|i| ledger.pid(*i).clone()).collect(),
        expires_at: p.expires_at.to_string(),
        proposal_digest: signed.digest().to_string(),
        proposal: signed.to_value().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_canonical_beyond_u64() {
        let p = |n| Precision::new(n).unwrap();
        assert_eq!(total_text(0, p(2)), "0.00");
        assert_eq!(total_text(1050, p(2)), "10.50");
        assert_eq!(total_text(7, p(0)), "7");
        assert_eq!(
            total_text(u64::MAX as u128 * 3, p(2)),
            "553402322211286548.45"
        );
    }
}
