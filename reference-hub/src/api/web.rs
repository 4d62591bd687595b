//! The web wallet (`/`) and operator console (`/admin`), built from `web/` into `web-dist/` and
//! embedded in the binary by `build.rs`. Served with their content types, a strict CSP and cache
//! headers; paths without a file extension fall back to the app's page (client-side routes).
//! Never shadows the API: `/api/v1` has its own fallback (a problem document).

use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::api::problem::HubError;

/// Every embedded file: URL path (from `/`) and bytes, sorted by path.
static ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// The page's rules: only this origin's scripts (and wasm compilation), styles, images, hub API
/// and event stream; never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; \
manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The content type of a served file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("webmanifest") => "application/manifest+json",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Content-hashed build output is immutable; pages, the manifest and the service worker are
/// revalidated on every load so a new hub version is picked up at once.
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The file that answers `path`: itself, `index.html` of a folder, or for a client-side route
/// (no extension) the page of the app it belongs to (`/admin/…` the console, else the wallet).
pub fn resolve(path: &str) -> Option<(&'static str, &'static [u8])> {
    let find = |p: &str| {
        ASSETS
            .binary_search_by(|(k, _)| (*k).cmp(p))
            .ok()
            .map(|i| ASSETS[i])
    };
    if let Some(hit) = find(path) {
        return Some(hit);
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') || path.starts_with("/api/") {
        return None;
    }
    if path == "/admin" || path.starts_with("/admin/") {
        find("/admin/index.html")
    } else {
        find("/index.html")
    }
}

/// The router's fallback outside `/api/v1`: an embedded file, or the "no such endpoint" problem.
pub async fn serve(method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return HubError::not_found("no such endpoint").into_response();
    }
    let Some((path, body)) = resolve(uri.path()) else {
        return HubError::not_found("no such endpoint").into_response();
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(path)),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if path == "/sw.js" {
        // The service worker controls the whole origin.
        h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_sorted_for_the_binary_search() {
        assert!(ASSETS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn content_types_and_cache_rules() {
        assert_eq!(
            content_type("/assets/geo_wasm_bg-1a2b.wasm"),
            "application/wasm"
        );
        assert_eq!(
            content_type("/assets/index-1a2b.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("/manifest.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("/x"), "application/octet-stream");
        assert_eq!(
            cache_control("/assets/a.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("/index.html"), "no-cache");
    }

    #[test]
    fn client_side_routes_fall_back_to_their_app_but_files_and_the_api_do_not() {
        assert_eq!(resolve("/pay").map(|a| a.0), Some("/index.html"));
        assert_eq!(resolve("/").map(|a| a.0), Some("/index.html"));
        assert_eq!(resolve("/admin").map(|a| a.0), Some("/admin/index.html"));
        assert_eq!(
            resolve("/admin/clearing").map(|a| a.0),
            Some("/admin/index.html")
        );
        assert_eq!(resolve("/missing.js"), None);
        assert_eq!(resolve("/api/v2/x"), None);
    }
}
