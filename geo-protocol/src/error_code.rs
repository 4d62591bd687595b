//! The catalogue of stable machine error codes, shared by the protocol, the hub's problem documents,
//! the SDK and the bindings. Codes never change meaning; new ones may be added.

use schemars::JsonSchema;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, VariantAccess, Visitor};
use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $code:literal, $status:literal, $title:literal; )*) => {
        /// A stable machine error code (`E_…`), with the HTTP status and title the hub uses for it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* #[serde(rename = $code)] $variant, )*
        }

        impl ErrorCode {
            /// Every code's text, in catalogue order (the enumeration's wire names).
            const TEXTS: &'static [&'static str] = &[$($code),*];

            /// Every code, in catalogue order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code text, e.g. `E_INSUFFICIENT_CAPACITY`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status the hub answers with.
            pub const fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// A short human title (RFC 9457 `title`).
            pub const fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title,)* }
            }

            /// Looks a code up by its text.
            pub fn parse(text: &str) -> Option<ErrorCode> {
                match text { $($code => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    /// The request body is not acceptable JSON (syntax, duplicate keys, floats, nulls in signed data).
    Malformed = "E_MALFORMED", 400, "Malformed request";
    /// A well-formed member is out of its allowed range or breaks a rule (missing, unknown or mistyped members are `E_MALFORMED`).
    Validation = "E_VALIDATION", 422, "Validation failed";
    /// An amount is not a canonical decimal, has too many places for its equivalent, or is out of range.
    InvalidAmount = "E_INVALID_AMOUNT", 422, "Invalid amount";
    /// The message's protocol version is not supported.
    UnsupportedProtocol = "E_UNSUPPORTED_PROTOCOL", 400, "Unsupported protocol version";
    /// The signature does not verify against the signer's key (forged, wrong key, tampered).
    InvalidSignature = "E_INVALID_SIGNATURE", 400, "Invalid signature";
    /// The signed message is of another type than the operation expects.
    WrongMessageType = "E_WRONG_MESSAGE_TYPE", 400, "Wrong message type";
    /// The message was addressed to another hub or peer.
    WrongAudience = "E_WRONG_AUDIENCE", 400, "Wrong audience";
    /// The message is signed by someone other than the authenticated participant.
    WrongSigner = "E_WRONG_SIGNER", 403, "Signed by another participant";
    /// The message's validity window has passed.
    Expired = "E_EXPIRED", 400, "Message expired";
    /// The message's `created_at` is in the future beyond the allowed clock skew.
    NotYetValid = "E_NOT_YET_VALID", 400, "Message not yet valid";
    /// The message's validity window is longer than the hub accepts.
    ValidityTooLong = "E_VALIDITY_TOO_LONG", 400, "Validity window too long";
    /// The message's nonce was already used by its signer.
    Replayed = "E_REPLAYED", 409, "Message replayed";
    /// No valid bearer token was presented.
    Unauthorized = "E_UNAUTHORIZED", 401, "Authentication required";
    /// The bearer or refresh token has expired or was revoked.
    TokenExpired = "E_TOKEN_EXPIRED", 401, "Token expired";
    /// The login challenge is unknown, expired, already used, or for another participant.
    ChallengeInvalid = "E_CHALLENGE_INVALID", 401, "Invalid challenge";
    /// The caller may not perform this operation.
    Forbidden = "E_FORBIDDEN", 403, "Forbidden";
    /// The participant is suspended or has left and can neither act nor be routed through.
    ParticipantInactive = "E_PARTICIPANT_INACTIVE", 403, "Participant not active";
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed = "E_METHOD_NOT_ALLOWED", 405, "Method not allowed";
    /// The resource does not exist (or is not visible to the caller).
    NotFound = "E_NOT_FOUND", 404, "Not found";
    /// The equivalent named in the request does not exist or is inactive.
    UnknownEquivalent = "E_UNKNOWN_EQUIVALENT", 422, "Unknown equivalent";
    /// A participant named in the request does not exist.
    UnknownParticipant = "E_UNKNOWN_PARTICIPANT", 422, "Unknown participant";
    /// The participant or resource already exists.
    AlreadyExists = "E_ALREADY_EXISTS", 409, "Already exists";
    /// The request conflicts with the current state.
    Conflict = "E_CONFLICT", 409, "Conflict";
    /// The `tx_id` was already used for a different request.
    TxIdConflict = "E_TX_ID_CONFLICT", 409, "tx_id already used";
    /// A participant tried to open a trust line to itself.
    SelfTrust = "E_SELF_TRUST", 422, "Cannot trust yourself";
    /// A participant tried to pay itself.
    SelfPayment = "E_SELF_PAYMENT", 422, "Cannot pay yourself";
    /// A trust line limit may not go below the debt it currently backs.
    LimitBelowDebt = "E_LIMIT_BELOW_DEBT", 409, "Limit below current debt";
    /// A trust line cannot be closed while debt remains on it.
    DebtOutstanding = "E_DEBT_OUTSTANDING", 409, "Debt outstanding";
    /// No combination of paths within the constraints can carry the amount.
    InsufficientCapacity = "E_INSUFFICIENT_CAPACITY", 422, "Insufficient capacity";
    /// The payer aborted its held payment.
    Aborted = "E_ABORTED", 409, "Aborted by the payer";
    /// The payment's reservation expired before it could commit.
    ReservationExpired = "E_RESERVATION_EXPIRED", 409, "Reservation expired";
    /// The clearing proposal is no longer open (expired, committed, or rejected).
    ProposalClosed = "E_PROPOSAL_CLOSED", 409, "Clearing proposal closed";
    /// Too many requests from this key or address.
    RateLimited = "E_RATE_LIMITED", 429, "Rate limited";
    /// The request body is larger than the hub accepts.
    PayloadTooLarge = "E_PAYLOAD_TOO_LARGE", 413, "Payload too large";
    /// The request target (path and query) is longer than the hub reads.
    UriTooLong = "E_URI_TOO_LONG", 414, "URI too long";
    /// The body is not `application/json`.
    UnsupportedMediaType = "E_UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported media type";
    /// The request's header section is larger than the hub reads.
    HeadersTooLarge = "E_HEADERS_TOO_LARGE", 431, "Request headers too large";
    /// The operation did not finish in time; its outcome can be read back by id.
    Timeout = "E_TIMEOUT", 504, "Timeout";
    /// The hub is starting, shutting down, or overloaded.
    Unavailable = "E_UNAVAILABLE", 503, "Service unavailable";
    /// An unexpected hub failure (details are logged, not returned).
    Internal = "E_INTERNAL", 500, "Internal error";
    /// The named hub is not linked to this one in this equivalent (federation.md §9).
    HubNotLinked = "E_HUB_NOT_LINKED", 422, "Hub not linked";
    /// A preimage whose SHA-256 is not the condition, or a condition the payee's hub did not make.
    ConditionMismatch = "E_CONDITION_MISMATCH", 422, "Condition mismatch";
    /// A prepare's `hold_until` leaves the receiver no commit deadline after its margin.
    ExpiryTooShort = "E_EXPIRY_TOO_SHORT", 422, "Expiry too short";
    /// A fulfilment arrived after the upstream hold's deadline.
    FulfilmentLate = "E_FULFILMENT_LATE", 409, "Fulfilment too late";
    /// The other hub did not answer before the hold's deadline; nothing was applied.
    PeerHubUnavailable = "E_PEER_HUB_UNAVAILABLE", 502, "Peer hub unavailable";
}

/// Decoded as an enumeration (so the protocol's strict decoder sorts an unknown code as a value
/// outside its list), by one lookup: the derived field visitor matched every code three times.
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Code;
        impl<'de> Visitor<'de> for Code {
            type Value = ErrorCode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error code")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<ErrorCode, E> {
                ErrorCode::parse(text).ok_or_else(|| E::unknown_variant(text, ErrorCode::TEXTS))
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<ErrorCode, A::Error> {
                let (code, rest) = data.variant_seed(Name)?;
                rest.unit_variant()?;
                Ok(code)
            }
        }
        /// The variant's name, read as an identifier.
        struct Name;
        impl<'de> DeserializeSeed<'de> for Name {
            type Value = ErrorCode;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ErrorCode, D::Error> {
                d.deserialize_identifier(Code)
            }
        }
        d.deserialize_enum("ErrorCode", ErrorCode::TEXTS, Code)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert!(code.as_str().starts_with("E_"));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::json!(code.as_str())
            );
            assert!((400..600).contains(&code.http_status()));
        }
        assert_eq!(ErrorCode::parse("E_NOPE"), None);
    }

    #[test]
    fn codes_decode_from_text_and_values_and_nothing_else() {
        for code in ErrorCode::ALL {
            let text = format!("\"{}\"", code.as_str());
            assert_eq!(serde_json::from_str::<ErrorCode>(&text).unwrap(), *code);
            let value = serde_json::json!(code.as_str());
            assert_eq!(serde_json::from_value::<ErrorCode>(value).unwrap(), *code);
        }
        let unknown = serde_json::from_str::<ErrorCode>("\"E_NOPE\"").unwrap_err();
        assert!(
            unknown.to_string().contains("unknown variant `E_NOPE`"),
            "{unknown}"
        );
        assert!(serde_json::from_str::<ErrorCode>("7").is_err());
        assert!(serde_json::from_str::<ErrorCode>("{\"E_MALFORMED\":1}").is_err());
        // Inside an adjacently tagged or flattened type (buffered by serde) too.
        #[derive(Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            code: Option<ErrorCode>,
        }
        let o: Outer = serde_json::from_str(r#"{"code":"E_EXPIRED"}"#).unwrap();
        assert_eq!(o.inner.code, Some(ErrorCode::Expired));
    }
}
