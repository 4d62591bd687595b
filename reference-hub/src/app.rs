//! Starting and stopping a hub: storage, journal replay, writer, HTTP server, graceful shutdown.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use geo_protocol::Identity;
use tokio::sync::{broadcast, oneshot, RwLock};

use crate::api::{self, AppState, RateLimiter, Sessions};
use crate::clearing_runner::ClearingRunner;
use crate::clock::Clock;
use crate::config::Settings;
use crate::engine::ledger::Ledger;
use crate::engine::{Engine, EngineLimits};
use crate::storage::{StorageError, Store};
use crate::writer::{self, now, WriterConfig};

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
    /// A duplicate of the listening socket, kept to serve on after a storage failure.
    listener: std::net::TcpListener,
}

/// What a hub that stopped after a storage failure hands to the next start in the same process:
/// its listening socket (clients keep the address, and meanwhile get `503`) and its sessions
/// (clients keep their tokens).
pub struct Resume {
    /// The listening socket.
    pub listener: std::net::TcpListener,
    /// Access tokens and login challenges.
    pub sessions: Arc<Sessions>,
}

pub use crate::secret::write_secret;

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
    Ok(crate::recovery::replay(store).await?)
}

/// Opens storage and rebuilds the ledger from the newest usable checkpoint and the journal after it.
pub async fn open(settings: &Settings) -> Result<(Store, Loaded), StartError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartError::Io(format!("{}: {e}", settings.data_dir.display())))?;
    let store = Store::open(
        &settings.effective_database_url(),
        settings.max_connections,
        std::time::Duration::from_millis(settings.projection_flush_ms),
        None,
    )
    .await?;
    let restored = crate::recovery::restore(&store).await?;
    crate::recovery::forget_ignored(&store, &restored).await?;
    let loaded = Loaded::read(&store, restored).await?;
    Ok((store, loaded))
}

/// What a hub reads from its store, as its one writer, before it serves. All of it is read before
/// the hub starts, so a database failing meanwhile sends a recovering hub back to waiting
/// ([`crate::standby::open_when_writer`]) rather than out of the process.
pub struct Loaded {
    /// The ledger at the journal's end.
    pub restored: crate::recovery::Restored,
    /// The time of the journal's last entry (Unix seconds), if any.
    pub last_journal_time: Option<i64>,
    /// Nonces still remembered.
    pub nonces: Vec<(
        geo_protocol::Pid,
        geo_protocol::Nonce,
        geo_protocol::Timestamp,
    )>,
    /// The largest event id used.
    pub max_event_id: u64,
}

impl Loaded {
    /// Reads the rest beside the `restored` ledger.
    pub async fn read(
        store: &Store,
        restored: crate::recovery::Restored,
    ) -> Result<Loaded, StorageError> {
        Ok(Loaded {
            restored,
            last_journal_time: store.last_journal_time().await?,
            nonces: store.nonces(now()).await?,
            max_event_id: store.max_event_id().await?,
        })
    }
}

/// `geo-hub check`: replays an existing database's whole journal read-only (beside a running hub,
/// if any), verifying the hash chain, every invariant and every checkpoint. Creates, migrates and
/// applies nothing.
pub async fn check(settings: &Settings) -> Result<crate::recovery::Checked, StartError> {
    let store = Store::open_read_only(&settings.effective_database_url()).await?;
    Ok(crate::recovery::check(&store).await?)
}

async fn bind(settings: &Settings) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| StartError::Io(format!("listen on {}: {e}", settings.listen)))
}

/// Starts a hub and returns once it accepts connections.
pub async fn start(settings: Settings) -> Result<RunningHub, StartError> {
    start_on(settings, None).await
}

/// Starts a hub again in this process after its storage failed ([`RunningHub::abandon`]): it
/// answers `503` on the same socket until the database answers and the writer lock is its own
/// again, then rebuilds the ledger from the journal and serves, with the same sessions.
pub async fn resume(settings: Settings, resume: Resume) -> Result<RunningHub, StartError> {
    start_on(settings, Some(resume)).await
}

async fn start_on(settings: Settings, resume: Option<Resume>) -> Result<RunningHub, StartError> {
    use crate::standby::{open_when_writer, Waiting};
    // A standby listens first (answering 503) and opens the store once the writer lock is free.
    let (store, loaded, listener, sessions) = match resume {
        Some(Resume { listener, sessions }) => {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| StartError::Io(format!("listener: {e}")))?;
            let (store, loaded, listener) =
                open_when_writer(&settings, listener, Waiting::Outage).await?;
            (store, loaded, Some(listener), sessions)
        }
        None if settings.standby => {
            let (store, loaded, listener) =
                open_when_writer(&settings, bind(&settings).await?, Waiting::Standby).await?;
            (store, loaded, Some(listener), Arc::default())
        }
        None => {
            let (store, loaded) = open(&settings).await?;
            (store, loaded, None, Arc::default())
        }
    };
    let restored = loaded.restored;
    let (ledger, checkpoint) = (restored.ledger, restored.checkpoint.unwrap_or(0));
    let replayed_payments = restored.payments;
    tracing::info!(
        checkpoint = restored.checkpoint,
        replayed = restored.replayed,
        ignored = restored.ignored.len(),
        "ledger rebuilt"
    );
    // The hub's time never reads earlier than what its journal has recorded (a clock stepped back
    // while the hub was down).
    if let Some(last) = loaded.last_journal_time {
        let ahead = last - crate::clock::SystemClock.now().unix();
        if ahead > 60 {
            tracing::warn!(
                seconds = ahead,
                "the journal's last entry is later than the wall clock: the hub's time stands \
                 still until the wall clock reaches it (check the machine's clock)"
            );
        }
        crate::clock::never_before(crate::engine::Moment::from_unix_millis(
            last.saturating_mul(1000),
        ));
    }
    let hub = hub_identity(&settings)?;
    // Events stored by an older hub get their bodies from a replay of the journal through a
    // scratch ledger, made as the writer makes them.
    let mut scratch = crate::engine::ledger::Ledger::new();
    let mut bodies = |entry: &crate::engine::journal::JournalEntry| {
        let mut touched = Vec::new();
        scratch.apply_noting(entry, &mut touched);
        let (told, clearings) = writer::told_of(touched, &mut 0, |_, _| {});
        let events = writer::seal_events(&hub, told, &clearings);
        events.into_iter().next().map(|e| e.data)
    };
    let (receipts, events) = store
        .complete_upgrades(
            &|record| crate::engine::receipt::sign_payment_receipt(&hub, record),
            &mut bodies,
        )
        .await?;
    if receipts > 0 {
        tracing::info!(
            filled = receipts,
            "receipts kept in payment rows stored by an older hub"
        );
    }
    if events > 0 {
        tracing::info!(
            filled = events,
            "bodies kept in events stored by an older hub"
        );
    }
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
            recent_payments: crate::engine::payments::RECENT_PAYMENTS,
            #[cfg(feature = "fault-injection")]
            faults: settings.faults.clone(),
        },
        hub.clone(),
    );
    engine.remember_replayed(replayed_payments);
    for (pid, nonce, exp) in loaded.nonces {
        engine.remember_nonce(pid, nonce, exp);
    }
    // Read before the writer runs, which may expire some of them at once (§6 crash recovery).
    let held = crate::federation::held_requests(&store, &engine.cross_hub_holds()).await;
    let engine = Arc::new(RwLock::new(engine));
    let keys = Arc::new(std::sync::RwLock::new(keys));
    let (events, _) = broadcast::channel(8192);
    let next_event_id = loaded.max_event_id;
    let (writer, writer_task) = writer::spawn(
        Arc::new(crate::clock::HubClock),
        engine.clone(),
        store.clone(),
        keys.clone(),
        events.clone(),
        next_event_id,
        WriterConfig {
            max_batch: settings.max_batch,
            queue: settings.max_batch * 4,
            checkpoint_every: settings.checkpoint_every_entries,
            last_checkpoint: checkpoint,
        },
    );
    let listener = match listener {
        Some(l) => l,
        None => bind(&settings).await?,
    };
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Io(e.to_string()))?;
    let (listener, kept) = {
        let std_listener = listener
            .into_std()
            .map_err(|e| StartError::Io(format!("listener: {e}")))?;
        let kept = std_listener
            .try_clone()
            .map_err(|e| StartError::Io(format!("listener: {e}")))?;
        let listener = tokio::net::TcpListener::from_std(std_listener)
            .map_err(|e| StartError::Io(format!("listener: {e}")))?;
        (listener, kept)
    };
    let settings = Arc::new(settings);
    let clearing = ClearingRunner::new(engine.clone(), writer.clone(), settings.clone());
    let state = AppState {
        engine,
        keys,
        writer,
        clearing,
        store: store.clone(),
        hub: Arc::new(hub),
        limiter: Arc::new(RateLimiter::new(
            settings.rate_limit_per_second,
            settings.rate_limit_burst,
        )),
        settings,
        admin_token: Arc::new(std::sync::RwLock::new(admin_token)),
        admin_token_file,
        sessions,
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
    {
        // A lost writer lock (PostgreSQL restarted, the connection cut, its lease renewal
        // unanswered) stops the writer at once: another hub may take over, and this one's memory
        // may not be the database's any more.
        let (store, writer) = (store.clone(), state.writer.clone());
        background.push(tokio::spawn(async move {
            tokio::select! {
                why = store.writer_lock_lost() => {
                    tracing::error!(%why, "the writer lock is lost; the writer stops");
                    writer.fail();
                }
                () = writer.failure() => {}
            }
        }));
    }
    if state.settings.clearing_interval_seconds > 0 {
        let schedule = state.clearing.clone().schedule(state.ready.clone());
        background.push(tokio::spawn(schedule));
    }
    crate::federation::register_own_account(&state.settings, &state.hub, &state.writer)
        .await
        .map_err(|e| StartError::Io(format!("registering the hub's own account: {e}")))?;
    api::set_ready(&state, true);
    crate::federation::resume_held(&state, held);
    tracing::info!(%addr, backend = store.backend(), hub = %state.hub.pid(), journal_entries = entries, "hub started");
    Ok(RunningHub {
        addr,
        state,
        stop: Some(stop),
        server,
        writer: writer_task,
        background,
        listener: kept,
    })
}

impl RunningHub {
    /// Base URL, e.g. `http://127.0.0.1:34567`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Resolves once the hub can no longer write: its writer stopped after a storage failure, or it
    /// lost the writer lock.
    pub async fn storage_failed(&self) {
        self.state.writer.failure().await
    }

    /// After a storage failure: stops serving (requests in flight are answered `503` at once, see
    /// [`api::router`]), stops the writer, gives up the writer lock without waiting for the
    /// database ([`Store::abandon`]), and hands back the listening socket and the sessions for
    /// [`resume`]. Nothing here waits on the database that failed: the hub answers `503` from its
    /// waiting server as soon as this returns.
    pub async fn abandon(mut self) -> Resume {
        use std::time::Duration;
        // Only a connection still sending its request waits this long: every answer in flight
        // is given at once.
        const GRACE: Duration = Duration::from_secs(2);
        api::set_ready(&self.state, false);
        self.state.stopping.send_replace(true);
        self.state.writer.fail();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if tokio::time::timeout(GRACE, &mut self.server).await.is_err() {
            self.server.abort();
        }
        for task in self.background.drain(..) {
            task.abort();
            let _ = task.await;
        }
        let RunningHub {
            state,
            mut writer,
            listener,
            ..
        } = self;
        let (store, sessions) = (state.store.clone(), state.sessions.clone());
        drop(state);
        // The writer stops at its next step; one stuck on the database is dropped instead.
        if tokio::time::timeout(GRACE, &mut writer).await.is_err() {
            writer.abort();
        }
        if let Ok(Err(e)) = tokio::time::timeout(GRACE * 3, store.abandon()).await {
            tracing::warn!(error = %e, "closing the failed store");
        }
        drop(store);
        Resume { listener, sessions }
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
