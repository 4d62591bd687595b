//! A small community end to end through the SDK: three neighbours register, extend trust to each
//! other, pay across two hops, watch their events, see a debt cycle cleared, and print balances.
//!
//!     cargo run -p geo-client --example community -- http://127.0.0.1:8080 "$(cat data/admin.token)"
//!
//! (or `GEO_HUB` and `GEO_ADMIN_TOKEN`; the admin token only creates the `UAH` equivalent).

use std::time::Duration;

use futures_util::StreamExt;
use geo_client::{
    AdminClient, EventKind, GeoError, HubClient, Identity, ParticipantKind, PaymentOrder,
};

/// What the run saw, for the caller (and the test that runs this example) to check.
#[derive(Debug)]
pub struct Summary {
    /// The multi-hop payment's path (Alice → Bob → Carol).
    pub path: Vec<String>,
    /// The total Alice saw set off by the clearing.
    pub cleared: Vec<String>,
    /// Net positions of Alice, Bob and Carol at the end.
    pub nets: Vec<String>,
}

async fn net(c: &HubClient) -> Result<String, GeoError> {
    Ok(c.balance()
        .await?
        .into_iter()
        .find(|b| b.equivalent.as_str() == "UAH")
        .map(|b| b.net)
        .unwrap_or_else(|| "0.00".into()))
}

/// Runs the community story against the hub at `url`.
pub async fn run(url: &str, admin_token: Option<&str>) -> Result<Summary, GeoError> {
    if let Some(token) = admin_token {
        AdminClient::new(url, token)
            .set_equivalent("UAH", 2, "Ukrainian hryvnia")
            .await?;
    }
    let alice = HubClient::connect(url, Identity::generate()).await?;
    let bob = HubClient::connect(url, Identity::generate()).await?;
    let carol = HubClient::connect(url, Identity::generate()).await?;
    for (who, name) in [(&alice, "Alice"), (&bob, "Bob"), (&carol, "Carol")] {
        who.register(name, ParticipantKind::Person, None).await?;
        println!("{name} registered as {}", who.pid());
    }

    // A trust line "X → Y" lets Y owe X: Bob trusts Alice, Carol trusts Bob, Alice trusts Carol.
    bob.set_trust_line(&alice.pid(), "UAH", "100", None).await?;
    carol.set_trust_line(&bob.pid(), "UAH", "100", None).await?;
    alice
        .set_trust_line(&carol.pid(), "UAH", "100", None)
        .await?;

    let mut events = alice.events(0);

    // Alice pays Carol, whom she has no line with: the hub routes through Bob.
    let receipt = alice
        .pay(PaymentOrder::new(carol.pid(), "UAH", "30").description("vegetables"))
        .await?;
    let path: Vec<String> = receipt.routes[0]
        .path
        .iter()
        .map(|p| p.to_string())
        .collect();
    println!(
        "Alice paid Carol {} UAH over {} hops (receipt verified, journal #{})",
        receipt.amount,
        path.len() - 1,
        receipt.journal_seq.unwrap_or_default()
    );

    // Carol pays Alice 20 directly: that closes the cycle Alice → Bob → Carol → Alice, which the
    // hub sets off at once.
    carol
        .pay(PaymentOrder::new(alice.pid(), "UAH", "20"))
        .await?;

    let mut cleared = Vec::new();
    while cleared.is_empty() {
        let event = tokio::time::timeout(Duration::from_secs(20), events.next())
            .await
            .map_err(|_| GeoError::Timeout {
                message: "no clearing event".into(),
            })?
            .ok_or_else(|| GeoError::Transport {
                message: "the event stream ended".into(),
            })??;
        match event.kind {
            EventKind::ClearingCommitted { edges, .. } => {
                println!(
                    "event #{}: cleared {} debts of the cycle",
                    event.id,
                    edges.len()
                );
                cleared = edges.into_iter().map(|e| e.amount).collect();
            }
            other => println!("event #{}: {other:?}", event.id),
        }
    }

    let mut nets = Vec::new();
    for (who, name) in [(&alice, "Alice"), (&bob, "Bob"), (&carol, "Carol")] {
        let n = net(who).await?;
        println!("{name}: net {n} UAH");
        for d in who.debts("UAH").await? {
            println!(
                "  with {}: owes {}, is owed {}",
                d.display_name, d.i_owe, d.owes_me
            );
        }
        nets.push(n);
    }
    Ok(Summary {
        path,
        cleared,
        nets,
    })
}

#[tokio::main]
#[allow(dead_code)] // the test includes this file for `run` only
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .or_else(|| std::env::var("GEO_HUB").ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let token = args
        .next()
        .or_else(|| std::env::var("GEO_ADMIN_TOKEN").ok());
    if let Err(e) = run(&url, token.as_deref()).await {
        eprintln!("error {}: {e}", e.code());
        std::process::exit(1);
    }
}
