//! The JS host's globals this package uses (`fetch`, `WebSocket`, `setTimeout`), and JSON value
//! conversion. Only globals that browsers and node ≥ 20 share, so one module runs in both.

use js_sys::{Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use geo_client::{GeoError, GeoResult};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn js_fetch(url: &str, init: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(js_name = AbortController)]
    type AbortController;
    #[wasm_bindgen(constructor, js_class = "AbortController")]
    fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method)]
    fn abort(this: &AbortController);
}

/// A value as a JS object (via JSON, so the shape is exactly the wire's).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| {
        crate::error::to_js(GeoError::Protocol {
            message: e.to_string(),
        })
    })?;
    js_sys::JSON::parse(&text)
}

/// A JS object as a Rust value; a wrong shape is a typed `E_VALIDATION` error.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> GeoResult<T> {
    let text: String = if value.is_undefined() {
        "null".into()
    } else {
        js_sys::JSON::stringify(value)
            .map(String::from)
            .map_err(|_| invalid_arg(what, "not serializable"))?
    };
    // Through `Value`: one JSON parser for every argument type (see `requests::parse`).
    serde_json::from_str::<serde_json::Value>(&text)
        .and_then(|v| geo_api::tree::decode::<T>(&v))
        .map_err(|e| invalid_arg(what, &e.to_string()))
}

fn invalid_arg(what: &str, why: &str) -> GeoError {
    GeoError::Validation {
        code: "E_VALIDATION".into(),
        message: format!("{what}: {why}"),
    }
}

/// Now by the host's clock.
pub(crate) fn host_now() -> geo_protocol::Timestamp {
    use geo_protocol::Timestamp;
    let secs = (js_sys::Date::now() / 1000.0) as i64;
    Timestamp::from_unix(secs).unwrap_or_else(|_| Timestamp::from_unix(0).expect("epoch"))
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms as f64);
    });
    let _ = JsFuture::from(p).await;
}

/// One HTTP answer: status, body, and the headers the policy reads.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u64>,
    pub date: Option<String>,
}

/// One HTTP exchange over `fetch`, aborted after `timeout_ms`. Network failures and time-outs are
/// typed (`E_TRANSPORT`, `E_TIMEOUT`), never thrown.
pub async fn fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u64,
) -> GeoResult<Answer> {
    let transport = |e: JsValue| GeoError::Transport {
        message: describe(&e),
    };
    let init = js_sys::Object::new();
    let h = js_sys::Object::new();
    for (k, v) in headers {
        let _ = Reflect::set(&h, &(*k).into(), &(*v).into());
    }
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    let _ = Reflect::set(&init, &"headers".into(), &h);
    if let Some(b) = body {
        let _ = Reflect::set(&init, &"body".into(), &b.into());
    }
    let controller = AbortController::new();
    let _ = Reflect::set(&init, &"signal".into(), &controller.signal());
    let abort = Closure::once_into_js({
        let c: AbortController = controller.clone().unchecked_into();
        move || c.abort()
    });
    let timer = set_timeout(abort.unchecked_ref(), timeout_ms as f64);
    let result = async {
        let resp = JsFuture::from(js_fetch(url, &init))
            .await
            .map_err(transport)?;
        let status = Reflect::get(&resp, &"status".into())
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0) as u16;
        let hs = Reflect::get(&resp, &"headers".into()).map_err(transport)?;
        let header = |name: &str| -> Option<String> {
            let get: Function = Reflect::get(&hs, &"get".into()).ok()?.dyn_into().ok()?;
            get.call1(&hs, &name.into()).ok()?.as_string()
        };
        let retry_after = header("retry-after").and_then(|v| v.trim().parse().ok());
        let date = header("date");
        let text: Function = Reflect::get(&resp, &"text".into())
            .map_err(transport)?
            .dyn_into()
            .map_err(transport)?;
        let p: Promise = text
            .call0(&resp)
            .map_err(transport)?
            .dyn_into()
            .map_err(transport)?;
        let body = JsFuture::from(p)
            .await
            .map_err(transport)?
            .as_string()
            .unwrap_or_default();
        Ok(Answer {
            status,
            body,
            retry_after,
            date,
        })
    }
    .await;
    clear_timeout(&timer);
    result.map_err(|e| match e {
        GeoError::Transport { message } if message.contains("abort") => GeoError::Timeout {
            message: format!("no answer from {url} within {timeout_ms} ms"),
        },
        e => e,
    })
}

/// A JS exception's message.
pub fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    let msg = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".into());
    let name = Reflect::get(e, &"name".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    let cause = Reflect::get(e, &"cause".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .and_then(|c| Reflect::get(&c, &"message".into()).ok())
        .and_then(|m| m.as_string());
    match cause {
        Some(c) => format!("{name}: {msg}: {c}"),
        None => format!("{name}: {msg}"),
    }
}
