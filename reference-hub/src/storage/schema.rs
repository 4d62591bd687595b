//! Which database schemas this build can open, and the refusals that say why it cannot.
//!
//! The migrations a database has applied name its schema. A hub refuses a database that has a
//! migration it does not know (written by a newer hub: downgrading would lose or misread data),
//! and `geo-hub check`, which never migrates, also refuses an older one.

use sqlx::migrate::Migrator;

/// Why a database cannot be opened as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// Nothing at the path (a read-only open never creates a database).
    #[error("no hub database at {0}: check --data-dir / --database-url")]
    Missing(String),
    /// The database has no migration table: it was never a hub's.
    #[error("{0} is not a GEO hub database (it has no schema history)")]
    Foreign(String),
    /// Migrations this build does not know were applied: a newer hub wrote it.
    #[error(
        "the database has schema version {found}, newer than this hub's {known}: it was written by a \
         newer geo-hub; run that version (or newer), downgrades are not supported"
    )]
    Newer {
        /// The newest version applied to the database.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// Migrations of this build are missing (only a writer applies them).
    #[error(
        "the database has schema version {found}, older than this hub's {known}: start geo-hub once \
         to upgrade it, then check again"
    )]
    Older {
        /// The newest version applied to the database.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
}

fn newest(versions: impl Iterator<Item = i64>) -> i64 {
    versions.max().unwrap_or(0)
}

/// Checks the applied migration `versions` against `migrator`'s. A writer (`may_upgrade`) accepts
/// an older schema, which it then migrates.
pub fn check(versions: &[i64], migrator: &Migrator, may_upgrade: bool) -> Result<(), SchemaError> {
    let known = newest(migrator.iter().map(|m| m.version));
    let found = newest(versions.iter().copied());
    if versions
        .iter()
        .any(|v| !migrator.iter().any(|m| m.version == *v))
    {
        return Err(SchemaError::Newer { found, known });
    }
    if !may_upgrade && migrator.iter().any(|m| !versions.contains(&m.version)) {
        return Err(SchemaError::Older { found, known });
    }
    Ok(())
}

/// [`check`] for a read-only open of the database called `name`, whose migration table may be absent.
pub fn check_read_only(
    versions: Option<Vec<i64>>,
    migrator: &Migrator,
    name: &str,
) -> Result<(), SchemaError> {
    match versions {
        None => Err(SchemaError::Foreign(name.to_owned())),
        Some(v) => check(&v, migrator, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrator() -> Migrator {
        sqlx::migrate!("./migrations/sqlite")
    }

    #[test]
    fn newer_older_and_foreign_schemas_are_named() {
        let m = migrator();
        let all: Vec<i64> = m.iter().map(|m| m.version).collect();
        let known = *all.last().unwrap();
        assert_eq!(check(&all, &m, false), Ok(()));
        let mut newer = all.clone();
        newer.push(known + 1);
        assert_eq!(
            check(&newer, &m, true),
            Err(SchemaError::Newer {
                found: known + 1,
                known
            })
        );
        let older = &all[..all.len() - 1];
        assert_eq!(check(older, &m, true), Ok(()));
        assert!(matches!(
            check(older, &m, false),
            Err(SchemaError::Older { .. })
        ));
        assert_eq!(
            check_read_only(None, &m, "x.db"),
            Err(SchemaError::Foreign("x.db".into()))
        );
    }
}
