//! What operator commands print: aligned text for people (names beside PIDs, decimal amounts as the
//! hub wrote them) or the hub's JSON answer for scripts. No colour: it is plain text either way.

use std::collections::HashMap;

use geo_api as api;
use geo_protocol::Pid;
use serde::Serialize;

use super::to_json;

/// The output mode.
pub struct Out {
    json: bool,
}

/// `Name (PID)`, or the PID alone when the name is unknown.
fn who(pid: &Pid, names: &HashMap<Pid, String>) -> String {
    match names.get(pid) {
        Some(n) => format!("{n} ({pid})"),
        None => pid.to_string(),
    }
}

/// Rows as columns padded to their widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}

impl Out {
    /// `json`: print the hub's answers as JSON.
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    fn print(&self, value: &impl Serialize, text: impl FnOnce() -> String) {
        if self.json {
            println!("{}", to_json(value));
        } else {
            println!("{}", text());
        }
    }

    /// The hub's totals.
    pub fn stats(&self, s: &api::HubStats) {
        self.print(s, || {
            let p = &s.participants;
            let mut text = format!(
                "participants: {} active, {} suspended, {} retired\n\
                 journal: {} entries; open holds: {}\n\
                 payments: {} committed, {} aborted\n\n",
                p.active,
                p.suspended,
                p.retired,
                s.journal_length,
                s.open_holds,
                s.payments_committed,
                s.payments_aborted
            );
            let rows: Vec<Vec<String>> = s
                .equivalents
                .iter()
                .map(|e| {
                    vec![
                        e.equivalent.to_string(),
                        if e.active { "active" } else { "inactive" }.into(),
                        e.debt_outstanding.clone(),
                        e.cleared_to_date.clone(),
                        e.payments_committed.to_string(),
                    ]
                })
                .collect();
            text.push_str(&table(
                &[
                    "EQUIVALENT",
                    "STATUS",
                    "DEBT OUTSTANDING",
                    "CLEARED TO DATE",
                    "PAYMENTS",
                ],
                &rows,
            ));
            text
        })
    }

    /// An integrity report.
    pub fn integrity(&self, r: &api::IntegrityReport) {
        self.print(r, || {
            let head = r.head_hash.as_deref().unwrap_or("none (empty journal)");
            let mut text = format!(
                "{}: {} journal entries; head {head}",
                r.status, r.journal_entries
            );
            for p in &r.problems {
                text.push_str(&format!("\n  problem: {p}"));
            }
            text
        })
    }

    /// Equivalents.
    pub fn equivalents(&self, list: &[api::Equivalent]) {
        self.print(&list, || {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|e| {
                    vec![
                        e.code.to_string(),
                        e.precision.to_string(),
                        if e.active { "active" } else { "inactive" }.into(),
                        e.description.clone(),
                    ]
                })
                .collect();
            table(&["CODE", "PRECISION", "STATUS", "DESCRIPTION"], &rows)
        })
    }

    /// Participants.
    pub fn participants(&self, list: &[api::Participant]) {
        self.print(&list, || {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|p| {
                    vec![
                        p.display_name.clone(),
                        p.pid.to_string(),
                        p.status.to_string(),
                        serde_json::to_value(p.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        p.created_at.clone(),
                    ]
                })
                .collect();
            table(&["NAME", "PID", "STATUS", "KIND", "REGISTERED"], &rows)
        })
    }

    /// A participant's trust lines.
    pub fn lines(
        &self,
        p: &api::Participant,
        lines: &[api::TrustLine],
        names: &HashMap<Pid, String>,
    ) {
        self.print(&lines, || {
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        who(&l.creditor, names),
                        who(&l.debtor, names),
                        l.equivalent.to_string(),
                        l.limit.clone(),
                        l.used.clone(),
                        l.available.clone(),
                    ]
                })
                .collect();
            format!(
                "trust lines of {} ({}): {}\n{}",
                p.display_name,
                p.pid,
                lines.len(),
                table(
                    &[
                        "CREDITOR",
                        "DEBTOR",
                        "EQUIVALENT",
                        "LIMIT",
                        "USED",
                        "AVAILABLE"
                    ],
                    &rows
                )
            )
        })
    }

    /// Payments.
    pub fn payments(&self, list: &[api::Payment], names: &HashMap<Pid, String>) {
        self.print(&list, || {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|x| {
                    vec![
                        x.created_at.clone(),
                        who(&x.payer, names),
                        who(&x.payee, names),
                        format!("{} {}", x.amount, x.equivalent),
                        x.status.as_str().to_owned()
                            + &x.error_code
                                .map(|c| format!(" ({})", c.as_str()))
                                .unwrap_or_default(),
                        x.tx_id.clone(),
                    ]
                })
                .collect();
            table(&["WHEN", "PAYER", "PAYEE", "AMOUNT", "STATUS", "TX"], &rows)
        })
    }

    /// What a clearing run did.
    pub fn clearing_run(&self, r: &api::ClearingRun) {
        self.print(r, || {
            let mut text = match (&r.total, r.debts_reduced) {
                (Some(total), Some(n)) if r.cleared => format!(
                    "cleared {total} {} over {n} debts (clearing {})",
                    r.equivalent,
                    r.clearing_id.as_deref().unwrap_or("?")
                ),
                _ => format!("nothing to clear in {} now", r.equivalent),
            };
            if let Some(p) = &r.proposal {
                text.push_str(&format!(
                    "\nproposal {p} opened: waiting for creditors' consent"
                ));
            }
            text
        })
    }

    /// Clearing history.
    pub fn clearings(&self, list: &[api::Clearing], names: &HashMap<Pid, String>) {
        self.print(&list, || {
            let mut text = Vec::new();
            for c in list {
                text.push(format!(
                    "{}  {}  clearing {} (journal {})",
                    c.at, c.equivalent, c.clearing_id, c.journal_seq
                ));
                for s in &c.edges {
                    text.push(format!(
                        "    {} owed {} {} less",
                        who(&s.debtor, names),
                        who(&s.creditor, names),
                        s.amount
                    ));
                }
            }
            if text.is_empty() {
                "no clearings yet".into()
            } else {
                text.join("\n")
            }
        })
    }

    /// A new operator token.
    pub fn token(&self, t: &api::operator::AdminToken) {
        self.print(t, || {
            format!(
                "new operator token (the old one no longer works):\n{}",
                t.admin_token
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_on_the_widest_cell() {
        let t = table(
            &["A", "BB"],
            &[vec!["xxx".into(), "y".into()], vec!["z".into(), "".into()]],
        );
        assert_eq!(t, "A    BB\nxxx  y\nz");
    }
}
