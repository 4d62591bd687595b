//! One writer per database: the lock a hub holds for as long as it writes.
//!
//! Two writers on one journal corrupt each other's view (each applies and deletes the other's
//! projection outbox rows), so the writer takes an exclusive lock before it recovers or writes
//! anything, and a second hub, or a `geo-hub check` that wants to write, is refused at once.
//!
//! - SQLite: an advisory `flock` on `<database>.lock` beside the database file. The kernel releases
//!   it when the process dies, so a crashed hub never leaves a stale lock.
//! - PostgreSQL: a session-level advisory lock held on a dedicated connection; the server releases
//!   it when that connection ends, also when the hub is killed.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use super::StorageError;

/// The PostgreSQL advisory lock key of the hub's writer ("GEO-WRTR" as a big-endian `i64`).
/// Advisory locks are scoped to one database, so hubs on different databases never contend.
pub const POSTGRES_LOCK_KEY: i64 = i64::from_be_bytes(*b"GEO-WRTR");

/// Held while this process is the database's one writer; released when dropped.
#[derive(Debug)]
pub enum WriterLock {
    /// The locked lock file of an SQLite database.
    File(File, PathBuf),
    /// The connection that holds the advisory lock.
    Postgres(PgConnection),
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
            .map_err(|e| StorageError::Writer(format!("{}: {e}", path.display())))?;
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

    /// Takes the writer's advisory lock on the PostgreSQL database, or says that another hub has it.
    pub async fn postgres(options: &PgConnectOptions) -> Result<WriterLock, StorageError> {
        let mut conn = options.connect().await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(POSTGRES_LOCK_KEY)
            .fetch_one(&mut conn)
            .await?;
        if !locked {
            let _ = conn.close().await;
            return Err(StorageError::Locked(
                "another hub is writing to this PostgreSQL database (it holds the writer's advisory \
                 lock); stop it first, or use `geo-hub check`, which only reads"
                    .into(),
            ));
        }
        Ok(WriterLock::Postgres(conn))
    }

    /// Releases the lock now (dropping it does the same, less politely on PostgreSQL).
    pub async fn release(self) {
        match self {
            WriterLock::File(file, _) => drop(file),
            WriterLock::Postgres(mut conn) => {
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(POSTGRES_LOCK_KEY)
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        }
    }
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
