//! The OpenAPI 3.1 document of the hub API, built from the same Rust types the handlers use (their JSON
//! Schemas come from schemars), written to `spec/openapi.json` by `geo-hub openapi` and served at
//! `/api/v1/openapi.json`. A test fails when the committed file is stale.

use geo_protocol::{
    ErrorCode, Login, ParticipantRegister, ParticipantUpdate, PaymentAbort, PaymentCommit,
    PaymentRequest, SignedMessage, TrustLineClose, TrustLineSet,
};
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

use super::views::*;

enum Access {
    Public,
    Bearer,
    Admin,
}

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    access: Access,
    params: Vec<(&'static str, &'static str, bool, &'static str)>,
    body: Option<Value>,
    ok: (u16, Value),
    errors: &'static [ErrorCode],
}

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

fn array(item: Value) -> Value {
    json!({ "type": "array", "items": item })
}

fn page(item: Value) -> Value {
    json!({
        "type": "object",
        "required": ["items"],
        "properties": { "items": array(item), "next_cursor": { "type": "string" } }
    })
}

const SIGNED: &[ErrorCode] = &[
    ErrorCode::Malformed,
    ErrorCode::Validation,
    ErrorCode::InvalidSignature,
    ErrorCode::WrongMessageType,
    ErrorCode::WrongAudience,
    ErrorCode::Expired,
    ErrorCode::NotYetValid,
    ErrorCode::ValidityTooLong,
    ErrorCode::Replayed,
    ErrorCode::PayloadTooLarge,
    ErrorCode::RateLimited,
];

fn operations(g: &mut SchemaGenerator) -> Vec<Op> {
    use Access::*;
    use ErrorCode as E;
    let q = |name, desc| (name, desc, false, "string");
    let pagination = vec![
        ("limit", "page size 1..200 (default 50)", false, "integer"),
        ("cursor", "from next_cursor", false, "string"),
    ];
    vec![
        Op { method: "get", path: "/hub", summary: "Hub discovery: PID (the audience to sign for), key, protocol, features, limits", tag: "hub", access: Public, params: vec![], body: None, ok: (200, schema::<HubInfo>(g)), errors: &[] },
        Op { method: "post", path: "/auth/challenge", summary: "Get a single-use login challenge", tag: "auth", access: Public, params: vec![], body: Some(json!({"type":"object","required":["pid"],"properties":{"pid":{"type":"string"}}})), ok: (200, schema::<ChallengeView>(g)), errors: &[E::UnknownParticipant, E::Validation] },
        Op { method: "post", path: "/auth/login", summary: "Answer the challenge with a signed `login` message", tag: "auth", access: Public, params: vec![], body: Some(schema::<SignedMessage<Login>>(g)), ok: (200, schema::<TokenView>(g)), errors: &[E::ChallengeInvalid, E::InvalidSignature, E::ParticipantInactive] },
        Op { method: "post", path: "/auth/refresh", summary: "Trade a refresh token (single use) for a new pair", tag: "auth", access: Public, params: vec![], body: Some(json!({"type":"object","required":["refresh_token"],"properties":{"refresh_token":{"type":"string"}}})), ok: (200, schema::<TokenView>(g)), errors: &[E::TokenExpired] },
        Op { method: "post", path: "/participants", summary: "Register (self-signed `participant_register`)", tag: "participants", access: Public, params: vec![], body: Some(schema::<SignedMessage<ParticipantRegister>>(g)), ok: (201, schema::<ParticipantView>(g)), errors: &[E::AlreadyExists] },
        Op { method: "get", path: "/participants", summary: "Search participants by name or PID prefix", tag: "participants", access: Bearer, params: [vec![q("q", "substring of the name, or PID prefix"), q("kind", "person, business or hub")], pagination.clone()].concat(), body: None, ok: (200, page(schema::<ParticipantView>(g))), errors: &[E::Validation] },
        Op { method: "get", path: "/participants/me", summary: "The caller", tag: "participants", access: Bearer, params: vec![], body: None, ok: (200, schema::<ParticipantView>(g)), errors: &[] },
        Op { method: "patch", path: "/participants/me", summary: "Update name or profile (signed `participant_update`)", tag: "participants", access: Bearer, params: vec![], body: Some(schema::<SignedMessage<ParticipantUpdate>>(g)), ok: (200, schema::<ParticipantView>(g)), errors: &[E::WrongSigner, E::ParticipantInactive] },
        Op { method: "get", path: "/participants/{pid}", summary: "A participant", tag: "participants", access: Bearer, params: vec![("pid", "PID", true, "string")], body: None, ok: (200, schema::<ParticipantView>(g)), errors: &[E::NotFound] },
        Op { method: "get", path: "/equivalents", summary: "Equivalents (units of account)", tag: "equivalents", access: Public, params: vec![], body: None, ok: (200, array(schema::<EquivalentView>(g))), errors: &[] },
        Op { method: "post", path: "/trust-lines", summary: "Create or change a trust line (signed `trust_line_set`; the signer is the creditor)", tag: "trust lines", access: Bearer, params: vec![], body: Some(schema::<SignedMessage<TrustLineSet>>(g)), ok: (200, schema::<TrustLineView>(g)), errors: &[E::WrongSigner, E::SelfTrust, E::UnknownEquivalent, E::UnknownParticipant, E::InvalidAmount, E::LimitBelowDebt, E::ParticipantInactive] },
        Op { method: "post", path: "/trust-lines/close", summary: "Close a trust line (signed `trust_line_close`)", tag: "trust lines", access: Bearer, params: vec![], body: Some(schema::<SignedMessage<TrustLineClose>>(g)), ok: (200, json!({"type":"object"})), errors: &[E::NotFound, E::DebtOutstanding] },
        Op { method: "get", path: "/trust-lines", summary: "The caller's live trust lines", tag: "trust lines", access: Bearer, params: [vec![q("direction", "all, outgoing (caller is creditor) or incoming"), q("equivalent", "code")], pagination.clone()].concat(), body: None, ok: (200, page(schema::<TrustLineView>(g))), errors: &[E::Validation] },
        Op { method: "get", path: "/trust-lines/{id}", summary: "One of the caller's live trust lines", tag: "trust lines", access: Bearer, params: vec![("id", "line id", true, "string")], body: None, ok: (200, schema::<TrustLineView>(g)), errors: &[E::NotFound] },
        Op { method: "post", path: "/payments", summary: "Pay (signed `payment_request`): routed over many paths, all or nothing, idempotent by tx_id. Aborted payments answer with a problem document carrying the signed receipt", tag: "payments", access: Bearer, params: vec![], body: Some(schema::<SignedMessage<PaymentRequest>>(g)), ok: (200, schema::<PaymentView>(g)), errors: &[E::WrongSigner, E::SelfPayment, E::InvalidAmount, E::UnknownEquivalent, E::UnknownParticipant, E::ParticipantInactive, E::InsufficientCapacity, E::TxIdConflict, E::Timeout] },
        Op { method: "get", path: "/payments", summary: "The caller's payments, newest first", tag: "payments", access: Bearer, params: [vec![q("direction", "all, sent or received"), q("equivalent", "code"), q("status", "prepared, committed or aborted"), q("from", "RFC 3339 UTC"), q("to", "RFC 3339 UTC")], pagination].concat(), body: None, ok: (200, page(schema::<PaymentView>(g))), errors: &[E::Validation] },
        Op { method: "get", path: "/payments/capacity", summary: "How much the caller can pay a payee now", tag: "payments", access: Bearer, params: vec![("payee", "PID", true, "string"), ("equivalent", "code", true, "string"), q("amount", "check this amount"), ("max_hops", "1..8", false, "integer"), ("max_paths", "1..64", false, "integer")], body: None, ok: (200, schema::<CapacityView>(g)), errors: &[E::UnknownEquivalent, E::UnknownParticipant, E::InvalidAmount] },
        Op { method: "get", path: "/payments/{tx_id}", summary: "A payment (payer and payee only)", tag: "payments", access: Bearer, params: vec![("tx_id", "payment id", true, "string")], body: None, ok: (200, schema::<PaymentView>(g)), errors: &[E::NotFound] },
        Op { method: "post", path: "/payments/{tx_id}/commit", summary: "Commit a held payment (signed `payment_commit`)", tag: "payments", access: Bearer, params: vec![("tx_id", "payment id", true, "string")], body: Some(schema::<SignedMessage<PaymentCommit>>(g)), ok: (200, schema::<PaymentView>(g)), errors: &[E::NotFound, E::ReservationExpired, E::Conflict] },
        Op { method: "post", path: "/payments/{tx_id}/abort", summary: "Abort a held payment (signed `payment_abort`)", tag: "payments", access: Bearer, params: vec![("tx_id", "payment id", true, "string")], body: Some(schema::<SignedMessage<PaymentAbort>>(g)), ok: (200, schema::<PaymentView>(g)), errors: &[E::NotFound, E::Conflict] },
        Op { method: "get", path: "/clearing/{equivalent}/preview", summary: "What the optimal clearing would set off now (debts whose creditor consents in advance)", tag: "clearing", access: Bearer, params: vec![("equivalent", "code", true, "string")], body: None, ok: (200, schema::<ClearingPreviewView>(g)), errors: &[E::UnknownEquivalent] },
        Op { method: "post", path: "/admin/clearing/{equivalent}/run", summary: "Run the optimal clearing now (operator); applied only if no debt changed meanwhile", tag: "operator", access: Admin, params: vec![("equivalent", "code", true, "string")], body: None, ok: (200, json!({"type":"object","required":["cleared","equivalent"],"properties":{"cleared":{"type":"boolean"},"clearing_id":{"type":"string"},"equivalent":{"type":"string"},"total":{"type":"string"},"debts_reduced":{"type":"integer"},"journal_seq":{"type":"integer"}}})), errors: &[E::Forbidden, E::UnknownEquivalent, E::Conflict] },
        Op { method: "get", path: "/clearings", summary: "The caller's clearings, newest first, each with its hub-signed clearing_receipt", tag: "clearing", access: Bearer, params: vec![("limit", "page size 1..200 (default 50)", false, "integer"), ("cursor", "from next_cursor", false, "string")], body: None, ok: (200, page(json!({"type":"object"}))), errors: &[E::Validation] },
        Op { method: "get", path: "/clearing/proposals", summary: "Open clearing proposals that involve the caller, each hub-signed with the digest a consent must name", tag: "clearing", access: Bearer, params: vec![], body: None, ok: (200, array(schema::<ProposalView>(g))), errors: &[] },
        Op { method: "post", path: "/clearing/proposals/{id}/consent", summary: "Accept or reject a proposal (signed `clearing_consent`); the last acceptance commits it if every debt still covers its set-off", tag: "clearing", access: Bearer, params: vec![("id", "clearing id", true, "string")], body: Some(schema::<SignedMessage<geo_protocol::ClearingConsent>>(g)), ok: (200, json!({"type":"object","properties":{"clearing_id":{"type":"string"},"status":{"enum":["open","committed","rejected","stale"]}}})), errors: &[E::WrongSigner, E::Forbidden, E::ProposalClosed, E::Validation] },
        Op { method: "get", path: "/balance", summary: "The caller's totals per equivalent", tag: "balance", access: Bearer, params: vec![], body: None, ok: (200, array(schema::<BalanceView>(g))), errors: &[] },
        Op { method: "get", path: "/balance/{equivalent}/debts", summary: "The caller's position with each counterparty", tag: "balance", access: Bearer, params: vec![("equivalent", "code", true, "string")], body: None, ok: (200, array(schema::<CounterpartyView>(g))), errors: &[E::UnknownEquivalent] },
        Op { method: "get", path: "/events", summary: "WebSocket event stream; resume with ?cursor=<last id>. Authenticate with the header or subprotocols `bearer, <token>`", tag: "events", access: Bearer, params: vec![("cursor", "last event id processed", false, "integer")], body: None, ok: (101, json!({})), errors: &[] },
        Op { method: "put", path: "/admin/equivalents/{code}", summary: "Create or change an equivalent (operator)", tag: "operator", access: Admin, params: vec![("code", "equivalent code", true, "string")], body: Some(json!({"type":"object","required":["precision"],"properties":{"precision":{"type":"integer","minimum":0,"maximum":8},"description":{"type":"string"},"active":{"type":"boolean"}}})), ok: (200, schema::<EquivalentView>(g)), errors: &[E::Forbidden, E::Conflict] },
        Op { method: "post", path: "/admin/participants/{pid}/status", summary: "Suspend, reactivate or retire a participant (operator)", tag: "operator", access: Admin, params: vec![("pid", "PID", true, "string")], body: Some(json!({"type":"object","required":["status"],"properties":{"status":{"enum":["active","suspended","left"]},"reason":{"type":"string"}}})), ok: (200, schema::<ParticipantView>(g)), errors: &[E::Forbidden, E::NotFound] },
        Op { method: "get", path: "/admin/integrity", summary: "Replay the journal, verify the hash chain and every invariant (operator)", tag: "operator", access: Admin, params: vec![], body: None, ok: (200, schema::<IntegrityView>(g)), errors: &[E::Forbidden] },
        Op { method: "get", path: "/openapi.json", summary: "This document", tag: "hub", access: Public, params: vec![], body: None, ok: (200, json!({"type":"object"})), errors: &[] },
    ]
}

/// The whole document.
pub fn document() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let mut g = settings.into_generator();
    let ops = operations(&mut g);
    let mut paths = Map::new();
    for op in ops {
        let mut responses = Map::new();
        responses.insert(
            op.ok.0.to_string(),
            json!({ "description": "success", "content": { "application/json": { "schema": op.ok.1 } } }),
        );
        let mut codes: Vec<ErrorCode> = op.errors.to_vec();
        if op.body.as_ref().is_some_and(|b| {
            b.get("$ref")
                .is_some_and(|r| r.as_str().unwrap_or("").contains("Signed"))
        }) {
            codes.extend_from_slice(SIGNED);
        }
        match op.access {
            Access::Bearer => codes.extend([ErrorCode::Unauthorized, ErrorCode::TokenExpired]),
            Access::Admin => codes.push(ErrorCode::Forbidden),
            Access::Public => {}
        }
        codes.sort();
        codes.dedup();
        let mut by_status: std::collections::BTreeMap<u16, Vec<&str>> = Default::default();
        for c in &codes {
            by_status
                .entry(c.http_status())
                .or_default()
                .push(c.as_str());
        }
        for (status, list) in by_status {
            responses.insert(
                status.to_string(),
                json!({
                    "description": format!("problem: {}", list.join(", ")),
                    "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
                }),
            );
        }
        let mut operation = json!({
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": format!("{}_{}", op.method, op.path.trim_start_matches('/').replace(['/', '{', '}', '-', '.'], "_")),
            "parameters": op.params.iter().map(|(name, desc, required, ty)| json!({
                "name": name,
                "in": if op.path.contains(&format!("{{{name}}}")) { "path" } else { "query" },
                "required": required,
                "description": desc,
                "schema": { "type": ty }
            })).collect::<Vec<_>>(),
            "responses": responses,
        });
        match op.access {
            Access::Bearer => operation["security"] = json!([{ "bearer": [] }]),
            Access::Admin => operation["security"] = json!([{ "admin": [] }]),
            Access::Public => {}
        }
        if let Some(body) = op.body {
            operation["requestBody"] =
                json!({ "required": true, "content": { "application/json": { "schema": body } } });
        }
        paths
            .entry(format!("/api/v1{}", op.path))
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path item")
            .insert(op.method.to_owned(), operation);
    }
    let mut components: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    components.insert(
        "Problem".into(),
        json!({
            "description": "RFC 9457 problem document with a stable machine code",
            "type": "object",
            "required": ["type", "title", "status", "code", "detail"],
            "properties": {
                "type": { "type": "string" },
                "title": { "type": "string" },
                "status": { "type": "integer" },
                "code": { "enum": ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>() },
                "detail": { "type": "string" },
                "receipt": { "description": "hub-signed payment_receipt (aborted payments)" },
                "payment": { "description": "the payment (aborted payments)" },
                "max_amount": { "type": "string", "description": "the most the hub could route (insufficient capacity)" }
            }
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "GEO hub API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The GEO community hub. State changes carry participant-signed messages (spec/protocol.md); bearer tokens only identify the caller."
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "admin": { "type": "apiKey", "in": "header", "name": "X-Admin-Token" }
            }
        }
    })
}
