//! Renders a run: a human table, JSON for machines, JUnit XML for CI.

use crate::runner::{Outcome, Report};

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Skip => "skip",
    }
}

/// One line per scenario, the failure details under each failure, and a summary line.
pub fn table(report: &Report) -> String {
    let width = report
        .results
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .max(8);
    let mut out = format!(
        "hub {} ({}, features: {})\n\n{:<4}  {:<width$}  {:<4}  {:<16}  detail\n",
        report.hub.url,
        report.hub.protocol,
        report.hub.features.join(", "),
        "",
        "scenario",
        "lvl",
        "sections",
    );
    for r in &report.results {
        let detail = match (&r.failure, &r.skip_reason) {
            (Some(f), _) => format!("step {} ({})", f.step, f.op),
            (None, Some(why)) => why.clone(),
            (None, None) => format!("{} ms", r.millis),
        };
        out.push_str(&format!(
            "{:<4}  {:<width$}  {:<4}  {:<16}  {detail}\n",
            outcome(r.outcome),
            r.id,
            r.level.to_string(),
            r.sections
                .iter()
                .map(|s| format!("§{s}"))
                .collect::<Vec<_>>()
                .join(" "),
        ));
        if let Some(f) = &r.failure {
            if let Some(n) = &f.note {
                out.push_str(&format!("        note:     {n}\n"));
            }
            out.push_str(&format!(
                "        expected: {}\n        actual:   {}\n",
                f.expected, f.actual
            ));
        }
    }
    out.push_str(&format!(
        "\n{} scenarios: {} passed, {} failed, {} skipped\n",
        report.results.len(),
        report.count(Outcome::Pass),
        report.count(Outcome::Fail),
        report.count(Outcome::Skip),
    ));
    out
}

/// The whole report as JSON.
pub fn json(report: &Report) -> String {
    let summary = serde_json::json!({
        "passed": report.count(Outcome::Pass),
        "failed": report.count(Outcome::Fail),
        "skipped": report.count(Outcome::Skip),
    });
    let mut v = serde_json::to_value(report).unwrap_or_default();
    v["summary"] = summary;
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn xml(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => " ".into(),
            c => c.to_string(),
        })
        .collect()
}

/// JUnit XML: one test suite, one test case per scenario (class name: its level).
pub fn junit(report: &Report) -> String {
    let time: u64 = report.results.iter().map(|r| r.millis).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"geo-conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
        report.results.len(),
        report.count(Outcome::Fail),
        report.count(Outcome::Skip),
        time as f64 / 1000.0
    );
    for r in &report.results {
        out.push_str(&format!(
            "  <testcase classname=\"geo-conformance.{}\" name=\"{}\" time=\"{:.3}\">\n",
            r.level,
            xml(&r.id),
            r.millis as f64 / 1000.0
        ));
        out.push_str(&format!(
            "    <properties><property name=\"sections\" value=\"{}\"/><property name=\"title\" value=\"{}\"/></properties>\n",
            xml(&r.sections.join(" ")),
            xml(&r.title)
        ));
        if let Some(f) = &r.failure {
            out.push_str(&format!(
                "    <failure message=\"step {} ({}) failed\">expected: {}\nactual: {}</failure>\n",
                f.step,
                xml(&f.op),
                xml(&f.expected),
                xml(&f.actual)
            ));
        }
        if let Some(why) = &r.skip_reason {
            out.push_str(&format!("    <skipped message=\"{}\"/>\n", xml(why)));
        }
        out.push_str("  </testcase>\n");
    }
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Failure, HubInfo, ScenarioResult};
    use crate::scenario::Level;

    fn result(id: &str, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            id: id.into(),
            title: "t".into(),
            sections: vec!["8.2".into()],
            level: Level::Core,
            outcome,
            skip_reason: (outcome == Outcome::Skip).then(|| "needs <operator>".into()),
            failure: (outcome == Outcome::Fail).then(|| Failure {
                step: 3,
                op: "pay".into(),
                note: None,
                expected: "status 200 & \"committed\"".into(),
                actual: "HTTP 409 <E_TX_ID_CONFLICT>".into(),
            }),
            millis: 5,
        }
    }

    fn report() -> Report {
        Report {
            hub: HubInfo {
                url: "http://hub".into(),
                protocol: "geo/1".into(),
                pid: "p".into(),
                key: geo_protocol::Identity::generate().public_key(),
                features: vec!["holds".into()],
                limits: serde_json::Value::Null,
            },
            results: vec![
                result("a", Outcome::Pass),
                result("b", Outcome::Fail),
                result("c", Outcome::Skip),
            ],
        }
    }

    #[test]
    fn junit_counts_and_escapes() {
        let x = junit(&report());
        assert!(x.contains(r#"tests="3" failures="1" skipped="1""#), "{x}");
        assert!(
            x.contains("&lt;E_TX_ID_CONFLICT&gt;") && x.contains("&amp; &quot;committed&quot;"),
            "{x}"
        );
        assert!(
            x.contains(r#"<skipped message="needs &lt;operator&gt;"/>"#),
            "{x}"
        );
        assert_eq!(
            x.matches("<testcase ").count(),
            x.matches("</testcase>").count()
        );
    }

    #[test]
    fn json_and_table_summaries_agree() {
        let v: serde_json::Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(
            v["summary"],
            serde_json::json!({"passed": 1, "failed": 1, "skipped": 1})
        );
        assert_eq!(v["results"][1]["failure"]["step"], 3);
        let t = table(&report());
        assert!(
            t.contains("3 scenarios: 1 passed, 1 failed, 1 skipped"),
            "{t}"
        );
        assert!(
            t.contains("FAIL") && t.contains("step 3 (pay)") && t.contains("actual:   HTTP 409"),
            "{t}"
        );
    }
}
