//! The scenario file format (`spec/conformance/scenarios/*.json`), documented in `spec/README.md`.
//!
//! A scenario names the spec sections it checks, the participants and equivalents it needs, and a list
//! of steps in protocol terms, each with the exact outcome a conforming hub produces.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How much of the protocol a scenario belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Identity, registration and login, signatures, trust lines, payments, idempotency, errors.
    Core,
    /// Core plus clearing, consent, events, receipts and operator actions.
    Full,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Core => "core",
            Level::Full => "full",
        })
    }
}

/// One scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id (the file name without `.json`).
    pub id: String,
    /// One line saying what is checked.
    pub title: String,
    /// Sections of `spec/protocol.md` it checks, e.g. `"8.2"`.
    pub sections: Vec<String>,
    /// Conformance level.
    pub level: Level,
    /// What the hub must offer: `operator` (an operator token), `peer_hub` (a linked hub, its
    /// operator token and both hubs' keys: `spec/federation.md`), `feature:<name>` (listed by discovery),
    /// `limit:<name><=<n>` (a limit discovery announces is at most `n`).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Free text for readers.
    #[serde(default)]
    pub notes: Option<String>,
    /// Participants with fresh keys, registered and logged in before the steps (unless `register: false`).
    #[serde(default)]
    pub participants: Vec<ParticipantDecl>,
    /// Equivalents the operator creates, each with a code unique to this run.
    #[serde(default)]
    pub equivalents: Vec<EquivalentDecl>,
    /// What happens, in order.
    pub steps: Vec<Step>,
}

/// A participant: just an alias, or an alias with options.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ParticipantDecl {
    /// A fresh key, registered and logged in.
    Alias(String),
    /// With options.
    Full(ParticipantSpec),
}

/// A participant with options.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSpec {
    /// Name used in steps and templates.
    pub alias: String,
    /// A fixed key (64 hex characters, e.g. from `vectors/identity.json`) instead of a fresh one.
    #[serde(default)]
    pub seed_hex: Option<String>,
    /// Register and log in during setup (default true).
    #[serde(default = "yes")]
    pub register: bool,
    /// `peer`: a member of the linked hub (a scenario that `requires` `peer_hub`).
    #[serde(default)]
    pub hub: Option<Side>,
}

/// The requirement of a two-hub scenario: a linked hub and both hubs' keys (`RunConfig::peer`).
pub const PEER_HUB: &str = "peer_hub";

/// Which of a two-hub run's hubs (`spec/federation.md`) a participant or step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The linked hub (`--peer-hub`), not the hub under test.
    Peer,
}

fn yes() -> bool {
    true
}

impl ParticipantDecl {
    /// The alias.
    pub fn alias(&self) -> &str {
        match self {
            ParticipantDecl::Alias(a) => a,
            ParticipantDecl::Full(s) => &s.alias,
        }
    }

    /// The fixed seed, if any.
    pub fn seed_hex(&self) -> Option<&str> {
        match self {
            ParticipantDecl::Alias(_) => None,
            ParticipantDecl::Full(s) => s.seed_hex.as_deref(),
        }
    }

    /// Whether it is a member of the linked hub.
    pub fn at_peer(&self) -> bool {
        matches!(
            self,
            ParticipantDecl::Full(ParticipantSpec {
                hub: Some(Side::Peer),
                ..
            })
        )
    }

    /// Whether setup registers it.
    pub fn registered(&self) -> bool {
        match self {
            ParticipantDecl::Alias(_) => true,
            ParticipantDecl::Full(s) => s.register,
        }
    }
}

/// An equivalent the scenario uses; the runner makes its code unique (`{{eq.NAME}}` in templates).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EquivalentDecl {
    /// Name used in steps (1..7 of `A-Z0-9_`).
    pub name: String,
    /// Decimal places (0..8).
    pub precision: u8,
}

/// The expected outcome of a step.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// HTTP status (default: any 2xx, or the catalogue status of `code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The stable `code` of the problem document (§9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Members the body must contain with these values (objects match as subsets, arrays exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The body's `receipt` (or the problem's) must verify against the hub key: `payment` or `clearing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// The body's `peer_receipt` must be the linked hub's receipt of its part of this payment
    /// (federation.md §6 step 4): signed with the linked hub's key, given as `peer_hub_key`, for the
    /// same `tx_id`, equivalent and amount, paid by the hub under test, committed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub peer_receipt: bool,
    /// JSON pointers that must not exist in the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<String>,
    /// Any one of these outcomes is conforming (where the spec allows a choice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Expect>,
}

/// Changes to a signed message, to build forged, mis-addressed or malformed variants.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tamper {
    /// Sign with this participant's key instead of the signer's (a wrong key).
    #[serde(default)]
    pub sign_with: Option<String>,
    /// Sign with a fresh random key (a forgery).
    #[serde(default)]
    pub forge: bool,
    /// Sign with this domain tag instead of `GEO/1 signed message`.
    #[serde(default)]
    pub domain: Option<String>,
    /// `signer` names this participant (default: the one acting).
    #[serde(default)]
    pub signer: Option<String>,
    /// Seconds added to the current time for `created_at` (default 0).
    #[serde(default)]
    pub created_offset: Option<i64>,
    /// `expires_at − created_at` in seconds (default 300).
    #[serde(default)]
    pub ttl: Option<i64>,
    /// JSON pointers removed before signing.
    #[serde(default)]
    pub omit: Vec<String>,
    /// JSON pointer → value, set before signing.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// JSON pointer → value, set after signing (tampering).
    #[serde(default)]
    pub after: BTreeMap<String, Value>,
    /// Send this text as the body instead of the message.
    #[serde(default)]
    pub raw: Option<String>,
}

/// One step: the operation plus what to expect and what to remember.
#[derive(Debug, Clone)]
pub struct Step {
    /// The operation.
    pub op: Op,
    /// Expected outcome (default: success).
    pub expect: Option<Expect>,
    /// Variable name → JSON pointer into the response body, remembered for later templates.
    pub save: BTreeMap<String, String>,
    /// Remember the signed message under this name (for `resend`).
    pub name: Option<String>,
    /// Free text shown when the step fails.
    pub note: Option<String>,
    /// `peer`: performed at the linked hub, by and about its members (a two-hub scenario).
    pub hub: Option<Side>,
}

/// One step: an `op` with its members, plus `expect`, `save`, `name` and `note` (for the schema).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct StepShape {
    #[serde(flatten)]
    op: Op,
    /// Expected outcome (default: success).
    expect: Option<Expect>,
    /// Variable name → JSON pointer into the response body.
    #[serde(default)]
    save: BTreeMap<String, String>,
    /// Remember the signed message under this name (for `resend`).
    name: Option<String>,
    /// Free text shown when the step fails.
    note: Option<String>,
    /// `peer`: performed at the linked hub (a two-hub scenario).
    hub: Option<Side>,
}

impl JsonSchema for Step {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Step".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        StepShape::json_schema(generator)
    }
}

/// The JSON Schema of a scenario file (`spec/conformance/scenario.schema.json`).
pub fn schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Scenario)).expect("schemas serialise")
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let Value::Object(mut map) = Value::deserialize(d)? else {
            return Err(D::Error::custom("a step is an object"));
        };
        let expect = map
            .remove("expect")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("expect: {e}")))?;
        let save = map
            .remove("save")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("save: {e}")))?
            .unwrap_or_default();
        let text = |v: Option<Value>| -> Result<Option<String>, D::Error> {
            v.map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| D::Error::custom("name and note are strings"))
            })
            .transpose()
        };
        let name = text(map.remove("name"))?;
        let note = text(map.remove("note"))?;
        let hub = map
            .remove("hub")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("hub: {e}")))?;
        let op = serde_json::from_value(Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Step {
            op,
            expect,
            save,
            name,
            note,
            hub,
        })
    }
}

/// The operations a step can perform. `as` names the acting participant; other participant-valued
/// members name aliases; string members are templates (see `spec/README.md`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Sign and send `participant_register`.
    Register {
        /// Who.
        #[serde(rename = "as")]
        who: String,
        /// Display name (default: the alias).
        #[serde(default)]
        display_name: Option<Value>,
        /// `person`, `business` or `hub` (default `person`).
        #[serde(default)]
        kind: Option<String>,
        /// Profile object.
        #[serde(default)]
        profile: Option<Value>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// Ask for a challenge (for `pid`, default the actor) and sign `login` with it (or `challenge`).
    Login {
        /// Who signs.
        #[serde(rename = "as")]
        who: String,
        /// Use this challenge text instead of asking for a fresh one.
        #[serde(default)]
        challenge: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// Ask for a login challenge.
    Challenge {
        /// For whom (template: a PID).
        pid: String,
    },
    /// Exchange a refresh token (default: the actor's current one) for new tokens.
    Refresh {
        /// Whose tokens are replaced on success.
        #[serde(rename = "as")]
        who: String,
        /// The refresh token to present.
        #[serde(default)]
        refresh_token: Option<String>,
    },
    /// Sign `participant_update` and send it (`PATCH /participants/me`).
    UpdateProfile {
        /// Who.
        #[serde(rename = "as")]
        who: String,
        /// New display name.
        #[serde(default)]
        display_name: Option<Value>,
        /// New profile.
        #[serde(default)]
        profile: Option<Value>,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// The creditor `as` signs `trust_line_set` towards `debtor`.
    Trust {
        /// Creditor.
        #[serde(rename = "as")]
        who: String,
        /// Debtor (alias or template).
        debtor: String,
        /// Equivalent name.
        eq: String,
        /// Limit text.
        limit: Value,
        /// Policy object.
        #[serde(default)]
        policy: Option<Value>,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// The creditor `as` signs `trust_line_close` towards `debtor`.
    Close {
        /// Creditor.
        #[serde(rename = "as")]
        who: String,
        /// Debtor.
        debtor: String,
        /// Equivalent name.
        eq: String,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// The payer `as` signs `payment_request`.
    Pay {
        /// Payer.
        #[serde(rename = "as")]
        who: String,
        /// Payee; a member of the linked hub makes it a cross-hub payment (with `payee_hub`).
        to: String,
        /// Equivalent name.
        eq: String,
        /// Amount text.
        amount: Value,
        /// Alias of the `tx_id` (same alias, same id; default a fresh id).
        #[serde(default)]
        tx: Option<String>,
        /// Constraints object (`max_hops`, `max_paths`, `avoid` as aliases or templates).
        #[serde(default)]
        constraints: Option<Value>,
        /// Hold (prepare only) for this many seconds.
        #[serde(default)]
        hold_seconds: Option<Value>,
        /// Description.
        #[serde(default)]
        description: Option<String>,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// The payer signs `payment_commit` for a held payment.
    Commit {
        /// Payer.
        #[serde(rename = "as")]
        who: String,
        /// Alias of the `tx_id`.
        tx: String,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// The payer signs `payment_abort` for a held payment.
    Abort {
        /// Payer.
        #[serde(rename = "as")]
        who: String,
        /// Alias of the `tx_id`.
        tx: String,
        /// Reason text (default `changed my mind`).
        #[serde(default)]
        reason: Option<String>,
        /// Bearer token of another alias, `none` or `invalid`.
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// A creditor signs `clearing_consent` for a proposal fetched by a `proposal` step.
    Consent {
        /// Creditor.
        #[serde(rename = "as")]
        who: String,
        /// Name given to the proposal.
        proposal: String,
        /// `accept` or `reject`.
        decision: String,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// Any signed message of `type` with `payload`, sent with `method` to `path`.
    Signed {
        /// Signer.
        #[serde(rename = "as")]
        who: String,
        /// HTTP method (default POST).
        #[serde(default)]
        method: Option<String>,
        /// Path under `/api/v1`.
        path: String,
        /// Message type.
        #[serde(rename = "type")]
        message_type: String,
        /// Payload object.
        payload: Value,
        /// Bearer token of another alias, `none` or `invalid` (default: the signer's).
        #[serde(default)]
        bearer: Option<String>,
        /// Changes to the message.
        #[serde(default)]
        tamper: Tamper,
    },
    /// Sends a message remembered with `name` again, byte for byte, to the same path.
    Resend {
        /// Whose bearer token to present.
        #[serde(rename = "as")]
        who: String,
        /// The name it was remembered under.
        message: String,
    },
    /// A plain HTTP request.
    Http {
        /// Whose bearer token to present (none when absent).
        #[serde(rename = "as", default)]
        who: Option<String>,
        /// Present the operator token (`x-admin-token`).
        #[serde(default)]
        operator: bool,
        /// Present this operator token instead (e.g. a wrong one).
        #[serde(default)]
        admin_token: Option<String>,
        /// HTTP method (default GET).
        #[serde(default)]
        method: Option<String>,
        /// Path under `/api/v1`.
        path: String,
        /// JSON body.
        #[serde(default)]
        body: Option<Value>,
        /// Raw body text.
        #[serde(default)]
        raw: Option<String>,
        /// Send a JSON string body one byte longer than the hub's `max_body_bytes`.
        #[serde(default)]
        oversized: bool,
        /// Send the body with this media type instead of `application/json`.
        #[serde(default)]
        content_type: Option<String>,
    },
    /// Every debt between the scenario's registered participants, read by both sides.
    Debts {
        /// Equivalent name.
        eq: String,
        /// `[debtor, creditor, amount]`; every pair not listed owes nothing.
        debts: Vec<(String, String, String)>,
    },
    /// Net positions (`GET /balance`), alias → signed amount text.
    Net {
        /// Equivalent name.
        eq: String,
        /// Alias → net.
        net: BTreeMap<String, String>,
    },
    /// `GET /payments/capacity`.
    Capacity {
        /// Payer.
        #[serde(rename = "as")]
        who: String,
        /// Payee.
        to: String,
        /// Equivalent name.
        eq: String,
        /// Amount to check.
        #[serde(default)]
        amount: Option<String>,
        /// Hop limit.
        #[serde(default)]
        max_hops: Option<u8>,
    },
    /// Operator: set a participant's status.
    SetStatus {
        /// Whose.
        who: String,
        /// `active`, `suspended` or `left`.
        status: String,
    },
    /// Operator: run the optimal clearing of an equivalent now.
    Clear {
        /// Equivalent name.
        eq: String,
    },
    /// Fetch the open proposal of an equivalent, verify its hub signature and digest, remember it.
    Proposal {
        /// Who looks (must be involved).
        #[serde(rename = "as")]
        who: String,
        /// Equivalent name.
        eq: String,
        /// Name to remember it under.
        proposal: String,
        /// Expected sum of its set-offs.
        total: String,
        /// Expected `consent_required_from`, as aliases (any order).
        required: Vec<String>,
    },
    /// `GET /payments/{tx_id}`: the receipt verifies against the hub key and matches the request.
    Receipt {
        /// Payer or payee.
        #[serde(rename = "as")]
        who: String,
        /// Alias of the `tx_id`.
        tx: String,
        /// `committed` or `aborted`.
        status: String,
        /// For aborted payments.
        #[serde(default)]
        error_code: Option<String>,
    },
    /// `GET /clearings`: the caller's clearings in an equivalent, each receipt verified.
    Clearings {
        /// Who.
        #[serde(rename = "as")]
        who: String,
        /// Equivalent name.
        eq: String,
        /// How many clearings.
        count: usize,
        /// Sum of their totals.
        total: String,
    },
    /// Open the event stream from `cursor` and expect exactly these event kinds, in order.
    Events {
        /// Whose stream.
        #[serde(rename = "as")]
        who: String,
        /// Start after this event id (template; default 0).
        #[serde(default)]
        cursor: Option<String>,
        /// Kinds expected, in order, and nothing more.
        kinds: Vec<String>,
        /// Remember the last event id under this variable.
        #[serde(default)]
        last: Option<String>,
    },
    /// Walk a list endpoint page by page (`limit`, `cursor`, `next_cursor`).
    Pages {
        /// Whose token.
        #[serde(rename = "as")]
        who: String,
        /// Path under `/api/v1` (may carry filters).
        path: String,
        /// Page size.
        limit: u32,
        /// Items expected in total, each exactly once.
        total: usize,
    },
    /// Wait.
    Sleep {
        /// Seconds.
        seconds: f64,
    },
    /// Wait until a moment the hub named (unix seconds, e.g. a saved `expires_at`) has passed.
    SleepUntil {
        /// Unix seconds (a template).
        at: String,
        /// Extra seconds to wait after it.
        #[serde(default)]
        plus_seconds: f64,
    },
}

impl Op {
    /// The op's name as written in files.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Register { .. } => "register",
            Op::Login { .. } => "login",
            Op::Challenge { .. } => "challenge",
            Op::Refresh { .. } => "refresh",
            Op::UpdateProfile { .. } => "update_profile",
            Op::Trust { .. } => "trust",
            Op::Close { .. } => "close",
            Op::Pay { .. } => "pay",
            Op::Commit { .. } => "commit",
            Op::Abort { .. } => "abort",
            Op::Consent { .. } => "consent",
            Op::Signed { .. } => "signed",
            Op::Resend { .. } => "resend",
            Op::Http { .. } => "http",
            Op::Debts { .. } => "debts",
            Op::Net { .. } => "net",
            Op::Capacity { .. } => "capacity",
            Op::SetStatus { .. } => "set_status",
            Op::Clear { .. } => "clear",
            Op::Proposal { .. } => "proposal",
            Op::Receipt { .. } => "receipt",
            Op::Clearings { .. } => "clearings",
            Op::Events { .. } => "events",
            Op::Pages { .. } => "pages",
            Op::Sleep { .. } => "sleep",
            Op::SleepUntil { .. } => "sleep_until",
        }
    }

    /// True for operations only the operator may perform.
    pub fn needs_operator(&self) -> bool {
        matches!(
            self,
            Op::SetStatus { .. } | Op::Clear { .. } | Op::Http { operator: true, .. }
        )
    }
}

/// Why a scenario file is unusable.
#[derive(Debug)]
pub struct ScenarioError {
    /// Which file.
    pub file: String,
    /// What is wrong.
    pub why: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.why)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses one file and checks what the format cannot express.
    pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let err = |why: String| ScenarioError {
            file: file.to_owned(),
            why,
        };
        let s: Scenario = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".json");
        if s.id != stem {
            return Err(err(format!("id {:?} differs from the file name", s.id)));
        }
        if s.sections.is_empty() {
            return Err(err("sections is empty".into()));
        }
        let uses_operator =
            !s.equivalents.is_empty() || s.steps.iter().any(|st| st.op.needs_operator());
        if uses_operator && !s.requires.iter().any(|r| r == "operator") {
            return Err(err(
                "creates equivalents or uses operator steps but does not require `operator`".into(),
            ));
        }
        for e in &s.equivalents {
            let ok = (1..=7).contains(&e.name.len())
                && e.name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !ok || e.precision > 8 {
                return Err(err(format!(
                    "equivalent {:?} (name 1..7 of A-Z0-9_, precision 0..8)",
                    e.name
                )));
            }
        }
        for r in &s.requires {
            if r != "operator"
                && r != PEER_HUB
                && !r.starts_with("feature:")
                && limit_requirement(r).is_none()
            {
                return Err(err(format!("unknown requirement {r:?}")));
            }
        }
        let two_hubs = s.participants.iter().any(ParticipantDecl::at_peer)
            || s.steps.iter().any(|st| st.hub.is_some());
        if two_hubs && !s.requires.iter().any(|r| r == PEER_HUB) {
            return Err(err(format!(
                "has members or steps at the linked hub but does not require `{PEER_HUB}`"
            )));
        }
        for (i, st) in s.steps.iter().enumerate() {
            if let Some(e) = &st.expect {
                check_expect(e).map_err(|w| err(format!("step {}: {w}", i + 1)))?;
            }
        }
        Ok(s)
    }

    /// Every error code some step of this scenario expects (as a problem `code`, or as an
    /// `error_code` in a body or receipt).
    pub fn expected_codes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for st in &self.steps {
            if let Some(e) = &st.expect {
                collect_codes(e, &mut out);
            }
            if let Op::Receipt {
                error_code: Some(c),
                ..
            } = &st.op
            {
                out.push(c.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn check_expect(e: &Expect) -> Result<(), String> {
    if let Some(code) = &e.code {
        let Some(known) = geo_protocol::ErrorCode::parse(code) else {
            return Err(format!("unknown error code {code}"));
        };
        if let Some(s) = e.status {
            if s != known.http_status() {
                return Err(format!("{code} is HTTP {}, not {s}", known.http_status()));
            }
        }
    }
    if let Some(r) = &e.receipt {
        if r != "payment" && r != "clearing" {
            return Err(format!("receipt is payment or clearing, not {r:?}"));
        }
    }
    e.any_of.iter().try_for_each(check_expect)
}

fn collect_codes(e: &Expect, out: &mut Vec<String>) {
    if let Some(c) = &e.code {
        out.push(c.clone());
    }
    if let Some(b) = &e.body {
        collect_body_codes(b, out);
    }
    for a in &e.any_of {
        collect_codes(a, out);
    }
}

fn collect_body_codes(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("error_code", Value::String(s)) => out.push(s.clone()),
                    _ => collect_body_codes(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_body_codes(v, out)),
        _ => {}
    }
}

/// Parses a `limit:<name><=<n>` requirement.
pub fn limit_requirement(r: &str) -> Option<(&str, f64)> {
    let (name, bound) = r.strip_prefix("limit:")?.split_once("<=")?;
    Some((name, bound.trim().parse().ok()?))
}
