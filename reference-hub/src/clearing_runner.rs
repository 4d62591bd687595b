//! The optimal clearing, run off the writer: on a schedule, when the operator asks, and after a
//! creditor rejects a proposal. Each run solves on a snapshot of the clearable debts and asks the
//! writer to apply the result, which refuses it if a debt changed meanwhile (the next run
//! recomputes); then, if the optimum over all debts would also clear debts whose creditor has not
//! consented in advance, it asks the writer to open a proposal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use geo_protocol::{EquivalentCode, ErrorCode, TxId};
use tokio::sync::RwLock;

use crate::config::Settings;
use crate::engine::clearing::{ClearingSummary, SetOff};
use crate::engine::{Command, Engine, EngineError, EngineResult, Reply};
use crate::writer::WriterHandle;

/// What one clearing run did.
#[derive(Debug, Default)]
pub struct ClearingRun {
    /// The clearing applied from debts whose creditors consent in advance.
    pub applied: Option<ClearingSummary>,
    /// A proposal opened for the further clearing that needs consent.
    pub proposed: Option<TxId>,
}

/// Runs clearings against one engine through its writer.
#[derive(Clone)]
pub struct ClearingRunner {
    engine: Arc<RwLock<Engine>>,
    writer: WriterHandle,
    settings: Arc<Settings>,
}

impl ClearingRunner {
    /// A runner over the engine the writer applies to.
    pub fn new(engine: Arc<RwLock<Engine>>, writer: WriterHandle, settings: Arc<Settings>) -> Self {
        ClearingRunner {
            engine,
            writer,
            settings,
        }
    }

    /// One run in `code`: apply what consents in advance, then propose what needs consent.
    pub async fn run(&self, code: &EquivalentCode) -> EngineResult<ClearingRun> {
        let mut run = ClearingRun::default();
        let debts = self.engine.read().await.clearable_debts(code);
        let set_offs = self.solve(debts).await?;
        if !set_offs.is_empty() {
            if let Reply::Clearing(summary) = self
                .writer
                .submit(Command::ApplyClearing {
                    equivalent: code.clone(),
                    set_offs,
                })
                .await?
            {
                run.applied = Some(summary);
            }
        }
        let (candidates, open) = {
            let e = self.engine.read().await;
            (e.proposal_candidates(code), e.has_open_proposal(code))
        };
        if !open {
            let set_offs = self.solve(candidates).await?;
            if !set_offs.is_empty() {
                let cmd = Command::ProposeClearing {
                    equivalent: code.clone(),
                    set_offs,
                    ttl_seconds: self.settings.clearing_proposal_ttl_seconds,
                };
                match self.writer.submit(cmd).await {
                    Ok(Reply::Proposed(id)) => run.proposed = Some(id),
                    Ok(Reply::Clearing(summary)) if run.applied.is_none() => {
                        run.applied = Some(summary)
                    }
                    Ok(_) => {}
                    Err(e) if e.code() == ErrorCode::Conflict => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(run)
    }

    /// After a rejection the refused debts are excluded: re-solves the rest of the proposal's
    /// equivalent now rather than at the next scheduled run (in the background).
    pub fn resolve_after_rejection(&self, code: EquivalentCode) {
        let runner = self.clone();
        tokio::spawn(async move {
            if let Err(e) = runner.run(&code).await {
                tracing::debug!(%e, "re-solving after a rejected proposal");
            }
        });
    }

    /// Runs every equivalent each `clearing_interval_seconds` while `ready` holds and the writer works.
    pub async fn schedule(self, ready: Arc<AtomicBool>) {
        let every = std::time::Duration::from_secs(self.settings.clearing_interval_seconds);
        loop {
            tokio::time::sleep(every).await;
            if self.writer.has_failed() || !ready.load(Ordering::Relaxed) {
                return;
            }
            let codes: Vec<EquivalentCode> = {
                let e = self.engine.read().await;
                e.equivalents().into_iter().map(|q| q.code).collect()
            };
            for code in codes {
                match self.run(&code).await {
                    Ok(run) => {
                        if let Some(s) = run.applied {
                            tracing::info!(equivalent = %code, total = s.total as u64, debts = s.debts, "scheduled clearing applied");
                        }
                        if let Some(id) = run.proposed {
                            tracing::info!(equivalent = %code, %id, "clearing proposed; waiting for consent");
                        }
                    }
                    Err(e) if e.code() == ErrorCode::Conflict => {
                        tracing::debug!(%e, "clearing went stale; retrying next pass")
                    }
                    Err(e) => tracing::warn!(%e, "scheduled clearing failed"),
                }
            }
        }
    }

    /// Solves the optimal clearing of `debts` off the async threads; the non-zero set-offs.
    async fn solve(&self, debts: Vec<geo_clearing::Debt>) -> EngineResult<Vec<SetOff>> {
        if debts.is_empty() {
            return Ok(Vec::new());
        }
        #[cfg(feature = "fault-injection")]
        if self.settings.faults.non_optimal_clearing {
            return Ok(crate::faults::greedy_clearing(&debts));
        }
        tokio::task::spawn_blocking(move || {
            let c = geo_clearing::optimal_clearing(&debts)?;
            geo_clearing::verify(&debts, &c)?;
            Ok::<_, geo_clearing::ClearingError>(
                debts
                    .iter()
                    .zip(&c.set_off)
                    .filter(|(_, c)| **c > 0)
                    .map(|(d, c)| (d.debtor, d.creditor, *c))
                    .collect(),
            )
        })
        .await
        .map_err(EngineError::internal)?
        .map_err(EngineError::internal)
    }
}
