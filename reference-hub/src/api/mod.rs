//! The HTTP API (`/api/v1`): JSON in and out, RFC 9457 problem documents for every refusal, a
//! WebSocket event stream, health, readiness and Prometheus metrics.

mod admin;
pub mod auth;
mod events;
pub mod extract;
mod handlers;
mod network;
pub mod openapi;
pub mod problem;
pub mod rate_limit;
pub mod views;
pub mod web;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on, MethodFilter};
use axum::Router;
use geo_api::{self as api, Endpoint};
use geo_protocol::{ErrorCode, Identity, Pid, PublicKey};
use tokio::sync::{broadcast, RwLock};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::Settings;
use crate::engine::Engine;
use crate::storage::{Store, StoredEvent};
use crate::writer::{KeyRegistry, WriterHandle};
pub use auth::{random_token, Sessions};
pub use problem::{HubError, HubResult};
pub use rate_limit::RateLimiter;

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The engine (written only by the writer). Handlers read it through [`AppState::query`].
    pub engine: Arc<RwLock<Engine>>,
    /// Public keys by PID.
    pub keys: KeyRegistry,
    /// Submits changes.
    pub writer: WriterHandle,
    /// Runs the optimal clearing (operator requests, re-solves after a rejection).
    pub clearing: crate::clearing_runner::ClearingRunner,
    /// Durable storage.
    pub store: Store,
    /// The hub's identity (signs receipts).
    pub hub: Arc<Identity>,
    /// Settings in force.
    pub settings: Arc<Settings>,
    /// Operator token (replaced by `POST /admin/token`).
    pub admin_token: Arc<std::sync::RwLock<String>>,
    /// The file the operator token lives in (`None` when it comes from the configuration, which
    /// then owns it: rotation is refused).
    pub admin_token_file: Option<std::path::PathBuf>,
    /// Login challenges and access tokens.
    pub sessions: Arc<Sessions>,
    /// Live notifications.
    pub events: broadcast::Sender<Arc<StoredEvent>>,
    /// Per-key request budget.
    pub limiter: Arc<RateLimiter>,
    /// Prometheus text renderer.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// False while starting and after shutdown began.
    pub ready: Arc<AtomicBool>,
    /// Becomes true when shutdown begins: long-lived connections (event streams) close on it, so
    /// they do not keep the writer alive.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// Answers a query from the engine's query methods (`engine/queries.rs`), holding the engine's
    /// read lock for that call only.
    pub async fn query<T>(&self, read: impl FnOnce(&Engine) -> T) -> T {
        read(&*self.engine.read().await)
    }

    /// A registered participant's public key.
    pub fn key_of(&self, pid: &Pid) -> Option<PublicKey> {
        self.keys
            .read()
            .expect("key registry lock")
            .get(pid)
            .copied()
    }
}

/// The request id header: accepted from the client when it is short, printable text, else made
/// here; on every request (for handlers and logs) and every response.
const REQUEST_ID: &str = "x-request-id";

fn usable_request_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    (1..=128).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.:/+=@".contains(c))
}

async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .filter(|v| usable_request_id(v))
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
                .expect("a UUID is a header value")
        });
    req.headers_mut().insert(REQUEST_ID, id.clone());
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(REQUEST_ID, id);
    resp
}

/// Times every request (histogram by route template), and writes the access log: one line per
/// operator request (`admin action`, or `operator access refused` for 401/403) and one per other
/// refused request (`request refused`, with its `E_…` code), each with the request id.
async fn observe(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let path = req.uri().path().to_owned();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let request_id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let elapsed = started.elapsed();
    metrics::histogram!("geo_http_request_seconds", "method" => method.clone(), "route" => route, "status" => status.to_string())
        .record(elapsed.as_secs_f64());
    let code = resp.extensions().get::<ErrorCode>().map(|c| c.as_str());
    let elapsed_ms = elapsed.as_millis() as u64;
    if path.starts_with(&format!("{}/admin/", api::BASE)) {
        if status == 401 || status == 403 {
            tracing::warn!(
                request_id,
                method,
                path,
                status,
                code,
                peer,
                "operator access refused"
            );
        } else {
            tracing::info!(
                request_id,
                method,
                path,
                status,
                code,
                peer,
                elapsed_ms,
                "admin action"
            );
        }
    } else if let Some(code) = code {
        tracing::info!(
            request_id,
            method,
            path,
            status,
            code,
            peer,
            elapsed_ms,
            "request refused"
        );
    }
    resp
}

/// Bounds a request's time, and answers it `503 E_UNAVAILABLE` (with `Retry-After`) as soon as the
/// writer has stopped after a storage failure: a request waiting on a database that no longer
/// answers (a read, a lookup, a commit whose outcome is unknown) is not held until the hub has
/// stopped serving. `503` acknowledges nothing, so a client resends the same signed bytes and
/// gets the stored outcome. `/healthz` and `/metrics` need no database and are always answered.
async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = Duration::from_millis(state.settings.request_timeout_ms);
    let is_ws = req.headers().contains_key(axum::http::header::UPGRADE);
    if is_ws {
        return next.run(req).await;
    }
    if matches!(req.uri().path(), "/healthz" | "/metrics") {
        return next.run(req).await;
    }
    let failed = || {
        HubError::new(
            ErrorCode::Unavailable,
            "the hub's database failed; the hub resumes when it answers (send the same request \
             again shortly)",
        )
        .into_response()
    };
    if state.writer.has_failed() {
        return failed();
    }
    tokio::select! {
        answered = tokio::time::timeout(limit, next.run(req)) => match answered {
            Ok(resp) => resp,
            Err(_) => HubError::new(
                ErrorCode::Timeout,
                "the request took too long; read the outcome back by id",
            )
            .into_response(),
        },
        () = state.writer.failure() => failed(),
    }
}

fn cors(settings: &Settings) -> Option<CorsLayer> {
    if settings.cors_origins.is_empty() {
        return None;
    }
    let origin = if settings.cors_origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            settings
                .cors_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::OPTIONS,
            ])
            .allow_headers([
                axum::http::header::AUTHORIZATION,
                axum::http::header::CONTENT_TYPE,
                // Operator pages (the console) send the admin token.
                axum::http::HeaderName::from_static("x-admin-token"),
                axum::http::HeaderName::from_static(REQUEST_ID),
            ])
            // Pages read when to resend and the hub's clock (to date messages when the device's is off).
            .expose_headers([
                axum::http::header::RETRY_AFTER,
                axum::http::header::DATE,
                axum::http::HeaderName::from_static(REQUEST_ID),
            ])
            .max_age(Duration::from_secs(600)),
    )
}

/// Adds `handler` at an endpoint of the route table (method and path from `geo-api`).
fn at<H, T>(router: Router<AppState>, endpoint: &Endpoint, handler: H) -> Router<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match endpoint.method {
        api::Method::Get => MethodFilter::GET,
        api::Method::Post => MethodFilter::POST,
        api::Method::Put => MethodFilter::PUT,
        api::Method::Patch => MethodFilter::PATCH,
    };
    router.route(endpoint.path, on(filter, handler))
}

/// The whole router.
pub fn router(state: AppState) -> Router {
    use api::{auth, balance, clearing, discovery, equivalent, event, operator, participant};
    use api::{federation, payment, trust_line};
    let mut v1 = Router::new();
    v1 = at(v1, &discovery::HUB, handlers::hub_info);
    v1 = at(v1, &discovery::OPENAPI, handlers::openapi_json);
    v1 = at(v1, &auth::CHALLENGE, handlers::challenge);
    v1 = at(v1, &auth::LOGIN, handlers::login);
    v1 = at(v1, &auth::REFRESH, handlers::refresh);
    v1 = at(v1, &participant::REGISTER, handlers::register);
    v1 = at(v1, &participant::SEARCH, handlers::search_participants);
    v1 = at(v1, &participant::ME, handlers::me);
    v1 = at(v1, &participant::UPDATE_ME, handlers::update_me);
    v1 = at(v1, &participant::GET, handlers::participant);
    v1 = at(v1, &equivalent::LIST, handlers::equivalents);
    v1 = at(v1, &equivalent::SET, handlers::admin_set_equivalent);
    v1 = at(v1, &trust_line::SET, handlers::set_trust_line);
    v1 = at(v1, &trust_line::LIST, handlers::list_trust_lines);
    v1 = at(v1, &trust_line::CLOSE, handlers::close_trust_line);
    v1 = at(v1, &trust_line::GET, handlers::trust_line);
    v1 = at(v1, &payment::PAY, handlers::pay);
    v1 = at(v1, &payment::PAY_BATCH, handlers::pay_batch);
    v1 = at(v1, &payment::HISTORY, handlers::history);
    v1 = at(v1, &payment::CAPACITY, handlers::capacity);
    v1 = at(v1, &payment::GET, handlers::payment);
    v1 = at(v1, &payment::COMMIT, handlers::commit_hold);
    v1 = at(v1, &payment::ABORT, handlers::abort_hold);
    v1 = at(v1, &clearing::PREVIEW, handlers::clearing_preview);
    v1 = at(v1, &clearing::RUN, handlers::admin_run_clearing);
    v1 = at(v1, &clearing::LIST, handlers::clearings);
    v1 = at(v1, &clearing::PROPOSALS, handlers::clearing_proposals);
    v1 = at(v1, &clearing::CONSENT, handlers::clearing_consent);
    v1 = at(v1, &balance::TOTALS, handlers::balance);
    v1 = at(v1, &balance::DEBTS, handlers::debts);
    v1 = at(v1, &federation::CONDITION, handlers::federation_condition);
    v1 = at(v1, &federation::CAPACITY, handlers::federation_capacity);
    v1 = at(v1, &federation::PREPARE, handlers::federation_prepare);
    v1 = at(v1, &federation::REJECT, handlers::federation_reject);
    v1 = at(
        v1,
        &federation::REFUSED_FULFILMENTS,
        handlers::admin_refused_fulfilments,
    );
    v1 = at(
        v1,
        &federation::REFUSED_PEER_FULFILMENTS,
        handlers::admin_refused_peer_fulfilments,
    );
    v1 = at(v1, &api::network::NEIGHBOURHOOD, network::neighbourhood);
    v1 = at(v1, &event::STREAM, events::stream);
    v1 = at(v1, &operator::SET_STATUS, handlers::admin_set_status);
    v1 = at(v1, &operator::INTEGRITY, handlers::admin_integrity);
    v1 = at(v1, &operator::STATS, handlers::admin_stats);
    v1 = at(v1, &operator::PARTICIPANTS, admin::participants);
    v1 = at(v1, &operator::PARTICIPANT, admin::participant);
    v1 = at(v1, &operator::PARTICIPANT_LINES, admin::trust_lines);
    v1 = at(v1, &operator::PARTICIPANT_PAYMENTS, admin::payments);
    v1 = at(v1, &operator::CLEARINGS, admin::clearings);
    v1 = at(v1, &operator::ROTATE_TOKEN, admin::rotate_token);
    let v1 = v1
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::rate_limit,
        ));
    let mut app = Router::new()
        .nest(api::BASE, v1)
        .route("/healthz", get(handlers::healthz))
        .route("/readyz", get(handlers::readyz))
        .route("/metrics", get(handlers::metrics))
        .fallback(web::serve)
        .layer(axum::middleware::from_fn_with_state(state.clone(), timeout))
        .layer(axum::middleware::from_fn(observe))
        .layer(tower_http::trace::TraceLayer::new_for_http());
    if let Some(c) = cors(&state.settings) {
        app = app.layer(c);
    }
    // Outermost, so every answer carries the id (CORS preflights and refusals included).
    app.layer(axum::middleware::from_fn(request_id))
        .with_state(state)
}

/// Marks the hub ready or not.
pub fn set_ready(state: &AppState, ready: bool) {
    state.ready.store(ready, Ordering::Relaxed);
}
