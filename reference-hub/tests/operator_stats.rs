//! `GET /admin/stats`: the operator's totals after real payments, a refusal, a hold and a clearing,
//! the same after a restart (rebuilt from the journal), and refused without the operator token, on
//! SQLite and PostgreSQL.

mod support;

use geo_api as api;
use serde_json::{json, Value};
use support::TestHub;

async fn stats(hub: &TestHub) -> api::HubStats {
    let r = hub
        .http
        .get(hub.api_url(api::operator::STATS.path))
        .header("x-admin-token", &hub.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn uah(s: &api::HubStats) -> &api::EquivalentStats {
    s.equivalents
        .iter()
        .find(|e| e.equivalent.as_str() == "UAH")
        .expect("UAH listed")
}

both_backends!(totals_follow_payments_and_clearing, |backend| async move {
    // No local pass and no schedule: the debts stay until the operator's run.
    let mut hub = TestHub::start_with(backend, |s| {
        s.clearing_cycle_len = 0;
        s.clearing_interval_seconds = 0;
    })
    .await;
    let empty = stats(&hub).await;
    assert_eq!(
        (empty.participants, empty.journal_length, empty.open_holds),
        (api::ParticipantCounts::default(), 1, 0)
    );
    assert_eq!(
        (uah(&empty).debt_outstanding.as_str(), uah(&empty).precision),
        ("0.00", 2)
    );

    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.trust(&a, "100").await;
    c.trust(&b, "100").await;
    a.trust(&c, "100").await;
    assert_eq!(a.pay(&b, "10").await.0, 200);
    assert_eq!(b.pay(&c, "10.50").await.0, 200);
    assert_eq!(c.pay(&a, "4").await.0, 200);
    // Refused for capacity: journaled as aborted.
    assert_eq!(a.pay(&b, "1000").await.1["code"], "E_INSUFFICIENT_CAPACITY");
    let s = stats(&hub).await;
    assert_eq!(s.participants.active, 3);
    assert_eq!((s.payments_committed, s.payments_aborted), (3, 1));
    assert_eq!(s.open_holds, 0);
    assert_eq!(uah(&s).debt_outstanding, "24.50");
    assert_eq!(uah(&s).cleared_to_date, "0.00");
    assert_eq!(uah(&s).payments_committed, 3);

    // The optimal run sets off 4.00 on each of the three debts of the cycle.
    let r = hub
        .http
        .post(hub.api_url(&api::clearing::RUN.path_with(&["UAH"])))
        .header("x-admin-token", &hub.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s2 = stats(&hub).await;
    assert_eq!(uah(&s2).cleared_to_date, "12.00");
    assert_eq!(uah(&s2).debt_outstanding, "12.50");
    assert!(s2.journal_length > s.journal_length);

    // A held payment is open until its payer ends it.
    let mut held = a.payment(&b, "1");
    held.hold_seconds = Some(120);
    assert_eq!(a.pay_request(held).await.1["status"], "prepared");
    // Status counts; a second equivalent, inactive, precision 0.
    hub.admin_status(&c.pid(), "suspended").await;
    let d = hub.participant("D").await;
    hub.admin_status(&d.pid(), "left").await;
    let r = hub
        .http
        .put(hub.api_url(&api::equivalent::SET.path_with(&["HRS"])))
        .header("x-admin-token", &hub.admin)
        .json(&json!({ "precision": 0, "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s3 = stats(&hub).await;
    assert_eq!(s3.open_holds, 1);
    assert_eq!(
        s3.participants,
        api::ParticipantCounts {
            active: 2,
            suspended: 1,
            retired: 1
        }
    );
    let hrs = s3
        .equivalents
        .iter()
        .find(|e| e.equivalent.as_str() == "HRS")
        .unwrap();
    assert_eq!(
        (hrs.precision, hrs.active, hrs.debt_outstanding.as_str()),
        (0, false, "0")
    );

    // Everything is rebuilt from the journal on restart: the same answer.
    hub.restart().await;
    assert_eq!(stats(&hub).await, s3);
});

both_backends!(stats_need_the_operator_token, |backend| async move {
    let hub = TestHub::start(backend).await;
    let url = hub.api_url(api::operator::STATS.path);
    let cases: [(Option<&str>, u16, &str); 2] = [
        (None, 401, "E_UNAUTHORIZED"),
        (Some("not-the-operator"), 401, "E_UNAUTHORIZED"),
    ];
    for (token, status, code) in cases {
        let mut rb = hub.http.get(&url);
        if let Some(t) = token {
            rb = rb.header("x-admin-token", t);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), status, "token {token:?}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "token {token:?}"
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], code, "token {token:?}");
        assert!(body.get("journal_length").is_none());
    }
});
