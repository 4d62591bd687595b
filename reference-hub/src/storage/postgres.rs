//! PostgreSQL: its migrations and dialect for the shared queries (`queries.rs`); the batch writer
//! and projector is `projector.rs`.

mod projector;
pub mod session;

use sqlx::migrate::Migrator;
use sqlx::Postgres;

use super::queries::Queries;
pub use projector::PgProjector;

impl Queries for Postgres {
    fn migrator() -> Migrator {
        sqlx::migrate!("./migrations/postgres")
    }

    fn rows_affected(result: &sqlx::postgres::PgQueryResult) -> u64 {
        result.rows_affected()
    }

    const HAS_MIGRATION_TABLE: &'static str =
        "SELECT to_regclass('_sqlx_migrations') IS NOT NULL AS present";
}
