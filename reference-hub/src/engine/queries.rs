//! What readers may ask the engine: participants, equivalents, trust lines, balances, debts, a
//! capacity preview, a clearing preview and the open proposals. Each answer is a domain value in minor
//! units with its precision; `api/views.rs` renders them as `geo-api` types. Readers never see the
//! ledger's maps, so its layout can change without touching the API.

use geo_clearing::Debt;
use geo_protocol::{Amount, EquivalentCode, Pid, Precision, Timestamp, TxId};
use geo_routing::{Constraints, NodeId, Router};

use super::error::{EngineError, EngineResult};

use super::ledger::{Book, Idx, LinePolicy, Participant, RefusedFulfilment, TrustLine};
use super::receipt::SignedProposal;

use super::stats::LedgerStats;
use super::Engine;

impl Engine {
    /// The cross-hub holds still open (`spec/federation.md` §6 upstream): payments this hub must
    /// finish with a linked hub, in `tx_id` order.
    pub fn cross_hub_holds(&self) -> Vec<TxId> {
        let mut held: Vec<TxId> = self
            .ledger
            .holds
            .values()
            .filter(|h| self.is_peer_hub(h.payee))
            .map(|h| h.tx_id)
            .collect();
        held.sort_unstable();
        held
    }

    /// The payments whose fulfilment a linked hub refused (`spec/federation.md` §7), or with
    /// `by_this_hub` those whose fulfilment this hub refused, oldest first.
    pub fn refused_fulfilments(&self, by_this_hub: bool) -> Vec<(TxId, RefusedFulfilment)> {
        let mut refused: Vec<(TxId, RefusedFulfilment)> = self
            .ledger
            .refused_fulfilments
            .iter()
            .filter(|(_, r)| r.by_this_hub == by_this_hub)
            .map(|(tx_id, r)| (*tx_id, r.clone()))
            .collect();
        refused.sort_unstable_by_key(|(_, r)| r.seq);
        refused
    }
}

/// An equivalent (unit of account) as the operator set it.
#[derive(Debug, Clone, PartialEq)]
pub struct EquivalentInfo {
    /// Code.
    pub code: EquivalentCode,
    /// Decimal places.
    pub precision: Precision,
    /// Description.
    pub description: String,
    /// Usable for new lines and payments.
    pub active: bool,
}

/// A live trust line with what it carries now (minor units).
#[derive(Debug, Clone, PartialEq)]
pub struct LineInfo {
    /// Its id.
    pub id: TxId,
    /// Who trusts.
    pub creditor: Pid,
    /// Who is trusted.
    pub debtor: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// The equivalent's precision.
    pub precision: Precision,
    /// The limit.
    pub limit: u64,
    /// The debtor's debt to the creditor.
    pub used: u64,
    /// Reserved by held payments.
    pub reserved: u64,
    /// What the debtor can still pay through it.
    pub available: u64,
    /// The creditor's policy.
    pub policy: LinePolicy,
    /// Opened.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A participant's totals in one equivalent (sums over its neighbours, so `u128`).
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceTotals {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Its precision.
    pub precision: Precision,
    /// Limits it gives.
    pub trust_given: u128,
    /// Limits it receives.
    pub trust_received: u128,
    /// What it owes.
    pub debt: u128,
    /// What it is owed.
    pub credit: u128,
    /// Capacity out to its neighbours.
    pub available_to_spend: u128,
    /// Capacity in from its neighbours.
    pub available_to_receive: u128,
}

/// One neighbour in an equivalent: debts and limits both ways (minor units).
#[derive(Debug, Clone, PartialEq)]
pub struct CounterpartyDebt {
    /// The neighbour.
    pub pid: Pid,
    /// Its display name.
    pub display_name: String,
    /// What the reader owes it.
    pub i_owe: u64,
    /// What it owes the reader.
    pub owes_me: u64,
    /// The reader's limit for it.
    pub limit_given: u64,
    /// Its limit for the reader.
    pub limit_received: u64,
}

/// What a payer could route to a payee now.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityPreview {
    /// The equivalent's precision.
    pub precision: Precision,
    /// The most the payer can route (minor units).
    pub max_amount: u64,
    /// Whether the asked amount fits, when one was asked.
    pub can_pay: Option<bool>,
}

/// The clearable debts of one equivalent, taken from the ledger so the solver can run without it.
#[derive(Debug, Clone)]
pub struct ClearingProblem {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Its precision.
    pub precision: Precision,
    /// Debts whose creditors consent in advance.
    pub debts: Vec<Debt>,
    /// All debt in the equivalent (minor units).
    pub total_debt: u128,
}

/// What the optimal clearing would remove now.
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingPreview {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Its precision.
    pub precision: Precision,
    /// Debt the clearing would remove (minor units).
    pub clearable: u128,
    /// Debts it would reduce.
    pub debts_reduced: u64,
    /// Debts it may touch.
    pub clearable_debts: u64,
    /// All debt in the equivalent (minor units).
    pub total_debt: u128,
}

impl ClearingProblem {
    /// Solves it (the optimal clearing: CPU-bound, so callers run it off the async threads).
    pub fn preview(self) -> EngineResult<ClearingPreview> {
        let clearing =
            geo_clearing::optimal_clearing(&self.debts).map_err(EngineError::internal)?;
        Ok(ClearingPreview {
            equivalent: self.equivalent,
            precision: self.precision,
            clearable: clearing.total,
            debts_reduced: clearing.set_off.iter().filter(|c| **c > 0).count() as u64,
            clearable_debts: self.debts.len() as u64,
            total_debt: self.total_debt,
        })
    }
}

/// An open clearing proposal with its hub-signed message.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenProposal {
    /// Its id (the clearing's, if it commits).
    pub clearing_id: TxId,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Creditors whose consent it waits for.
    pub consent_required_from: Vec<Pid>,
    /// Those who accepted so far.
    pub accepted_by: Vec<Pid>,
    /// When it lapses.
    pub expires_at: Timestamp,
    /// The signed `clearing_proposal` and its digest.
    pub signed: SignedProposal,
}

/// Which of a participant's lines a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineDirection {
    /// Lines it gives and lines it receives.
    All,
    /// Lines it gives (it is the creditor).
    Outgoing,
    /// Lines it receives (it is the debtor).
    Incoming,
}

impl From<&Book> for EquivalentInfo {
    fn from(b: &Book) -> Self {
        EquivalentInfo {
            code: b.code.clone(),
            precision: b.precision,
            description: b.description.clone(),
            active: b.active,
        }
    }
}

impl Engine {
    fn line_info(&self, book: &Book, line: &TrustLine) -> LineInfo {
        LineInfo {
            id: line.id,
            creditor: self.ledger.pid(line.creditor).clone(),
            debtor: self.ledger.pid(line.debtor).clone(),
            equivalent: book.code.clone(),
            precision: book.precision,
            limit: line.limit,
            used: book.debt(line.debtor, line.creditor),
            reserved: book.reserved(line.debtor, line.creditor),
            available: book.capacity(line.debtor, line.creditor).max(0) as u64,
            policy: line.policy.clone(),
            created_at: line.created_at,
            updated_at: line.updated_at,
        }
    }

    fn idx_of(&self, pid: &Pid) -> EngineResult<Idx> {
        self.ledger
            .by_pid
            .get(pid)
            .copied()
            .ok_or_else(|| EngineError::ParticipantNotFound(pid.clone()))
    }

    /// Any equivalent (active or not) by code.
    fn any_book(&self, code: &EquivalentCode) -> EngineResult<&Book> {
        self.ledger
            .books
            .get(code)
            .ok_or_else(|| EngineError::UnknownEquivalent(code.clone()))
    }

    /// A participant's record.
    pub fn participant(&self, pid: &Pid) -> Option<Participant> {
        self.ledger.participant(pid).cloned()
    }

    /// Participants whose name contains `needle` (case-insensitive) or whose PID starts with it,
    /// of `kind` when given (its wire name), in registration order.
    pub fn search_participants(&self, needle: &str, kind: Option<&str>) -> Vec<Participant> {
        let needle = needle.to_lowercase();
        self.ledger
            .participants
            .iter()
            .filter(|p| {
                needle.is_empty()
                    || p.display_name.to_lowercase().contains(&needle)
                    || p.pid.as_str().starts_with(&needle)
            })
            .filter(|p| {
                kind.is_none_or(|k| {
                    serde_json::to_value(p.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(|x| x == k))
                        == Some(true)
                })
            })
            .cloned()
            .collect()
    }

    /// Every equivalent, by code.
    pub fn equivalents(&self) -> Vec<EquivalentInfo> {
        self.ledger
            .books
            .values()
            .map(EquivalentInfo::from)
            .collect()
    }

    /// One equivalent (active or not).
    pub fn equivalent(&self, code: &EquivalentCode) -> Option<EquivalentInfo> {
        self.ledger.books.get(code).map(EquivalentInfo::from)
    }

    /// The hub's totals now.
    pub fn stats(&self) -> LedgerStats {
        self.ledger.stats()
    }

    /// Journal length (the last entry's position).
    pub fn last_seq(&self) -> u64 {
        self.ledger.last_seq
    }

    /// The last journal entry's hash, as text.
    pub fn head_hash(&self) -> Option<String> {
        self.ledger.last_hash.map(|h| h.to_string())
    }

    /// The live line from `creditor` to `debtor` in `code`.
    pub fn trust_line(
        &self,
        creditor: &Pid,
        debtor: &Pid,
        code: &EquivalentCode,
    ) -> Option<LineInfo> {
        let (c, d) = (
            *self.ledger.by_pid.get(creditor)?,
            *self.ledger.by_pid.get(debtor)?,
        );
        let book = self.ledger.books.get(code)?;
        book.lines.get(&(c, d)).map(|l| self.line_info(book, l))
    }

    /// A participant's live lines (in `only` when given), per equivalent oldest first.
    pub fn lines_of(
        &self,
        pid: &Pid,
        only: Option<&EquivalentCode>,
        direction: LineDirection,
    ) -> EngineResult<Vec<LineInfo>> {
        let me = self.idx_of(pid)?;
        let outgoing = direction != LineDirection::Incoming;
        let incoming = direction != LineDirection::Outgoing;
        let mut items = Vec::new();
        for book in self
            .ledger
            .books
            .values()
            .filter(|b| only.is_none_or(|f| f == &b.code))
        {
            let Some(neigh) = book.neighbours.get(&me) else {
                continue;
            };
            let mut lines: Vec<&TrustLine> = neigh
                .iter()
                .flat_map(|&x| {
                    let out = outgoing.then(|| book.lines.get(&(me, x))).flatten();
                    let inc = incoming.then(|| book.lines.get(&(x, me))).flatten();
                    out.into_iter().chain(inc)
                })
                .collect();
            lines.sort_by_key(|l| (l.created_at, l.id));
            items.extend(lines.into_iter().map(|l| self.line_info(book, l)));
        }
        Ok(items)
    }

    /// A live line by id, if `pid` is its creditor or debtor.
    pub fn trust_line_by_id(&self, pid: &Pid, id: TxId) -> EngineResult<LineInfo> {
        let me = self.idx_of(pid)?;
        for book in self.ledger.books.values() {
            let Some(neigh) = book.neighbours.get(&me) else {
                continue;
            };
            for &x in neigh {
                for key in [(me, x), (x, me)] {
                    if let Some(line) = book.lines.get(&key).filter(|l| l.id == id) {
                        return Ok(self.line_info(book, line));
                    }
                }
            }
        }
        Err(EngineError::TrustLineNotFound(id))
    }

    /// A participant's totals in every equivalent where it has a neighbour.
    pub fn balances(&self, pid: &Pid) -> Vec<BalanceTotals> {
        let Some(&me) = self.ledger.by_pid.get(pid) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for book in self.ledger.books.values() {
            let Some(neigh) = book.neighbours.get(&me) else {
                continue;
            };
            let mut t = BalanceTotals {
                equivalent: book.code.clone(),
                precision: book.precision,
                trust_given: 0,
                trust_received: 0,
                debt: 0,
                credit: 0,
                available_to_spend: 0,
                available_to_receive: 0,
            };
            for &x in neigh {
                t.trust_given += book.limit(me, x) as u128;
                t.trust_received += book.limit(x, me) as u128;
                t.debt += book.debt(me, x) as u128;
                t.credit += book.debt(x, me) as u128;
                t.available_to_spend += book.capacity(me, x).max(0) as u128;
                t.available_to_receive += book.capacity(x, me).max(0) as u128;
            }
            out.push(t);
        }
        out
    }

    /// A participant's neighbours in `code`, with debts and limits both ways.
    pub fn counterparties(
        &self,
        pid: &Pid,
        code: &EquivalentCode,
    ) -> EngineResult<(Precision, Vec<CounterpartyDebt>)> {
        let book = self.any_book(code)?;
        let Some(&me) = self.ledger.by_pid.get(pid) else {
            return Ok((book.precision, Vec::new()));
        };
        let items = book
            .neighbours
            .get(&me)
            .map(|n| {
                n.iter()
                    .map(|&x| CounterpartyDebt {
                        pid: self.ledger.pid(x).clone(),
                        display_name: self.ledger.participants[x as usize].display_name.clone(),
                        i_owe: book.debt(me, x),
                        owes_me: book.debt(x, me),
                        limit_given: book.limit(me, x),
                        limit_received: book.limit(x, me),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok((book.precision, items))
    }

    /// The most `payer` can route to `payee` in `code` now (and whether `amount` fits), within
    /// the hub's hop and path limits. Checks in order: equivalent, amount, payee, self-payment.
    pub fn capacity(
        &self,
        payer: &Pid,
        payee: &Pid,
        code: &EquivalentCode,
        amount: Option<&str>,
        max_hops: Option<u8>,
        max_paths: Option<u16>,
    ) -> EngineResult<CapacityPreview> {
        let book = self.any_book(code)?;
        let amount = amount
            .map(|a| {
                Amount::parse(a, book.precision)
                    .map_err(|e| EngineError::InvalidAmount(e.to_string()))
            })
            .transpose()?;
        let to = *self
            .ledger
            .by_pid
            .get(payee)
            .ok_or_else(|| EngineError::UnknownParticipant(payee.clone()))?;
        let from = self.idx_of(payer)?;
        if from == to {
            return Err(EngineError::SelfPayment);
        }
        let limits = &self.limits;
        let c = Constraints::default()
            .with_max_hops(
                max_hops
                    .unwrap_or(limits.max_hops)
                    .clamp(1, limits.max_hops),
            )
            .with_max_paths(
                max_paths
                    .unwrap_or(limits.max_paths)
                    .clamp(1, limits.max_paths),
            );
        let preview = Router::new()
            .preview(&book.graph, NodeId(from), NodeId(to), &c)
            .map_err(|e| EngineError::BadConstraints(e.to_string()))?;
        // Only what the caller can route: `preview.upper_bound` is bounded by the payee's whole
        // incoming capacity, which is the payee's business (spec §8.6).
        Ok(CapacityPreview {
            precision: book.precision,
            max_amount: preview.max_amount,
            can_pay: amount.map(|a| a.minor() <= preview.max_amount),
        })
    }

    /// The clearable debts of `code`, for a preview solved off the engine.
    pub fn clearing_problem(&self, code: &EquivalentCode) -> EngineResult<ClearingProblem> {
        let book = self.any_book(code)?;
        Ok(ClearingProblem {
            equivalent: code.clone(),
            precision: book.precision,
            debts: self.clearable_debts(code),
            total_debt: book.balances.values().map(|b| b.unsigned_abs()).sum(),
        })
    }

    /// Whether a proposal is open in `code`.
    pub fn has_open_proposal(&self, code: &EquivalentCode) -> bool {
        self.ledger
            .books
            .get(code)
            .is_some_and(|b| b.proposal.is_some())
    }

    /// The equivalent of the open proposal `id`.
    pub fn proposal_equivalent(&self, id: TxId) -> Option<EquivalentCode> {
        self.ledger
            .books
            .values()
            .find(|b| b.proposal.as_ref().is_some_and(|p| p.id == id))
            .map(|b| b.code.clone())
    }

    /// The open proposals whose set-offs touch `pid`.
    pub fn proposals_for(&self, pid: &Pid) -> Vec<OpenProposal> {
        let Some(&me) = self.ledger.by_pid.get(pid) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for book in self.ledger.books.values() {
            let Some(p) = &book.proposal else { continue };
            if !p.set_offs.iter().any(|(d, c, _)| *d == me || *c == me) {
                continue;
            }
            let Some(signed) = self.proposals.get(&p.id) else {
                tracing::error!(clearing_id = %p.id, "an open proposal has no signed message");
                continue;
            };
            let pids = |set: &std::collections::BTreeSet<Idx>| {
                set.iter().map(|i| self.ledger.pid(*i).clone()).collect()
            };
            out.push(OpenProposal {
                clearing_id: p.id,
                equivalent: book.code.clone(),
                consent_required_from: pids(&p.required),
                accepted_by: pids(&p.accepted),
                expires_at: p.expires_at,
                signed: signed.clone(),
            });
        }
        out
    }

    /// The digest a `clearing_consent` to the open proposal `id` must name (spec §6.2.1).
    pub fn proposal_digest(&self, id: TxId) -> Option<geo_protocol::Digest> {
        self.proposals.get(&id).map(|p| p.digest)
    }
}
