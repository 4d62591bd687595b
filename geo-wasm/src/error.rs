//! geo-client's `GeoError` as a JS exception: an instance of the package's `GeoError` class (a
//! subclass of `Error`) with the stable `code`, `retryable`, and for hub refusals `status` and the
//! whole `problem` document.

use geo_client::GeoError;
use wasm_bindgen::prelude::*;

// One class for both wasm modules of the package (`instanceof GeoError` holds for the errors of
// either): it lives in a plain module next to their glue, which both import.
#[wasm_bindgen(raw_module = "./geo_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        code: &str,
        message: &str,
        retryable: bool,
        status: Option<u16>,
        problem: Option<String>,
    ) -> JsValue;
}

/// The class's declaration in the package's `.d.ts` (defined in `js/geo_error.js`).
#[cfg(feature = "wallet")]
#[wasm_bindgen(typescript_custom_section)]
const GEO_ERROR_TS: &str = r#"
/** Every failure of the package: `code` is the stable `E_…` code. */
export declare class GeoError extends Error {
  readonly name: 'GeoError';
  /** The hub's code for refusals (e.g. `E_INSUFFICIENT_CAPACITY`), an SDK code otherwise. */
  readonly code: string;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;
  /** HTTP status of a hub refusal, else null. */
  readonly status: number | null;
  /** The hub's whole problem document, else null. */
  readonly problem: Problem | null;
}
"#;

/// Converts an SDK error into the JS exception.
pub fn to_js(e: GeoError) -> JsValue {
    let (status, problem) = match &e {
        GeoError::Hub {
            status, problem, ..
        } => (
            Some(*status),
            Some(problem.clone()).filter(|p| !p.is_empty()),
        ),
        _ => (None, None),
    };
    make_error(&e.code(), &e.to_string(), e.is_retryable(), status, problem)
}

/// The result type of every exported function: errors become `GeoError` exceptions.
pub type JsResult<T> = Result<T, JsValue>;

/// `?` for SDK results inside exported functions.
pub trait IntoJs<T> {
    /// Maps the error to a `GeoError` exception.
    fn js(self) -> JsResult<T>;
}

impl<T, E: Into<GeoError>> IntoJs<T> for Result<T, E> {
    fn js(self) -> JsResult<T> {
        self.map_err(|e| to_js(e.into()))
    }
}

/// An `E_VALIDATION` exception.
pub(crate) fn validation(message: &str) -> JsValue {
    to_js(GeoError::Validation {
        code: "E_VALIDATION".into(),
        message: message.into(),
    })
}
