//! The operator's client (`X-Admin-Token`): creates equivalents, runs clearing, suspends and
//! reactivates participants, checks integrity, reads the totals.

use geo_client::paging::Pager;
use geo_client::policy::{Backoff, Call, Resend};
use geo_client::requests::{encode, read, ApiRequest, Method};
use geo_client::{
    Clearing, ClearingRun, Equivalent, GeoResult, HubIdentity, HubInfo, HubStats, IntegrityReport,
    Page, Participant,
};
use geo_protocol::Pid;
use serde::de::DeserializeOwned;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::IntoJs;

/// An operator client for one hub.
#[wasm_bindgen]
pub struct AdminClient {
    base: String,
    token: String,
}

async fn send<T: DeserializeOwned>(
    base: String,
    token: String,
    req: ApiRequest,
) -> GeoResult<String> {
    let call = Call::new(
        req,
        Resend::RefusedBeforeWork,
        Backoff::default(),
        crate::transport::jitter(),
    );
    let body =
        crate::transport::run_public(&base, call, Some(("x-admin-token", &token)), 30_000).await?;
    let _: T = geo_client::requests::parse(200, &body)?;
    Ok(body)
}

async fn verified_clearings(
    base: String,
    token: String,
    equivalent: Option<String>,
) -> GeoResult<Vec<Clearing>> {
    let info = send::<HubInfo>(base.clone(), token.clone(), read::hub()).await?;
    let hub = HubIdentity::from_info(geo_client::requests::parse(200, &info)?, None)?;
    let mut pager = Pager::new();
    let mut out = Vec::new();
    while let Some(cursor) = pager.next() {
        let req = geo_client::requests::admin::clearings(equivalent.as_deref(), None, cursor);
        let body = send::<Page<Clearing>>(base.clone(), token.clone(), req).await?;
        let page: Page<Clearing> = geo_client::requests::parse(200, &body)?;
        for c in &page.items {
            hub.verify_clearing(c)?;
        }
        out.extend(page.items);
        pager.advance(page.next_cursor)?;
    }
    Ok(out)
}

#[wasm_bindgen]
impl AdminClient {
    /// An operator client for the hub at `url` with its operator token.
    #[wasm_bindgen(constructor)]
    pub fn new(url: &str, admin_token: &str) -> AdminClient {
        let base = url.trim_end_matches('/');
        AdminClient {
            base: base.strip_suffix("/api/v1").unwrap_or(base).to_owned(),
            token: admin_token.to_owned(),
        }
    }

    /// Creates or changes an equivalent with `precision` decimal places.
    #[wasm_bindgen(js_name = setEquivalent, unchecked_return_type = "Promise<Equivalent>")]
    pub fn set_equivalent(
        &self,
        code: String,
        precision: u8,
        description: Option<String>,
    ) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let req = ApiRequest {
                method: Method::Put,
                path: format!("/admin/equivalents/{}", encode(&code)),
                body: Some(
                    json!({"precision": precision, "description": description.unwrap_or_default()})
                        .to_string(),
                ),
                authenticated: false,
            };
            let body = send::<Equivalent>(base, token, req).await.js()?;
            js_sys::JSON::parse(&body)
        }))
    }

    /// Runs the optimal clearing of an equivalent now.
    #[wasm_bindgen(js_name = runClearing, unchecked_return_type = "Promise<ClearingRun>")]
    pub fn run_clearing(&self, code: String) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let req = ApiRequest {
                method: Method::Post,
                path: format!("/admin/clearing/{}/run", encode(&code)),
                body: None,
                authenticated: false,
            };
            let body = send::<ClearingRun>(base, token, req).await.js()?;
            js_sys::JSON::parse(&body)
        }))
    }

    /// Sets a participant's status: `active` (reactivate), `suspended` or `left`, with a reason
    /// kept in the journal.
    #[wasm_bindgen(js_name = setStatus, unchecked_return_type = "Promise<Participant>")]
    pub fn set_status(
        &self,
        pid: String,
        status: String,
        reason: Option<String>,
    ) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let pid = Pid::parse(&pid).map_err(geo_client::GeoError::from).js()?;
            let status: geo_client::ParticipantStatus =
                serde_json::from_value(serde_json::Value::String(status.clone()))
                    .map_err(|_| geo_client::GeoError::Validation {
                        code: "E_VALIDATION".into(),
                        message: format!("unknown participant status {status:?}"),
                    })
                    .js()?;
            let req =
                geo_client::requests::admin::set_status(&pid, status, &reason.unwrap_or_default());
            let body = send::<Participant>(base, token, req).await.js()?;
            js_sys::JSON::parse(&body)
        }))
    }

    /// Participants of every status whose name contains `q` or whose PID starts with it (first
    /// page).
    #[wasm_bindgen(unchecked_return_type = "Promise<Participant[]>")]
    pub fn participants(&self, q: String, limit: Option<u32>) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let req = geo_client::requests::admin::participants(&q, limit);
            let body = send::<Page<Participant>>(base, token, req).await.js()?;
            let page: serde_json::Value =
                serde_json::from_str(&body).map_err(|e| JsValue::from_str(&e.to_string()))?;
            js_sys::JSON::parse(&page["items"].to_string())
        }))
    }

    /// Every clearing applied, newest first (one equivalent, or all when `equivalent` is
    /// undefined), each receipt verified against the key the hub publishes and checked against
    /// its listing (a receipt that does not verify rejects the promise).
    #[wasm_bindgen(unchecked_return_type = "Promise<Clearing[]>")]
    pub fn clearings(&self, equivalent: Option<String>) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let list = verified_clearings(base, token, equivalent).await.js()?;
            let text =
                serde_json::to_string(&list).map_err(|e| JsValue::from_str(&e.to_string()))?;
            js_sys::JSON::parse(&text)
        }))
    }

    /// Replays the journal on the hub and checks its hash chain and every invariant.
    #[wasm_bindgen(unchecked_return_type = "Promise<IntegrityReport>")]
    pub fn integrity(&self) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let req = geo_client::requests::admin::integrity();
            let body = send::<IntegrityReport>(base, token, req).await.js()?;
            js_sys::JSON::parse(&body)
        }))
    }

    /// The hub's totals: participants by status, journal length, open holds, payments and, per
    /// equivalent, the debt outstanding and what clearing has set off (counters only grow).
    #[wasm_bindgen(unchecked_return_type = "Promise<HubStats>")]
    pub fn stats(&self) -> js_sys::Promise {
        let (base, token) = (self.base.clone(), self.token.clone());
        future_to_promise(crate::transport::boxed(async move {
            let req = geo_client::requests::admin::stats();
            let body = send::<HubStats>(base, token, req).await.js()?;
            js_sys::JSON::parse(&body)
        }))
    }
}
