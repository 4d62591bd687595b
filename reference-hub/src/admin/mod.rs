//! `geo-hub admin …`: the operator's command line over the hub's operator API. Human output with
//! names beside PIDs and decimal amounts, `--json` for scripts; errors on standard error (a JSON
//! object with `--json`) and one exit code per class of failure ([`AdminError::exit_code`]).

mod client;
mod error;
mod output;

use std::collections::HashMap;

use clap::{Args, Subcommand};
use geo_api::{self as api, operator, Endpoint};
use geo_protocol::Pid;
use serde::Serialize;
use serde_json::json;

use crate::config::Settings;
pub use client::AdminHttp;
pub use error::AdminError;
use output::Out;

/// `geo-hub admin`: flags shared by every operator command.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AdminArgs {
    /// The hub's URL (default: the `listen` setting, e.g. http://127.0.0.1:8080).
    #[arg(long, env = "GEO_HUB_URL")]
    pub hub: Option<String>,
    /// Machine-readable JSON on standard output (errors as {"error":{…}} on standard error).
    #[arg(long)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: AdminCommand,
}

const EXAMPLES: &str = "\
The operator token is --admin-token (alias --token), GEO_ADMIN_TOKEN, or <data-dir>/admin.token.

Examples:
  geo-hub admin totals
  geo-hub admin equivalents create UAH --precision 2 --description 'Ukrainian hryvnia'
  geo-hub admin participants list --search ali
  geo-hub admin participants suspend Alice --reason 'lost phone'
  geo-hub admin participants payments 3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW
  geo-hub admin clearing run UAH
  geo-hub --data-dir /var/lib/geo admin --hub http://127.0.0.1:8080 --json integrity

Exit codes: 0 done, 1 other failure, 2 usage, 3 refused by the hub, 4 hub unreachable,
5 operator token missing or not accepted.";

/// Operator commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Units of account.
    #[command(subcommand)]
    Equivalents(EquivalentCommand),
    /// Members of the community.
    #[command(subcommand)]
    Participants(ParticipantCommand),
    /// The hub's totals: participants, payments, debt outstanding and cleared per equivalent.
    Totals,
    /// Debt clearing.
    #[command(subcommand)]
    Clearing(ClearingCommand),
    /// Replay the journal in the running hub and verify the hash chain and every invariant.
    Integrity,
    /// The operator token.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `admin equivalents …`.
#[derive(Debug, Subcommand)]
pub enum EquivalentCommand {
    /// List every equivalent.
    List,
    /// Create an equivalent (or change its precision and description) and make it active.
    Create {
        /// Code, e.g. UAH.
        code: String,
        /// Decimal places, 0..=8.
        #[arg(long)]
        precision: u8,
        /// What it is.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Stop new trust lines and payments in an equivalent (existing debts stay).
    Deactivate {
        /// Code.
        code: String,
    },
    /// Allow new trust lines and payments again.
    Activate {
        /// Code.
        code: String,
    },
}

/// `admin participants …`.
#[derive(Debug, Subcommand)]
pub enum ParticipantCommand {
    /// List participants, optionally matching a name substring or PID prefix.
    List {
        /// Name substring or PID prefix.
        #[arg(long)]
        search: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// One participant (PID, or a name that matches exactly one).
    Show {
        /// PID or name.
        who: String,
    },
    /// Bar a participant from acting and being routed through.
    Suspend {
        /// PID or name.
        who: String,
        /// Why (kept in the journal).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Let a suspended participant act again.
    Reactivate {
        /// PID or name.
        who: String,
        /// Why (kept in the journal).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// A participant's trust lines, both directions.
    Lines {
        /// PID or name.
        who: String,
    },
    /// A participant's payments, newest first.
    Payments {
        /// PID or name.
        who: String,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// `admin clearing …`.
#[derive(Debug, Subcommand)]
pub enum ClearingCommand {
    /// Run the optimal clearing of an equivalent now.
    Run {
        /// Code.
        equivalent: String,
    },
    /// Clearings applied so far, newest first.
    History {
        /// One equivalent only.
        #[arg(long)]
        equivalent: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// `admin token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Replace the operator token now: the old one stops working, the new one is printed and
    /// written to <data-dir>/admin.token.
    Rotate,
}

/// The operator token in force for the CLI: the setting (flag or environment), else the data
/// folder's `admin.token`.
fn token(settings: &Settings) -> Result<String, AdminError> {
    if !settings.admin_token.is_empty() {
        return Ok(settings.admin_token.clone());
    }
    let path = settings.data_dir.join("admin.token");
    match std::fs::read_to_string(&path) {
        Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_owned()),
        _ => Err(AdminError::Auth {
            status: 0,
            code: "E_UNAUTHORIZED".into(),
            detail: format!(
                "no operator token: pass --token, set GEO_ADMIN_TOKEN, or point --data-dir at the hub's folder ({} is missing or empty)",
                path.display()
            ),
        }),
    }
}

/// The hub's URL by default: its `listen` address, with an unspecified IP as loopback.
fn default_url(settings: &Settings) -> String {
    let mut addr = settings.listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    format!("http://{addr}")
}

/// Runs one operator command; prints its result on standard output.
pub async fn run(settings: &Settings, args: &AdminArgs) -> Result<(), AdminError> {
    let url = args.hub.clone().unwrap_or_else(|| default_url(settings));
    let hub = AdminHttp::new(&url, &token(settings)?);
    let out = Out::new(args.json);
    match &args.command {
        AdminCommand::Totals => {
            let s: api::HubStats = hub.get(&operator::STATS, path(&operator::STATS)).await?;
            out.stats(&s)
        }
        AdminCommand::Integrity => {
            let r: api::IntegrityReport = match hub
                .get(&operator::INTEGRITY, path(&operator::INTEGRITY))
                .await
            {
                Ok(r) => r,
                Err(e) => return Err(e),
            };
            out.integrity(&r);
            if r.status != "ok" {
                return Err(AdminError::Refused {
                    status: 500,
                    code: "E_INTEGRITY".into(),
                    detail: r.problems.join("; "),
                });
            }
        }
        AdminCommand::Equivalents(c) => equivalents(&hub, &out, c).await?,
        AdminCommand::Participants(c) => participants(&hub, &out, c).await?,
        AdminCommand::Clearing(c) => clearing(&hub, &out, c).await?,
        AdminCommand::Token(TokenCommand::Rotate) => {
            let t: operator::AdminToken = hub
                .call(
                    &operator::ROTATE_TOKEN,
                    path(&operator::ROTATE_TOKEN),
                    None::<&()>,
                )
                .await?;
            out.token(&t)
        }
    }
    Ok(())
}

fn path(e: &Endpoint) -> String {
    e.path_with(&[])
}

async fn equivalents(hub: &AdminHttp, out: &Out, c: &EquivalentCommand) -> Result<(), AdminError> {
    let list =
        || hub.get::<Vec<api::Equivalent>>(&api::equivalent::LIST, path(&api::equivalent::LIST));
    let set = |code: &str, body: api::EquivalentSettings| {
        let e = &api::equivalent::SET;
        let p = e.path_with(&[code]);
        async move { hub.call::<api::Equivalent>(e, p, Some(&body)).await }
    };
    match c {
        EquivalentCommand::List => out.equivalents(&list().await?),
        EquivalentCommand::Create {
            code,
            precision,
            description,
        } => {
            let e = set(
                code,
                api::EquivalentSettings {
                    precision: *precision,
                    description: description.clone(),
                    active: true,
                },
            )
            .await?;
            out.equivalents(&[e])
        }
        EquivalentCommand::Deactivate { code } | EquivalentCommand::Activate { code } => {
            let active = matches!(c, EquivalentCommand::Activate { .. });
            let current = list()
                .await?
                .into_iter()
                .find(|e| e.code.as_str() == code)
                .ok_or_else(|| AdminError::Refused {
                    status: 404,
                    code: "E_UNKNOWN_EQUIVALENT".into(),
                    detail: format!("equivalent {code}"),
                })?;
            let e = set(
                code,
                api::EquivalentSettings {
                    precision: current.precision,
                    description: current.description,
                    active,
                },
            )
            .await?;
            out.equivalents(&[e])
        }
    }
    Ok(())
}

/// Finds one participant by PID, or by a name (or PID prefix) that matches exactly one.
async fn resolve(hub: &AdminHttp, who: &str) -> Result<api::Participant, AdminError> {
    if let Ok(pid) = Pid::parse(who) {
        let e = &operator::PARTICIPANT;
        return hub.get(e, e.path_with(&[pid.as_str()])).await;
    }
    let found = search(hub, Some(who.to_owned()), 200).await?;
    let exact: Vec<_> = found
        .iter()
        .filter(|p| p.display_name.eq_ignore_ascii_case(who))
        .collect();
    match (exact.as_slice(), found.as_slice()) {
        ([one], _) => Ok((*one).clone()),
        ([], [one]) => Ok(one.clone()),
        ([], []) => Err(AdminError::Refused {
            status: 404,
            code: "E_NOT_FOUND".into(),
            detail: format!("no participant named {who:?}"),
        }),
        _ => Err(AdminError::Refused {
            status: 409,
            code: "E_AMBIGUOUS".into(),
            detail: format!(
                "{who:?} matches several participants; use a PID: {}",
                found
                    .iter()
                    .map(|p| format!("{} {}", p.display_name, p.pid))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

async fn search(
    hub: &AdminHttp,
    q: Option<String>,
    limit: u32,
) -> Result<Vec<api::Participant>, AdminError> {
    let e = &operator::PARTICIPANTS;
    let mut out = Vec::new();
    let mut cursor = None;
    while out.len() < limit as usize {
        let query = api::ParticipantSearch {
            q: q.clone(),
            kind: None,
            limit: Some((limit as usize - out.len()).min(200) as u32),
            cursor: cursor.take(),
        };
        let page: api::Page<api::Participant> = hub.get(e, e.path_with_query(&[], &query)).await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(out)
}

/// Display names of the PIDs (unknown ones left out).
async fn names<'a>(
    hub: &AdminHttp,
    pids: impl IntoIterator<Item = &'a Pid>,
) -> Result<HashMap<Pid, String>, AdminError> {
    let mut names = HashMap::new();
    for pid in pids {
        if names.contains_key(pid) {
            continue;
        }
        let e = &operator::PARTICIPANT;
        match hub
            .get::<api::Participant>(e, e.path_with(&[pid.as_str()]))
            .await
        {
            Ok(p) => {
                names.insert(pid.clone(), p.display_name);
            }
            Err(AdminError::Refused { status: 404, .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(names)
}

async fn set_status(
    hub: &AdminHttp,
    who: &str,
    status: api::ParticipantStatus,
    reason: &str,
) -> Result<api::Participant, AdminError> {
    let p = resolve(hub, who).await?;
    let e = &operator::SET_STATUS;
    let body = api::StatusChange {
        status,
        reason: reason.to_owned(),
    };
    hub.call(e, e.path_with(&[p.pid.as_str()]), Some(&body))
        .await
}

async fn participants(
    hub: &AdminHttp,
    out: &Out,
    c: &ParticipantCommand,
) -> Result<(), AdminError> {
    match c {
        ParticipantCommand::List { search: q, limit } => {
            out.participants(&search(hub, q.clone(), *limit).await?)
        }
        ParticipantCommand::Show { who } => out.participants(&[resolve(hub, who).await?]),
        ParticipantCommand::Suspend { who, reason } => {
            let p = set_status(hub, who, api::ParticipantStatus::Suspended, reason).await?;
            out.participants(&[p])
        }
        ParticipantCommand::Reactivate { who, reason } => {
            let p = set_status(hub, who, api::ParticipantStatus::Active, reason).await?;
            out.participants(&[p])
        }
        ParticipantCommand::Lines { who } => {
            let p = resolve(hub, who).await?;
            let e = &operator::PARTICIPANT_LINES;
            let mut lines = Vec::new();
            let mut query = api::TrustLineQuery {
                limit: Some(200),
                ..Default::default()
            };
            loop {
                let page: api::Page<api::TrustLine> = hub
                    .get(e, e.path_with_query(&[p.pid.as_str()], &query))
                    .await?;
                lines.extend(page.items);
                match page.next_cursor {
                    Some(c) => query.cursor = Some(c),
                    None => break,
                }
            }
            let names = names(hub, lines.iter().flat_map(|l| [&l.creditor, &l.debtor])).await?;
            out.lines(&p, &lines, &names)
        }
        ParticipantCommand::Payments { who, limit } => {
            let p = resolve(hub, who).await?;
            let e = &operator::PARTICIPANT_PAYMENTS;
            let query = api::HistoryQuery {
                limit: Some((*limit).clamp(1, 200)),
                ..Default::default()
            };
            let page: api::Page<api::Payment> = hub
                .get(e, e.path_with_query(&[p.pid.as_str()], &query))
                .await?;
            let names = names(hub, page.items.iter().flat_map(|x| [&x.payer, &x.payee])).await?;
            out.payments(&page.items, &names)
        }
    }
    Ok(())
}

async fn clearing(hub: &AdminHttp, out: &Out, c: &ClearingCommand) -> Result<(), AdminError> {
    match c {
        ClearingCommand::Run { equivalent } => {
            let e = &api::clearing::RUN;
            let run: api::ClearingRun =
                hub.call(e, e.path_with(&[equivalent]), None::<&()>).await?;
            out.clearing_run(&run)
        }
        ClearingCommand::History { equivalent, limit } => {
            let e = &operator::CLEARINGS;
            let query = operator::ClearingHistoryQuery {
                equivalent: equivalent.clone(),
                limit: Some((*limit).clamp(1, 200)),
                cursor: None,
            };
            let page: api::Page<api::Clearing> = hub.get(e, e.path_with_query(&[], &query)).await?;
            let names = names(
                hub,
                page.items
                    .iter()
                    .flat_map(|c| c.edges.iter().flat_map(|s| [&s.debtor, &s.creditor])),
            )
            .await?;
            out.clearings(&page.items, &names)
        }
    }
    Ok(())
}

/// Writes a failure on standard error (JSON with `--json`) and gives the exit code.
pub fn report(err: &AdminError, json: bool) -> u8 {
    if json {
        eprintln!("{}", err.to_json());
    } else {
        eprintln!("geo-hub admin: {err}");
    }
    err.exit_code()
}

/// Serialises for `--json` output.
fn to_json(v: &impl Serialize) -> String {
    serde_json::to_string_pretty(v)
        .unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}
