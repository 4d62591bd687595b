//! `PaymentHistory`: the SDK's paged history as an async iterator (`next()` until none).

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::Mutex;

use crate::error::GeoError;
use crate::records::Payment;

/// Payments newest first; pages are fetched as they are read and every receipt is verified.
#[derive(uniffi::Object)]
pub struct PaymentHistory {
    stream: Mutex<geo_client::PageStream<geo_client::Payment>>,
}

impl std::fmt::Debug for PaymentHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentHistory").finish_non_exhaustive()
    }
}

impl PaymentHistory {
    pub(crate) fn new(stream: geo_client::PageStream<geo_client::Payment>) -> Arc<Self> {
        Arc::new(PaymentHistory {
            stream: Mutex::new(stream),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl PaymentHistory {
    /// The next payment, or none after the last one.
    pub async fn next(&self) -> Result<Option<Payment>, GeoError> {
        match self.stream.lock().await.next().await {
            Some(item) => Ok(Some(item?.try_into()?)),
            None => Ok(None),
        }
    }
}
