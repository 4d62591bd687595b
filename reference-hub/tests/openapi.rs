//! The committed `spec/openapi.json` must be exactly what the hub generates and serves.

#[test]
fn committed_openapi_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&reference_hub::api::openapi::document()).unwrap()
    );
    assert!(committed == generated, "spec/openapi.json is stale: run `cargo run -p reference-hub -- openapi > spec/openapi.json`");
}

#[test]
fn every_route_is_documented_with_its_problems() {
    let doc = reference_hub::api::openapi::document();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/payments",
        "/api/v1/trust-lines",
        "/api/v1/auth/login",
        "/api/v1/events",
        "/api/v1/balance/{equivalent}/debts",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    let pay = &doc["paths"]["/api/v1/payments"]["post"];
    assert!(pay["responses"]["422"]["description"]
        .as_str()
        .unwrap()
        .contains("E_INSUFFICIENT_CAPACITY"));
    assert!(pay["responses"]["400"]["description"]
        .as_str()
        .unwrap()
        .contains("E_INVALID_SIGNATURE"));
    assert_eq!(
        pay["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/SignedPaymentRequest"
    );
    assert!(
        doc["components"]["schemas"]["SignedPaymentRequest"]["properties"]["payload"].is_object()
    );
}
