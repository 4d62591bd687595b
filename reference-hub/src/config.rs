//! Configuration in three layers over one declaration: each setting is declared once, in
//! [`settings!`] below, with its type, default, flag and environment variable; that declaration makes
//! the TOML field, the `--flag` and the `GEO_…` variable alike. Precedence: flag, then environment
//! (clap reads both), then the TOML file (`--config`), then the default.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use geo_protocol::geo_uri::ParticipantAddress;
use serde::{Deserialize, Serialize};

/// Declares every setting once: `Settings` (the values in force, read from TOML), its `Default`,
/// `Overrides` (one optional `--flag` with its environment variable per setting) and how overrides
/// apply. A new setting is one entry here.
macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $ty:ty = $default:expr, env $env:literal $(, arg($($arg:tt)*))?;
    )*) => {
        /// Every setting of a running hub, with defaults applied.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Settings {
            $( $(#[doc = $doc])* pub $name: $ty, )*
            /// Deliberate protocol violations (conformance suite tests only; never read from files or flags).
            #[cfg(feature = "fault-injection")]
            #[serde(skip)]
            pub faults: crate::faults::Faults,
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings {
                    $( $name: $default, )*
                    #[cfg(feature = "fault-injection")]
                    faults: Default::default(),
                }
            }
        }

        /// Flags and environment variables; each overrides the file and the defaults.
        #[derive(Debug, Default, Args)]
        pub struct Overrides {
            /// TOML file with settings.
            #[arg(long, env = "GEO_CONFIG", global = true)]
            pub config: Option<PathBuf>,
            $(
                $(#[doc = $doc])*
                #[arg(long, env = $env, global = true $(, $($arg)*)?)]
                pub $name: Option<$ty>,
            )*
        }

        impl Overrides {
            /// Puts every given flag or variable into `s`.
            fn apply(&self, s: &mut Settings) {
                $( if let Some(v) = &self.$name { s.$name = v.clone(); } )*
            }
        }

        /// Each setting's name and environment variable, in declaration order.
        pub const SETTINGS: &[(&str, &str)] = &[ $( (stringify!($name), $env), )* ];
    };
}

settings! {
    /// Address to listen on.
    listen: SocketAddr = "127.0.0.1:8080".parse().expect("valid address"), env "GEO_LISTEN";
    /// Folder for the SQLite file, the hub key and the admin token.
    data_dir: PathBuf = PathBuf::from("data"), env "GEO_DATA_DIR";
    /// `sqlite:PATH` or `postgres://…`; empty means `sqlite:<data_dir>/hub.db`.
    database_url: String = String::new(), env "DATABASE_URL";
    /// File holding the hub's Ed25519 seed (hex); empty means `<data_dir>/hub.key`, created if missing.
    hub_key_file: String = String::new(), env "GEO_HUB_KEY_FILE";
    /// Operator token for `/api/v1/admin` (for `admin`: the token to send); empty means
    /// `<data_dir>/admin.token`, created if missing.
    admin_token: String = String::new(), env "GEO_ADMIN_TOKEN", arg(visible_alias = "token", hide_env_values = true);
    /// Default and maximum hops per payment path.
    max_hops: u8 = 6, env "GEO_MAX_HOPS";
    /// Default and maximum paths per payment.
    max_paths: u16 = 16, env "GEO_MAX_PATHS";
    /// Longest hold a payer may ask for, in seconds.
    max_hold_seconds: u32 = 300, env "GEO_MAX_HOLD_SECONDS";
    /// Longest accepted validity window of a signed message, in seconds.
    max_validity_seconds: i64 = 600, env "GEO_MAX_VALIDITY_SECONDS";
    /// Accepted clock skew of `created_at`, in seconds.
    max_clock_skew_seconds: i64 = 60, env "GEO_MAX_CLOCK_SKEW_SECONDS";
    /// Lifetime of a login challenge, in seconds.
    challenge_ttl_seconds: i64 = 300, env "GEO_CHALLENGE_TTL_SECONDS";
    /// Lifetime of an access token, in seconds.
    access_token_ttl_seconds: i64 = 900, env "GEO_ACCESS_TOKEN_TTL_SECONDS";
    /// Lifetime of a refresh token, in seconds.
    refresh_token_ttl_seconds: i64 = 30 * 24 * 3600, env "GEO_REFRESH_TOKEN_TTL_SECONDS";
    /// Sustained requests per second per key (0 disables rate limiting).
    rate_limit_per_second: u32 = 50, env "GEO_RATE_LIMIT_PER_SECOND";
    /// Burst size per key.
    rate_limit_burst: u32 = 200, env "GEO_RATE_LIMIT_BURST";
    /// Largest accepted request body, in bytes.
    max_body_bytes: usize = 64 * 1024, env "GEO_MAX_BODY_BYTES";
    /// Most payments in one `POST /payments/batch` (a larger batch is refused whole).
    max_batch_payments: usize = 64, env "GEO_MAX_BATCH_PAYMENTS";
    /// Per-request time limit, in milliseconds.
    request_timeout_ms: u64 = 10_000, env "GEO_REQUEST_TIMEOUT_MS";
    /// Longest wait for a request's header section, in milliseconds: on a new connection, and between
    /// requests on a kept-alive one (its idle time); then the connection is closed.
    header_read_timeout_ms: u64 = 10_000, env "GEO_HEADER_READ_TIMEOUT_MS";
    /// Wait as a standby while another hub holds the database's writer lock (answering 503 with
    /// `Retry-After`), and take over when it is released, instead of refusing to start.
    standby: bool = false, env "GEO_STANDBY";
    /// A standby keeps its own copy of the ledger current by reading the journal while it waits, so
    /// a takeover replays only the last few entries (`false`: a cold standby, which restores from
    /// the newest checkpoint at takeover).
    standby_follow: bool = true, env "GEO_STANDBY_FOLLOW";
    /// Seconds a PostgreSQL writer may go without renewing its lease (it renews every 0.5 s) before
    /// a waiting hub (a standby, or one recovering) ends its sessions and takes over; 0: never.
    writer_lease_seconds: u64 = 10, env "GEO_WRITER_LEASE_SECONDS";
    /// Most client connections (HTTP and WebSocket) open at once; one more is answered 503
    /// `E_UNAVAILABLE` with `Retry-After` and closed.
    max_client_connections: usize = 1024, env "GEO_MAX_CLIENT_CONNECTIONS";
    /// Origins allowed by CORS, comma separated (`*` for any; empty disables CORS headers).
    cors_origins: Vec<String> = Vec::new(), env "GEO_CORS_ORIGINS", arg(value_delimiter = ',');
    /// Most commands the writer applies per batch (group commit size).
    max_batch: usize = 4096, env "GEO_MAX_BATCH";
    /// Database connections.
    max_connections: u32 = 8, env "GEO_MAX_CONNECTIONS";
    /// Longest wait, in milliseconds, before acknowledged changes reach the query tables
    /// (reads never wait for it: they apply pending changes first). Longer means fewer page writes.
    projection_flush_ms: u64 = 500, env "GEO_PROJECTION_FLUSH_MS";
    /// Journal entries between ledger checkpoints (0: none). A start loads the newest checkpoint and
    /// replays at most this many entries after it; each checkpoint costs a snapshot of the ledger
    /// (see BENCHMARKS.md). A graceful stop also takes one.
    checkpoint_every_entries: u64 = 50_000, env "GEO_CHECKPOINT_EVERY_ENTRIES";
    /// Log format: `text` or `json`.
    log_format: String = "text".into(), env "GEO_LOG_FORMAT";
    /// Longest cycle the local clearing pass sets off right after each payment (0: off).
    clearing_cycle_len: usize = 6, env "GEO_CLEARING_CYCLE_LEN";
    /// Seconds between scheduled optimal clearing passes (0: off; operators can still run one).
    clearing_interval_seconds: u64 = 60, env "GEO_CLEARING_INTERVAL_SECONDS";
    /// Seconds a clearing proposal waits for consent.
    clearing_proposal_ttl_seconds: i64 = 600, env "GEO_CLEARING_PROPOSAL_TTL_SECONDS";
    /// Hubs linked to this one (`spec/federation.md` §1), comma separated, each named by the `geo:`
    /// address of its own account: `geo:participant?hub=<its URL>&pid=<its hub PID>`.
    federation_links: Vec<String> = Vec::new(), env "GEO_FEDERATION_LINKS", arg(value_delimiter = ',');
    /// Seconds this hub keeps between its commit deadline and an upstream hub's hold
    /// (`spec/federation.md` §5; at least 2).
    federation_margin_seconds: i64 = geo_protocol::federation::DEFAULT_MARGIN_SECONDS, env "GEO_FEDERATION_MARGIN_SECONDS";
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
        o.apply(&mut s);
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
        if !(1..=4096).contains(&self.max_batch_payments) {
            return bad("max_batch_payments must be 1..=4096");
        }
        if !(1..=self.max_validity_seconds).contains(&self.clearing_proposal_ttl_seconds) {
            return bad("clearing_proposal_ttl_seconds must be 1..=max_validity_seconds (its signed proposal must verify)");
        }
        if self.clearing_cycle_len == 1 || self.clearing_cycle_len > 16 {
            return bad("clearing_cycle_len must be 0 (off) or 2..=16");
        }
        if self.writer_lease_seconds != 0 && !(3..=3600).contains(&self.writer_lease_seconds) {
            return bad("writer_lease_seconds must be 0 (never) or 3..=3600");
        }
        if !(1..=600_000).contains(&self.projection_flush_ms) {
            return bad("projection_flush_ms must be 1..=600000");
        }
        if self.log_format != "text" && self.log_format != "json" {
            return bad("log_format must be text or json");
        }
        if self.federation_margin_seconds < geo_protocol::federation::MIN_MARGIN_SECONDS {
            return bad("federation_margin_seconds must be >= 2");
        }
        let mut linked = std::collections::BTreeSet::new();
        for link in &self.federation_links {
            let address = ParticipantAddress::parse(link).map_err(|e| {
                ConfigError::Invalid(format!(
                    "federation_links: {link:?} is not a geo:participant address ({e})"
                ))
            })?;
            if !linked.insert(address.pid) {
                return bad("federation_links names a hub twice");
            }
        }
        Ok(())
    }

    /// The linked hubs in force (`federation_links`, already validated).
    pub fn linked_hubs(&self) -> Vec<ParticipantAddress> {
        self.federation_links
            .iter()
            .filter_map(|l| ParticipantAddress::parse(l).ok())
            .collect()
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
