//! The trust network around a member (`GET /network/{equivalent}`, spec §8.7): members within the
//! asked hops over live lines, every line between them with its direction, amounts only on the
//! caller's own lines, bounded in size; bad queries are refused.

mod support;

use geo_api as api;
use serde_json::Value;
use support::{assert_problem, Backend, Client, TestHub};

async fn network(c: &Client, query: &str) -> api::Neighbourhood {
    let (s, v) = c
        .get(&format!(
            "{}{query}",
            api::network::NEIGHBOURHOOD.path_with(&["UAH"])
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    serde_json::from_value(v).unwrap()
}

fn hops(n: &api::Neighbourhood, c: &Client) -> Option<u8> {
    n.members.iter().find(|m| m.pid == c.pid()).map(|m| m.hops)
}

fn line<'a>(n: &'a api::Neighbourhood, creditor: &Client, debtor: &Client) -> &'a api::NetworkLine {
    n.lines
        .iter()
        .find(|l| l.creditor == creditor.pid() && l.debtor == debtor.pid())
        .unwrap_or_else(|| panic!("no line in {:?}", n.lines))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_member_sees_who_trusts_whom_a_few_hops_out_and_amounts_only_on_their_own_lines() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let [a, b, c, d, e, loner] = [
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
        hub.participant("D").await,
        hub.participant("E").await,
        hub.participant("Loner").await,
    ];
    // A → B ← C, D → C, E → D (creditor → debtor): a chain B, C, D, E outward from B.
    for (creditor, debtor) in [(&a, &b), (&c, &b), (&d, &c), (&e, &d)] {
        let (s, v) = creditor.trust(debtor, "100").await;
        assert_eq!(s, 200, "{v}");
    }
    let (s, v) = b.pay(&a, "10").await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = c.pay(&d, "5").await;
    assert_eq!(s, 200, "{v}");

    let n = network(&b, "").await;
    assert_eq!((n.depth, n.truncated), (2, false), "two hops unless asked");
    assert_eq!(n.members[0].pid, b.pid(), "the caller comes first");
    assert_eq!(n.members[0].display_name, "B");
    assert_eq!(
        [&a, &b, &c, &d, &e, &loner].map(|x| hops(&n, x)),
        [Some(1), Some(0), Some(1), Some(2), None, None]
    );
    assert_eq!(n.lines.len(), 3, "{:?}", n.lines);
    // The caller's own line: direction, limit and debt.
    let own = line(&n, &a, &b);
    assert_eq!(
        (own.in_debt, own.limit.as_deref(), own.used.as_deref()),
        (true, Some("100.00"), Some("10.00"))
    );
    let own = line(&n, &c, &b);
    assert_eq!(
        (own.in_debt, own.limit.as_deref(), own.used.as_deref()),
        (false, Some("100.00"), Some("0.00"))
    );
    // Someone else's line: who trusts whom and that there is a debt, never how much.
    let theirs = line(&n, &d, &c);
    assert_eq!(
        (theirs.in_debt, &theirs.limit, &theirs.used),
        (true, &None, &None)
    );
    let (_, raw) = b
        .get(&api::network::NEIGHBOURHOOD.path_with(&["UAH"]))
        .await;
    let text = raw.to_string();
    assert!(!text.contains("5.00"), "another pair's debt leaked: {text}");

    let n = network(&b, "?depth=1").await;
    assert_eq!([&a, &c, &d].map(|x| hops(&n, x)), [Some(1), Some(1), None]);
    assert_eq!(n.lines.len(), 2);
    let n = network(&b, "?depth=3").await;
    assert_eq!(hops(&n, &e), Some(3));
    assert_eq!(n.lines.len(), 4);
    // Seen from the other end, amounts follow the caller.
    let n = network(&d, "").await;
    assert_eq!(line(&n, &d, &c).used.as_deref(), Some("5.00"));
    assert_eq!(line(&n, &c, &b).limit, None);

    let alone = network(&loner, "?depth=3").await;
    assert_eq!((alone.members.len(), alone.lines.len()), (1, 0));

    for bad in ["?depth=0", "?depth=4", "?depth=two", "?hops=2"] {
        let r = b
            .get(&format!(
                "{}{bad}",
                api::network::NEIGHBOURHOOD.path_with(&["UAH"])
            ))
            .await;
        assert_problem(&r, 422, "E_VALIDATION");
    }
    let r = b
        .get(&api::network::NEIGHBOURHOOD.path_with(&["XYZ"]))
        .await;
    assert_problem(&r, 422, "E_UNKNOWN_EQUIVALENT");
    let r = support::Client::new(&hub, geo_protocol::Identity::generate())
        .get(&api::network::NEIGHBOURHOOD.path_with(&["UAH"]))
        .await;
    assert_problem(&r, 401, "E_UNAUTHORIZED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_busy_neighbourhood_is_cut_at_the_bound_nearest_first() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let centre = hub.participant("Centre").await;
    let far = hub.participant("Far").await;
    let mut first = None;
    for i in 0..api::network::MAX_MEMBERS {
        let x = hub.participant(&format!("M{i}")).await;
        let (s, v): (u16, Value) = x.trust(&centre, "1").await;
        assert_eq!(s, 200, "{v}");
        if i == 0 {
            let (s, v) = far.trust(&x, "1").await;
            assert_eq!(s, 200, "{v}");
            first = Some(x);
        }
    }
    let n = network(&centre, "").await;
    assert!(n.truncated);
    assert_eq!(n.members.len(), api::network::MAX_MEMBERS);
    assert!(
        n.members.iter().all(|m| m.hops <= 1),
        "the nearest come first"
    );
    assert_eq!(hops(&n, &far), None);
    let n = network(&far, "?depth=1").await;
    assert_eq!(hops(&n, first.as_ref().unwrap()), Some(1));
    assert!(!n.truncated);
}
