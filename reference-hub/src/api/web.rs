//! The web wallet (`/`) and operator console (`/admin`), built from `web/` into `web-dist/` and
//! embedded in the binary by `build.rs`. Served with their content types, a strict CSP and cache
//! headers; paths without a file extension fall back to the app's page (client-side routes).
//! Scripts, styles and the wasm module go out brotli- or gzip-compressed as `web/build.sh` made
//! them, whichever the browser accepts (the wasm is about a third of its size as brotli).
//! Never shadows the API: `/api/v1` has its own fallback (a problem document).

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::api::problem::HubError;

/// One embedded file and its precompressed forms.
#[derive(Debug)]
pub struct Asset {
    /// URL path from `/`.
    pub path: &'static str,
    /// The file itself.
    pub body: &'static [u8],
    /// Its brotli form, when it is worth having.
    pub brotli: Option<&'static [u8]>,
    /// Its gzip form, when it is worth having.
    pub gzip: Option<&'static [u8]>,
}

/// Every embedded file, sorted by path.
static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// A content coding the browser may be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// `br`.
    Brotli,
    /// `gzip`.
    Gzip,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// Whether an `Accept-Encoding` value accepts `coding` (RFC 9110 §12.5.3: listed, or covered by
/// `*`, with a weight above zero).
pub fn accepts(accept_encoding: &str, coding: Coding) -> bool {
    let mut named = None;
    let mut any = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        let ok = weight > 0.0;
        if name == coding.name() || (coding == Coding::Gzip && name == "x-gzip") {
            named = Some(ok);
        } else if name == "*" {
            any = Some(ok);
        }
    }
    named.or(any).unwrap_or(false)
}

impl Asset {
    /// The bytes to send to a browser whose `Accept-Encoding` is `accept`, and their coding
    /// (brotli first: it is the smaller).
    pub fn negotiate(&self, accept: &str) -> (&'static [u8], Option<Coding>) {
        for (form, coding) in [(self.brotli, Coding::Brotli), (self.gzip, Coding::Gzip)] {
            if let Some(bytes) = form {
                if accepts(accept, coding) {
                    return (bytes, Some(coding));
                }
            }
        }
        (self.body, None)
    }
}

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
pub fn resolve(path: &str) -> Option<&'static Asset> {
    let find = |p: &str| {
        ASSETS
            .binary_search_by(|a| a.path.cmp(p))
            .ok()
            .map(|i| &ASSETS[i])
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
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return HubError::not_found("no such endpoint").into_response();
    }
    let Some(asset) = resolve(uri.path()) else {
        return HubError::not_found("no such endpoint").into_response();
    };
    let path = asset.path;
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (body, coding) = asset.negotiate(accept);
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    if let Some(c) = coding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c.name()));
    }
    if asset.brotli.is_some() || asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
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
        assert!(ASSETS.windows(2).all(|w| w[0].path < w[1].path));
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
        assert_eq!(resolve("/pay").map(|a| a.path), Some("/index.html"));
        assert_eq!(resolve("/").map(|a| a.path), Some("/index.html"));
        assert_eq!(resolve("/admin").map(|a| a.path), Some("/admin/index.html"));
        assert_eq!(
            resolve("/admin/clearing").map(|a| a.path),
            Some("/admin/index.html")
        );
        assert!(resolve("/missing.js").is_none());
        assert!(resolve("/api/v2/x").is_none());
    }

    #[test]
    fn accept_encoding_weights_and_wildcards() {
        use Coding::*;
        assert!(accepts("gzip, deflate, br, zstd", Brotli));
        assert!(accepts("gzip, deflate, br, zstd", Gzip));
        assert!(!accepts("gzip", Brotli));
        assert!(!accepts("", Gzip), "no header: identity only");
        assert!(!accepts("br;q=0, gzip", Brotli));
        assert!(accepts("BR;q=0.5", Brotli));
        assert!(accepts("*", Brotli));
        assert!(!accepts("*;q=0", Gzip));
        assert!(
            !accepts("gzip;q=0, *", Gzip),
            "a named refusal beats the wildcard"
        );
        assert!(accepts("x-gzip", Gzip));
        assert!(!accepts("identity", Gzip));
    }

    #[test]
    fn the_precompressed_forms_are_the_files() {
        let wasm = ASSETS
            .iter()
            .find(|a| a.path.ends_with(".wasm"))
            .expect("the wasm module is embedded");
        assert!(
            wasm.brotli.is_some() && wasm.gzip.is_some(),
            "web/build.sh compresses the wasm"
        );
        assert!(
            !ASSETS
                .iter()
                .any(|a| a.path.ends_with(".br") || a.path.ends_with(".gz")),
            "compressed forms are not files of their own"
        );
        let (body, coding) = wasm.negotiate("gzip, br");
        assert_eq!(
            (body.len() < wasm.body.len() / 2, coding),
            (true, Some(Coding::Brotli))
        );
        assert_eq!(wasm.negotiate("gzip").1, Some(Coding::Gzip));
        assert_eq!(wasm.negotiate("identity").0, wasm.body);
    }
}
