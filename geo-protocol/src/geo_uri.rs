//! The address of a member of another community (`spec/federation.md` §2):
//! `geo:participant?hub=<hub URL, percent-encoded>&pid=<PID>`.
//!
//! Parsing is strict and every refusal has a kind, decided in the order `scheme`, `path`,
//! `parameter`, `encoding`, `hub_url`, `pid`; all are `E_MALFORMED`. The canonical form is what
//! [`ParticipantAddress`]'s `Display` writes.

use std::fmt;
use std::str::FromStr;

use crate::identity::Pid;
use crate::ErrorCode;

/// The canonical prefix of a member's address.
pub const PARTICIPANT_URI_PREFIX: &str = "geo:participant?";

/// The longest hub URL accepted, in characters (after percent-decoding).
pub const MAX_HUB_URL_LENGTH: usize = 200;

/// Why a `geo:` address or a hub URL is refused. Every kind is `E_MALFORMED`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoUriError {
    /// The scheme is not `geo` (in any letter case).
    #[error("not a geo: address")]
    Scheme,
    /// The path is not `participant`, or a query is missing.
    #[error("a member's address is geo:participant?…")]
    Path,
    /// Not exactly the parameters `hub` and `pid`, each once, or a fragment.
    #[error("expected exactly the parameters hub and pid: {0}")]
    Parameter(String),
    /// A raw character outside unreserved, `:` and `/`; a lone `%`; or decoded bytes not UTF-8.
    #[error("bad percent-encoding in parameter {0}")]
    Encoding(&'static str),
    /// The hub URL breaks its form.
    #[error("invalid hub URL: {0}")]
    HubUrl(String),
    /// The PID breaks its form.
    #[error("invalid pid: {0}")]
    Pid(String),
}

impl GeoUriError {
    /// The kind, as named in the spec and the vectors.
    pub fn kind(&self) -> &'static str {
        match self {
            GeoUriError::Scheme => "scheme",
            GeoUriError::Path => "path",
            GeoUriError::Parameter(_) => "parameter",
            GeoUriError::Encoding(_) => "encoding",
            GeoUriError::HubUrl(_) => "hub_url",
            GeoUriError::Pid(_) => "pid",
        }
    }

    /// The stable machine code: always `E_MALFORMED`.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::Malformed
    }
}

/// A hub's base URL in the form federation.md §2 allows (`https://hub.example.org`,
/// `http://127.0.0.1:8080/geo`): it can hold no other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HubUrl(String);

impl HubUrl {
    /// Validates the form: `http(s)://host[:port][/path]`, lowercase host, no trailing `/`,
    /// no query, fragment or user information, at most [`MAX_HUB_URL_LENGTH`] characters.
    pub fn parse(text: &str) -> Result<Self, GeoUriError> {
        let bad = |why: &str| Err(GeoUriError::HubUrl(why.to_owned()));
        if text.chars().count() > MAX_HUB_URL_LENGTH {
            return bad("longer than 200 characters");
        }
        let Some(rest) = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
        else {
            return bad("must start with https:// or http://");
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty()
            || !host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        {
            return bad("the host is lowercase letters, digits, - and .");
        }
        if let Some(port) = port {
            let ok = !port.is_empty()
                && !port.starts_with('0')
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
            if !ok {
                return bad("the port is 1 to 65535 without leading zeros");
            }
        }
        if !path.is_empty() {
            let segments_ok = path[1..]
                .split('/')
                .all(|s| !s.is_empty() && s.bytes().all(is_unreserved));
            if !segments_ok {
                return bad("the path is /-separated non-empty segments of unreserved characters, with no trailing /");
            }
        }
        Ok(HubUrl(text.to_owned()))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HubUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for HubUrl {
    type Err = GeoUriError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HubUrl::parse(s)
    }
}

crate::identity::string_serde!(
    HubUrl,
    |u| u.0.clone(),
    HubUrl::parse,
    "HubUrl",
    schemars::json_schema!({
        "description": "A hub's base URL (federation.md §2): http(s)://host[:port][/path], lowercase host, no trailing /, query or fragment, at most 200 characters.",
        "type": "string", "maxLength": 200, "pattern": "^https?://"
    })
);

/// A member of a community, named by its hub and its PID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParticipantAddress {
    /// Where the member's hub answers.
    pub hub: HubUrl,
    /// The member.
    pub pid: Pid,
}

impl ParticipantAddress {
    /// Parses a `geo:participant?…` address strictly (federation.md §2).
    pub fn parse(text: &str) -> Result<Self, GeoUriError> {
        let (scheme, rest) = text.split_once(':').ok_or(GeoUriError::Scheme)?;
        if !scheme.eq_ignore_ascii_case("geo") {
            return Err(GeoUriError::Scheme);
        }
        let (path, query) = rest.split_once('?').ok_or(GeoUriError::Path)?;
        if path != "participant" {
            return Err(GeoUriError::Path);
        }
        if query.contains('#') {
            return Err(GeoUriError::Parameter("a fragment is not allowed".into()));
        }
        let (mut hub, mut pid) = (None, None);
        for pair in query.split('&') {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| GeoUriError::Parameter(format!("{pair:?} has no value")))?;
            let slot = match name {
                "hub" => &mut hub,
                "pid" => &mut pid,
                other => return Err(GeoUriError::Parameter(format!("unknown {other:?}"))),
            };
            if slot.replace(value).is_some() {
                return Err(GeoUriError::Parameter(format!("{name} given twice")));
            }
        }
        let (Some(hub), Some(pid)) = (hub, pid) else {
            return Err(GeoUriError::Parameter("hub and pid are required".into()));
        };
        let hub = percent_decode(hub).ok_or(GeoUriError::Encoding("hub"))?;
        let pid = percent_decode(pid).ok_or(GeoUriError::Encoding("pid"))?;
        Ok(ParticipantAddress {
            hub: HubUrl::parse(&hub)?,
            pid: Pid::parse(&pid).map_err(|e| GeoUriError::Pid(e.to_string()))?,
        })
    }
}

impl fmt::Display for ParticipantAddress {
    /// The canonical form: every character of the URL other than unreserved ones percent-encoded.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PARTICIPANT_URI_PREFIX)?;
        f.write_str("hub=")?;
        for b in self.hub.as_str().bytes() {
            if is_unreserved(b) {
                write!(f, "{}", b as char)?;
            } else {
                write!(f, "%{b:02X}")?;
            }
        }
        write!(f, "&pid={}", self.pid)
    }
}

impl FromStr for ParticipantAddress {
    type Err = GeoUriError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ParticipantAddress::parse(s)
    }
}

/// RFC 3986 unreserved: `A–Z a–z 0–9 - . _ ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Decodes `%XX` (either case); raw characters must be unreserved, `:` or `/`. `None` when not.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b if is_unreserved(b) || b == b':' || b == b'/' => {
                out.push(b);
                i += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pid() -> Pid {
        crate::Identity::from_seed(&[1; 32]).pid()
    }

    #[test]
    fn round_trips_through_the_canonical_form() {
        let a = ParticipantAddress {
            hub: HubUrl::parse("https://hub.example.org:8443/geo").unwrap(),
            pid: pid(),
        };
        let text = a.to_string();
        assert_eq!(
            text,
            format!(
                "geo:participant?hub=https%3A%2F%2Fhub.example.org%3A8443%2Fgeo&pid={}",
                pid()
            )
        );
        assert_eq!(ParticipantAddress::parse(&text).unwrap(), a);
        // Unencoded `:` and `/`, another parameter order and scheme case read the same address.
        let loose = format!(
            "GEO:participant?pid={}&hub=https://hub.example.org:8443/geo",
            pid()
        );
        assert_eq!(ParticipantAddress::parse(&loose).unwrap(), a);
    }

    #[test]
    fn every_refusal_has_its_kind_in_order() {
        let p = pid();
        let cases = [
            ("http://hub.example.org".to_owned(), "scheme"),
            ("nocolon".to_owned(), "scheme"),
            (format!("geo:invoice?m={p}"), "path"),
            ("geo:50.45,30.52".to_owned(), "path"),
            ("geo:participant?hub=https://a".to_owned(), "parameter"),
            (
                format!("geo:participant?hub=https://a&pid={p}&x=1"),
                "parameter",
            ),
            (
                format!("geo:participant?hub=https://a&hub=https://b&pid={p}"),
                "parameter",
            ),
            (
                format!("geo:participant?hub=https://a&pid={p}#f"),
                "parameter",
            ),
            (
                format!("geo:participant?hub=https://a b&pid={p}"),
                "encoding",
            ),
            (
                format!("geo:participant?hub=https://a%2&pid={p}"),
                "encoding",
            ),
            (format!("geo:participant?hub=%FF&pid={p}"), "encoding"),
            // An encoding fault in pid is found before a hub_url fault.
            ("geo:participant?hub=ftp://a&pid=%zz".to_owned(), "encoding"),
            (format!("geo:participant?hub=ftp://a&pid={p}"), "hub_url"),
            (
                format!("geo:participant?hub=https://A.org&pid={p}"),
                "hub_url",
            ),
            (
                format!("geo:participant?hub=https://a.org/&pid={p}"),
                "hub_url",
            ),
            (
                format!("geo:participant?hub=https://a.org:0&pid={p}"),
                "hub_url",
            ),
            (
                format!("geo:participant?hub=https://a.org:65536&pid={p}"),
                "hub_url",
            ),
            (
                format!("geo:participant?hub=https://u%40a.org&pid={p}"),
                "hub_url",
            ),
            (
                format!("geo:participant?hub=https://a.org%3Fq&pid={p}"),
                "hub_url",
            ),
            (
                "geo:participant?hub=https://a.org&pid=0OIl".to_owned(),
                "pid",
            ),
        ];
        for (text, kind) in cases {
            let err = ParticipantAddress::parse(&text).unwrap_err();
            assert_eq!(err.kind(), kind, "{text}: {err}");
            assert_eq!(err.code(), ErrorCode::Malformed);
        }
    }

    #[test]
    fn hub_urls_have_one_form() {
        for ok in [
            "https://hub.example.org",
            "http://127.0.0.1:8080",
            "https://a.org/geo/v1",
            "https://a.org:65535",
        ] {
            assert_eq!(HubUrl::parse(ok).unwrap().as_str(), ok);
        }
        let long = format!("https://{}.org", "a".repeat(200));
        for bad in [
            "https://",
            "https://a.org//x",
            "https://a.org:",
            "https://a.org:080",
            &long,
        ] {
            assert!(HubUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
