//! `geo-hub backup FILE` and `geo-hub restore FILE` for the embedded SQLite database.
//!
//! A backup is SQLite's online backup of the whole database (journal, projections, outbox) taken
//! in one read transaction, so it is consistent while the hub keeps writing; it is written beside
//! its target and renamed into place only once complete and checked (hash chain and invariants
//! replayed), so a file with the final name is always a whole, valid backup. Restore checks the
//! backup the same way, copies it into a data folder that has no database yet, and checks the copy.
//! `hub.key` (the hub's identity) and `admin.token` are files beside the database, not in it: back
//! them up too. PostgreSQL is backed up with its own tools ([`POSTGRES_GUIDANCE`]).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::{Connection, OpenFlags};
use sqlx::sqlite::SqliteConnectOptions;

use crate::config::Settings;
use crate::engine::ledger::Ledger;

/// What to do instead on PostgreSQL.
pub const POSTGRES_GUIDANCE: &str = "\
geo-hub backup/restore handle the embedded SQLite database only. For PostgreSQL use its own tools,
which take a consistent snapshot while the hub runs:
  pg_dump --format=custom --file=geo.dump \"$DATABASE_URL\"
  createdb geo_restored && pg_restore --no-owner --dbname=postgres://…/geo_restored geo.dump
  geo-hub --database-url postgres://…/geo_restored check     # same journal head hash
Keep hub.key (the hub's identity) and admin.token with the dump: they are not in the database.";

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL.
    #[error("{POSTGRES_GUIDANCE}")]
    Postgres,
    /// Refused to overwrite something.
    #[error("{0} already exists; move it away first (nothing was changed)")]
    Exists(String),
    /// The source is missing.
    #[error("{0} does not exist")]
    Missing(String),
    /// SQLite failed.
    #[error("{path}: {why}")]
    Sqlite {
        /// Which file.
        path: String,
        /// What SQLite said.
        why: String,
    },
    /// The copy does not replay: it is not a whole, valid hub database.
    #[error("{path} is not a valid hub database: {why}")]
    Invalid {
        /// Which file.
        path: String,
        /// What the check found.
        why: String,
    },
}

/// The outcome: where, how many journal entries, and the head hash.
#[derive(Debug)]
pub struct Copied {
    /// The written file.
    pub path: PathBuf,
    /// Journal entries in it.
    pub journal_entries: u64,
    /// Hash of its last journal entry.
    pub head_hash: Option<String>,
}

/// The SQLite file of the settings' database, or [`BackupError::Postgres`].
pub fn sqlite_file(settings: &Settings) -> Result<PathBuf, BackupError> {
    let url = settings.effective_database_url();
    if !url.starts_with("sqlite:") {
        return Err(BackupError::Postgres);
    }
    let opts = SqliteConnectOptions::from_str(&url).map_err(|e| BackupError::Sqlite {
        path: url.clone(),
        why: e.to_string(),
    })?;
    Ok(opts.get_filename().to_owned())
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |e| BackupError::Sqlite {
        path: path.display().to_string(),
        why: e.to_string(),
    }
}

/// Copies `from` into a new file `to` with SQLite's online backup (a few hundred pages at a time,
/// so a live writer is never blocked for long), via `<to>.partial`.
fn copy(from: &Path, to: &Path) -> Result<PathBuf, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Missing(from.display().to_string()));
    }
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    let _ = std::fs::remove_file(&partial);
    let src = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error(from))?;
    src.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(sqlite_error(from))?;
    {
        let mut dst = Connection::open(&partial).map_err(sqlite_error(&partial))?;
        let backup =
            rusqlite::backup::Backup::new(&src, &mut dst).map_err(sqlite_error(&partial))?;
        backup
            .run_to_completion(256, std::time::Duration::from_millis(5), None)
            .map_err(sqlite_error(&partial))?;
    }
    Ok(partial)
}

/// Replays a finished copy read-only: the same check as `geo-hub check`.
async fn verify(path: &Path) -> Result<Ledger, BackupError> {
    let invalid = |why: String| BackupError::Invalid {
        path: path.display().to_string(),
        why,
    };
    let store = crate::storage::Store::open_read_only(&format!("sqlite:{}", path.display()))
        .await
        .map_err(|e| invalid(e.to_string()))?;
    let ledger = crate::app::replay(&store)
        .await
        .map_err(|e| invalid(e.to_string()));
    let _ = store.close().await;
    ledger
}

async fn finish(partial: PathBuf, to: &Path) -> Result<Copied, BackupError> {
    let ledger = match verify(&partial).await {
        Ok(l) => l,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", partial.display()));
    }
    std::fs::rename(&partial, to).map_err(|e| BackupError::Sqlite {
        path: to.display().to_string(),
        why: e.to_string(),
    })?;
    Ok(Copied {
        path: to.to_owned(),
        journal_entries: ledger.last_seq,
        head_hash: ledger.last_hash.map(|h| h.to_string()),
    })
}

/// `geo-hub backup FILE`: a consistent copy of the hub's database, running or not.
pub async fn backup(settings: &Settings, to: &Path) -> Result<Copied, BackupError> {
    let from = sqlite_file(settings)?;
    let partial = copy(&from, to)?;
    finish(partial, to).await
}

/// `geo-hub restore FILE`: checks a backup and makes it the database of a data folder that has none.
pub async fn restore(settings: &Settings, from: &Path) -> Result<Copied, BackupError> {
    let to = sqlite_file(settings)?;
    verify(from).await?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| BackupError::Sqlite {
            path: dir.display().to_string(),
            why: e.to_string(),
        })?;
    }
    for leftover in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{leftover}", to.display()));
        if p.exists() {
            return Err(BackupError::Exists(p.display().to_string()));
        }
    }
    let partial = copy(from, &to)?;
    finish(partial, &to).await
}
