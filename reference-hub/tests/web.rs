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
