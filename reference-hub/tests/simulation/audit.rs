//! The auditor: for each command, what the engine must answer and journal according to the model,
//! checked against what it did; then the model takes the step. Route choice is the engine's (the
//! model only checks that a route is valid and that a refusal was justified), everything else is
//! predicted exactly.

use std::collections::BTreeSet;

use geo_protocol::{ErrorCode, TxId};
use reference_hub::engine::journal::{JournalEntry, JournalEvent, JournalPath, JournalSetOff};
use reference_hub::engine::ledger::PaymentState;
use reference_hub::engine::EngineResult;
use reference_hub::engine::Reply;

use crate::model::{Hold, Model, Payment, Proposal, Who};
use crate::sent::{tx_id, People, Sent};

/// What the auditor needs besides the model.
pub struct Ctx<'a> {
    /// Names.
    pub people: &'a People,
    /// The engine's hop limit.
    pub max_hops: usize,
    /// The engine's longest hold.
    pub max_hold: u32,
}

type Outcome<'a> = (&'a EngineResult<Reply>, &'a [JournalEntry]);

fn refused(out: Outcome, code: ErrorCode) -> Result<(), String> {
    match out.0 {
        Err(e) if e.code() == code && out.1.is_empty() => Ok(()),
        Err(e) if e.code() == code => Err(format!("{code:?} refusal journaled {:?}", out.1)),
        other => Err(format!("expected {code:?}, got {other:?}")),
    }
}

fn done(out: Outcome) -> Result<(), String> {
    match out.0 {
        Ok(Reply::Done) => Ok(()),
        other => Err(format!("expected Done, got {other:?}")),
    }
}

fn one(out: Outcome<'_>) -> Result<&JournalEvent, String> {
    match out.1 {
        [e] => Ok(&e.event),
        other => Err(format!("expected one entry, got {other:?}")),
    }
}

fn paths(people: &People, paths: &[JournalPath]) -> Vec<(Vec<Who>, u64)> {
    paths
        .iter()
        .map(|p| (p.path.iter().map(|pid| people.who(pid)).collect(), p.amount))
        .collect()
}

fn offs(people: &People, s: &[JournalSetOff]) -> Vec<(Who, Who, u64)> {
    let mut v: Vec<_> = s
        .iter()
        .map(|o| (people.who(&o.debtor), people.who(&o.creditor), o.amount))
        .collect();
    v.sort();
    v
}

fn sorted(s: &[(Who, Who, u64)]) -> Vec<(Who, Who, u64)> {
    let mut v = s.to_vec();
    v.sort();
    v
}

fn payment_status(out: Outcome) -> Result<(PaymentState, Option<ErrorCode>, Option<u64>), String> {
    match out.0 {
        Ok(Reply::Payment(r, _)) => Ok((r.status, r.error_code, r.max_routable)),
        other => Err(format!("expected a payment, got {other:?}")),
    }
}

/// Checks the clearings the local pass journaled after a payment and applies them: each only on
/// debts whose creditor consents in advance, within what is owed, keeping every net position.
fn local_clearings(m: &mut Model, ctx: &Ctx, rest: &[JournalEntry]) -> Result<(), String> {
    for e in rest {
        let JournalEvent::ClearingCommitted { set_offs, .. } = &e.event else {
            return Err(format!(
                "a payment journaled {:?} after its commit",
                e.event
            ));
        };
        let s = offs(ctx.people, set_offs);
        if let Some(code) = m.set_off_refusal(&s, true) {
            return Err(format!(
                "the local pass cleared {s:?}, which the model refuses ({code:?})"
            ));
        }
        let before = m.positions.clone();
        m.clear(&s);
        if m.positions != before {
            return Err("a clearing moved a net position".into());
        }
    }
    Ok(())
}

/// Checks one command's answer and journal entries against the model, then applies it to the model.
pub fn audit(
    m: &mut Model,
    ctx: &Ctx,
    sent: &Sent,
    at_ms: i64,
    out: Outcome,
) -> Result<(), String> {
    let now = at_ms.div_euclid(1000);
    match sent {
        Sent::Register { who, nonce, .. } => {
            if m.nonces.contains(&(*who, *nonce)) {
                return refused(out, ErrorCode::Replayed);
            }
            if m.members.contains_key(who) {
                return refused(out, ErrorCode::AlreadyExists);
            }
            done(out)?;
            match one(out)? {
                JournalEvent::ParticipantRegistered { pid, .. } if ctx.people.who(pid) == *who => {}
                other => return Err(format!("registration journaled {other:?}")),
            }
            m.members.insert(*who, true);
            m.nonces.insert((*who, *nonce));
            Ok(())
        }
        Sent::SetStatus { who, active } => {
            if !m.members.contains_key(who) {
                return refused(out, ErrorCode::NotFound);
            }
            done(out)?;
            one(out)?;
            m.members.insert(*who, *active);
            Ok(())
        }
        Sent::SetLine {
            creditor: c,
            debtor: d,
            limit,
            auto_clearing,
            unknown_equivalent,
            nonce,
            ..
        } => {
            let (c, d) = (*c, *d);
            if m.nonces.contains(&(c, *nonce)) {
                return refused(out, ErrorCode::Replayed);
            }
            if !m.members.contains_key(&c) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if !m.active(c) {
                return refused(out, ErrorCode::ParticipantInactive);
            }
            if !m.members.contains_key(&d) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if *unknown_equivalent {
                return refused(out, ErrorCode::UnknownEquivalent);
            }
            let Some(limit) = *limit else {
                return refused(out, ErrorCode::InvalidAmount);
            };
            // The new limit must keep every invariant of the pair: the debt within it and the
            // reservations on the arc it backs within capacity.
            let capacity_after = i128::from(limit) + i128::from(m.debt(c, d))
                - i128::from(m.debt(d, c))
                - i128::from(m.reserved(d, c));
            if limit < m.debt(d, c) || capacity_after < 0 {
                return refused(out, ErrorCode::LimitBelowDebt);
            }
            done(out)?;
            match one(out)? {
                JournalEvent::TrustLineSet {
                    limit: l, policy, ..
                } if *l == limit && policy.auto_clearing == *auto_clearing => {}
                other => return Err(format!("line set journaled {other:?}")),
            }
            m.lines.insert(
                (c, d),
                crate::model::Line {
                    limit,
                    auto_clearing: *auto_clearing,
                },
            );
            m.nonces.insert((c, *nonce));
            Ok(())
        }
        Sent::CloseLine {
            creditor: c,
            debtor: d,
            nonce,
            ..
        } => {
            let (c, d) = (*c, *d);
            if m.nonces.contains(&(c, *nonce)) {
                return refused(out, ErrorCode::Replayed);
            }
            if !m.members.contains_key(&c) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if !m.active(c) {
                return refused(out, ErrorCode::ParticipantInactive);
            }
            if !m.members.contains_key(&d) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if !m.lines.contains_key(&(c, d)) {
                return refused(out, ErrorCode::NotFound);
            }
            if m.debt(c, d) + m.debt(d, c) + m.reserved(c, d) + m.reserved(d, c) > 0 {
                return refused(out, ErrorCode::DebtOutstanding);
            }
            done(out)?;
            match one(out)? {
                JournalEvent::TrustLineClosed { .. } => {}
                other => return Err(format!("line close journaled {other:?}")),
            }
            m.lines.remove(&(c, d));
            m.nonces.insert((c, *nonce));
            Ok(())
        }
        Sent::Pay {
            payer,
            payee,
            tx,
            amount,
            hold,
            msg,
        } => {
            let (payer, payee) = (*payer, *payee);
            if let Some(existing) = m.payments.get(tx) {
                // Idempotency: the same signed request from its payer gets the stored outcome.
                if m.members.contains_key(&payer)
                    && existing.payer == payer
                    && existing.payload_digest == msg.payload_digest()
                {
                    return match out.0 {
                        Ok(Reply::PaymentExisting(id)) if *id == tx_id(*tx) && out.1.is_empty() => {
                            Ok(())
                        }
                        other => Err(format!("a resent payment got {other:?}")),
                    };
                }
                return refused(out, ErrorCode::TxIdConflict);
            }
            if !m.members.contains_key(&payer) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if !m.active(payer) {
                return refused(out, ErrorCode::ParticipantInactive);
            }
            if !m.members.contains_key(&payee) {
                return refused(out, ErrorCode::UnknownParticipant);
            }
            if !m.active(payee) {
                return refused(out, ErrorCode::ParticipantInactive);
            }
            let Some(amount) = *amount else {
                return refused(out, ErrorCode::InvalidAmount);
            };
            if hold.is_some_and(|h| h > ctx.max_hold) {
                return refused(out, ErrorCode::Validation);
            }
            let (status, code, found) = payment_status(out)?;
            let first = out.1.first().map(|e| &e.event);
            match (status, first) {
                (
                    PaymentState::Committed,
                    Some(JournalEvent::PaymentCommitted {
                        tx_id: id,
                        amount: a,
                        paths: p,
                        ..
                    }),
                ) if hold.is_none() && *id == tx_id(*tx) && *a == amount => {
                    let p = paths(ctx.people, p);
                    m.check_route(payer, payee, amount, &p, ctx.max_hops)?;
                    m.settle(payer, payee, amount, &p);
                    local_clearings(m, ctx, &out.1[1..])?;
                }
                (
                    PaymentState::Prepared,
                    Some(JournalEvent::PaymentPrepared {
                        tx_id: id,
                        amount: a,
                        paths: p,
                        expires_at,
                        ..
                    }),
                ) if *id == tx_id(*tx) && *a == amount && out.1.len() == 1 => {
                    let h = hold.ok_or("a payment without hold_seconds was held")?;
                    // The hold lasts at least `h` seconds from the moment it was prepared, and
                    // lapses at the first whole second after that.
                    let lapse = (at_ms + i64::from(h) * 1000 + 999).div_euclid(1000);
                    if expires_at.unix() != lapse {
                        return Err(format!(
                            "a {h} s hold prepared at {at_ms} ms lapses at {}, not {lapse}",
                            expires_at.unix()
                        ));
                    }
                    let p = paths(ctx.people, p);
                    m.check_route(payer, payee, amount, &p, ctx.max_hops)?;
                    m.reserve(&p, true);
                    m.holds.insert(
                        *tx,
                        Hold {
                            payer,
                            payee,
                            amount,
                            paths: p,
                            expires_at: lapse,
                        },
                    );
                }
                (PaymentState::Aborted, Some(JournalEvent::PaymentAborted { error_code, .. }))
                    if code == Some(ErrorCode::InsufficientCapacity)
                        && *error_code == ErrorCode::InsufficientCapacity
                        && out.1.len() == 1 =>
                {
                    // A refusal must be justified: no single path carries the amount, and the most
                    // the router claims to route is neither above the max flow nor below the widest path.
                    let found = found.ok_or("a capacity refusal without max_routable")?;
                    let widest = m.widest_path(payer, payee, ctx.max_hops);
                    let flow = m.max_flow(payer, payee);
                    if found >= amount
                        || widest >= amount
                        || u128::from(found) > flow
                        || found < widest
                    {
                        return Err(format!(
                            "refused {amount} with found {found}, but the widest path is {widest} and the max flow {flow}"
                        ));
                    }
                }
                other => {
                    return Err(format!(
                        "payment {tx} of {amount} (hold {hold:?}) gave {other:?} / {:?}",
                        out.1
                    ))
                }
            }
            m.payments.insert(
                *tx,
                Payment {
                    payer,
                    payload_digest: msg.payload_digest(),
                    state: status,
                },
            );
            Ok(())
        }
        Sent::Commit {
            payer, tx, nonce, ..
        } => end_hold(m, ctx, *payer, *tx, *nonce, true, now, out),
        Sent::Abort {
            payer, tx, nonce, ..
        } => end_hold(m, ctx, *payer, *tx, *nonce, false, now, out),
        Sent::ExpireHolds => {
            done(out)?;
            let due: Vec<u32> = m
                .holds
                .iter()
                .filter(|(_, h)| h.expires_at <= now)
                .map(|(tx, _)| *tx)
                .collect();
            let mut entries = out.1.iter();
            for tx in due {
                match entries.next().map(|e| &e.event) {
                    Some(JournalEvent::PaymentAborted {
                        tx_id: id,
                        error_code: ErrorCode::ReservationExpired,
                        ..
                    }) if *id == tx_id(tx) => {}
                    other => {
                        return Err(format!("hold {tx} was due at {now}; journaled {other:?}"))
                    }
                }
                let h = m.holds.remove(&tx).unwrap();
                m.reserve(&h.paths, false);
                m.payments.get_mut(&tx).unwrap().state = PaymentState::Aborted;
            }
            if m.proposal.as_ref().is_some_and(|p| p.expires_at <= now) {
                match entries.next().map(|e| &e.event) {
                    Some(JournalEvent::ClearingProposalClosed {
                        reason: ErrorCode::Expired,
                        ..
                    }) => {}
                    other => return Err(format!("the proposal was due; journaled {other:?}")),
                }
                m.proposal = None;
            }
            match entries.next() {
                None => Ok(()),
                Some(e) => Err(format!("expiry journaled an extra {:?}", e.event)),
            }
        }
        Sent::ApplyClearing { set_offs } => {
            if let Some(code) = m.set_off_refusal(set_offs, true) {
                return refused(out, code);
            }
            if set_offs.is_empty() {
                return refused(out, ErrorCode::Conflict);
            }
            let total: u128 = set_offs.iter().map(|s| u128::from(s.2)).sum();
            match (out.0, one(out)?) {
                (
                    Ok(Reply::Clearing(summary)),
                    JournalEvent::ClearingCommitted { set_offs: s, .. },
                ) if summary.total == total && offs(ctx.people, s) == sorted(set_offs) => {}
                other => return Err(format!("clearing {set_offs:?} gave {other:?}")),
            }
            m.clear(set_offs);
            Ok(())
        }
        Sent::Propose { set_offs, ttl } => {
            if m.proposal.is_some() || set_offs.is_empty() {
                return refused(out, ErrorCode::Conflict);
            }
            if let Some(code) = m.set_off_refusal(set_offs, false) {
                return refused(out, code);
            }
            let required: BTreeSet<Who> = set_offs
                .iter()
                .filter(|(d, c, _)| !m.lines[&(*c, *d)].auto_clearing)
                .map(|(_, c, _)| *c)
                .collect();
            if required.is_empty() {
                match (out.0, one(out)?) {
                    (
                        Ok(Reply::Clearing(_)),
                        JournalEvent::ClearingCommitted { set_offs: s, .. },
                    ) if offs(ctx.people, s) == sorted(set_offs) => {}
                    other => return Err(format!("a proposal needing no consent gave {other:?}")),
                }
                m.clear(set_offs);
                return Ok(());
            }
            match (out.0, one(out)?) {
                (
                    Ok(Reply::Proposed(id)),
                    JournalEvent::ClearingProposed {
                        clearing_id,
                        set_offs: s,
                        consent_required_from,
                        expires_at,
                        ..
                    },
                ) if id == clearing_id
                    && offs(ctx.people, s) == sorted(set_offs)
                    && consent_required_from
                        .iter()
                        .map(|p| ctx.people.who(p))
                        .collect::<BTreeSet<_>>()
                        == required
                    && expires_at.unix() == now + ttl =>
                {
                    m.proposal = Some(Proposal {
                        id: *id,
                        set_offs: set_offs.clone(),
                        required,
                        accepted: BTreeSet::new(),
                        expires_at: now + ttl,
                    });
                    Ok(())
                }
                other => Err(format!("proposal {set_offs:?} gave {other:?}")),
            }
        }
        Sent::Consent {
            who,
            id,
            accept,
            nonce,
            ..
        } => consent(m, ctx, *who, *id, *accept, *nonce, now, out),
    }
}

#[allow(clippy::too_many_arguments)]
fn end_hold(
    m: &mut Model,
    ctx: &Ctx,
    payer: Who,
    tx: u32,
    nonce: u64,
    commit: bool,
    now: i64,
    out: Outcome,
) -> Result<(), String> {
    if !m.members.contains_key(&payer) {
        return refused(out, ErrorCode::UnknownParticipant);
    }
    let Some(p) = m.payments.get(&tx).filter(|p| p.payer == payer) else {
        return refused(out, ErrorCode::NotFound);
    };
    match (p.state, commit) {
        (PaymentState::Committed, true) | (PaymentState::Aborted, false) => {
            return match out.0 {
                Ok(Reply::PaymentExisting(id)) if *id == tx_id(tx) && out.1.is_empty() => Ok(()),
                other => Err(format!("a repeated end of hold {tx} got {other:?}")),
            }
        }
        (PaymentState::Committed, false) | (PaymentState::Aborted, true) => {
            return refused(out, ErrorCode::Conflict)
        }
        (PaymentState::Prepared, _) => {}
    }
    if m.nonces.contains(&(payer, nonce)) {
        return refused(out, ErrorCode::Replayed);
    }
    let hold = m.holds[&tx].clone();
    let (status, code, _) = payment_status(out)?;
    let first = out.1.first().map(|e| &e.event);
    if hold.expires_at <= now {
        // Too late: the hold lapsed, whatever the payer asked.
        match (status, code, first, out.1.len()) {
            (
                PaymentState::Aborted,
                Some(ErrorCode::ReservationExpired),
                Some(JournalEvent::PaymentAborted {
                    error_code: ErrorCode::ReservationExpired,
                    ..
                }),
                1,
            ) => {}
            other => return Err(format!("ending lapsed hold {tx} gave {other:?}")),
        }
        m.reserve(&hold.paths, false);
        m.holds.remove(&tx);
        m.payments.get_mut(&tx).unwrap().state = PaymentState::Aborted;
        return Ok(());
    }
    m.nonces.insert((payer, nonce));
    m.reserve(&hold.paths, false);
    m.holds.remove(&tx);
    if commit {
        match (status, first) {
            (PaymentState::Committed, Some(JournalEvent::PaymentCommitted { paths: p, .. }))
                if paths(ctx.people, p) == hold.paths => {}
            other => return Err(format!("committing hold {tx} gave {other:?}")),
        }
        m.settle(hold.payer, hold.payee, hold.amount, &hold.paths);
        local_clearings(m, ctx, &out.1[1..])?;
        m.payments.get_mut(&tx).unwrap().state = PaymentState::Committed;
    } else {
        match (status, code, first, out.1.len()) {
            (
                PaymentState::Aborted,
                Some(ErrorCode::Aborted),
                Some(JournalEvent::PaymentAborted { .. }),
                1,
            ) => {}
            other => return Err(format!("aborting hold {tx} gave {other:?}")),
        }
        m.payments.get_mut(&tx).unwrap().state = PaymentState::Aborted;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn consent(
    m: &mut Model,
    ctx: &Ctx,
    who: Who,
    id: TxId,
    accept: bool,
    nonce: u64,
    now: i64,
    out: Outcome,
) -> Result<(), String> {
    if !m.members.contains_key(&who) {
        return refused(out, ErrorCode::UnknownParticipant);
    }
    let Some(p) = m.proposal.clone().filter(|p| p.id == id) else {
        return refused(out, ErrorCode::ProposalClosed);
    };
    if !p.required.contains(&who) {
        return refused(out, ErrorCode::Forbidden);
    }
    if p.expires_at <= now {
        // A proposal lapses at its expiry, as holds do: a late answer closes it and is refused.
        match (out.0, out.1) {
            (Err(e), [entry])
                if e.code() == ErrorCode::ProposalClosed
                    && matches!(
                        entry.event,
                        JournalEvent::ClearingProposalClosed {
                            reason: ErrorCode::Expired,
                            ..
                        }
                    ) => {}
            other => {
                return Err(format!(
                    "a consent at {now} to a proposal lapsing at {} gave {other:?}",
                    p.expires_at
                ))
            }
        }
        m.proposal = None;
        return Ok(());
    }
    if m.nonces.contains(&(who, nonce)) {
        return refused(out, ErrorCode::Replayed);
    }
    m.nonces.insert((who, nonce));
    match out.1.first().map(|e| &e.event) {
        Some(JournalEvent::ClearingConsented { accepted, pid, .. })
            if *accepted == accept && ctx.people.who(pid) == who => {}
        other => return Err(format!("consent journaled {other:?}")),
    }
    let status = |s: &str| matches!(out.0, Ok(Reply::ProposalStatus(x)) if x.as_str() == s);
    if !accept {
        match out.1.get(1).map(|e| &e.event) {
            Some(JournalEvent::ClearingProposalClosed { .. })
                if status("rejected") && out.1.len() == 2 => {}
            other => return Err(format!("a rejection gave {:?} / {other:?}", out.0)),
        }
        m.proposal = None;
        return Ok(());
    }
    let mut p = p;
    p.accepted.insert(who);
    if p.accepted != p.required {
        if !status("open") || out.1.len() != 1 {
            return Err(format!(
                "a partial acceptance gave {:?} / {:?}",
                out.0, out.1
            ));
        }
        m.proposal = Some(p);
        return Ok(());
    }
    m.proposal = None;
    if m.set_off_refusal(&p.set_offs, false).is_none() {
        match out.1.get(1).map(|e| &e.event) {
            Some(JournalEvent::ClearingCommitted {
                set_offs,
                clearing_id,
                ..
            }) if status("committed")
                && out.1.len() == 2
                && *clearing_id == p.id
                && offs(ctx.people, set_offs) == sorted(&p.set_offs) => {}
            other => return Err(format!("the last acceptance gave {:?} / {other:?}", out.0)),
        }
        m.clear(&p.set_offs);
    } else {
        match out.1.get(1).map(|e| &e.event) {
            Some(JournalEvent::ClearingProposalClosed {
                reason: ErrorCode::Conflict,
                ..
            }) if status("stale") && out.1.len() == 2 => {}
            other => return Err(format!("a stale acceptance gave {:?} / {other:?}", out.0)),
        }
    }
    Ok(())
}
