//! `geo`: the GEO command-line tool, on top of the `geo-client` SDK. Human output by default,
//! `--json` for scripts; errors go to stderr (one JSON object there with `--json`) and the exit
//! status says which class of failure it was (see `geo --help`).

mod ask;
mod backup;
mod contacts;
mod directory;
mod failure;
mod local;
mod session;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use futures_util::StreamExt;
use geo_client::{
    keyfile, ClearingDecision, GeoError, GeoResult, HistoryFilter, HubClient, Identity,
    ParticipantKind, Payee, Payment, PaymentConstraints, PaymentOrder, TrustLineFilter,
    TrustLinePolicy,
};
use serde::Serialize;
use serde_json::{json, Value};

use contacts::Contacts;
use directory::Directory;
use failure::{Failure, Outcome};
use local::DataDir;

const EXAMPLES: &str = "\
Examples:
  geo init                               create a key (prints the PID and the 24-word backup)
  geo register --name Alice              join the hub under a display name
  geo trust set Bob UAH 100              let Bob owe you up to 100 UAH
  geo pay Carol UAH 10.50                pay Carol (asks first; --yes to skip)
  geo contacts add bob <PID>             a local name for someone
  geo history                            your payments: sent, received, relayed
  geo watch                              what happens from now on (Ctrl-C to stop)

Names: wherever a participant is expected, give a contact's name, a display name registered on
the hub (refused when several share it) or a PID.

Environment: GEO_HUB, GEO_KEY_FILE, GEO_PASSWORD (the key file password; otherwise it is asked
on the terminal), GEO_MNEMONIC (for `init --restore`), NO_COLOR.

Exit status: 0 done, 1 other failure, 2 usage (bad argument, unknown or ambiguous name, --yes
needed), 3 refused by the hub (nothing changed), 4 network (hub unreachable, timed out or busy:
try again), 5 authentication (wrong password, key file damaged, hub refused who you are).";

#[derive(Parser)]
#[command(
    name = "geo",
    version,
    about = "GEO mutual credit from the command line",
    after_help = EXAMPLES
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
    /// a prompt. Contacts, the session and the event cursor are kept in the same folder.
    #[arg(long, global = true, env = "GEO_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Machine-readable JSON on stdout (errors as {"error":{…}} on stderr).
    #[arg(long, global = true)]
    json: bool,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y', global = true)]
    yes: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new identity (or restore one from its 24 words) into the encrypted key file.
    #[command(
        after_help = "Examples:\n  geo init\n  GEO_MNEMONIC='word1 … word24' geo init --restore"
    )]
    Init {
        /// Read the 24-word backup from GEO_MNEMONIC or standard input.
        #[arg(long)]
        restore: bool,
        /// Overwrite an existing key file.
        #[arg(long)]
        force: bool,
    },
    /// Show the 24-word backup of the key file again (after its password).
    BackupPhrase,
    /// Register this identity with the hub.
    #[command(after_help = "Example:\n  geo register --name Alice --kind person")]
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
    /// Find participants by display name (or PID prefix).
    #[command(after_help = "Example:\n  geo search bob")]
    Search {
        /// Part of a name, or the start of a PID.
        query: String,
    },
    /// Local names for participants.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Trust lines.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Pay someone through the network of trust lines.
    #[command(
        after_help = "Examples:\n  geo pay Carol UAH 10.50\n  geo pay carol UAH 5 --description books --yes"
    )]
    Pay {
        /// Payee: a contact, a display name, a PID, or a member of another community as its
        /// `geo:participant?hub=…&pid=…` address.
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
    /// How much you can pay someone now, over every path the hubs would route (nothing is paid).
    #[command(
        after_help = "Examples:\n  geo capacity Carol UAH\n  geo capacity 'geo:participant?hub=https%3A%2F%2Fhub.example&pid=…' UAH --amount 10"
    )]
    Capacity {
        /// Payee: a contact, a display name, a PID, or a member of another community as its
        /// `geo:participant?hub=…&pid=…` address.
        payee: String,
        /// Equivalent code (e.g. UAH).
        equivalent: String,
        /// Also say whether this amount can be paid.
        #[arg(long)]
        amount: Option<String>,
    },
    /// Totals per equivalent (and per counterparty with --equivalent).
    #[command(after_help = "Examples:\n  geo balance\n  geo balance --equivalent UAH")]
    Balance {
        /// Show the position with each counterparty in this equivalent.
        #[arg(long)]
        equivalent: Option<String>,
    },
    /// Payment history, newest first: sent, received and relayed through you.
    #[command(
        after_help = "Examples:\n  geo history\n  geo history --direction relayed --limit 5"
    )]
    History {
        /// At most this many payments.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// sent, received or relayed.
        #[arg(long)]
        direction: Option<String>,
    },
    /// A payment's status and receipt.
    #[command(after_help = "Example:\n  geo status 0f6c…")]
    Status {
        /// The payment's tx_id.
        tx_id: String,
    },
    /// Clearing proposals, consent and history.
    #[command(subcommand)]
    Clearing(ClearingCommand),
    /// Print events as they happen: by default what is new since the last watch.
    #[command(
        after_help = "Examples:\n  geo watch\n  geo watch --from-start --count 10\n  geo --json watch | jq .kind"
    )]
    Watch {
        /// Replay every event from the first.
        #[arg(long, conflicts_with = "after")]
        from_start: bool,
        /// Start after this event id.
        #[arg(long)]
        after: Option<u64>,
        /// Stop after this many events.
        #[arg(long)]
        count: Option<usize>,
    },
}

#[derive(Subcommand)]
enum ContactsCommand {
    /// Name a participant (a PID, or a display name on the hub).
    #[command(
        after_help = "Example:\n  geo contacts add bob 3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW"
    )]
    Add {
        /// The name you will type.
        name: String,
        /// Who: a PID or a display name.
        who: String,
    },
    /// Forget a contact.
    Remove {
        /// The contact's name.
        name: String,
    },
    /// List the contacts.
    List,
}

#[derive(Subcommand)]
enum TrustCommand {
    /// Let DEBTOR owe you up to LIMIT (creates or replaces the line).
    #[command(after_help = "Example:\n  geo trust set Bob UAH 100")]
    Set(TrustSet),
    /// Close your line to DEBTOR (refused while debt remains).
    Close {
        /// Debtor: a contact, a display name or a PID.
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
    /// Debtor: a contact, a display name or a PID.
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
    /// Open proposals that involve you, with what each would set off.
    Proposals,
    /// Accept or reject a proposal.
    #[command(after_help = "Example:\n  geo clearing consent 5d0e… accept")]
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

fn load_identity(path: &Path) -> Outcome<Identity> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Storage(format!("{}: {e} (run `geo init` first)", path.display())))?;
    Ok(keyfile::decrypt(&text, &ask::password(false)?)?)
}

fn usage(code: &str, message: String) -> Failure {
    Failure::Geo(GeoError::Validation {
        code: code.into(),
        message,
    })
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

fn lines(items: Vec<String>, empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join("\n")
    }
}

/// A payment's line in the history: the caller's side of it, names beside PIDs.
async fn payment_line(d: &mut Directory<'_>, me: &geo_client::Pid, p: &Payment) -> String {
    let side = if &p.payer == me {
        format!(
            "sent {} {} to {}",
            p.amount,
            p.equivalent,
            d.label(&p.payee).await
        )
    } else if &p.payee == me {
        format!(
            "received {} {} from {}",
            p.amount,
            p.equivalent,
            d.label(&p.payer).await
        )
    } else {
        format!(
            "relayed {} {} from {} to {}",
            p.amount,
            p.equivalent,
            d.label(&p.payer).await,
            d.label(&p.payee).await
        )
    };
    format!(
        "{} {side}: {} (tx {})",
        p.created_at,
        p.status.as_str(),
        p.tx_id
    )
}

struct Context {
    json: bool,
    yes: bool,
    key_file: PathBuf,
    data: DataDir,
}

impl Context {
    /// Progress goes to stderr, and only for people: `--json` output stays machine-clean.
    fn progress(&self, what: &str) {
        if !self.json {
            eprintln!("{what}…");
        }
    }
}

async fn run(cli: &Cli) -> Outcome<Option<Output>> {
    let key_file = cli.key_file.clone().unwrap_or_else(default_key_file);
    let cx = Context {
        json: cli.json,
        yes: cli.yes,
        data: DataDir::of(&key_file),
        key_file,
    };
    match &cli.command {
        Command::Init { restore, force } => return init(&cx, *restore, *force).map(Some),
        Command::BackupPhrase => {
            let identity = load_identity(&cx.key_file)?;
            let words = keyfile::mnemonic(&identity);
            return Ok(Some(Output {
                json: json!({ "pid": identity.pid(), "mnemonic": words.as_str() }),
                text: format!(
                    "the 24 words of {} (anyone who has them controls this identity):\n{}",
                    identity.pid(),
                    backup::numbered(&words)
                ),
            }));
        }
        _ => {}
    }
    cx.progress(&format!("unlocking {}", cx.key_file.display()));
    let identity = load_identity(&cx.key_file)?;
    cx.progress(&format!("connecting to {}", cli.hub));
    let client = HubClient::connect(&cli.hub, identity).await?;
    session::resume(&cx.data, &client)?;
    let result = command(cli, &cx, &client).await;
    // Keep the (rotated) refresh token for the next command, whatever this one's outcome.
    session::save(&cx.data, &client)?;
    result
}

async fn command(cli: &Cli, cx: &Context, client: &HubClient) -> Outcome<Option<Output>> {
    let mut contacts = Contacts::load(&cx.data)?;
    let mut d = Directory::new(client, contacts.clone());
    let me = client.pid();
    let o = match &cli.command {
        Command::Init { .. } | Command::BackupPhrase => unreachable!("handled before connecting"),
        Command::Register { name, kind } => {
            let kind = match kind.as_str() {
                "person" => ParticipantKind::Person,
                "business" => ParticipantKind::Business,
                other => {
                    return Err(usage(
                        "E_VALIDATION",
                        format!("kind {other:?} is not person or business"),
                    ))
                }
            };
            let p = client.register(name, kind, None).await?;
            out(&p, format!("registered {} as {}", p.display_name, p.pid))
        }
        Command::Whoami => {
            let p = client.profile().await?;
            out(&p, format!("{} {} ({})", p.pid, p.display_name, p.status))
        }
        Command::Search { query } => {
            let found = client.search_participants(query).await?;
            let text = found
                .iter()
                .map(|p| format!("{} {} ({})", p.pid, p.display_name, p.status))
                .collect();
            out(&found, lines(text, "nobody found"))
        }
        Command::Contacts(ContactsCommand::Add { name, who }) => {
            let pid = d.resolve(who).await?;
            let shown = client.participant(&pid).await?;
            contacts.add(name, pid.clone());
            contacts.save(&cx.data)?;
            let text = format!(
                "{name} is now {} (registered as {})",
                pid, shown.display_name
            );
            out(
                &json!({ "name": name, "pid": pid, "display_name": shown.display_name }),
                text,
            )
        }
        Command::Contacts(ContactsCommand::Remove { name }) => {
            if !contacts.remove(name) {
                return Err(usage(
                    "E_UNKNOWN_NAME",
                    format!("no contact is called {name:?}"),
                ));
            }
            contacts.save(&cx.data)?;
            out(&json!({ "removed": name }), format!("forgot {name}"))
        }
        Command::Contacts(ContactsCommand::List) => {
            let list: Vec<Value> = contacts
                .iter()
                .map(|(n, p)| json!({ "name": n, "pid": p }))
                .collect();
            let text = contacts.iter().map(|(n, p)| format!("{n} {p}")).collect();
            out(
                &list,
                lines(text, "no contacts yet (geo contacts add NAME PID)"),
            )
        }
        Command::Trust(TrustCommand::Set(t)) => {
            let debtor = d.resolve(&t.debtor).await?;
            let policy = t.no_auto_clearing.then(|| TrustLinePolicy {
                auto_clearing: false,
                ..Default::default()
            });
            let l = client
                .set_trust_line(&debtor, &t.equivalent, &t.limit, policy)
                .await?;
            let text = format!(
                "{} may owe you up to {} {} (uses {})",
                d.label(&l.debtor).await,
                l.limit,
                l.equivalent,
                l.used
            );
            out(&l, text)
        }
        Command::Trust(TrustCommand::Close { debtor, equivalent }) => {
            let debtor = d.resolve(debtor).await?;
            let c = client.close_trust_line(&debtor, equivalent).await?;
            let text = format!(
                "closed your {} line to {}",
                c.equivalent,
                d.label(&c.debtor).await
            );
            out(&c, text)
        }
        Command::Trust(TrustCommand::List {
            direction,
            equivalent,
        }) => {
            let lines_ = client
                .trust_lines(&TrustLineFilter {
                    direction: direction.clone(),
                    equivalent: equivalent.clone(),
                    ..Default::default()
                })
                .await?;
            let mut text = Vec::new();
            for l in &lines_ {
                text.push(if l.creditor == me {
                    format!(
                        "you let {} owe up to {} {}; owes {}",
                        d.label(&l.debtor).await,
                        l.limit,
                        l.equivalent,
                        l.used
                    )
                } else {
                    format!(
                        "{} lets you owe up to {} {}; you owe {}",
                        d.label(&l.creditor).await,
                        l.limit,
                        l.equivalent,
                        l.used
                    )
                });
            }
            out(&lines_, lines(text, "no trust lines yet"))
        }
        Command::Pay {
            payee,
            equivalent,
            amount,
            description,
            max_hops,
        } => {
            // A member of another community is named by its geo: address (federation.md §2).
            let (mut order, to) = if payee
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("geo:"))
            {
                (
                    PaymentOrder::to_payee(payee, equivalent, amount)?,
                    payee.clone(),
                )
            } else {
                let pid = d.resolve(payee).await?;
                let to = d.label(&pid).await;
                (PaymentOrder::new(pid, equivalent, amount), to)
            };
            order.description = description.clone();
            if max_hops.is_some() {
                order = order.constraints(PaymentConstraints {
                    max_hops: *max_hops,
                    ..Default::default()
                });
            }
            ask::confirm(&format!("pay {amount} {equivalent} to {to}?"), cx.yes)?;
            cx.progress(&format!(
                "paying {amount} {equivalent} to {to} (signed here; resent safely if the network fails)"
            ));
            let r = client.pay(order).await?;
            let signed = |json: &str| serde_json::from_str::<Value>(json).unwrap_or(Value::Null);
            let peer = r.peer_receipt.as_deref();
            let json = json!({
                "tx_id": r.tx_id, "status": r.status, "amount": r.amount, "equivalent": r.equivalent,
                "payer": r.payer, "payee": r.payee, "routes": r.routes, "journal_seq": r.journal_seq,
                "receipt": signed(&r.json),
                "peer_receipt": peer.map(|p| signed(&p.json)),
            });
            let peer_text = peer
                .map(|p| {
                    format!(
                        "; the payee's hub {} paid {} {} to {} (its receipt verified too)",
                        r.payee, p.amount, p.equivalent, p.payee
                    )
                })
                .unwrap_or_default();
            Output {
                json,
                text: format!(
                    "paid {} {} to {to} over {} path(s); tx {} (receipt verified){peer_text}",
                    r.amount,
                    r.equivalent,
                    r.routes.len(),
                    r.tx_id
                ),
            }
        }
        Command::Capacity {
            payee,
            equivalent,
            amount,
        } => {
            // A member of another community is named by its geo: address (federation.md §2).
            let (to, label) = if payee
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("geo:"))
            {
                (Payee::parse(payee)?, payee.clone())
            } else {
                let pid = d.resolve(payee).await?;
                let label = d.label(&pid).await;
                (pid.into(), label)
            };
            let c = client.capacity(&to, equivalent, amount.as_deref()).await?;
            let verdict = match (amount, c.can_pay) {
                (Some(a), Some(true)) => format!("; {a} can be paid"),
                (Some(a), Some(false)) => format!("; {a} cannot be paid now"),
                _ => String::new(),
            };
            out(
                &c,
                format!(
                    "you can pay {label} up to {} {}{verdict}",
                    c.max_amount, c.equivalent
                ),
            )
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
                    .collect();
                out(&b, lines(text, "no balances yet"))
            }
            Some(code) => {
                let debts = client.debts(code).await?;
                let text = debts
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: you owe {}, owes you {}",
                            directory::labelled(&c.display_name, &c.pid),
                            c.i_owe,
                            c.owes_me
                        )
                    })
                    .collect();
                out(&debts, lines(text, "no debts in this equivalent"))
            }
        },
        Command::History { limit, direction } => {
            let filter = HistoryFilter {
                direction: direction.clone(),
                ..Default::default()
            };
            let items: Vec<Payment> = client
                .history(filter)
                .take(*limit)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<GeoResult<_>>()?;
            let mut text = Vec::new();
            for p in &items {
                text.push(payment_line(&mut d, &me, p).await);
            }
            out(&items, lines(text, "no payments yet"))
        }
        Command::Status { tx_id } => {
            let r = client.payment(tx_id).await?;
            let p = &r.payment;
            let text = format!(
                "{} {} {} from {} to {}: {}{}",
                p.tx_id,
                p.amount,
                p.equivalent,
                d.label(&p.payer).await,
                d.label(&p.payee).await,
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
            let mut text = Vec::new();
            for p in &ps {
                let signed = client.hub().verify_proposal(p)?;
                let mut edges = Vec::new();
                for e in &signed.payload().edges {
                    edges.push(format!(
                        "    {} owes {}: {} {} set off",
                        d.label(&e.debtor).await,
                        d.label(&e.creditor).await,
                        e.amount,
                        p.equivalent
                    ));
                }
                let mine = p.consent_required_from.contains(&me);
                text.push(format!(
                    "{} {}: {} debts, expires {}{}\n{}",
                    p.clearing_id,
                    p.equivalent,
                    edges.len(),
                    p.expires_at,
                    if mine {
                        format!(
                            "; your consent is needed (geo clearing consent {} accept)",
                            p.clearing_id
                        )
                    } else {
                        String::new()
                    },
                    edges.join("\n")
                ));
            }
            out(&ps, lines(text, "no open proposals"))
        }
        Command::Clearing(ClearingCommand::Consent {
            clearing_id,
            decision,
        }) => {
            let decision = match decision.as_str() {
                "accept" => ClearingDecision::Accept,
                "reject" => ClearingDecision::Reject,
                other => {
                    return Err(usage(
                        "E_VALIDATION",
                        format!("decision {other:?} is not accept or reject"),
                    ))
                }
            };
            let proposal = client
                .clearing_proposals()
                .await?
                .into_iter()
                .find(|p| &p.clearing_id == clearing_id)
                .ok_or_else(|| {
                    usage(
                        "E_PROPOSAL_CLOSED",
                        format!("no open proposal {clearing_id}"),
                    )
                })?;
            let o = client.consent(&proposal, decision).await?;
            let text = format!("proposal {}: {}", o.clearing_id, o.status);
            out(&o, text)
        }
        Command::Clearing(ClearingCommand::History) => {
            let cs = client.clearings().await?;
            let mut text = Vec::new();
            for c in &cs {
                let mut edges = Vec::new();
                for e in &c.edges {
                    edges.push(format!(
                        "{} → {} {}",
                        d.name(&e.debtor).await,
                        d.name(&e.creditor).await,
                        e.amount
                    ));
                }
                text.push(format!(
                    "{} {} at {}: set off {} (receipt verified)",
                    c.clearing_id,
                    c.equivalent,
                    c.at,
                    edges.join(", ")
                ));
            }
            out(&cs, lines(text, "no clearings yet"))
        }
        Command::Watch {
            from_start,
            after,
            count,
        } => {
            let start = match (from_start, after) {
                (true, _) => watch::Start::Replay,
                (false, Some(n)) => watch::Start::After(*n),
                (false, None) => watch::Start::Resume,
            };
            cx.progress("connecting to the event stream");
            watch::watch(client, &mut d, &cx.data, start, *count, cx.json).await?;
            return Ok(None);
        }
    };
    Ok(Some(o))
}

fn init(cx: &Context, restore: bool, force: bool) -> Outcome<Output> {
    let path = &cx.key_file;
    if path.exists() && !force {
        return Err(Failure::Storage(format!(
            "{} exists; use --force to overwrite it",
            path.display()
        )));
    }
    let identity = if restore {
        keyfile::restore(&backup::read_phrase()?)?
    } else {
        Identity::generate()
    };
    let password = ask::password(true)?;
    let pid = identity.pid();
    let words = (!restore).then(|| keyfile::mnemonic(&identity));
    let quizzed = words.is_some() && !cx.json && !cx.yes && ask::interactive();
    if let Some(words) = &words {
        // People see the words before anything is saved, and prove they copied them.
        if quizzed {
            eprintln!(
                "Write down these 24 words, in order; they restore your key (keep them secret):\n{}\n",
                backup::numbered(words)
            );
            backup::quiz(words)?;
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Storage(format!("{}: {e}", dir.display())))?;
    }
    keyfile::save(path, &identity, &password)?;
    let mut text = format!("identity {pid} saved to {}", path.display());
    if let Some(words) = words.as_ref().filter(|_| !quizzed) {
        text.push_str(&format!(
            "\nyour 24-word backup (`geo backup-phrase` shows it again):\n{}",
            backup::numbered(words)
        ));
    }
    Ok(Output {
        json: json!({ "pid": pid, "key_file": path, "mnemonic": words.as_ref().map(|w| w.as_str()) }),
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
            if cli.json {
                eprintln!("{}", e.to_json());
            } else {
                eprintln!("{}", e.to_text());
            }
            ExitCode::from(e.exit_status())
        }
    }
}
