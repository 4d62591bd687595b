//! One writer per database: the lock a hub holds for as long as it writes.
//!
//! Two writers on one journal corrupt each other's view (each applies and deletes the other's
//! projection outbox rows), so the writer takes an exclusive lock before it recovers or writes
//! anything, and a second hub, or a `geo-hub check` that wants to write, is refused at once.
//!
//! - SQLite: an advisory `flock` on `<database>.lock` beside the database file. The kernel releases
//!   it when the process dies, so a crashed hub never leaves a stale lock.
//! - PostgreSQL: a session-level advisory lock held on a dedicated connection; the server releases
//!   it when that connection ends, also when the hub is killed, and within about 11 s when the
//!   network between them fails (the session's keepalive bounds, [`super::postgres::session`]).
//!
//! A PostgreSQL writer renews a lease on its lock: its lock connection runs a statement every
//! [`RENEW_EVERY`] from the moment it takes the lock, which the server records in
//! `pg_stat_activity.query_start`. A hub that finds the lock taken says who holds it (backend pid,
//! session name, address, since when, last heard). A waiting hub (a standby, or one recovering)
//! given a lease ends every session of a holder not heard for longer than the lease (its process
//! stopped or frozen, while its machine still answers TCP so the connection never breaks) with
//! `pg_terminate_backend`, and takes the lock at its next try. The stopped writer, once it runs
//! again, finds its lock connection gone at its next renewal and steps down; a batch it sends
//! meanwhile fails on its terminated connections, or, on a connection opened since, on the check
//! each batch makes before its commit that its lock connection still holds the lock
//! ([`HOLDS_LOCK_SQL`]).
//!
//! The writer counts on its lock only for [`HOLD_FOR`] after sending the last renewal the server
//! answered: a renewal unanswered by then (the database cut off by the network, which may drop
//! packets without refusing anything) or failed marks the lock lost ([`WriterLock::lost`]), and
//! the hub stops acknowledging at once. Measured from its sending, the writer's own deadline ends
//! before the server has seen the lock connection silent for `HOLD_FOR`, so before any lease a
//! waiting hub may be given (at least 3 s) runs out: a writer steps down before anyone may end it.
//! That is what a hub answers `503` on; whether a commit may land is decided by the database
//! alone (the check in each batch's transaction, and the next writer's fence).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, Row};

use super::StorageError;

/// The PostgreSQL advisory lock key of the hub's writer ("GEO-WRTR" as a big-endian `i64`).
/// Advisory locks are scoped to one database, so hubs on different databases never contend.
pub const POSTGRES_LOCK_KEY: i64 = i64::from_be_bytes(*b"GEO-WRTR");

/// Held while this process is the database's one writer; released when dropped.
#[derive(Debug)]
pub enum WriterLock {
    /// The locked lock file of an SQLite database.
    File(File, PathBuf),
    /// The connection that holds the advisory lock, renewed by a task (its lease) until released,
    /// and its server process.
    Postgres(Arc<tokio::sync::Mutex<PgConnection>>, Renewal, i32),
}

/// How often a PostgreSQL writer renews its lease (a statement on its lock connection).
pub const RENEW_EVERY: Duration = Duration::from_millis(500);

/// How long a PostgreSQL writer counts on its lock after sending the last renewal the server
/// answered. Shorter than the shortest lease a waiting hub may be given (3 s, `config.rs`), so a
/// writer cut off from its database steps down before a standby may end its sessions.
pub const HOLD_FOR: Duration = Duration::from_secs(2);

/// The task renewing a lease (stopped when dropped), and why the lock was lost once it is.
#[derive(Debug)]
pub struct Renewal {
    task: tokio::task::JoinHandle<()>,
    lost: tokio::sync::watch::Receiver<Option<String>>,
}

impl Renewal {
    /// Renews the lease held on `conn` (taken by a statement sent at `taken`) until the connection
    /// is dropped, the renewal stopped, or the lock lost.
    fn start(conn: Weak<tokio::sync::Mutex<PgConnection>>, taken: tokio::time::Instant) -> Self {
        let (lose, lost) = tokio::sync::watch::channel(None);
        let task = tokio::spawn(async move {
            if let Some(why) = renew(conn, taken).await {
                lose.send_replace(Some(why));
                // Kept open, so those waiting for the loss see it rather than the end of the task.
                std::future::pending::<()>().await;
            }
        });
        Renewal { task, lost }
    }
}

impl Drop for Renewal {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Renews the lease every [`RENEW_EVERY`] while `conn` lives; why the lock was lost, if it was
/// (a renewal failed, or none was answered within [`HOLD_FOR`] of sending the last answered one).
async fn renew(
    conn: Weak<tokio::sync::Mutex<PgConnection>>,
    mut confirmed: tokio::time::Instant,
) -> Option<String> {
    loop {
        tokio::time::sleep(RENEW_EVERY).await;
        let conn = conn.upgrade()?;
        let sent = tokio::time::Instant::now();
        let renewal = async {
            sqlx::query("SELECT 1")
                .execute(&mut *conn.lock().await)
                .await
        };
        match tokio::time::timeout_at(confirmed + HOLD_FOR, renewal).await {
            Ok(Ok(_)) => confirmed = sent,
            Ok(Err(e)) => return Some(format!("its connection failed: {e}")),
            Err(_) => {
                return Some(format!(
                    "the database has not answered its lease renewal within {HOLD_FOR:?}"
                ))
            }
        }
    }
}

/// The session holding a PostgreSQL writer lock, as `pg_stat_activity` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    /// The server process of its lock connection.
    pub backend_pid: i32,
    /// Its session name (`geo-hub <os pid> s<n>` for a hub).
    pub application_name: String,
    /// Its client address, if over TCP.
    pub client: Option<String>,
    /// When its lock connection began (UTC, to the second).
    pub since: String,
    /// Seconds since it last renewed its lease (its last statement began).
    pub silent_s: f64,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "backend pid {} (application_name \"{}\", from {}, connected since {}, last heard \
             {:.1} s ago)",
            self.backend_pid,
            self.application_name,
            self.client.as_deref().unwrap_or("a local socket"),
            self.since,
            self.silent_s
        )
    }
}

impl WriterLock {
    /// Locks the SQLite database at `database` (through `<database>.lock`), or says who holds it.
    pub fn sqlite(database: &Path) -> Result<WriterLock, StorageError> {
        let mut name = database.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    StorageError::NotWritable(path.clone())
                }
                _ => StorageError::Writer(format!("{}: {e}", path.display())),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock::File(file, path)),
            Err(TryLockError::WouldBlock) => Err(StorageError::Locked(format!(
                "another hub is writing to {} (it holds {}); stop it first, or use `geo-hub check`, \
                 which only reads",
                database.display(),
                path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(StorageError::Writer(format!(
                "{}: cannot lock: {e}",
                path.display()
            ))),
        }
    }

    /// Takes the writer's advisory lock on the PostgreSQL database, or says which session has it.
    /// With a `lease`, a holder silent for longer than it has all its sessions ended (the lock is
    /// then taken at the next try).
    pub async fn postgres(
        options: &PgConnectOptions,
        lease: Option<Duration>,
    ) -> Result<WriterLock, StorageError> {
        // A database cut off by the network may accept nothing and refuse nothing: each try is
        // bounded, so a hub waiting for it answers meanwhile and tries again.
        tokio::time::timeout(super::ACQUIRE_TIMEOUT, Self::try_postgres(options, lease))
            .await
            .unwrap_or_else(|_| {
                Err(StorageError::Writer(format!(
                    "the database did not answer within {:?} while the writer lock was taken",
                    super::ACQUIRE_TIMEOUT
                )))
            })
    }

    async fn try_postgres(
        options: &PgConnectOptions,
        lease: Option<Duration>,
    ) -> Result<WriterLock, StorageError> {
        let mut conn = options.connect().await?;
        let taken = tokio::time::Instant::now();
        let (locked, backend_pid): (bool, i32) =
            sqlx::query_as("SELECT pg_try_advisory_lock($1), pg_backend_pid()")
                .bind(POSTGRES_LOCK_KEY)
                .fetch_one(&mut conn)
                .await?;
        if !locked {
            let holder = holder(&mut conn).await?;
            let mut said = match &holder {
                Some(h) => format!("it is held by {h}"),
                None => "its holder just left".to_owned(),
            };
            if let (Some(h), Some(lease)) = (&holder, lease) {
                if h.silent_s > lease.as_secs_f64() {
                    match end_sessions(&mut conn, h).await {
                        Ok(ended) => {
                            tracing::warn!(
                                holder = %h,
                                lease_s = lease.as_secs_f64(),
                                sessions = ended,
                                "the writer holding the lock has not renewed its lease: its \
                                 sessions are ended, and this hub takes over"
                            );
                            said.push_str(&format!(
                                "; its lease ran out, {ended} of its sessions were ended"
                            ));
                        }
                        Err(e) => said.push_str(&format!(
                            "; its lease ran out, but its sessions cannot be ended: {e}"
                        )),
                    }
                }
            }
            let _ = conn.close().await;
            return Err(StorageError::Locked(format!(
                "another hub is writing to this PostgreSQL database (it holds the writer's advisory \
                 lock; {said}); stop it first, or use `geo-hub check`, which only reads"
            )));
        }
        let conn = Arc::new(tokio::sync::Mutex::new(conn));
        let renewal = Renewal::start(Arc::downgrade(&conn), taken);
        Ok(WriterLock::Postgres(conn, renewal, backend_pid))
    }

    /// The server process of a PostgreSQL lock's connection (none for SQLite).
    pub fn backend_pid(&self) -> Option<i32> {
        match self {
            WriterLock::Postgres(_, _, pid) => Some(*pid),
            WriterLock::File(..) => None,
        }
    }

    /// Why this lock is lost, once it is: it resolves then (never for SQLite's, which cannot be
    /// lost, nor once released).
    pub fn lost(&self) -> impl std::future::Future<Output = String> + Send + 'static {
        let lost = match self {
            WriterLock::Postgres(_, renewal, _) => Some(renewal.lost.clone()),
            WriterLock::File(..) => None,
        };
        async move {
            let Some(mut lost) = lost else {
                return std::future::pending().await;
            };
            let why = lost
                .wait_for(Option::is_some)
                .await
                .ok()
                .map(|why| why.clone().unwrap_or_default());
            match why {
                Some(why) => why,
                // Released: not lost, and never will be now.
                None => std::future::pending().await,
            }
        }
    }

    /// True once the lock is known lost ([`WriterLock::lost`]).
    pub fn is_lost(&self) -> bool {
        match self {
            WriterLock::Postgres(_, renewal, _) => renewal.lost.borrow().is_some(),
            WriterLock::File(..) => false,
        }
    }

    /// Releases the lock now (dropping it does the same, less politely on PostgreSQL). A lock
    /// known lost is just dropped: its connection may not answer.
    pub async fn release(self) {
        match self {
            WriterLock::File(file, _) => drop(file),
            WriterLock::Postgres(conn, renewal, _) => {
                let lost = renewal.lost.borrow().is_some();
                drop(renewal);
                if lost {
                    return;
                }
                let unlock = async {
                    sqlx::query("SELECT pg_advisory_unlock($1)")
                        .bind(POSTGRES_LOCK_KEY)
                        .execute(&mut *conn.lock().await)
                        .await
                };
                // Bounded: dropping the connection releases the lock too, less politely.
                if tokio::time::timeout(HOLD_FOR, unlock).await.is_err() {
                    return;
                }
                // The stopped renewal task may still hold the connection for a moment: then it is
                // dropped rather than closed.
                if let Ok(conn) = Arc::try_unwrap(conn) {
                    let _ = tokio::time::timeout(HOLD_FOR, conn.into_inner().close()).await;
                }
            }
        }
    }
}

/// SQL true while the server process `$1` holds the writer lock (`$2`, `$3`: the key's high and low
/// halves, [`key_halves`]). `pg_locks` is read live, not from the statement's snapshot.
pub const HOLDS_LOCK_SQL: &str =
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
     AND granted AND objsubid = 1 AND pid = $1 AND classid::bigint = $2 AND objid::bigint = $3)";

/// The writer lock key as `pg_locks` shows it: its high and low 32 bits.
pub fn key_halves() -> (i64, i64) {
    let key = POSTGRES_LOCK_KEY as u64;
    ((key >> 32) as i64, (key & 0xffff_ffff) as i64)
}

/// The session holding the writer lock of the database `conn` is on, if any.
async fn holder(conn: &mut PgConnection) -> Result<Option<Holder>, StorageError> {
    let (high, low) = key_halves();
    // A bigint advisory key is shown as its high and low 32 bits (`objsubid` 1).
    let row = sqlx::query(
        "SELECT a.pid, coalesce(a.application_name, '') AS name, host(a.client_addr) AS client, \
         to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS since, \
         extract(epoch FROM clock_timestamp() - coalesce(a.query_start, a.backend_start))::float8 AS silent \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND l.classid::bigint = $1 AND l.objid::bigint = $2",
    )
    .bind(high)
    .bind(low)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(Holder {
        backend_pid: row.try_get("pid")?,
        application_name: row.try_get("name")?,
        client: row.try_get("client")?,
        since: row.try_get("since")?,
        silent_s: row.try_get("silent")?,
    }))
}

/// Ends every session of the holder's process (all named as its lock connection is; only its lock
/// connection when it has no name), so none of its transactions still holds the journal. Returns
/// how many were ended.
async fn end_sessions(conn: &mut PgConnection, h: &Holder) -> Result<u64, StorageError> {
    // Selected first (materialized): in one WHERE clause the server may call
    // `pg_terminate_backend` before the other conditions, on every session.
    let ended: i64 = sqlx::query_scalar(
        "WITH doomed AS MATERIALIZED (SELECT pid FROM pg_stat_activity \
         WHERE pid <> pg_backend_pid() AND (pid = $1 OR ($2 <> '' AND application_name = $2))) \
         SELECT count(*) FROM doomed WHERE pg_terminate_backend(pid)",
    )
    .bind(h.backend_pid)
    .bind(&h.application_name)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ended as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sqlite_lock_on_one_database_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("geo.db");
        let first = WriterLock::sqlite(&db).unwrap();
        let err = WriterLock::sqlite(&db).unwrap_err();
        assert!(matches!(err, StorageError::Locked(_)), "{err:?}");
        assert!(err.to_string().contains("another hub"), "{err}");
        // Another database in the same folder is not affected.
        WriterLock::sqlite(&dir.path().join("other.db")).unwrap();
        drop(first);
        WriterLock::sqlite(&db).unwrap();
    }
}
