//! The hub serves the embedded web wallet and console (`web-dist/`) next to its API: pages and
//! client-side routes with their content types, CSP and cache rules, and never in place of an API
//! answer.

mod support;

use support::{Backend, TestHub};

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_and_console_are_served_beside_the_api() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let get = |path: &str| hub.http.get(format!("{}{path}", hub.url)).send();

    let page = get("/").await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&page, "cache-control"), "no-cache");
    assert!(
        header(&page, "content-security-policy").contains("script-src 'self' 'wasm-unsafe-eval'")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>GEO wallet</title>"), "{html}");

    // A client-side route of each app gets that app's page.
    let route = get("/trust").await.unwrap().text().await.unwrap();
    assert_eq!(route, html);
    let console = get("/admin/participants")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        console.contains("<title>GEO hub console</title>"),
        "{console}"
    );

    // The scripts and the wasm module the page names, with their types and immutable caching.
    let script = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let js = get(script).await.unwrap();
    assert_eq!(
        header(&js, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        header(&js, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let manifest = get("/manifest.webmanifest").await.unwrap();
    assert_eq!(
        header(&manifest, "content-type"),
        "application/manifest+json"
    );
    let sw = get("/sw.js").await.unwrap();
    assert_eq!(header(&sw, "cache-control"), "no-cache");
    assert!(sw.text().await.unwrap().contains(".wasm"));

    // The API keeps its own answers; a missing file is not the page.
    let api = get("/api/v1/no-such-thing").await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(header(&api, "content-type"), "application/problem+json");
    assert_eq!(get("/api/v1/hub").await.unwrap().status(), 200);
    assert_eq!(get("/missing.js").await.unwrap().status(), 404);
    let post = hub.http.post(format!("{}/", hub.url)).send().await.unwrap();
    assert_eq!(post.status(), 404);
}

/// The embedded wasm module's URL path and its file in `web-dist`.
fn wasm_file() -> (String, std::path::PathBuf) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web-dist/assets");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .expect("web-dist has the wasm module");
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    (format!("/assets/{name}"), file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_go_out_precompressed_by_what_the_browser_accepts() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (path, file) = wasm_file();
    let get = |encoding: &'static str| {
        hub.http
            .get(format!("{}{path}", hub.url))
            .header("accept-encoding", encoding)
            .send()
    };
    let on_disk = |ext: &str| std::fs::read(format!("{}{ext}", file.display())).unwrap();
    for (accept, coding, ext) in [
        ("gzip, deflate, br, zstd", "br", ".br"),
        ("gzip", "gzip", ".gz"),
        ("br;q=0, gzip;q=0.5", "gzip", ".gz"),
        ("identity", "", ""),
        ("br;q=0, gzip;q=0", "", ""),
    ] {
        let r = get(accept).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-encoding"), coding, "{accept}");
        assert_eq!(header(&r, "vary"), "accept-encoding");
        assert_eq!(header(&r, "content-type"), "application/wasm");
        let body = r.bytes().await.unwrap();
        assert_eq!(body.as_ref(), on_disk(ext).as_slice(), "{accept}");
    }
    let raw = on_disk("").len();
    let br = on_disk(".br").len();
    assert!(br * 2 < raw, "brotli sends {br} of {raw} bytes");

    // A file too small to gain is sent as it is, without Vary; the .br files are not paths.
    let r = hub
        .http
        .get(format!("{}/icon.svg", hub.url))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (header(&r, "content-encoding"), header(&r, "vary")),
        ("", "")
    );
    let r = hub
        .http
        .get(format!("{}{path}.br", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
