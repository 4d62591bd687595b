//! A request budget per caller: a token bucket per participant (a live session) or client address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use geo_protocol::ErrorCode;

use super::problem::HubError;
use super::{extract, AppState};

/// A token bucket per key (participant or client address).
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter; `per_second == 0` disables it.
    pub fn new(per_second: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: per_second as f64,
            burst: burst.max(1) as f64,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`, or refuses.
    pub fn allow(&self, key: &str) -> bool {
        self.allow_n(key, 1)
    }

    /// Takes `n` tokens for `key` at once, or refuses and takes none.
    pub fn allow_n(&self, key: &str, n: usize) -> bool {
        if self.per_second == 0.0 || n == 0 {
            return true;
        }
        let now = Instant::now();
        let mut b = self.buckets.lock().expect("lock");
        if b.len() > 50_000 {
            b.retain(|_, (_, t)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let (tokens, last) = b.entry(key.to_owned()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= n as f64 {
            *tokens -= n as f64;
            true
        } else {
            false
        }
    }
}

/// The bucket of a participant with a live session.
pub fn participant_key(pid: &geo_protocol::Pid) -> String {
    format!("pid:{pid}")
}

/// The middleware: one token per request, or `E_RATE_LIMITED`.
pub(super) async fn rate_limit(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    // A presented token chooses the bucket only when it is a live session; otherwise the address does,
    // so invented tokens cannot buy fresh budgets.
    let address = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| format!("ip:{}", c.0.ip()))
        .unwrap_or_else(|| "ip:unknown".into());
    let key = match extract::presented_token(req.headers()).map(|t| state.sessions.access(&t)) {
        Some(Ok(pid)) => participant_key(&pid),
        _ => address,
    };
    if !state.limiter.allow(&key) {
        metrics::counter!("geo_rate_limited_total").increment(1);
        return HubError::new(ErrorCode::RateLimited, "too many requests; slow down")
            .into_response();
    }
    next.run(req).await
}
