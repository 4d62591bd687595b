//! Starting and stopping a hub: storage, journal replay, writer, HTTP server, graceful shutdown.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use geo_protocol::Identity;
use tokio::sync::{broadcast, oneshot, RwLock};

use crate::api::{self, AppState, RateLimiter, Sessions};
use crate::config::Settings;
use crate::engine::clearing::ClearingSummary;
use crate::engine::state::Ledger;
use crate::engine::{Command, Engine, EngineLimits, Reply};
use crate::error::HubError;
use crate::storage::{StorageError, Store};
use crate::writer::{self, now, WriterConfig};
use geo_api::IntegrityReport;

/// Why a hub could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Storage failed, or the journal is corrupt.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Files or the listening socket.
    #[error("{0}")]
    Io(String),
    /// The replayed state breaks an invariant.
    #[error("integrity: {0}")]
    Integrity(String),
}

/// A running hub.
pub struct RunningHub {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Shared state (for tests and tools).
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    writer: tokio::task::JoinHandle<Result<(), String>>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

/// Writes a secret (a key or token) readable by its owner only: a temporary file, then a rename,
/// so readers see the old or the new secret, never half of one.
pub fn write_secret(path: &Path, value: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(format!("{value}\n").as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn read_or_create(path: &Path, make: impl FnOnce() -> String) -> Result<String, StartError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim().to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let value = make();
            write_secret(path, &value)
                .map_err(|e| StartError::Io(format!("{}: {e}", path.display())))?;
            Ok(value)
        }
        Err(e) => Err(StartError::Io(format!("{}: {e}", path.display()))),
    }
}

fn hub_identity(settings: &Settings) -> Result<Identity, StartError> {
    let path = if settings.hub_key_file.is_empty() {
        settings.data_dir.join("hub.key")
    } else {
        settings.hub_key_file.clone().into()
    };
    let hex = read_or_create(&path, || {
        let id = Identity::generate();
        id.seed().iter().map(|b| format!("{b:02x}")).collect()
    })?;
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| StartError::Io(format!("{}: not a hex seed", path.display())))?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StartError::Io(format!("{}: the seed must be 32 bytes", path.display())))?;
    Ok(Identity::from_seed(&seed))
}

fn metrics_handle() -> Option<metrics_exporter_prometheus::PrometheusHandle> {
    static HANDLE: OnceLock<Option<metrics_exporter_prometheus::PrometheusHandle>> =
        OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = crate::metrics::recorder()?;
            crate::metrics::describe();
            Some(handle)
        })
        .clone()
}

/// Replays the journal from `store` into a fresh ledger (checking the hash chain), and checks invariants.
pub async fn replay(store: &Store) -> Result<Ledger, StartError> {
    let mut ledger = Ledger::new();
    store
        .replay(|entry| {
            ledger.apply(&entry);
            Ok(())
        })
        .await?;
    ledger.check_invariants().map_err(StartError::Integrity)?;
    Ok(ledger)
}

/// Replays storage and compares it with the live ledger.
pub async fn verify_integrity(store: &Store, engine: &Arc<RwLock<Engine>>) -> IntegrityReport {
    let mut problems = Vec::new();
    let replayed = match replay(store).await {
        Ok(l) => Some(l),
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    };
    let live = engine.read().await;
    if let Err(e) = live.ledger.check_invariants() {
        problems.push(format!("live ledger: {e}"));
    }
    if let Some(r) = &replayed {
        if r.last_hash != live.ledger.last_hash {
            problems.push("the live ledger and the stored journal end at different entries".into());
        }
        for (code, book) in &live.ledger.books {
            match r.books.get(code) {
                Some(b)
                    if b.balances == book.balances
                        && b.reserved == book.reserved
                        && b.lines.len() == book.lines.len() => {}
                _ => problems.push(format!("{code}: live state differs from the journal")),
            }
        }
    }
    IntegrityReport {
        status: if problems.is_empty() {
            "ok".into()
        } else {
            "violated".into()
        },
        journal_entries: live.ledger.last_seq,
        head_hash: live.ledger.last_hash.map(|h| h.to_string()),
        problems,
    }
}

/// What one clearing run did.
#[derive(Debug, Default)]
pub struct ClearingRun {
    /// The clearing applied from debts whose creditors consent in advance.
    pub applied: Option<ClearingSummary>,
    /// A proposal opened for the further clearing that needs consent.
    pub proposed: Option<geo_protocol::TxId>,
}

/// Solves the optimal clearing of `debts` off the async threads; the non-zero set-offs.
#[cfg_attr(not(feature = "fault-injection"), allow(unused_variables))]
async fn solve(
    settings: &Settings,
    debts: Vec<geo_clearing::Debt>,
) -> Result<Vec<crate::engine::clearing::SetOff>, HubError> {
    if debts.is_empty() {
        return Ok(Vec::new());
    }
    #[cfg(feature = "fault-injection")]
    if settings.faults.non_optimal_clearing {
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
    .map_err(HubError::internal)?
    .map_err(HubError::internal)
}

/// Computes the optimal clearing of one equivalent on a snapshot, off the writer, and asks the writer to
/// apply it (refused if any debt changed meanwhile: the next pass recomputes). Then, if the optimum over
/// all debts would also clear debts whose creditor has not consented in advance, opens a proposal.
pub async fn run_optimal_clearing(
    state: &AppState,
    code: &geo_protocol::EquivalentCode,
) -> Result<ClearingRun, HubError> {
    let mut run = ClearingRun::default();
    let set_offs = solve(
        &state.settings,
        state.engine.read().await.clearable_debts(code),
    )
    .await?;
    if !set_offs.is_empty() {
        if let Reply::Clearing(summary) = state
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
        let e = state.engine.read().await;
        (
            e.proposal_candidates(code),
            e.ledger
                .books
                .get(code)
                .is_some_and(|b| b.proposal.is_some()),
        )
    };
    if !open {
        let set_offs = solve(&state.settings, candidates).await?;
        if !set_offs.is_empty() {
            let cmd = Command::ProposeClearing {
                equivalent: code.clone(),
                set_offs,
                ttl_seconds: state.settings.clearing_proposal_ttl_seconds,
            };
            match state.writer.submit(cmd).await {
                Ok(Reply::Proposed(id)) => run.proposed = Some(id),
                Ok(Reply::Clearing(summary)) if run.applied.is_none() => {
                    run.applied = Some(summary)
                }
                Ok(_) => {}
                Err(e) if e.code == geo_protocol::ErrorCode::Conflict => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(run)
}

async fn clearing_schedule(state: AppState) {
    let every = std::time::Duration::from_secs(state.settings.clearing_interval_seconds);
    loop {
        tokio::time::sleep(every).await;
        if state.writer.has_failed() || !state.ready.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let codes: Vec<_> = state
            .engine
            .read()
            .await
            .ledger
            .books
            .keys()
            .cloned()
            .collect();
        for code in codes {
            match run_optimal_clearing(&state, &code).await {
                Ok(run) => {
                    if let Some(s) = run.applied {
                        tracing::info!(equivalent = %code, total = s.total as u64, debts = s.debts, "scheduled clearing applied");
                    }
                    if let Some(id) = run.proposed {
                        tracing::info!(equivalent = %code, %id, "clearing proposed; waiting for consent");
                    }
                }
                Err(e) if e.code == geo_protocol::ErrorCode::Conflict => {
                    tracing::debug!(%e, "clearing went stale; retrying next pass")
                }
                Err(e) => tracing::warn!(%e, "scheduled clearing failed"),
            }
        }
    }
}

/// Opens storage and rebuilds the ledger (used by `serve` and `check`).
pub async fn open(settings: &Settings) -> Result<(Store, Ledger), StartError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartError::Io(format!("{}: {e}", settings.data_dir.display())))?;
    let store = Store::open(
        &settings.effective_database_url(),
        settings.max_connections,
        std::time::Duration::from_millis(settings.projection_flush_ms),
    )
    .await?;
    let ledger = replay(&store).await?;
    Ok((store, ledger))
}

/// `geo-hub check`: replays an existing database's journal read-only (beside a running hub, if
/// any), verifying the hash chain and every invariant. Creates, migrates and applies nothing.
pub async fn check(settings: &Settings) -> Result<Ledger, StartError> {
    let store = Store::open_read_only(&settings.effective_database_url()).await?;
    replay(&store).await
}

async fn bind(settings: &Settings) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| StartError::Io(format!("listen on {}: {e}", settings.listen)))
}

/// Starts a hub and returns once it accepts connections.
pub async fn start(settings: Settings) -> Result<RunningHub, StartError> {
    // A standby listens first (answering 503) and opens the store once the writer lock is free.
    let (store, ledger, listener) = if settings.standby {
        let (store, listener) =
            crate::standby::open_when_writer(&settings, bind(&settings).await?).await?;
        let ledger = replay(&store).await?;
        (store, ledger, Some(listener))
    } else {
        let (store, ledger) = open(&settings).await?;
        (store, ledger, None)
    };
    let hub = hub_identity(&settings)?;
    let (admin_token, admin_token_file) = if settings.admin_token.is_empty() {
        let file = settings.data_dir.join("admin.token");
        (read_or_create(&file, || api::random_token(24))?, Some(file))
    } else {
        (settings.admin_token.clone(), None)
    };
    let keys: HashMap<_, _> = ledger
        .participants
        .iter()
        .map(|p| (p.pid.clone(), p.public_key))
        .collect();
    let entries = ledger.last_seq;
    let mut engine = Engine::new(
        ledger,
        EngineLimits {
            max_hops: settings.max_hops,
            max_paths: settings.max_paths,
            max_hold_seconds: settings.max_hold_seconds,
            local_cycle_len: settings.clearing_cycle_len,
            #[cfg(feature = "fault-injection")]
            faults: settings.faults.clone(),
        },
    );
    for (pid, nonce, exp) in store.nonces(now()).await? {
        engine.remember_nonce(pid, nonce, exp);
    }
    let engine = Arc::new(RwLock::new(engine));
    let keys = Arc::new(std::sync::RwLock::new(keys));
    let (events, _) = broadcast::channel(8192);
    let next_event_id = store.max_event_id().await?;
    let (writer, writer_task) = writer::spawn(
        engine.clone(),
        store.clone(),
        keys.clone(),
        events.clone(),
        next_event_id,
        WriterConfig {
            max_batch: settings.max_batch,
            queue: settings.max_batch * 4,
        },
    );
    let listener = match listener {
        Some(l) => l,
        None => bind(&settings).await?,
    };
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Io(e.to_string()))?;
    let state = AppState {
        engine,
        keys,
        writer,
        store: store.clone(),
        hub: Arc::new(hub),
        limiter: Arc::new(RateLimiter::new(
            settings.rate_limit_per_second,
            settings.rate_limit_burst,
        )),
        settings: Arc::new(settings),
        admin_token: Arc::new(std::sync::RwLock::new(admin_token)),
        admin_token_file,
        sessions: Arc::new(Sessions::default()),
        events,
        metrics: metrics_handle(),
        ready: Arc::new(AtomicBool::new(false)),
        stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
    };
    let app = api::router(state.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let limits = crate::server::ConnectionLimits {
        header_read_timeout: std::time::Duration::from_millis(
            state.settings.header_read_timeout_ms,
        ),
        max_connections: state.settings.max_client_connections,
    };
    let server = tokio::spawn(crate::server::serve(listener, app, limits, async {
        let _ = stopped.await;
    }));
    let mut background = Vec::new();
    if let Store::Sqlite(..) = &store {
        let (store, ready) = (store.clone(), state.ready.clone());
        background.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if let Err(e) = store.checkpoint().await {
                    tracing::warn!(%e, "checkpoint failed");
                }
                if !ready.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
            }
        }));
    }
    if state.settings.clearing_interval_seconds > 0 {
        background.push(tokio::spawn(clearing_schedule(state.clone())));
    }
    api::set_ready(&state, true);
    tracing::info!(%addr, backend = store.backend(), hub = %state.hub.pid(), journal_entries = entries, "hub started");
    Ok(RunningHub {
        addr,
        state,
        stop: Some(stop),
        server,
        writer: writer_task,
        background,
    })
}

impl RunningHub {
    /// Base URL, e.g. `http://127.0.0.1:34567`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, lets the writer drain and persist, then returns.
    pub async fn shutdown(mut self) -> Result<(), String> {
        api::set_ready(&self.state, false);
        self.state.stopping.send_replace(true);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = self.server.await;
        // Background tasks hold state (and so the writer's queue) open: stop them first.
        for task in self.background.drain(..) {
            task.abort();
            let _ = task.await;
        }
        let RunningHub { state, writer, .. } = self;
        let store = state.store.clone();
        drop(state);
        writer.await.map_err(|e| e.to_string())??;
        store.close().await.map_err(|e| e.to_string())
    }
}
