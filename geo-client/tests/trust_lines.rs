//! Trust lines through the SDK: set, list with filters and pages, get, close.

mod support;

use geo_client::{PaymentOrder, TrustLineFilter, TrustLinePolicy};
use geo_protocol::ErrorCode;
use support::{Backend, TestHub};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_list_get_and_close() {
    let hub = TestHub::start(Backend::Sqlite).await;
    hub.admin.set_equivalent("HOUR", 0, "hours").await.unwrap();
    let a = hub.participant("A").await;
    let b = hub.participant("B").await;
    let c = hub.participant("C").await;

    let line = a
        .set_trust_line(&b.pid(), "UAH", "100", None)
        .await
        .unwrap();
    assert_eq!(
        (
            line.creditor.clone(),
            line.debtor.clone(),
            line.limit.as_str()
        ),
        (a.pid(), b.pid(), "100.00")
    );
    assert!(line.policy.auto_clearing, "default policy");
    a.set_trust_line(&c.pid(), "UAH", "50", None).await.unwrap();
    a.set_trust_line(&c.pid(), "HOUR", "5", None).await.unwrap();
    c.set_trust_line(&a.pid(), "UAH", "10", None).await.unwrap();

    // All of A's lines, fetched one per page.
    let all = a
        .trust_lines(&TrustLineFilter {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    let first_page = a
        .trust_lines_page(
            &TrustLineFilter {
                limit: Some(1),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(first_page.items.len(), 1);
    assert!(first_page.next_cursor.is_some());

    let outgoing_uah = a
        .trust_lines(&TrustLineFilter {
            direction: Some("outgoing".into()),
            equivalent: Some("UAH".into()),
            limit: None,
            cursor: None,
        })
        .await
        .unwrap();
    assert_eq!(outgoing_uah.len(), 2);
    assert!(outgoing_uah.iter().all(|l| l.creditor == a.pid()));
    let incoming = a
        .trust_lines(&TrustLineFilter {
            direction: Some("incoming".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].creditor, c.pid());

    let got = b.trust_line(&line.id).await.unwrap();
    assert_eq!(got.id, line.id);

    // Replacing the policy.
    let strict = a
        .set_trust_line(
            &b.pid(),
            "UAH",
            "120",
            Some(TrustLinePolicy {
                auto_clearing: false,
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    assert!(!strict.policy.auto_clearing);
    assert_eq!(strict.limit, "120.00");

    // B owes A after paying; the line cannot be closed or cut below the debt.
    b.pay(PaymentOrder::new(a.pid(), "UAH", "30"))
        .await
        .unwrap();
    let e = a.close_trust_line(&b.pid(), "UAH").await.unwrap_err();
    assert_eq!(e.hub_code(), Some(ErrorCode::DebtOutstanding), "{e}");
    let e = a
        .set_trust_line(&b.pid(), "UAH", "10", None)
        .await
        .unwrap_err();
    assert_eq!(e.hub_code(), Some(ErrorCode::LimitBelowDebt), "{e}");
    // A line without debt closes and disappears from the listing.
    let closed = a.close_trust_line(&c.pid(), "HOUR").await.unwrap();
    assert_eq!(closed.status, "closed");
    let hours = a
        .trust_lines(&TrustLineFilter {
            equivalent: Some("HOUR".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(hours.is_empty());
    // Local validation before sending, hub validation after.
    let e = a
        .set_trust_line(&b.pid(), "UAH", "1.234", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E_INVALID_AMOUNT", "{e}");
    let e = a
        .set_trust_line(&a.pid(), "UAH", "1", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E_SELF_TRUST", "{e}");
}
