//! Runs scenarios against a hub: discovery, selection, concurrency and results.

use std::sync::Arc;
use std::time::{Duration, Instant};

use geo_protocol::{Identity, PublicKey};
use serde::Serialize;
use serde_json::Value;

use crate::scenario::{Level, Scenario, PEER_HUB};
use crate::steps::Ctx;

/// What the hub says about itself (`GET /api/v1/hub`).
#[derive(Debug, Clone, Serialize)]
pub struct HubInfo {
    /// Base URL, e.g. `http://127.0.0.1:8080`.
    pub url: String,
    /// Protocol version it speaks.
    pub protocol: String,
    /// Its PID: the audience participants sign for.
    pub pid: String,
    /// Its key (receipts and proposals verify against it).
    #[serde(skip)]
    pub key: PublicKey,
    /// Features it lists.
    pub features: Vec<String>,
    /// Limits it announces.
    pub limits: Value,
}

/// How to run the suite.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Base URL of the hub.
    pub hub: String,
    /// Operator token (`x-admin-token`); scenarios that need it are skipped without it.
    pub operator_token: Option<String>,
    /// Only scenarios whose id contains this text (`*` matches any run of characters).
    pub filter: Option<String>,
    /// Highest level to run; scenarios above it are skipped.
    pub level: Level,
    /// Scenarios run at the same time.
    pub jobs: usize,
    /// A hub linked to this one (`spec/federation.md`), for the scenarios that require `peer_hub`
    /// (skipped without it).
    pub peer: Option<PeerHub>,
}

/// The linked hub of a two-hub run, with what the runner needs to link the two in each scenario's
/// equivalents: the linked hub's operator token and both hubs' keys (each hub's account signs its
/// inter-hub trust lines, as its operator would).
#[derive(Debug, Clone)]
pub struct PeerHub {
    /// Base URL of the linked hub, as the hub under test's `federation_links` names it.
    pub hub: String,
    /// The linked hub's operator token.
    pub operator_token: String,
    /// The key of the hub under test (its `hub_key_file`).
    pub home_key: Identity,
    /// The key of the linked hub.
    pub peer_key: Identity,
}

/// What became of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every step had the expected outcome.
    Pass,
    /// A step did not.
    Fail,
    /// Not run (see the reason).
    Skip,
}

/// The first step that went wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Step number (1-based; 0 is the setup: equivalents and participants).
    pub step: usize,
    /// The step's op.
    pub op: String,
    /// The step's note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the spec requires.
    pub expected: String,
    /// What the hub did.
    pub actual: String,
}

/// The result of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// Scenario id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Spec sections it checks.
    pub sections: Vec<String>,
    /// Its level.
    pub level: Level,
    /// Pass, fail or skip.
    pub outcome: Outcome,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Wall time.
    pub millis: u64,
}

/// The results of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The hub as discovered.
    pub hub: HubInfo,
    /// One result per scenario, in id order.
    pub results: Vec<ScenarioResult>,
}

impl Report {
    /// How many scenarios ended with `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }

    /// The result of one scenario.
    pub fn result(&self, id: &str) -> Option<&ScenarioResult> {
        self.results.iter().find(|r| r.id == id)
    }
}

/// Asks the hub who it is.
pub async fn discover(http: &reqwest::Client, url: &str) -> Result<HubInfo, String> {
    let url = url.trim_end_matches('/').to_owned();
    let hub = format!("{url}{}{}", geo_api::BASE, geo_api::discovery::HUB.path);
    let r = http
        .get(&hub)
        .send()
        .await
        .map_err(|e| format!("GET {hub}: {e}"))?;
    if !r.status().is_success() {
        return Err(format!("GET {hub}: HTTP {}", r.status()));
    }
    let v: geo_api::HubInfo = r.json().await.map_err(|e| format!("discovery: {e}"))?;
    let key =
        PublicKey::from_base64(&v.public_key).map_err(|e| format!("discovery public_key: {e}"))?;
    if key.pid() != v.hub_pid {
        return Err(format!(
            "discovery: hub_pid {} is not the PID of public_key ({})",
            v.hub_pid,
            key.pid()
        ));
    }
    Ok(HubInfo {
        url,
        protocol: v.protocol,
        pid: v.hub_pid.to_string(),
        key,
        features: v.features,
        limits: serde_json::to_value(&v.limits).expect("limits serialise"),
    })
}

fn matches(filter: &str, id: &str) -> bool {
    if !filter.contains('*') {
        return id.contains(filter);
    }
    // Anchored glob with `*` only.
    let parts: Vec<&str> = filter.split('*').collect();
    let mut rest = id;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Why a selected scenario cannot run against this hub with this configuration.
fn skip_reason(s: &Scenario, config: &RunConfig, hub: &HubInfo) -> Option<String> {
    if s.level > config.level {
        return Some(format!(
            "level {} not requested (--level {})",
            s.level, config.level
        ));
    }
    for r in &s.requires {
        if r == "operator" && config.operator_token.is_none() {
            return Some("needs the operator token (--operator-token)".into());
        }
        if r == PEER_HUB && config.peer.is_none() {
            return Some(
                "needs a linked hub and both hubs' keys (--peer-hub, --hub-key-file, …)".into(),
            );
        }
        if let Some((name, bound)) = crate::scenario::limit_requirement(r) {
            match hub.limits.get(name).and_then(Value::as_f64) {
                Some(v) if v <= bound => {}
                Some(v) => {
                    return Some(format!(
                        "the hub's {name} is {v}; this scenario needs at most {bound}"
                    ))
                }
                None => return Some(format!("the hub does not announce limits.{name}")),
            }
        }
        if let Some(f) = r.strip_prefix("feature:") {
            if !hub.features.iter().any(|h| h == f) {
                return Some(format!("the hub does not list feature {f:?}"));
            }
        }
    }
    None
}

/// A short id unique to this run (codes of equivalents start with it).
fn run_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    geo_protocol::Nonce::random()
        .as_str()
        .bytes()
        .take(5)
        .map(|b| ALPHABET[b as usize % ALPHABET.len()] as char)
        .collect()
}

fn base36(mut n: usize, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[n % 36];
        n /= 36;
    }
    String::from_utf8(out).expect("ASCII")
}

/// Runs the selected scenarios against the hub and reports every one of them.
pub async fn run(config: &RunConfig, scenarios: &[Scenario]) -> Result<Report, String> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let hub = Arc::new(discover(&http, &config.hub).await?);
    if hub.protocol != geo_protocol::PROTOCOL_VERSION {
        return Err(format!(
            "the hub speaks {:?}; this suite checks {}",
            hub.protocol,
            geo_protocol::PROTOCOL_VERSION
        ));
    }
    let peer = match &config.peer {
        Some(p) => {
            let info = discover(&http, &p.hub).await?;
            if info.key != p.peer_key.public_key() || hub.key != p.home_key.public_key() {
                return Err("the hub keys given are not the keys the two hubs publish".into());
            }
            Some((Arc::new(info), p))
        }
        None => None,
    };
    let run = run_id();
    let permits = Arc::new(tokio::sync::Semaphore::new(config.jobs.max(1)));
    let mut tasks = Vec::new();
    let mut selected: Vec<&Scenario> = scenarios
        .iter()
        .filter(|s| config.filter.as_deref().is_none_or(|f| matches(f, &s.id)))
        .collect();
    selected.sort_by(|a, b| a.id.cmp(&b.id));
    for (index, s) in selected.into_iter().enumerate() {
        let base = ScenarioResult {
            id: s.id.clone(),
            title: s.title.clone(),
            sections: s.sections.clone(),
            level: s.level,
            outcome: Outcome::Skip,
            skip_reason: None,
            failure: None,
            millis: 0,
        };
        if let Some(reason) = skip_reason(s, config, &hub) {
            tasks.push(tokio::spawn(async move {
                ScenarioResult {
                    skip_reason: Some(reason),
                    ..base
                }
            }));
            continue;
        }
        let scenario = s.clone();
        let prefix = format!("T{run}{}", base36(index, 3));
        let mut ctx = Ctx::new(
            http.clone(),
            hub.clone(),
            config.operator_token.clone(),
            prefix.clone(),
        );
        if let Some((info, p)) = peer
            .as_ref()
            .filter(|_| s.requires.iter().any(|r| r == PEER_HUB))
        {
            let linked = Ctx::new(
                http.clone(),
                info.clone(),
                Some(p.operator_token.clone()),
                prefix,
            );
            ctx = ctx.linked(linked, p.home_key.clone(), p.peer_key.clone());
        }
        let permits = permits.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore open");
            let started = Instant::now();
            let outcome = tokio::time::timeout(Duration::from_secs(180), ctx.run(&scenario)).await;
            let failure = match outcome {
                Ok(Ok(())) => None,
                Ok(Err(f)) => Some(f),
                Err(_) => Some(Failure {
                    step: 0,
                    op: "scenario".into(),
                    note: None,
                    expected: "the scenario finishes within 180 s".into(),
                    actual: "timed out".into(),
                }),
            };
            ScenarioResult {
                outcome: if failure.is_some() {
                    Outcome::Fail
                } else {
                    Outcome::Pass
                },
                failure,
                millis: started.elapsed().as_millis() as u64,
                ..base
            }
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(
            t.await
                .map_err(|e| format!("a scenario task panicked: {e}"))?,
        );
    }
    Ok(Report {
        hub: (*hub).clone(),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_substrings_and_globs() {
        assert!(matches("payment", "payment-direct"));
        assert!(matches("pay*direct", "payment-direct"));
        assert!(!matches("pay*multi", "payment-direct"));
        assert!(matches("*", "anything"));
        assert!(!matches("clearing-*", "payment-direct"));
    }

    #[test]
    fn run_ids_and_counters_fit_an_equivalent_code() {
        let code = format!("T{}{}{}", run_id(), base36(46655, 3), "ABCDEFG");
        assert_eq!(code.len(), 16);
        assert!(geo_protocol::EquivalentCode::parse(&code).is_ok());
    }
}
