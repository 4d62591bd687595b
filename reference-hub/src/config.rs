//! Configuration: command-line flags, then environment variables (`GEO_…`), then an optional TOML file,
//! then the defaults in [`Settings::default`] — the one place every default lives.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// Every setting of a running hub, with defaults applied.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Folder for the SQLite file, the hub key and the admin token.
    pub data_dir: PathBuf,
    /// `sqlite:PATH` or `postgres://…`; empty means `sqlite:<data_dir>/hub.db`.
    pub database_url: String,
    /// File holding the hub's Ed25519 seed (hex); empty means `<data_dir>/hub.key`, created if missing.
    pub hub_key_file: String,
    /// Operator token for `/api/v1/admin`; empty means `<data_dir>/admin.token`, created if missing.
    pub admin_token: String,
    /// Default and maximum hops per payment path.
    pub max_hops: u8,
    /// Default and maximum paths per payment.
    pub max_paths: u16,
    /// Longest hold a payer may ask for, in seconds.
    pub max_hold_seconds: u32,
    /// Longest accepted validity window of a signed message, in seconds.
    pub max_validity_seconds: i64,
    /// Accepted clock skew of `created_at`, in seconds.
    pub max_clock_skew_seconds: i64,
    /// Lifetime of a login challenge, in seconds.
    pub challenge_ttl_seconds: i64,
    /// Lifetime of an access token, in seconds.
    pub access_token_ttl_seconds: i64,
    /// Lifetime of a refresh token, in seconds.
    pub refresh_token_ttl_seconds: i64,
    /// Sustained requests per second per key (0 disables rate limiting).
    pub rate_limit_per_second: u32,
    /// Burst size per key.
    pub rate_limit_burst: u32,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Per-request time limit, in milliseconds.
    pub request_timeout_ms: u64,
    /// Origins allowed by CORS (`*` for any; empty disables CORS headers).
    pub cors_origins: Vec<String>,
    /// Most commands the writer applies per batch (group commit size).
    pub max_batch: usize,
    /// Database connections.
    pub max_connections: u32,
    /// Longest wait, in milliseconds, before acknowledged changes reach the query tables
    /// (reads never wait for it: they apply pending changes first). Longer means fewer page writes.
    pub projection_flush_ms: u64,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// Longest cycle the local clearing pass sets off right after each payment (0: off).
    pub clearing_cycle_len: usize,
    /// Seconds between scheduled optimal clearing passes (0: off; operators can still run one).
    pub clearing_interval_seconds: u64,
    /// Seconds a clearing proposal waits for consent.
    pub clearing_proposal_ttl_seconds: i64,
    /// Deliberate protocol violations (conformance suite tests only; never read from files or flags).
    #[cfg(feature = "fault-injection")]
    #[serde(skip)]
    pub faults: crate::faults::Faults,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".parse().expect("valid address"),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            hub_key_file: String::new(),
            admin_token: String::new(),
            max_hops: 6,
            max_paths: 16,
            max_hold_seconds: 300,
            max_validity_seconds: 600,
            max_clock_skew_seconds: 60,
            challenge_ttl_seconds: 300,
            access_token_ttl_seconds: 900,
            refresh_token_ttl_seconds: 30 * 24 * 3600,
            rate_limit_per_second: 50,
            rate_limit_burst: 200,
            max_body_bytes: 64 * 1024,
            request_timeout_ms: 10_000,
            cors_origins: Vec::new(),
            max_batch: 4096,
            max_connections: 8,
            projection_flush_ms: 500,
            log_format: "text".into(),
            clearing_cycle_len: 6,
            clearing_interval_seconds: 60,
            clearing_proposal_ttl_seconds: 600,
            #[cfg(feature = "fault-injection")]
            faults: Default::default(),
        }
    }
}

/// Why the configuration is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML file cannot be read or parsed.
    #[error("config file {path}: {why}")]
    File {
        /// Which file.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// A value is out of range.
    #[error("invalid setting {0}")]
    Invalid(String),
}

/// The `geo-hub` command line.
#[derive(Debug, Parser)]
#[command(name = "geo-hub", version, about = "The GEO reference community hub")]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Settings overrides.
    #[command(flatten)]
    pub overrides: Overrides,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Run the hub (the default).
    Serve,
    /// Print the OpenAPI document.
    Openapi,
    /// Replay the journal, verify the hash chain and every invariant, and exit.
    Check,
    /// Copy the SQLite database to FILE, consistently, while the hub runs (PostgreSQL: prints
    /// pg_dump guidance). hub.key and admin.token are not in it: keep them too.
    Backup {
        /// The backup to write (must not exist).
        file: PathBuf,
    },
    /// Check a backup and make it the database of the data folder (which must have none).
    Restore {
        /// The backup to read.
        file: PathBuf,
    },
    /// Operate a running hub: equivalents, participants, totals, clearing, integrity, token.
    Admin(crate::admin::AdminArgs),
}

/// Flags and environment variables; each overrides the file and the defaults.
#[derive(Debug, Default, Args)]
pub struct Overrides {
    /// TOML file with settings.
    #[arg(long, env = "GEO_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "GEO_LISTEN", global = true)]
    pub listen: Option<SocketAddr>,
    /// Data folder.
    #[arg(long, env = "GEO_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// `sqlite:PATH` or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Hub key file.
    #[arg(long, env = "GEO_HUB_KEY_FILE", global = true)]
    pub hub_key_file: Option<String>,
    /// Operator token (`admin`: the token to send; default <data-dir>/admin.token).
    #[arg(
        long,
        visible_alias = "token",
        env = "GEO_ADMIN_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub admin_token: Option<String>,
    /// Default and maximum hops per path.
    #[arg(long, env = "GEO_MAX_HOPS", global = true)]
    pub max_hops: Option<u8>,
    /// Default and maximum paths per payment.
    #[arg(long, env = "GEO_MAX_PATHS", global = true)]
    pub max_paths: Option<u16>,
    /// Longest hold, seconds.
    #[arg(long, env = "GEO_MAX_HOLD_SECONDS", global = true)]
    pub max_hold_seconds: Option<u32>,
    /// Requests per second per key (0 disables).
    #[arg(long, env = "GEO_RATE_LIMIT_PER_SECOND", global = true)]
    pub rate_limit_per_second: Option<u32>,
    /// Burst per key.
    #[arg(long, env = "GEO_RATE_LIMIT_BURST", global = true)]
    pub rate_limit_burst: Option<u32>,
    /// CORS origins, comma separated.
    #[arg(long, env = "GEO_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Option<Vec<String>>,
    /// Most milliseconds before acknowledged changes reach the query tables.
    #[arg(long, env = "GEO_PROJECTION_FLUSH_MS", global = true)]
    pub projection_flush_ms: Option<u64>,
    /// Log format: text or json.
    #[arg(long, env = "GEO_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Longest cycle of the local clearing pass (0: off).
    #[arg(long, env = "GEO_CLEARING_CYCLE_LEN", global = true)]
    pub clearing_cycle_len: Option<usize>,
    /// Seconds between scheduled optimal clearing passes (0: off).
    #[arg(long, env = "GEO_CLEARING_INTERVAL_SECONDS", global = true)]
    pub clearing_interval_seconds: Option<u64>,
}

impl Settings {
    /// Defaults, then the TOML file (if any), then the overrides.
    pub fn resolve(o: &Overrides) -> Result<Settings, ConfigError> {
        let mut s = match &o.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
                    path: path.display().to_string(),
                    why: e.to_string(),
                })?;
                toml::from_str::<Settings>(&text).map_err(|e| ConfigError::File {
                    path: path.display().to_string(),
                    why: e.to_string(),
                })?
            }
            None => Settings::default(),
        };
        macro_rules! take {
            ($($f:ident),*) => {$( if let Some(v) = &o.$f { s.$f = v.clone(); } )*};
        }
        take!(
            listen,
            data_dir,
            database_url,
            hub_key_file,
            admin_token,
            max_hops,
            max_paths,
            max_hold_seconds
        );
        take!(
            rate_limit_per_second,
            rate_limit_burst,
            cors_origins,
            projection_flush_ms,
            log_format,
            clearing_cycle_len,
            clearing_interval_seconds
        );
        s.validate()?;
        Ok(s)
    }

    /// Checks ranges.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |what: &str| Err(ConfigError::Invalid(what.to_owned()));
        if !(1..=8).contains(&self.max_hops) {
            return bad("max_hops must be 1..=8");
        }
        if !(1..=64).contains(&self.max_paths) {
            return bad("max_paths must be 1..=64");
        }
        if !(1..=3600).contains(&self.max_hold_seconds) {
            return bad("max_hold_seconds must be 1..=3600");
        }
        if self.max_validity_seconds < 1 || self.max_clock_skew_seconds < 0 {
            return bad("max_validity_seconds must be >= 1 and max_clock_skew_seconds >= 0");
        }
        if self.max_batch == 0 || self.max_body_bytes < 1024 {
            return bad("max_batch must be >= 1 and max_body_bytes >= 1024");
        }
        if !(1..=self.max_validity_seconds).contains(&self.clearing_proposal_ttl_seconds) {
            return bad("clearing_proposal_ttl_seconds must be 1..=max_validity_seconds (its signed proposal must verify)");
        }
        if self.clearing_cycle_len == 1 || self.clearing_cycle_len > 16 {
            return bad("clearing_cycle_len must be 0 (off) or 2..=16");
        }
        if !(1..=600_000).contains(&self.projection_flush_ms) {
            return bad("projection_flush_ms must be 1..=600000");
        }
        if self.log_format != "text" && self.log_format != "json" {
            return bad("log_format must be text or json");
        }
        Ok(())
    }

    /// The database URL in force.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite:{}", self.data_dir.join("hub.db").display())
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_overrides_then_defaults() {
        let dir = std::env::temp_dir().join(format!("geo-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("hub.toml");
        std::fs::write(&file, "max_hops = 4\nmax_paths = 3\n").unwrap();
        let o = Overrides {
            config: Some(file.clone()),
            max_paths: Some(5),
            ..Default::default()
        };
        let s = Settings::resolve(&o).unwrap();
        assert_eq!((s.max_hops, s.max_paths, s.max_hold_seconds), (4, 5, 300));
        std::fs::write(&file, "max_hops = 9\n").unwrap();
        assert!(Settings::resolve(&Overrides {
            config: Some(file.clone()),
            ..Default::default()
        })
        .is_err());
        std::fs::write(&file, "no_such_setting = 1\n").unwrap();
        assert!(Settings::resolve(&Overrides {
            config: Some(file),
            ..Default::default()
        })
        .is_err());
        assert_eq!(
            Settings::default().effective_database_url(),
            "sqlite:data/hub.db"
        );
    }
}
