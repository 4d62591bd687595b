//! The database file and its write-ahead log, as the writer opened them.
//!
//! A file removed or replaced under a running hub (an operator's `mv` or `rm`, a backup restored
//! over it) is not noticed by SQLite: the open handles keep writing into the old file, which no
//! restart reads, so every payment acknowledged after that would be lost. The writer compares the
//! paths with what it opened after each commit and stops the hub, before the answer, when they
//! differ ([`StorageError::Displaced`], a [`FailureKind::Corruption`](crate::storage::FailureKind)).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::storage::StorageError;

/// What each path named when the writer opened it.
#[derive(Debug)]
pub(super) struct FileIdentity {
    /// `(path, (device, inode))`; `None` for a log that did not exist yet.
    files: Vec<(PathBuf, Option<(u64, u64)>)>,
}

impl FileIdentity {
    /// The files `db` and `db-wal` name now (the log's is noted when it first exists).
    pub(super) fn of(db: &Path) -> FileIdentity {
        let mut wal = OsString::from(db.as_os_str());
        wal.push("-wal");
        let files = [db.to_path_buf(), PathBuf::from(wal)]
            .into_iter()
            .map(|p| {
                let id = identity(&p);
                (p, id)
            })
            .collect();
        FileIdentity { files }
    }

    /// `Err(Displaced)` naming the first path that is gone or now names another file.
    pub(super) fn check(&mut self) -> Result<(), StorageError> {
        for (path, opened) in &mut self.files {
            match (*opened, identity(path)) {
                (Some(was), Some(now)) if was == now => {}
                (None, now) => *opened = now,
                _ => return Err(StorageError::Displaced(path.display().to_string())),
            }
        }
        Ok(())
    }
}

/// `(device, inode)` of the file at `path`, if there is one.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere files have no inode to compare: nothing is checked.
#[cfg(not(unix))]
fn identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_moved_away_or_replaced_is_named_and_one_left_alone_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.db");
        std::fs::write(&db, b"x").unwrap();
        let mut files = FileIdentity::of(&db);
        files.check().unwrap();
        // The log appears later: noted, not a displacement.
        std::fs::write(dir.path().join("hub.db-wal"), b"w").unwrap();
        files.check().unwrap();
        // Replaced by a copy (a restore over it): another inode at the same path.
        std::fs::copy(&db, dir.path().join("copy")).unwrap();
        std::fs::rename(dir.path().join("copy"), &db).unwrap();
        let err = files.check().unwrap_err();
        assert!(
            matches!(&err, StorageError::Displaced(p) if p.ends_with("hub.db")),
            "{err:?}"
        );
        // The log removed.
        let mut files = FileIdentity::of(&db);
        std::fs::remove_file(dir.path().join("hub.db-wal")).unwrap();
        let err = files.check().unwrap_err();
        assert!(
            matches!(&err, StorageError::Displaced(p) if p.ends_with("hub.db-wal")),
            "{err:?}"
        );
        assert_eq!(err.kind(), crate::storage::FailureKind::Corruption);
    }
}
