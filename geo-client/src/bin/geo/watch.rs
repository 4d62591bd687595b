//! `geo watch`: live events, one line each (or one JSON object each with `--json`), starting
//! where the previous watch stopped (the cursor is kept in the data directory).

use std::io::Write as _;

use futures_util::StreamExt;
use geo_client::{Connection, Event, EventKind, HubClient, PaymentEvent};
use serde::{Deserialize, Serialize};

use crate::directory::Directory;
use crate::failure::Outcome;
use crate::local::{self, DataDir};

#[derive(Serialize, Deserialize)]
struct Cursor {
    hub: String,
    pid: String,
    last_event: u64,
}

// One step at a time, never stored: boxing the event would only add an allocation per event.
#[allow(clippy::large_enum_variant)]
enum Step {
    Next(Option<geo_client::GeoResult<Event>>),
    Stop,
    Connection(Option<Connection>),
}

/// Where to start.
pub enum Start {
    /// After the stored cursor, or from now when there is none.
    Resume,
    /// From the first event.
    Replay,
    /// After this event id.
    After(u64),
}

/// Prints events until `count` have been shown (or forever), keeping the cursor up to date.
pub async fn watch(
    client: &HubClient,
    directory: &mut Directory<'_>,
    dir: &DataDir,
    start: Start,
    count: Option<usize>,
    json: bool,
) -> Outcome<()> {
    let path = dir.for_key("events-cursor");
    let stored = local::read::<Cursor>(&path)?
        .filter(|c| c.hub == client.url() && c.pid == client.pid().as_str())
        .map(|c| c.last_event);
    let mut events = match (start, stored) {
        (Start::Replay, _) => client.events(0),
        (Start::After(n), _) => client.events(n),
        (Start::Resume, Some(n)) => client.events(n),
        (Start::Resume, None) => client.events_from_now(),
    };
    let save = |last: u64| {
        local::write(
            &path,
            &Cursor {
                hub: client.url().to_owned(),
                pid: client.pid().to_string(),
                last_event: last,
            },
        )
    };
    let mut shown = 0;
    let mut last = None;
    // People are told when the stream is up, lost and back; scripts (`--json`) are not.
    let mut connection = (!json).then(|| events.connection());
    let mut progress = Progress::default();
    while count.is_none_or(|c| shown < c) {
        let step = tokio::select! {
            e = events.next() => Step::Next(e),
            _ = tokio::signal::ctrl_c() => Step::Stop,
            state = async {
                let c = connection.as_mut()?;
                c.changed().await.ok()?;
                Some(*c.borrow_and_update())
            }, if connection.is_some() => Step::Connection(state),
        };
        let next = match step {
            Step::Next(e) => e,
            Step::Stop => break,
            Step::Connection(None) => {
                connection = None; // the stream ended; its events say why
                continue;
            }
            Step::Connection(Some(state)) => {
                let after = last.or(events.started_after());
                if let Some(line) = progress.on(state, after) {
                    eprintln!("{line}");
                }
                continue;
            }
        };
        let Some(event) = next else { break };
        let event = event?;
        let line = if json {
            serde_json::to_string(&event).expect("events serialise")
        } else {
            describe(directory, &event).await
        };
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
        drop(stdout);
        shown += 1;
        last = Some(event.id);
        save(event.id)?;
    }
    if last.is_none() {
        if let Some(start) = events.started_after() {
            save(start)?;
        }
    }
    Ok(())
}

/// What a person is told about the connection: when it is up, lost, and back.
#[derive(Default)]
struct Progress {
    opened: bool,
    lost: bool,
}

impl Progress {
    /// The line to print for the new state, if any; `after` is the last event id shown (or the
    /// stream's start).
    fn on(&mut self, state: Connection, after: Option<u64>) -> Option<String> {
        let after = after.map_or(String::new(), |a| format!(" after #{a}"));
        match state {
            Connection::Open if !self.opened => {
                self.opened = true;
                Some(format!("watching events{after} (Ctrl-C to stop)…"))
            }
            Connection::Open if self.lost => {
                self.lost = false;
                Some(format!("reconnected; showing events{after}…"))
            }
            Connection::Open | Connection::Connecting { .. } => None,
            Connection::Lost {
                failures,
                retry_in_ms,
            } => {
                self.lost = true;
                Some(format!(
                    "connection to the hub lost; reconnecting in {}.{} s (attempt {})…",
                    retry_in_ms / 1000,
                    retry_in_ms % 1000 / 100,
                    failures + 1
                ))
            }
        }
    }
}

async fn payment(d: &mut Directory<'_>, verb: &str, p: &PaymentEvent) -> String {
    let me = d.name(&p.payer).await == "you";
    let (payer, payee) = (d.label(&p.payer).await, d.label(&p.payee).await);
    let parties = match verb {
        "sent" | "aborted" if me => format!("to {payee}"),
        "received" => format!("from {payer}"),
        _ => format!("from {payer} to {payee}"),
    };
    format!(
        "{verb} {} {} {parties} (tx {})",
        p.amount, p.equivalent, p.tx_id
    )
}

/// One line for a person: what happened, with names beside PIDs.
pub async fn describe(d: &mut Directory<'_>, e: &Event) -> String {
    let what = match &e.kind {
        EventKind::TrustLineChanged {
            creditor,
            debtor,
            equivalent,
            limit,
            status,
            ..
        } => {
            let (c, dbt) = (d.label(creditor).await, d.label(debtor).await);
            let lets = if c == "you" { "let" } else { "lets" };
            match limit {
                Some(l) if status == "active" => {
                    format!("trust line: {c} {lets} {dbt} owe up to {l} {equivalent}")
                }
                _ => format!("trust line closed: {c} no longer {lets} {dbt} owe {equivalent}"),
            }
        }
        EventKind::PaymentPrepared {
            payment: p,
            expires_at,
        } => format!("{}, held until {expires_at}", payment(d, "held", p).await),
        EventKind::PaymentSent(p) => payment(d, "sent", p).await,
        EventKind::PaymentReceived(p) => payment(d, "received", p).await,
        EventKind::PaymentRelayed(p) => payment(d, "relayed", p).await,
        EventKind::PaymentAborted {
            payment: p,
            error_code,
        } => {
            let why = error_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default();
            format!("{}: {why}", payment(d, "aborted", p).await)
        }
        EventKind::ClearingProposed {
            clearing_id,
            equivalent,
            edges,
            expires_at,
            ..
        } => format!(
            "clearing proposed: {} {equivalent} debts would be set off; consent with `geo clearing consent {clearing_id} accept` before {expires_at}",
            edges.len()
        ),
        EventKind::ClearingCommitted {
            clearing_id,
            equivalent,
            edges,
            receipt,
            ..
        } => format!(
            "clearing {clearing_id}: {} {equivalent} debts set off{}",
            edges.len(),
            if receipt.is_some() { " (receipt verified)" } else { "" }
        ),
        EventKind::ParticipantStatusChanged { status, .. } => {
            format!("your status is now {}", serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
        }
        other => format!("{} (not known to this version of geo)", other.name()),
    };
    format!("#{} {what}", e.id)
}
