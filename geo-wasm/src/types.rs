//! The shapes this package passes to and from JS that are not hub API schemas: options, orders,
//! filters and the objects built here. Each is the one definition of its JS shape; the package's
//! TypeScript types are generated from their JSON Schemas (`geo-wasm/js/sdk-schema.json`, checked
//! by the test below), as the API's are from `spec/openapi.json`.

use geo_protocol::{PaymentConstraints, Pid};
use serde::{Deserialize, Serialize};

/// Client settings (all optional).
#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ClientOptions {
    /// Refuse a hub whose PID is not this one.
    pub expected_hub: Option<Pid>,
    /// Per-request time limit, ms (default 15000).
    pub request_timeout_ms: Option<u64>,
    /// Attempts in all for retryable failures (default 5).
    pub attempts: Option<u32>,
    /// First resend delay, ms (default 200).
    pub base_delay_ms: Option<u64>,
    /// Longest delay, ms (default 5000).
    pub max_delay_ms: Option<u64>,
    /// Validity of signed messages, seconds (default 300, at most the hub's limit).
    pub validity_seconds: Option<i64>,
}

/// What to pay.
#[derive(Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentOrder {
    /// Who receives.
    pub payee: Pid,
    /// Unit of account code.
    pub equivalent: String,
    /// Decimal text (`"10.50"`), at most the equivalent's precision of decimals.
    pub amount: String,
    /// A note for the payee.
    #[serde(default)]
    pub description: Option<String>,
    /// Routing limits.
    #[serde(default)]
    pub constraints: Option<PaymentConstraints>,
}

impl PaymentOrder {
    /// The SDK's order.
    pub fn into_sdk(self) -> geo_client::PaymentOrder {
        let mut o = geo_client::PaymentOrder::new(self.payee, &self.equivalent, &self.amount);
        o.description = self.description;
        o.constraints = self.constraints;
        o
    }
}

/// What a payee asks to be paid (protocol §6.4); the signer is the payee.
#[derive(Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceOrder {
    /// The hub where it is payable (the payer's wallet refuses it at any other).
    pub hub: Pid,
    /// Unit of account code.
    pub equivalent: String,
    /// Decimal text, > 0.
    pub amount: String,
    /// What it is for (becomes the payment's description), ≤ 500 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// When it stops being payable (RFC 3339 UTC, like `2026-12-01T10:00:00Z`): within 30 days
    /// from now.
    pub expires_at: String,
}

/// A newly signed invoice: its link (for a QR code) and the invoice it carries.
#[derive(Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SignedInvoice {
    /// The `geo:invoice?m=…` link.
    pub uri: String,
    /// What the link says, checked.
    pub invoice: geo_client::Invoice,
}

/// The digests of a signed message (hex).
#[derive(Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct MessageDigests {
    /// Of the signed bytes: what receipts name.
    pub digest: String,
    /// Of the canonical payload.
    pub payload_digest: String,
}

// Only its schema is used (the package's types): the stream hands on the hub's checked frames.
/// One event of the live stream: its position, and `kind` with its `data` as the hub sends them.
#[cfg(test)]
#[derive(Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct GeoEvent(pub geo_client::Event);

/// A message type with its payload, as `buildMessage` (`@geo/client/tools`) takes them: one member
/// per message type, so TypeScript checks each payload against its own type. Only its schema is
/// used (the package's types); the module decodes payloads with the protocol's strict decoder.
#[cfg(test)]
#[derive(schemars::JsonSchema)]
#[serde(tag = "type", content = "payload", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum MessagePayload {
    ParticipantRegister(geo_protocol::ParticipantRegister),
    ParticipantUpdate(geo_protocol::ParticipantUpdate),
    Login(geo_protocol::Login),
    TrustLineSet(geo_protocol::TrustLineSet),
    TrustLineClose(geo_protocol::TrustLineClose),
    PaymentRequest(geo_protocol::PaymentRequest),
    ClearingConsent(geo_protocol::ClearingConsent),
    ClearingProposal(
        #[schemars(with = "PayloadNamed<geo_protocol::ClearingProposal>")]
        geo_protocol::ClearingProposal,
    ),
    PaymentReceipt(geo_protocol::PaymentReceipt),
    ClearingReceipt(geo_protocol::ClearingReceipt),
    PaymentPrepare(geo_protocol::PaymentPrepare),
    PaymentPrepareAck(geo_protocol::PaymentPrepareAck),
    PaymentCommit(geo_protocol::PaymentCommit),
    PaymentAbort(geo_protocol::PaymentAbort),
    Invoice(#[schemars(with = "PayloadNamed<geo_protocol::Invoice>")] geo_protocol::Invoice),
    HubPrepare(geo_protocol::HubPrepare),
    HubFulfil(geo_protocol::HubFulfil),
    HubReject(geo_protocol::HubReject),
}

/// A protocol payload whose name the API already gives another shape (the hub's view of a
/// clearing proposal, the SDK's checked invoice), named `<Name>Payload`.
#[cfg(test)]
struct PayloadNamed<T>(std::marker::PhantomData<T>);

#[cfg(test)]
impl<T: schemars::JsonSchema> schemars::JsonSchema for PayloadNamed<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}Payload", T::schema_name()).into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    use schemars::generate::SchemaSettings;
    use serde_json::{json, Map, Value};

    use super::*;

    /// The SDK's shapes as `components.schemas` (the layout of `spec/openapi.json`, generated with
    /// its settings): those the API document does not already define, and aliases for the names
    /// the SDK gives API types. A type defined in both must be the same there.
    fn document() -> Value {
        let mut settings = SchemaSettings::draft2020_12();
        settings.definitions_path = "/components/schemas".into();
        let mut g = settings.into_generator();
        g.subschema_for::<ClientOptions>();
        g.subschema_for::<PaymentOrder>();
        g.subschema_for::<InvoiceOrder>();
        g.subschema_for::<SignedInvoice>();
        g.subschema_for::<MessageDigests>();
        g.subschema_for::<GeoEvent>();
        g.subschema_for::<MessagePayload>();
        g.subschema_for::<geo_client::Receipt>();
        g.subschema_for::<geo_client::Invoice>();
        g.subschema_for::<geo_client::policy::PaymentOutcome>();
        let filters = [
            (
                "TrustLineFilter",
                g.subschema_for::<geo_client::TrustLineFilter>(),
            ),
            (
                "HistoryFilter",
                g.subschema_for::<geo_client::HistoryFilter>(),
            ),
        ];
        let mut defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
        for (name, reference) in filters {
            let mut alias = reference.to_value();
            let description = match name {
                "TrustLineFilter" => "Which trust lines to list (the query of `GET /trust-lines`).",
                _ => "Which payments to list (the query of `GET /payments`).",
            };
            alias["description"] = json!(description);
            defs.insert(name.into(), alias);
        }
        let api: Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.json"))
                .expect("spec/openapi.json"),
        )
        .expect("spec/openapi.json is JSON");
        let api = &api["components"]["schemas"];
        defs.retain(|name, schema| match api.get(name) {
            Some(there) => {
                assert_eq!(there, schema, "{name} differs from spec/openapi.json's");
                false
            }
            None => true,
        });
        json!({ "components": { "schemas": defs } })
    }

    #[test]
    fn committed_sdk_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/sdk-schema.json");
        let generated = format!("{}\n", serde_json::to_string_pretty(&document()).unwrap());
        if std::env::var_os("GEO_WRITE_SDK_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "geo-wasm/js/sdk-schema.json is stale: run \
             `GEO_WRITE_SDK_SCHEMA=1 cargo test -p geo-wasm --lib types`"
        );
    }

    #[test]
    fn build_message_payloads_cover_every_message_type() {
        let doc = document();
        let union = doc["components"]["schemas"]["MessagePayload"]["oneOf"]
            .as_array()
            .expect("MessagePayload is a union");
        let named: std::collections::BTreeSet<String> = union
            .iter()
            .map(|m| {
                m["properties"]["type"]["const"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let all: std::collections::BTreeSet<String> = geo_protocol::MessageType::ALL
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect();
        assert_eq!(
            named, all,
            "one payload per message type, named as the envelope names it"
        );
        for m in union {
            assert!(
                m["properties"]["payload"]["$ref"].is_string(),
                "each payload is the protocol's named type: {m}"
            );
        }
    }

    #[test]
    fn every_sdk_shape_is_named_and_amounts_are_text() {
        let doc = document();
        let defs = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "ClientOptions",
            "PaymentOrder",
            "InvoiceOrder",
            "SignedInvoice",
            "MessageDigests",
            "GeoEvent",
            "Receipt",
            "Invoice",
            "PaymentRecord",
            "TrustLineFilter",
            "HistoryFilter",
        ] {
            assert!(defs.contains_key(name), "{name} missing");
        }
        for shape in ["PaymentOrder", "InvoiceOrder", "Receipt", "Invoice"] {
            assert_eq!(defs[shape]["properties"]["amount"]["type"], "string");
        }
        assert_eq!(
            defs["GeoEvent"]["$ref"], "#/components/schemas/Event",
            "an event is the API's Event"
        );
    }
}
