//! `geo`: the GEO command-line tool, on top of the `geo-client` SDK. Human output by default,
//! `--json` for scripts; errors show the stable code and the hub's detail.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use futures_util::StreamExt;
use geo_client::{
    keyfile, ClearingDecision, GeoError, GeoResult, HistoryFilter, HubClient, Identity,
    ParticipantKind, PaymentConstraints, PaymentOrder, Pid, TrustLineFilter, TrustLinePolicy,
};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
    name = "geo",
    version,
    about = "GEO mutual credit from the command line"
)]
struct Cli {
    /// The hub's URL.
    #[arg(
        long,
        global = true,
        env = "GEO_HUB",
        default_value = "http://127.0.0.1:8080"
    )]
    hub: String,
    /// The encrypted key file (default: ~/.geo/key.json). Its password comes from GEO_PASSWORD or
    /// a prompt.
    #[arg(long, global = true, env = "GEO_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Machine-readable JSON output (errors too, as {"error":{…}}).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new identity (or restore one from its 24 words) into the encrypted key file.
    Init {
        /// Read the 24-word backup from GEO_MNEMONIC or standard input.
        #[arg(long)]
        restore: bool,
        /// Overwrite an existing key file.
        #[arg(long)]
        force: bool,
    },
    /// Register this identity with the hub.
    Register {
        /// Display name.
        #[arg(long)]
        name: String,
        /// person or business.
        #[arg(long, default_value = "person")]
        kind: String,
    },
    /// Show this participant's PID and profile.
    Whoami,
    /// Trust lines.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Pay someone through the network of trust lines.
    Pay {
        /// Payee PID.
        payee: String,
        /// Equivalent code (e.g. UAH).
        equivalent: String,
        /// Amount, e.g. 10.50.
        amount: String,
        /// A note for the payee.
        #[arg(long)]
        description: Option<String>,
        /// Longest path, in hops.
        #[arg(long)]
        max_hops: Option<u8>,
    },
    /// Totals per equivalent (and per counterparty with --equivalent).
    Balance {
        /// Show the position with each counterparty in this equivalent.
        #[arg(long)]
        equivalent: Option<String>,
    },
    /// Payment history, newest first.
    History {
        /// At most this many payments.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// sent or received.
        #[arg(long)]
        direction: Option<String>,
    },
    /// A payment's status and receipt.
    Status {
        /// The payment's tx_id.
        tx_id: String,
    },
    /// Clearing proposals, consent and history.
    #[command(subcommand)]
    Clearing(ClearingCommand),
    /// Print live events as they happen.
    Watch {
        /// Start after this event id.
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// Stop after this many events.
        #[arg(long)]
        count: Option<usize>,
    },
}

#[derive(Subcommand)]
enum TrustCommand {
    /// Let DEBTOR owe you up to LIMIT (creates or replaces the line).
    Set(TrustSet),
    /// Close your line to DEBTOR (refused while debt remains).
    Close {
        /// Debtor PID.
        debtor: String,
        /// Equivalent code.
        equivalent: String,
    },
    /// List your trust lines.
    List {
        /// outgoing or incoming.
        #[arg(long)]
        direction: Option<String>,
        /// Only this equivalent.
        #[arg(long)]
        equivalent: Option<String>,
    },
}

#[derive(Args)]
struct TrustSet {
    /// Debtor PID.
    debtor: String,
    /// Equivalent code.
    equivalent: String,
    /// Limit, e.g. 100.
    limit: String,
    /// Do not consent in advance to clearings on this line.
    #[arg(long)]
    no_auto_clearing: bool,
}

#[derive(Subcommand)]
enum ClearingCommand {
    /// Open proposals that involve you.
    Proposals,
    /// Accept or reject a proposal.
    Consent {
        /// The proposal's clearing_id.
        clearing_id: String,
        /// accept or reject.
        decision: String,
    },
    /// Clearings that touched you.
    History,
}

fn default_key_file() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".geo").join("key.json")
}

fn password(confirm: bool) -> GeoResult<String> {
    if let Ok(p) = std::env::var("GEO_PASSWORD") {
        return Ok(p);
    }
    let storage = |e: std::io::Error| GeoError::Storage {
        message: format!("reading the password: {e}"),
    };
    let p = rpassword::prompt_password("Key file password: ").map_err(storage)?;
    if confirm {
        let again = rpassword::prompt_password("Repeat the password: ").map_err(storage)?;
        if again != p {
            return Err(GeoError::Validation {
                code: "E_VALIDATION".into(),
                message: "the passwords differ".into(),
            });
        }
    }
    Ok(p)
}

fn load_identity(path: &Path) -> GeoResult<Identity> {
    let text = std::fs::read_to_string(path).map_err(|e| GeoError::Storage {
        message: format!("{}: {e} (run `geo init` first)", path.display()),
    })?;
    keyfile::decrypt(&text, &password(false)?)
}

fn parse_pid(text: &str) -> GeoResult<Pid> {
    Ok(text.parse::<Pid>()?)
}

/// What a command prints: JSON for `--json`, text otherwise.
struct Output {
    json: Value,
    text: String,
}

fn out<T: Serialize>(value: &T, text: String) -> Output {
    Output {
        json: serde_json::to_value(value).unwrap_or(Value::Null),
        text,
    }
}

async fn run(cli: &Cli) -> GeoResult<Option<Output>> {
    let key_file = cli.key_file.clone().unwrap_or_else(default_key_file);
    if let Command::Init { restore, force } = &cli.command {
        return init(&key_file, *restore, *force).map(Some);
    }
    // Progress goes to stderr, and only for people: `--json` output stays machine-clean.
    let progress = |what: String| {
        if !cli.json {
            eprintln!("{what}…");
        }
    };
    progress(format!("unlocking {}", key_file.display()));
    let identity = load_identity(&key_file)?;
    progress(format!("connecting to {}", cli.hub));
    let client = HubClient::connect(&cli.hub, identity).await?;
    let o = match &cli.command {
        Command::Init { .. } => unreachable!("handled above"),
        Command::Register { name, kind } => {
            let kind = match kind.as_str() {
                "person" => ParticipantKind::Person,
                "business" => ParticipantKind::Business,
                other => {
                    return Err(GeoError::Validation {
                        code: "E_VALIDATION".into(),
                        message: format!("kind {other:?} is not person or business"),
                    })
                }
            };
            let p = client.register(name, kind, None).await?;
            out(&p, format!("registered {} as {}", p.display_name, p.pid))
        }
        Command::Whoami => {
            let p = client.profile().await?;
            out(&p, format!("{} {} ({})", p.pid, p.display_name, p.status))
        }
        Command::Trust(TrustCommand::Set(t)) => {
            let policy = t.no_auto_clearing.then(|| TrustLinePolicy {
                auto_clearing: false,
                ..Default::default()
            });
            let l = client
                .set_trust_line(&parse_pid(&t.debtor)?, &t.equivalent, &t.limit, policy)
                .await?;
            let text = format!(
                "{} may owe you up to {} {} (uses {})",
                l.debtor, l.limit, l.equivalent, l.used
            );
            out(&l, text)
        }
        Command::Trust(TrustCommand::Close { debtor, equivalent }) => {
            let c = client
                .close_trust_line(&parse_pid(debtor)?, equivalent)
                .await?;
            let text = format!("closed your {} line to {}", c.equivalent, c.debtor);
            out(&c, text)
        }
        Command::Trust(TrustCommand::List {
            direction,
            equivalent,
        }) => {
            let me = client.pid();
            let lines = client
                .trust_lines(&TrustLineFilter {
                    direction: direction.clone(),
                    equivalent: equivalent.clone(),
                    ..Default::default()
                })
                .await?;
            let text = lines
                .iter()
                .map(|l| {
                    if l.creditor == me {
                        format!(
                            "→ {} {} limit {} used {}",
                            l.debtor, l.equivalent, l.limit, l.used
                        )
                    } else {
                        format!(
                            "← {} {} limit {} used {}",
                            l.creditor, l.equivalent, l.limit, l.used
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&lines, text)
        }
        Command::Pay {
            payee,
            equivalent,
            amount,
            description,
            max_hops,
        } => {
            let mut order = PaymentOrder::new(parse_pid(payee)?, equivalent, amount);
            order.description = description.clone();
            if max_hops.is_some() {
                order = order.constraints(PaymentConstraints {
                    max_hops: *max_hops,
                    ..Default::default()
                });
            }
            progress(format!(
                "paying {amount} {equivalent} to {payee} (signed here; retried safely if the network fails)"
            ));
            let r = client.pay(order).await?;
            let json = json!({
                "tx_id": r.tx_id, "status": r.status, "amount": r.amount, "equivalent": r.equivalent,
                "payee": r.payee, "routes": r.routes, "journal_seq": r.journal_seq,
                "receipt": serde_json::from_str::<Value>(&r.json).unwrap_or(Value::Null),
            });
            Output {
                json,
                text: format!(
                    "paid {} {} to {} over {} path(s); tx {} (receipt verified)",
                    r.amount,
                    r.equivalent,
                    r.payee,
                    r.routes.len(),
                    r.tx_id
                ),
            }
        }
        Command::Balance { equivalent } => match equivalent {
            None => {
                let b = client.balance().await?;
                let text = b
                    .iter()
                    .map(|b| {
                        format!(
                            "{}: net {} (owed to you {}, you owe {}; can spend {})",
                            b.equivalent, b.net, b.credit, b.debt, b.available_to_spend
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                out(
                    &b,
                    if text.is_empty() {
                        "no balances yet".into()
                    } else {
                        text
                    },
                )
            }
            Some(code) => {
                let d = client.debts(code).await?;
                let text = d
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}: you owe {}, owes you {}",
                            c.pid, c.display_name, c.i_owe, c.owes_me
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                out(&d, text)
            }
        },
        Command::History { limit, direction } => {
            let filter = HistoryFilter {
                direction: direction.clone(),
                ..Default::default()
            };
            let items: Vec<_> = client
                .history(filter)
                .take(*limit)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<GeoResult<_>>()?;
            let me = client.pid();
            let text = items
                .iter()
                .map(|p| {
                    let (dir, other) = if p.payer == me {
                        ("sent", &p.payee)
                    } else {
                        ("received", &p.payer)
                    };
                    format!(
                        "{} {} {} {} {} {}",
                        p.created_at,
                        dir,
                        p.amount,
                        p.equivalent,
                        other,
                        p.status.as_str()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&items, text)
        }
        Command::Status { tx_id } => {
            let r = client.payment(tx_id).await?;
            let p = &r.payment;
            let text = format!(
                "{} {} {} from {} to {}: {}{}",
                p.tx_id,
                p.amount,
                p.equivalent,
                p.payer,
                p.payee,
                p.status.as_str(),
                if r.receipt.is_some() {
                    " (receipt verified)"
                } else {
                    ""
                }
            );
            out(p, text)
        }
        Command::Clearing(ClearingCommand::Proposals) => {
            let ps = client.clearing_proposals().await?;
            let text = ps
                .iter()
                .map(|p| {
                    format!(
                        "{} {} needs {:?}, expires {}",
                        p.clearing_id,
                        p.equivalent,
                        p.consent_required_from
                            .iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>(),
                        p.expires_at
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(
                &ps,
                if text.is_empty() {
                    "no open proposals".into()
                } else {
                    text
                },
            )
        }
        Command::Clearing(ClearingCommand::Consent {
            clearing_id,
            decision,
        }) => {
            let decision = match decision.as_str() {
                "accept" => ClearingDecision::Accept,
                "reject" => ClearingDecision::Reject,
                other => {
                    return Err(GeoError::Validation {
                        code: "E_VALIDATION".into(),
                        message: format!("decision {other:?} is not accept or reject"),
                    })
                }
            };
            let proposal = client
                .clearing_proposals()
                .await?
                .into_iter()
                .find(|p| &p.clearing_id == clearing_id)
                .ok_or_else(|| GeoError::Validation {
                    code: "E_PROPOSAL_CLOSED".into(),
                    message: format!("no open proposal {clearing_id}"),
                })?;
            let o = client.consent(&proposal, decision).await?;
            let text = format!("proposal {}: {}", o.clearing_id, o.status);
            out(&o, text)
        }
        Command::Clearing(ClearingCommand::History) => {
            let cs = client.clearings().await?;
            let text = cs
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {} debts set off at {} (receipt verified)",
                        c.clearing_id,
                        c.equivalent,
                        c.edges.len(),
                        c.at
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&cs, text)
        }
        Command::Watch { after, count } => {
            progress("watching events (Ctrl-C to stop)".into());
            let mut events = client.events(*after);
            let mut n = 0;
            while count.is_none_or(|c| n < c) {
                let Some(e) = events.next().await else { break };
                let e = e?;
                n += 1;
                let line = if cli.json {
                    serde_json::to_string(&e).unwrap_or_default()
                } else {
                    format!("#{} {:?}", e.id, e.kind)
                };
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "{line}");
                let _ = stdout.flush();
            }
            return Ok(None);
        }
    };
    Ok(Some(o))
}

fn init(path: &Path, restore: bool, force: bool) -> GeoResult<Output> {
    if path.exists() && !force {
        return Err(GeoError::Storage {
            message: format!("{} exists; use --force to overwrite it", path.display()),
        });
    }
    let identity = if restore {
        let phrase = match std::env::var("GEO_MNEMONIC") {
            Ok(p) => p,
            Err(_) => {
                eprint!("The 24 words: ");
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| GeoError::Storage {
                        message: e.to_string(),
                    })?;
                line
            }
        };
        keyfile::restore(&phrase)?
    } else {
        Identity::generate()
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| GeoError::Storage {
            message: format!("{}: {e}", dir.display()),
        })?;
    }
    keyfile::save(path, &identity, &password(true)?)?;
    let pid = identity.pid();
    let mnemonic = (!restore).then(|| identity.mnemonic().to_string());
    let mut text = format!("identity {pid} saved to {}", path.display());
    if let Some(words) = &mnemonic {
        text.push_str(&format!(
            "\nwrite down these 24 words; they restore your key:\n{words}"
        ));
    }
    Ok(Output {
        json: json!({ "pid": pid, "key_file": path, "mnemonic": mnemonic }),
        text,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli).await {
        Ok(Some(o)) => {
            if cli.json {
                println!("{}", o.json);
            } else if !o.text.is_empty() {
                println!("{}", o.text);
            }
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            let detail = match &e {
                GeoError::Hub { detail, .. } => detail.clone(),
                other => other.to_string(),
            };
            if cli.json {
                let status = match &e {
                    GeoError::Hub { status, .. } => Some(*status),
                    _ => None,
                };
                println!(
                    "{}",
                    json!({ "error": { "code": e.code(), "detail": detail, "status": status, "retryable": e.is_retryable() } })
                );
            } else {
                eprintln!("error {}: {detail}", e.code());
            }
            ExitCode::FAILURE
        }
    }
}
