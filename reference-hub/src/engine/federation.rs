//! The payee's hub's part of a payment between hubs (`spec/federation.md` §6, downstream): a linked
//! hub's `hub_prepare`, already verified and checked against the expiry rule and the condition by
//! the caller, is routed from the signer's account to the payee and committed in one step, or
//! refused with a stored outcome when no route carries it.

use geo_protocol::{ErrorCode, HubPrepare, SignedMessage, Timestamp};
use geo_routing::{Constraints, NodeId, RoutingError};

use super::journal::{JournalEvent, JournalPath};
use super::records::{PaymentRecord, PaymentState};
use super::{
    receipt, Effects, Engine, EngineError, EngineResult, Moment, ParticipantStatus, Reply,
};

impl Engine {
    /// §6 downstream steps 1–3. Idempotent by `tx_id` like a payment request: the same signer and
    /// payload get the stored outcome; anything else under that id is `E_TX_ID_CONFLICT`. Nothing
    /// commits after `deadline` (the commit deadline of §5).
    pub(super) fn pay_from_hub(
        &mut self,
        msg: SignedMessage<HubPrepare>,
        deadline: Timestamp,
        at: Moment,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let now = at.timestamp();
        let p = msg.payload().clone();
        let payload_digest = msg.payload_digest();
        if let Some(existing) = self.payment_index(&p.tx_id)? {
            let same_payer = self.ledger.by_pid.get(msg.signer()) == Some(&existing.payer);
            if same_payer && existing.payload_digest == payload_digest {
                return Ok(Reply::PaymentExisting(p.tx_id));
            }
            return Err(EngineError::TxIdConflict(p.tx_id));
        }
        if now > deadline {
            return Err(EngineError::CommitDeadlinePassed(deadline));
        }
        let payer = self.active_signer(msg.signer())?;
        let payee = self.known(&p.payee)?;
        if self.ledger.participants[payee as usize].status != ParticipantStatus::Active {
            return Err(EngineError::PayeeInactive(p.payee.clone()));
        }
        let book = self.book(&p.equivalent)?;
        let precision = book.precision;
        let amount = p
            .amount
            .to_amount(precision)
            .map_err(|e| EngineError::InvalidAmount(e.to_string()))?
            .minor();
        let constraints = Constraints::default()
            .with_max_hops(self.limits.max_hops)
            .with_max_paths(self.limits.max_paths);
        let request_digest = msg.digest();
        let book = self.ledger.books.get(&p.equivalent).expect("checked above");
        let routed = self.router.route(
            &book.graph,
            NodeId(payer),
            NodeId(payee),
            amount,
            &constraints,
        );
        let mut record = PaymentRecord {
            tx_id: p.tx_id,
            payer: msg.signer().clone(),
            payee: p.payee.clone(),
            equivalent: p.equivalent.clone(),
            amount,
            precision: precision.places(),
            status: PaymentState::Aborted,
            error_code: None,
            routes: Vec::new(),
            request_digest,
            payload_digest,
            description: p.description.clone(),
            invoice_id: None,
            created_at: now,
            decided_at: Some(now),
            hold_expires_at: None,
            journal_seq: 0,
            max_routable: None,
            receipt: None,
        };
        match routed {
            Ok(route) => {
                let paths: Vec<JournalPath> = route
                    .paths
                    .iter()
                    .map(|path| JournalPath {
                        path: path
                            .nodes
                            .iter()
                            .map(|n| self.ledger.pid(n.0).clone())
                            .collect(),
                        amount: path.amount,
                    })
                    .collect();
                self.check_paths(&p.equivalent, &paths, payer, payee, amount)?;
                record.routes = paths.clone();
                record.status = PaymentState::Committed;
                record.journal_seq = self.emit(
                    fx,
                    now,
                    JournalEvent::PaymentCommitted {
                        tx_id: p.tx_id,
                        payer: record.payer.clone(),
                        payee: record.payee.clone(),
                        equivalent: p.equivalent.clone(),
                        amount,
                        paths,
                        payload_digest,
                        request: Some(msg.to_json()),
                        request_digest,
                        description: p.description.clone(),
                        invoice_id: None,
                    },
                );
                self.verify_pairs(&p.equivalent, &record.routes)?;
                let touched = self.touched_pairs(&record.routes);
                self.local_clearing(&p.equivalent, &touched, now, fx);
            }
            Err(RoutingError::InsufficientCapacity { found, .. }) => {
                record.error_code = Some(ErrorCode::InsufficientCapacity);
                record.journal_seq = self.emit(
                    fx,
                    now,
                    JournalEvent::PaymentAborted {
                        tx_id: p.tx_id,
                        payer: record.payer.clone(),
                        payee: record.payee.clone(),
                        equivalent: p.equivalent.clone(),
                        amount,
                        error_code: ErrorCode::InsufficientCapacity,
                        payload_digest,
                        request: Some(msg.to_json()),
                        request_digest,
                        description: p.description.clone(),
                    },
                );
                record.max_routable = Some(found);
            }
            Err(other) => return Err(EngineError::internal(format!("routing failed: {other}"))),
        }
        record.receipt = receipt::payment_receipt(&self.hub, &record);
        fx.payments.push(record.clone());
        Ok(Reply::Payment(Box::new(record)))
    }
}
