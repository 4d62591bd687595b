//! `AdminClient`: the operator's client (creates equivalents, runs clearing, lists clearings).

use std::sync::Arc;

use crate::error::GeoError;
use crate::records::{all, Clearing, ClearingRun, Equivalent};
use crate::types::EquivalentCode;

/// The operator's client, authenticated by the hub's admin token (wraps
/// [`geo_client::AdminClient`]).
#[derive(Debug, uniffi::Object)]
pub struct AdminClient {
    inner: geo_client::AdminClient,
}

#[uniffi::export(async_runtime = "tokio")]
impl AdminClient {
    /// An operator client for the hub at `url`.
    #[uniffi::constructor]
    pub fn new(url: String, admin_token: String) -> Arc<Self> {
        Arc::new(AdminClient {
            inner: geo_client::AdminClient::new(&url, &admin_token),
        })
    }

    /// Creates or changes an equivalent (`precision` decimal places, 0..=8).
    pub async fn set_equivalent(
        &self,
        code: EquivalentCode,
        precision: u8,
        description: String,
    ) -> Result<Equivalent, GeoError> {
        let e = self
            .inner
            .set_equivalent(code.as_str(), precision, &description)
            .await?;
        Ok(e.into())
    }

    /// Runs the optimal clearing of an equivalent now.
    pub async fn run_clearing(&self, code: EquivalentCode) -> Result<ClearingRun, GeoError> {
        self.inner.run_clearing(code.as_str()).await?.try_into()
    }

    /// Every clearing applied (newest first; one equivalent or all), each receipt verified
    /// against the key the hub publishes and checked against its listing.
    pub async fn clearings(
        &self,
        equivalent: Option<EquivalentCode>,
    ) -> Result<Vec<Clearing>, GeoError> {
        let code = equivalent.as_ref().map(|c| c.as_str());
        all(self.inner.clearings(code).await?)
    }
}
