//! `geo-hub`: run the GEO reference hub (`serve`, the default), print its OpenAPI document, or check
//! the integrity of its journal.

use std::process::ExitCode;

use clap::Parser;
use reference_hub::app;
use reference_hub::config::{Cli, CliCommand, Settings};

/// The hub allocates many small, short-lived buffers per request (JSON, journal bodies, rows);
/// mimalloc serves them with less CPU than the system allocator and without returning memory to the
/// OS only to fault it back in.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    // Colour only for a person at a terminal (and never with NO_COLOR): pipes and files get plain text.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("signal handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Prints a backup or restore outcome; the exit code.
fn copied(
    result: Result<reference_hub::backup::Copied, reference_hub::backup::BackupError>,
    what: &str,
) -> ExitCode {
    match result {
        Ok(c) => {
            let head = c.head_hash.unwrap_or_else(|| "none (empty journal)".into());
            println!(
                "{what}: {} ({} journal entries, hash chain and invariants verified; head {head})",
                c.path.display(),
                c.journal_entries
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("geo-hub: {e}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::resolve(&cli.overrides) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("geo-hub: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(CliCommand::Serve) {
        CliCommand::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&reference_hub::api::openapi::document())
                    .expect("serialises")
            );
            ExitCode::SUCCESS
        }
        CliCommand::Admin(args) => match reference_hub::admin::run(&settings, &args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => ExitCode::from(reference_hub::admin::report(&e, args.json)),
        },
        CliCommand::Backup { file } => copied(
            reference_hub::backup::backup(&settings, &file).await,
            "backup written",
        ),
        CliCommand::Restore { file } => {
            let key = settings.data_dir.join("hub.key");
            let code = copied(
                reference_hub::backup::restore(&settings, &file).await,
                "restored",
            );
            if code == ExitCode::SUCCESS && settings.hub_key_file.is_empty() && !key.exists() {
                eprintln!(
                    "note: {} is missing. Copy the old hub's hub.key there before starting: without it the hub makes a new identity (a new hub PID), and members' clients will refuse it.",
                    key.display()
                );
            }
            code
        }
        CliCommand::Check => match app::check(&settings).await {
            Ok(checked) => {
                let ledger = &checked.ledger;
                let head = ledger
                    .last_hash
                    .map_or_else(|| "none (empty journal)".to_owned(), |h| h.to_string());
                println!(
                    "ok: {} journal entries, hash chain and invariants verified, {} checkpoint(s) \
                     equal to the replay; head {head}",
                    ledger.last_seq, checked.checkpoints
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("check failed: {e}");
                ExitCode::FAILURE
            }
        },
        CliCommand::Serve => {
            init_logs(&settings.log_format);
            let hub = match app::start(settings.clone()).await {
                Ok(h) => h,
                Err(e) => {
                    match &e {
                        app::StartError::Storage(s) => {
                            tracing::error!(error = %e, kind = s.kind().code(), "cannot start")
                        }
                        _ => tracing::error!(error = %e, "cannot start"),
                    }
                    return ExitCode::FAILURE;
                }
            };
            println!(
                "GEO hub listening on {} (hub PID {})",
                hub.url(),
                hub.state.hub.pid()
            );
            match reference_hub::outage::serve(hub, settings, shutdown_signal()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!(error = %e, "the hub stopped with an error");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
