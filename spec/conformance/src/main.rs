//! `geo-conformance`: runs the GEO conformance suite against a hub and reports every scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use geo_conformance::{embedded_scenarios, report, run, scenarios_in, Level, Outcome, RunConfig};

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
    let config = RunConfig {
        hub: cli.hub,
        operator_token: cli.operator_token,
        filter: cli.filter,
        level: match cli.level {
            LevelArg::Core => Level::Core,
            LevelArg::Full => Level::Full,
        },
        jobs: cli.jobs,
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
