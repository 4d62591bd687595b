//! What the single writer needs of storage, as a trait: the hub passes its [`Store`]; a seeded
//! simulation passes a [`MemoryJournal`] (and drives time with a `ManualClock`), so the engine and
//! the writer run without a database and storage failures can be injected.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use std::collections::HashMap;

use geo_protocol::{Timestamp, TxId};

use super::{NewCheckpoint, PersistBatch, StorageError, Store};
use crate::engine::journal::JournalEntry;
use crate::engine::records::PaymentRecord;

/// Durable storage as the writer sees it.
pub trait JournalStore: Clone + Send + Sync + 'static {
    /// Makes one batch durable, atomically, and hands it back.
    fn persist(
        &self,
        batch: PersistBatch,
    ) -> impl Future<Output = (PersistBatch, Result<(), StorageError>)> + Send;

    /// Forgets nonces of messages expired before `now`.
    fn prune_nonces(
        &self,
        now: Timestamp,
    ) -> impl Future<Output = Result<u64, StorageError>> + Send;

    /// Stores a checkpoint whose journal entry is durable, keeping the newest `keep`.
    fn write_checkpoint(
        &self,
        checkpoint: &NewCheckpoint,
        keep: u32,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// The stored payments among `ids`, as the `payments` table has them now (rows still pending
    /// in the projection outbox are not there: the engine keeps those in memory).
    fn payments_by_id(
        &self,
        ids: &[TxId],
    ) -> impl Future<Output = Result<Vec<PaymentRecord>, StorageError>> + Send;

    /// Applies every pending projection: each payment acknowledged before the call has its row.
    fn settle(&self) -> impl Future<Output = Result<(), StorageError>> + Send;
}

impl JournalStore for Store {
    async fn persist(&self, batch: PersistBatch) -> (PersistBatch, Result<(), StorageError>) {
        Store::persist(self, batch).await
    }

    async fn prune_nonces(&self, now: Timestamp) -> Result<u64, StorageError> {
        Store::prune_nonces(self, now).await
    }

    async fn write_checkpoint(
        &self,
        checkpoint: &NewCheckpoint,
        keep: u32,
    ) -> Result<(), StorageError> {
        Store::write_checkpoint(self, checkpoint, keep).await
    }

    async fn payments_by_id(&self, ids: &[TxId]) -> Result<Vec<PaymentRecord>, StorageError> {
        Store::payments_by_id(self, ids).await
    }

    async fn settle(&self) -> Result<(), StorageError> {
        Store::settle(self).await
    }
}

/// The journal and checkpoints in memory, with a switch that makes every later write fail.
#[derive(Debug, Clone, Default)]
pub struct MemoryJournal {
    inner: Arc<Mutex<Memory>>,
    failing: Arc<AtomicBool>,
}

#[derive(Debug, Default)]
struct Memory {
    entries: Vec<JournalEntry>,
    checkpoints: Vec<NewCheckpoint>,
    payments: HashMap<TxId, PaymentRecord>,
}

impl MemoryJournal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// The durable entries, in order.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.inner.lock().expect("memory journal").entries.clone()
    }

    /// The stored checkpoints, oldest first.
    pub fn checkpoints(&self) -> Vec<NewCheckpoint> {
        self.inner
            .lock()
            .expect("memory journal")
            .checkpoints
            .clone()
    }

    /// From now on every write fails (a full disk, a lost server).
    pub fn fail_writes(&self) {
        self.failing.store(true, Ordering::SeqCst);
    }

    fn refuse(&self) -> Result<(), StorageError> {
        if self.failing.load(Ordering::SeqCst) {
            Err(StorageError::Writer("injected storage failure".into()))
        } else {
            Ok(())
        }
    }
}

impl JournalStore for MemoryJournal {
    async fn persist(&self, batch: PersistBatch) -> (PersistBatch, Result<(), StorageError>) {
        if let Err(e) = self.refuse() {
            return (batch, Err(e));
        }
        let mut memory = self.inner.lock().expect("memory journal");
        let next = memory.entries.last().map_or(1, |e| e.seq + 1);
        if batch.entries.first().is_some_and(|e| e.seq != next) {
            return (
                batch,
                Err(StorageError::Corrupt {
                    seq: next,
                    why: "entries out of order".into(),
                }),
            );
        }
        memory.entries.extend(batch.entries.iter().cloned());
        for p in &batch.payments {
            memory.payments.insert(p.tx_id, p.clone());
        }
        drop(memory);
        (batch, Ok(()))
    }

    async fn prune_nonces(&self, _now: Timestamp) -> Result<u64, StorageError> {
        self.refuse().map(|()| 0)
    }

    async fn write_checkpoint(
        &self,
        checkpoint: &NewCheckpoint,
        keep: u32,
    ) -> Result<(), StorageError> {
        self.refuse()?;
        let mut memory = self.inner.lock().expect("memory journal");
        memory
            .checkpoints
            .retain(|c| c.head.seq != checkpoint.head.seq);
        memory.checkpoints.push(checkpoint.clone());
        let excess = memory.checkpoints.len().saturating_sub(keep as usize);
        memory.checkpoints.drain(..excess);
        Ok(())
    }

    async fn payments_by_id(&self, ids: &[TxId]) -> Result<Vec<PaymentRecord>, StorageError> {
        self.refuse()?;
        let memory = self.inner.lock().expect("memory journal");
        Ok(ids
            .iter()
            .filter_map(|id| memory.payments.get(id).cloned())
            .collect())
    }

    async fn settle(&self) -> Result<(), StorageError> {
        self.refuse()
    }
}
