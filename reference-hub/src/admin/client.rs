//! The operator's HTTP calls: each endpoint of `geo-api`'s route table with `X-Admin-Token`, every
//! refusal read as the hub's problem document and sorted into an [`AdminError`] class.

use geo_api::{Endpoint, Problem, BASE};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::AdminError;

/// An operator session with one hub.
pub struct AdminHttp {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl AdminHttp {
    /// A client for the hub at `url` (with or without `/api/v1`).
    pub fn new(url: &str, token: &str) -> AdminHttp {
        let base = url.trim_end_matches('/');
        AdminHttp {
            base: base.strip_suffix(BASE).unwrap_or(base).to_owned(),
            token: token.to_owned(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("a plain HTTP client builds"),
        }
    }

    /// Calls `endpoint` at the concrete `path` (from `path_with` / `path_with_query`).
    pub async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: String,
        body: Option<&impl Serialize>,
    ) -> Result<T, AdminError> {
        let method = reqwest::Method::from_bytes(endpoint.method.as_str().as_bytes())
            .expect("route table methods are valid");
        let mut rb = self
            .http
            .request(method, format!("{}{BASE}{path}", self.base))
            .header("x-admin-token", &self.token);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb
            .send()
            .await
            .map_err(|e| AdminError::Network(format!("{}: {e}", self.base)))?;
        let status = resp.status().as_u16();
        let text = resp
            .text()
            .await
            .map_err(|e| AdminError::Network(e.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text)
                .map_err(|e| AdminError::Local(format!("unexpected answer from the hub: {e}")));
        }
        let problem: Problem = serde_json::from_str(&text).map_err(|_| AdminError::Refused {
            status,
            code: "E_HTTP".into(),
            detail: text.chars().take(200).collect(),
        })?;
        Err(AdminError::from_problem(problem))
    }

    /// Calls an endpoint that takes no body.
    pub async fn get<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: String,
    ) -> Result<T, AdminError> {
        self.call(endpoint, path, None::<&()>).await
    }
}
