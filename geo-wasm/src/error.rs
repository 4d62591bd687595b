//! geo-client's `GeoError` as a JS exception: an instance of the package's `GeoError` class (a
//! subclass of `Error`) with the stable `code`, `retryable`, and for hub refusals `status` and the
//! whole `problem` document.

use geo_client::GeoError;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export class GeoError extends Error {
  constructor(code, message, retryable, status, problem) {
    super(message);
    this.name = 'GeoError';
    this.code = code;
    this.retryable = retryable;
    this.status = status === undefined ? null : status;
    this.problem = problem === undefined ? null : problem;
  }
}
export function makeError(code, message, retryable, status, problem) {
  let doc = null;
  if (problem) { try { doc = JSON.parse(problem); } catch (_) { doc = null; } }
  return new GeoError(code, message, retryable, status, doc);
}
export function errorClass() { return GeoError; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        code: &str,
        message: &str,
        retryable: bool,
        status: Option<u16>,
        problem: Option<String>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> JsValue;
}

/// The class's declaration in the package's `.d.ts`, next to its definition above.
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

/// The `GeoError` class (the package re-exports it for `instanceof` checks).
#[wasm_bindgen(js_name = geoErrorClass, unchecked_return_type = "typeof GeoError")]
pub fn geo_error_class() -> JsValue {
    error_class()
}

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
