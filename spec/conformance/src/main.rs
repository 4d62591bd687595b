//! `geo-conformance`: runs the GEO conformance suite against a hub and reports every scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use geo_conformance::{
    embedded_scenarios, report, run, scenarios_in, Level, Outcome, PeerHub, RunConfig,
};
use geo_protocol::Identity;

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Core,
    Full,
}

/// Checks a GEO hub against the protocol's conformance scenarios.
#[derive(Parser)]
#[command(name = "geo-conformance", version)]
struct Cli {
    /// Base URL of the hub, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    hub: String,
    /// Operator token (x-admin-token); without it, scenarios that need the operator are skipped.
    #[arg(long, env = "GEO_OPERATOR_TOKEN")]
    operator_token: Option<String>,
    /// A hub linked to this one (`spec/federation.md`), for the two-hub scenarios (`requires:
    /// peer_hub`); with --peer-operator-token, --hub-key-file and --peer-hub-key-file.
    #[arg(long, requires_all = ["peer_operator_token", "hub_key_file", "peer_hub_key_file"])]
    peer_hub: Option<String>,
    /// The linked hub's operator token.
    #[arg(long, env = "GEO_PEER_OPERATOR_TOKEN")]
    peer_operator_token: Option<String>,
    /// The hub's key file (its Ed25519 seed in hex, as `geo-hub`'s `hub_key_file`): its account
    /// signs the inter-hub lines of each two-hub scenario.
    #[arg(long)]
    hub_key_file: Option<PathBuf>,
    /// The linked hub's key file.
    #[arg(long)]
    peer_hub_key_file: Option<PathBuf>,
    /// Read scenarios from this folder instead of the embedded ones.
    #[arg(long)]
    scenarios: Option<PathBuf>,
    /// Only scenarios whose id contains this text (`*` is a wildcard).
    #[arg(long)]
    filter: Option<String>,
    /// Highest conformance level to check.
    #[arg(long, value_enum, default_value = "full")]
    level: LevelArg,
    /// Scenarios run at the same time.
    #[arg(long, default_value_t = 8)]
    jobs: usize,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write a JUnit XML report to this file.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Exit 0 even when scenarios were skipped (by default a skip exits 3, so a CI job that forgets
    /// the operator token or asks a hub that announces too little does not stay green).
    #[arg(long)]
    allow_skips: bool,
}

/// A hub key file's identity (64 hex characters).
fn key_file(path: &std::path::Path) -> Result<Identity, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.trim();
    let seed: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()
        .filter(|s: &Vec<u8>| s.len() == 32)
        .ok_or_else(|| format!("{}: not a 32-byte seed in hex", path.display()))?;
    Ok(Identity::from_seed(&seed.try_into().expect("32 bytes")))
}

fn peer_hub(cli: &Cli) -> Result<Option<PeerHub>, String> {
    let (Some(hub), Some(token), Some(home), Some(peer)) = (
        &cli.peer_hub,
        &cli.peer_operator_token,
        &cli.hub_key_file,
        &cli.peer_hub_key_file,
    ) else {
        return Ok(None);
    };
    Ok(Some(PeerHub {
        hub: hub.clone(),
        operator_token: token.clone(),
        home_key: key_file(home)?,
        peer_key: key_file(peer)?,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let scenarios = match &cli.scenarios {
        Some(dir) => scenarios_in(dir),
        None => embedded_scenarios(),
    };
    let scenarios = match scenarios {
        Ok(s) => s,
        Err(e) => {
            eprintln!("geo-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let peer = match peer_hub(&cli) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("geo-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let config = RunConfig {
        hub: cli.hub,
        operator_token: cli.operator_token,
        filter: cli.filter,
        level: match cli.level {
            LevelArg::Core => Level::Core,
            LevelArg::Full => Level::Full,
        },
        jobs: cli.jobs,
        peer,
    };
    let report = match run(&config, &scenarios).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("geo-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    if cli.json {
        println!("{}", report::json(&report));
    } else {
        print!("{}", report::table(&report));
    }
    if let Some(path) = &cli.junit {
        if let Err(e) = std::fs::write(path, report::junit(&report)) {
            eprintln!("geo-conformance: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let skipped = report.count(Outcome::Skip);
    if report.count(Outcome::Fail) > 0 {
        ExitCode::FAILURE
    } else if skipped > 0 && !cli.allow_skips {
        eprintln!(
            "geo-conformance: {skipped} scenario(s) skipped (reasons above); \
             pass --allow-skips to accept a partial run"
        );
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
