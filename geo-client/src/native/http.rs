//! One HTTP exchange with reqwest: a request of the sans-I/O core goes out as it is, the hub's
//! answer comes back with what the policy machines need from its headers.

use std::time::Duration;

use geo_api::BASE;
use geo_protocol::Timestamp;

use crate::error::{GeoError, GeoResult};
use crate::requests::{ApiRequest, Method};

/// The hub's answer to one request.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
    /// `Retry-After`, seconds.
    pub retry_after: Option<u64>,
    /// `Date`: the hub's clock.
    pub date: Option<Timestamp>,
}

/// Who the request speaks for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Credential<'a> {
    /// Nobody (discovery, registration, login).
    None,
    /// A participant's access token.
    Bearer(&'a str),
    /// The operator's `X-Admin-Token`.
    Operator(&'a str),
}

/// Sends `req` to the hub at `base` once.
pub(crate) async fn send(
    http: &reqwest::Client,
    base: &str,
    req: &ApiRequest,
    credential: Credential<'_>,
    timeout: Duration,
) -> GeoResult<Answer> {
    let url = format!("{base}{BASE}{}", req.path);
    let mut r = http.request(method(req.method), url).timeout(timeout);
    match credential {
        Credential::None => {}
        Credential::Bearer(t) => r = r.bearer_auth(t),
        Credential::Operator(t) => r = r.header("x-admin-token", t),
    }
    if let Some(b) = &req.body {
        r = r
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(b.clone());
    }
    let resp = r.send().await.map_err(transport)?;
    let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok());
    let retry_after = header(reqwest::header::RETRY_AFTER).and_then(|v| v.trim().parse().ok());
    let date = header(reqwest::header::DATE).and_then(crate::clock::parse_http_date);
    let status = resp.status().as_u16();
    let body = resp.text().await.map_err(transport)?;
    Ok(Answer {
        status,
        body,
        retry_after,
        date,
    })
}

fn method(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
    }
}

/// A failure to get an answer, typed as the policy machines expect (time-out or transport).
pub(crate) fn transport(e: reqwest::Error) -> GeoError {
    if e.is_timeout() {
        GeoError::Timeout {
            message: e.to_string(),
        }
    } else {
        GeoError::Transport {
            message: format!("{e}: {}", source_chain(&e)),
        }
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = Vec::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out.join(": ")
}
