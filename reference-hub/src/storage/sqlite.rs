//! SQLite: its migrations and dialect for the shared queries (`queries.rs`, on the sqlx pool); the
//! batch writer is `writer.rs`, on its own rusqlite connection.

mod file_identity;
mod writer;

use sqlx::migrate::Migrator;
use sqlx::Sqlite;

use super::queries::Queries;
pub use writer::SqliteWriter;

impl Queries for Sqlite {
    fn migrator() -> Migrator {
        sqlx::migrate!("./migrations/sqlite")
    }

    fn rows_affected(result: &sqlx::sqlite::SqliteQueryResult) -> u64 {
        result.rows_affected()
    }

    const HAS_MIGRATION_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = '_sqlx_migrations') AS present";
}
