//! The scenario files themselves: they parse, cite sections that exist, and together reach every
//! error code of the catalogue that a client can provoke.

use std::collections::BTreeSet;

use geo_conformance::{embedded_scenarios, scenarios_in, UNREACHABLE_CODES};
use geo_protocol::ErrorCode;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

#[test]
fn every_file_parses_and_the_embedded_suite_is_the_folder() {
    let embedded = embedded_scenarios().expect("embedded scenarios parse");
    let on_disk = scenarios_in(&dir()).expect("scenario files parse");
    let ids = |s: &[geo_conformance::Scenario]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&embedded), ids(&on_disk));
    assert!(embedded.len() >= 30, "{} scenarios", embedded.len());
    let unique: BTreeSet<_> = embedded.iter().map(|s| &s.id).collect();
    assert_eq!(unique.len(), embedded.len(), "ids are unique");
}

/// Section numbers of protocol.md: its numbered headings, and the numbered items of a section
/// (`7.1` is item `1.` of `## 7.`).
/// The numbered sections of `protocol.md`, and of `federation.md` with an `F` before the number.
fn sections() -> BTreeSet<String> {
    let mut out = numbered(include_str!("../../protocol.md"), "");
    out.extend(numbered(include_str!("../../federation.md"), "F"));
    out
}

fn numbered(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.starts_with('#') {
            let number = line
                .trim_start_matches('#')
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('.');
            if number.starts_with(|c: char| c.is_ascii_digit()) {
                current = format!("{prefix}{number}");
                out.insert(current.clone());
            }
        } else if let Some((item, _)) = line.split_once(". ") {
            if !current.is_empty() && !item.is_empty() && item.chars().all(|c| c.is_ascii_digit()) {
                out.insert(format!("{current}.{item}"));
            }
        }
    }
    out
}

#[test]
fn cited_sections_exist_in_the_protocol_text() {
    let known = sections();
    for s in [
        "1.1", "5.4", "7.1", "7.3", "8.2", "8.2.4", "12", "F6", "F6.4",
    ] {
        assert!(known.contains(s), "{s} in {known:?}");
    }
    assert!(!known.contains("7.9") && !known.contains("F99"));
    for s in embedded_scenarios().unwrap() {
        for section in &s.sections {
            assert!(
                known.contains(section),
                "{} cites §{section}, which protocol.md (or federation.md, F…) does not have",
                s.id
            );
        }
    }
}

#[test]
fn every_reachable_error_code_is_expected_by_some_scenario() {
    let expected: BTreeSet<String> = embedded_scenarios()
        .unwrap()
        .iter()
        .flat_map(|s| s.expected_codes())
        .collect();
    let excluded: BTreeSet<String> = UNREACHABLE_CODES
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    for (code, why) in UNREACHABLE_CODES {
        assert!(
            ErrorCode::parse(code).is_some(),
            "{code} is not in the catalogue"
        );
        assert!(!why.is_empty());
        assert!(
            !expected.contains(*code),
            "{code} is reached by a scenario, so it does not belong on the exclusion list"
        );
    }
    let missing: Vec<&str> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !expected.contains(*c) && !excluded.contains(*c))
        .collect();
    assert_eq!(missing, Vec::<&str>::new(), "codes no scenario expects");
    for code in &expected {
        assert!(
            ErrorCode::parse(code).is_some(),
            "{code} is not in the catalogue"
        );
    }
}

#[test]
fn a_file_with_operator_steps_must_require_the_operator() {
    let text = r#"{"id": "x", "title": "t", "sections": ["8.4"], "level": "full",
        "steps": [{"op": "set_status", "who": "a", "status": "suspended"}]}"#;
    let err = geo_conformance::Scenario::parse("x.json", text).unwrap_err();
    assert!(err.why.contains("operator"), "{err}");
    let typo = r#"{"id": "x", "title": "t", "sections": ["8.4"], "level": "core",
        "steps": [{"op": "pay", "as": "a", "to": "b", "eq": "E", "amount": "1", "amout": "2"}]}"#;
    assert!(
        geo_conformance::Scenario::parse("x.json", typo).is_err(),
        "unknown members are refused"
    );
    let status = r#"{"id": "x", "title": "t", "sections": ["8.4"], "level": "core",
        "steps": [{"op": "http", "path": "/", "expect": {"code": "E_SELF_TRUST", "status": 400}}]}"#;
    assert!(
        geo_conformance::Scenario::parse("x.json", status).is_err(),
        "a code's status is the catalogue's"
    );
}

/// The committed JSON Schema of scenario files is the one the runner's types describe. Regenerate
/// with `GEO_WRITE_SCENARIO_SCHEMA=1 cargo nextest run -p geo-conformance scenario_schema`.
#[test]
fn scenario_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenario.schema.json");
    let fresh = serde_json::to_string_pretty(&geo_conformance::scenario::schema()).unwrap() + "\n";
    if std::env::var_os("GEO_WRITE_SCENARIO_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "scenario.schema.json is stale; regenerate it (see this test's doc)"
    );
    let schema: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    let text = schema.to_string();
    for op in ["\"pay\"", "\"events\"", "\"proposal\"", "\"resend\""] {
        assert!(text.contains(op), "{op} in the schema");
    }
}
