//! The OpenAPI 3.1 document of `/api/v1`, generated from the route table ([`crate::routes::ALL`]) and
//! the JSON Schemas of its types. The hub serves it and `spec/openapi.json` is a copy of it.

use std::collections::BTreeMap;

use geo_protocol::ErrorCode;
use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};

use crate::problem::Problem;
use crate::routes::{schema, Access, Body, Endpoint, SchemaFn, ALL, BASE};

/// Refusals of every endpoint that takes a participant-signed message.
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

fn settings() -> SchemaSettings {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings
}

fn path_param_description(name: &str) -> &'static str {
    match name {
        "pid" => "PID",
        "tx_id" => "payment id",
        "equivalent" | "code" => "equivalent code",
        _ => "id",
    }
}

/// The members of a query type as OpenAPI parameters (read from its JSON Schema).
fn query_params(query: SchemaFn) -> Vec<Value> {
    let mut scratch = settings().into_generator();
    let reference = query(&mut scratch).to_value();
    let name = reference["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .expect("query types are named structs");
    let def = scratch.definitions()[name].clone();
    let required: Vec<&str> = def["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = def["properties"].as_object() else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(member, s)| {
            let mut s = s.as_object().cloned().unwrap_or_default();
            let description = s.remove("description").unwrap_or(Value::Null);
            // Query members are absent, never null.
            if let Some(Value::Array(types)) = s.get("type").cloned() {
                let types: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
                s.insert(
                    "type".into(),
                    if types.len() == 1 {
                        types[0].clone()
                    } else {
                        Value::Array(types)
                    },
                );
            }
            json!({
                "name": member,
                "in": "query",
                "required": required.contains(&member.as_str()),
                "description": description,
                "schema": s,
            })
        })
        .collect()
}

fn operation(e: &Endpoint, g: &mut SchemaGenerator, problem: &Value) -> Value {
    let mut responses = Map::new();
    let answer = e
        .answer
        .map(|f| f(g).to_value())
        .unwrap_or_else(|| json!({ "type": "object" }));
    responses.insert(
        e.ok.to_string(),
        json!({ "description": "success", "content": { "application/json": { "schema": answer } } }),
    );
    let mut codes: Vec<ErrorCode> = e.problems.to_vec();
    if matches!(e.body, Body::Signed(_)) {
        codes.extend_from_slice(SIGNED);
    }
    match e.access {
        Access::Bearer => codes.extend([ErrorCode::Unauthorized, ErrorCode::TokenExpired]),
        Access::Operator => codes.extend([ErrorCode::Unauthorized, ErrorCode::Forbidden]),
        Access::Public => {}
    }
    codes.sort();
    codes.dedup();
    let mut by_status: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
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
                "content": { "application/problem+json": { "schema": problem } }
            }),
        );
    }
    let mut parameters: Vec<Value> = e
        .path_params()
        .into_iter()
        .map(|name| {
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": path_param_description(name),
                "schema": { "type": "string" }
            })
        })
        .collect();
    parameters.extend(e.query.map(query_params).unwrap_or_default());
    let method = e.method.as_str().to_lowercase();
    let mut op = json!({
        "summary": e.summary,
        "tags": [e.tag],
        "operationId": format!("{method}_{}", e.path.trim_start_matches('/').replace(['/', '{', '}', '-', '.'], "_")),
        "parameters": parameters,
        "responses": responses,
    });
    match e.access {
        Access::Bearer => op["security"] = json!([{ "bearer": [] }]),
        Access::Operator => op["security"] = json!([{ "admin": [] }]),
        Access::Public => {}
    }
    if let Body::Json(f) | Body::Signed(f) = e.body {
        op["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": f(g).to_value() } }
        });
    }
    op
}

/// The whole document.
pub fn document() -> Value {
    let mut g = settings().into_generator();
    let problem = schema::<Problem>(&mut g).to_value();
    let mut paths = Map::new();
    for e in ALL {
        let op = operation(e, &mut g, &problem);
        paths
            .entry(format!("{BASE}{}", e.path))
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path item")
            .insert(e.method.as_str().to_lowercase(), op);
    }
    let components: Map<String, Value> = g.take_definitions(true).into_iter().collect();
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

/// Every `$ref` in `doc` that does not point at a member of `doc` (empty when the document is whole).
pub fn dangling_refs(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, root: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let found = r
                        .strip_prefix('#')
                        .and_then(|pointer| root.pointer(pointer))
                        .is_some();
                    if !found {
                        out.push(r.clone());
                    }
                }
                m.values().for_each(|x| walk(x, root, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, root, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, doc, &mut out);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        assert_eq!(dangling_refs(&doc), Vec::<String>::new());
        let broken =
            json!({ "a": { "$ref": "#/components/schemas/Nope" }, "b": [{ "$ref": "#/a" }] });
        assert_eq!(dangling_refs(&broken), vec!["#/components/schemas/Nope"]);
    }

    #[test]
    fn every_route_is_an_operation_with_its_parameters() {
        let doc = document();
        for e in ALL {
            let op = &doc["paths"][format!("{BASE}{}", e.path)][e.method.as_str().to_lowercase()];
            assert!(op.is_object(), "{} {}", e.method.as_str(), e.path);
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            for p in e.path_params() {
                assert!(names.contains(&p), "{} lacks {p}", e.path);
            }
        }
        let history = &doc["paths"]["/api/v1/payments"]["get"]["parameters"];
        let limit = history
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "limit")
            .unwrap();
        assert_eq!(limit["in"], "query");
        assert_eq!(limit["schema"]["type"], "integer");
        assert_eq!(limit["required"], false);
    }
}
