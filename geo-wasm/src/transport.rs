//! The HTTP transport both clients share (`HubClient` in the wallet module, `AdminClient` in the
//! admin module): one request over the host's `fetch`, a [`Call`] driven to its end, and the
//! boxed future every exported async method returns through.

use std::future::Future;
use std::pin::Pin;

use geo_client::policy::{Action, Call, Jitter};
use geo_client::requests::{ApiRequest, Method};
use geo_client::{GeoError, GeoResult};
use wasm_bindgen::prelude::*;

use crate::error::JsResult;
use crate::js;

/// A jitter seeded from the host's `crypto.getRandomValues`, so no two clients wait alike.
pub(crate) fn jitter() -> Jitter {
    let mut seed = [0u8; 8];
    // Without entropy the waits are merely not spread; nothing else depends on it.
    let _ = getrandom::getrandom(&mut seed);
    Jitter::seeded(u64::from_le_bytes(seed))
}

fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
    }
}

/// Sends one request as it is; the answer or a typed transport failure.
pub(crate) async fn send(
    base: &str,
    req: &ApiRequest,
    token: Option<&str>,
    extra: Option<(&str, &str)>,
    timeout_ms: u64,
) -> GeoResult<js::Answer> {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = &auth {
        headers.push(("authorization", a));
    }
    if req.body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    if let Some(h) = extra {
        headers.push(h);
    }
    let url = format!("{base}/api/v1{}", req.path);
    js::fetch(
        method(req.method),
        &url,
        &headers,
        req.body.as_deref(),
        timeout_ms,
    )
    .await
}

/// Runs a [`Call`] for requests that need no token.
pub(crate) async fn run_public(
    base: &str,
    mut call: Call,
    extra: Option<(&str, &str)>,
    timeout_ms: u64,
) -> GeoResult<String> {
    loop {
        match call.next_action() {
            Action::Send(req) => match send(base, &req, None, extra, timeout_ms).await {
                Ok(a) => call.on_response(a.status, a.body, a.retry_after),
                Err(e) => call.on_failure(e),
            },
            Action::Wait(ms) => js::sleep(ms).await,
            Action::Renew => call.on_renewed(Err(GeoError::Protocol {
                message: "the operator token was refused".into(),
            })),
            Action::Done(r) => return r,
        }
    }
}

/// A Promise's future behind a pointer: `future_to_promise` and its task machinery are
/// instantiated once for every exported method, not once per method.
pub(crate) fn boxed<F>(f: F) -> Pin<Box<dyn Future<Output = JsResult<JsValue>>>>
where
    F: Future<Output = JsResult<JsValue>> + 'static,
{
    Box::pin(f)
}
