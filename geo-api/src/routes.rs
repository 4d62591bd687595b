//! The route table: every endpoint of `/api/v1` with its method, path template, access, and the
//! types of its query, body and answer. The hub's router, the SDK's requests and the OpenAPI document
//! all read it, so a path is written once.

use geo_protocol::{ErrorCode, Message, SignedMessage};
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::query::{encode, ToQuery};

/// Every path below is relative to this prefix.
pub const BASE: &str = "/api/v1";

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Reads.
    Get,
    /// Signed changes and auth.
    Post,
    /// Operator changes.
    Put,
    /// Profile changes.
    Patch,
}

impl Method {
    /// The method's name in upper case (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// A participant with a bearer access token.
    Bearer,
    /// The operator (`X-Admin-Token`).
    Operator,
}

/// Builds the JSON Schema of a type in a generator (a `$ref` for named types).
#[cfg(feature = "schema")]
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// Without the `schema` feature the table names no schema code: a client that reads routes (the
/// npm package's wasm) then links none of schemars (about 40 % of that module).
#[cfg(not(feature = "schema"))]
pub type SchemaFn = fn();

/// The JSON Schema of `T` (for [`Endpoint`] tables).
#[cfg(feature = "schema")]
pub fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// Stands in for the schema of `T` without the `schema` feature.
#[cfg(not(feature = "schema"))]
pub fn schema<T: ?Sized>() {}

/// What an endpoint takes as its body.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// No body.
    None,
    /// A plain JSON document.
    Json(SchemaFn),
    /// A participant-signed message (every envelope refusal applies).
    Signed(SchemaFn),
}

impl Body {
    /// A signed message carrying `P`.
    pub const fn signed<P: Message>() -> Body {
        Body::Signed(schema::<SignedMessage<P>>)
    }

    /// A JSON document of type `T`.
    #[cfg(feature = "schema")]
    pub const fn json<T: JsonSchema>() -> Body {
        Body::Json(schema::<T>)
    }

    /// A JSON document of type `T`.
    #[cfg(not(feature = "schema"))]
    pub const fn json<T>() -> Body {
        Body::Json(schema::<T>)
    }
}

/// One endpoint: its route and its contract.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// Method.
    pub method: Method,
    /// Path template below [`BASE`], with `{name}` for path parameters (axum and OpenAPI syntax).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// OpenAPI tag.
    pub tag: &'static str,
    /// The query's type (its members become query parameters).
    pub query: Option<SchemaFn>,
    /// The body.
    pub body: Body,
    /// The success status.
    pub ok: u16,
    /// The success answer's type (`None`: any JSON object).
    pub answer: Option<SchemaFn>,
    /// Refusals specific to it (access and envelope refusals are added by kind).
    pub problems: &'static [ErrorCode],
}

impl Endpoint {
    /// The concrete path below [`BASE`]: each `{name}` is replaced, in order, by the next argument,
    /// percent-encoded. Panics when the number of arguments differs from the template's (a bug).
    pub fn path_with(&self, args: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 32);
        let mut rest = self.path;
        let mut args = args.iter();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .expect("templates close their braces")
                + open;
            let arg = args.next().unwrap_or_else(|| {
                panic!("{} needs a value for {}", self.path, &rest[open..=close])
            });
            out.push_str(&encode(arg));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        assert!(args.next().is_none(), "{} takes fewer arguments", self.path);
        out
    }

    /// [`Endpoint::path_with`] plus the query string of the members that are set.
    pub fn path_with_query(&self, args: &[&str], query: &impl ToQuery) -> String {
        let path = self.path_with(args);
        let q: Vec<String> = query
            .pairs()
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={}", encode(&v))))
            .collect();
        if q.is_empty() {
            path
        } else {
            format!("{path}?{}", q.join("&"))
        }
    }

    /// The names of the path parameters, in order.
    pub fn path_params(&self) -> Vec<&'static str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect()
    }
}

/// Every endpoint of `/api/v1`, in the order the OpenAPI document lists them.
pub const ALL: &[&Endpoint] = &[
    &crate::discovery::HUB,
    &crate::auth::CHALLENGE,
    &crate::auth::LOGIN,
    &crate::auth::REFRESH,
    &crate::participant::REGISTER,
    &crate::participant::SEARCH,
    &crate::participant::ME,
    &crate::participant::UPDATE_ME,
    &crate::participant::GET,
    &crate::equivalent::LIST,
    &crate::trust_line::SET,
    &crate::trust_line::CLOSE,
    &crate::trust_line::LIST,
    &crate::trust_line::GET,
    &crate::payment::PAY,
    &crate::payment::PAY_BATCH,
    &crate::payment::HISTORY,
    &crate::payment::CAPACITY,
    &crate::payment::GET,
    &crate::payment::COMMIT,
    &crate::payment::ABORT,
    &crate::clearing::PREVIEW,
    &crate::clearing::RUN,
    &crate::clearing::LIST,
    &crate::clearing::PROPOSALS,
    &crate::clearing::CONSENT,
    &crate::balance::TOTALS,
    &crate::balance::DEBTS,
    &crate::network::NEIGHBOURHOOD,
    &crate::event::STREAM,
    &crate::equivalent::SET,
    &crate::operator::SET_STATUS,
    &crate::operator::INTEGRITY,
    &crate::operator::STATS,
    &crate::operator::PARTICIPANTS,
    &crate::operator::PARTICIPANT,
    &crate::operator::PARTICIPANT_LINES,
    &crate::operator::PARTICIPANT_PAYMENTS,
    &crate::operator::CLEARINGS,
    &crate::operator::ROTATE_TOKEN,
    &crate::federation::CONDITION,
    &crate::federation::CAPACITY,
    &crate::federation::PREPARE,
    &crate::federation::REJECT,
    &crate::federation::REFUSED_FULFILMENTS,
    &crate::federation::REFUSED_PEER_FULFILMENTS,
    &crate::discovery::OPENAPI,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_filled_in_order_and_encoded() {
        assert_eq!(
            crate::payment::COMMIT.path_with(&["a b"]),
            "/payments/a%20b/commit"
        );
        assert_eq!(crate::payment::PAY.path_with(&[]), "/payments");
        assert_eq!(
            crate::balance::DEBTS.path_params(),
            vec!["equivalent"],
            "names come from the template"
        );
    }

    #[test]
    #[should_panic(expected = "needs a value")]
    fn a_missing_argument_is_a_bug() {
        crate::payment::COMMIT.path_with(&[]);
    }

    #[test]
    fn no_route_is_listed_twice() {
        let mut seen = std::collections::HashSet::new();
        for e in ALL {
            assert!(
                seen.insert((e.method, e.path)),
                "{} {}",
                e.method.as_str(),
                e.path
            );
            assert!(e.path.starts_with('/'), "{}", e.path);
        }
    }
}
