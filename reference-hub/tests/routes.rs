//! The router serves exactly the route table of `geo-api`: every endpoint answers with its own
//! handler (never the "no such endpoint" fallback, never "method not allowed").

mod support;

use serde_json::Value;
use support::TestHub;

both_backends!(
    every_endpoint_of_the_table_is_routed,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        for e in geo_api::routes::ALL {
            let args: Vec<&str> = e.path_params().iter().map(|_| "x").collect();
            let url = hub.api_url(&e.path_with(&args));
            let method = reqwest::Method::from_bytes(e.method.as_str().as_bytes()).unwrap();
            let r = hub
                .http
                .request(method, &url)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            let what = format!("{} {}: {status} {body}", e.method.as_str(), e.path);
            assert_ne!(body["detail"], "no such endpoint", "{what}");
            assert_ne!(body["code"], "E_METHOD_NOT_ALLOWED", "{what}");
        }
        // The fallback itself still answers unknown paths.
        let r = hub
            .http
            .get(hub.api_url("/no-such-thing"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
);
