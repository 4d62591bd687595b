//! Black-box routing scenarios: each names the behaviour it pins down.

mod common;

use common::{brute_force_max_flow, graph, greedy_no_undo, node_paths};
use geo_routing::{check_route, Constraints, NodeId, Router, RoutingError};

fn ok_route(
    g: &geo_routing::Graph,
    s: u32,
    t: u32,
    amount: u64,
    c: &Constraints,
) -> geo_routing::Route {
    let route = Router::new()
        .route(g, NodeId(s), NodeId(t), amount, c)
        .unwrap_or_else(|e| panic!("route {s}->{t} {amount}: {e}"));
    check_route(g, NodeId(s), NodeId(t), amount, c, &route).expect("checker accepts route");
    route
}

fn insufficient(g: &geo_routing::Graph, s: u32, t: u32, amount: u64, c: &Constraints) -> u64 {
    match Router::new().route(g, NodeId(s), NodeId(t), amount, c) {
        Err(RoutingError::InsufficientCapacity { requested, found }) => {
            assert_eq!(requested, amount);
            assert!(found < amount);
            found
        }
        other => panic!("expected insufficient capacity, got {other:?}"),
    }
}

#[test]
fn direct_payment() {
    let g = graph(2, &[(0, 1, 10)]);
    let r = ok_route(&g, 0, 1, 10, &Constraints::default());
    assert_eq!(node_paths(&r), vec![vec![0, 1]]);
    assert_eq!(insufficient(&g, 0, 1, 11, &Constraints::default()), 10);
    // The arc goes one way only: 1 cannot pay 0.
    assert_eq!(insufficient(&g, 1, 0, 1, &Constraints::default()), 0);
}

#[test]
fn multi_hop_chain() {
    let g = graph(4, &[(0, 1, 5), (1, 2, 7), (2, 3, 9)]);
    let r = ok_route(&g, 0, 3, 5, &Constraints::default());
    assert_eq!(node_paths(&r), vec![vec![0, 1, 2, 3]]);
    assert_eq!(insufficient(&g, 0, 3, 6, &Constraints::default()), 5);
}

#[test]
fn combines_paths_when_no_single_path_suffices() {
    // Three disjoint routes of 40, 30 and 30.
    let g = graph(
        5,
        &[
            (0, 1, 40),
            (1, 4, 40),
            (0, 2, 30),
            (2, 4, 30),
            (0, 3, 30),
            (3, 4, 30),
        ],
    );
    let r = ok_route(&g, 0, 4, 100, &Constraints::default());
    assert_eq!(r.paths.len(), 3);
    assert_eq!(r.paths.iter().map(|p| p.amount).sum::<u64>(), 100);
}

#[test]
fn repays_debt_without_a_trust_line() {
    // Alice (0) trusts Carol (1) for 50: Carol may pay Alice, capacity 1→0 = 50.
    let mut g = graph(2, &[(1, 0, 50)]);
    let (alice, carol) = (NodeId(0), NodeId(1));
    assert!(g.arc(alice, carol).is_none(), "no trust line Carol→Alice");
    let mut router = Router::new();
    let c = Constraints::default();
    let pay = router.route(&g, carol, alice, 30, &c).unwrap();
    g.reserve(&pay).unwrap();
    g.commit(&pay).unwrap();
    // Carol now owes Alice 30, so Alice can pay Carol up to 30 by reducing that debt.
    let back = g.arc(alice, carol).expect("arc from reverse debt");
    assert_eq!(g.capacity(back), 30);
    let r = router.route(&g, alice, carol, 30, &c).unwrap();
    check_route(&g, alice, carol, 30, &c, &r).unwrap();
    assert_eq!(insufficient(&g, 0, 1, 31, &c), 30);
}

#[test]
fn insufficient_reports_found_at_most_max_flow() {
    // Max flow 0→3 is 7 (cut {0→1: 4, 0→2: 3}).
    let g = graph(
        4,
        &[(0, 1, 4), (0, 2, 3), (1, 3, 10), (2, 3, 10), (1, 2, 5)],
    );
    let c = Constraints::default();
    let found = insufficient(&g, 0, 3, 8, &c);
    assert!(found <= 7);
    assert_eq!(found, 7);
    let err = Router::new()
        .route(&g, NodeId(0), NodeId(3), 8, &c)
        .unwrap_err();
    assert_eq!(err.code(), "E_INSUFFICIENT_CAPACITY");
    ok_route(&g, 0, 3, 7, &c);
}

#[test]
fn hop_limit_is_honoured() {
    // 0→1→…→7: seven hops.
    let arcs: Vec<(u32, u32, u64)> = (0..7).map(|i| (i, i + 1, 3)).collect();
    let g = graph(8, &arcs);
    assert_eq!(
        insufficient(&g, 0, 7, 1, &Constraints::default().with_max_hops(6)),
        0
    );
    let r = ok_route(&g, 0, 7, 3, &Constraints::default().with_max_hops(7));
    assert_eq!(r.paths[0].hops(), 7);
}

#[test]
fn avoid_list_excludes_intermediates_and_endpoints() {
    let g = graph(4, &[(0, 1, 10), (1, 3, 10), (0, 2, 10), (2, 3, 10)]);
    let c = Constraints::default().avoiding([NodeId(1)]);
    let r = ok_route(&g, 0, 3, 10, &c);
    assert_eq!(node_paths(&r), vec![vec![0, 2, 3]]);
    assert_eq!(insufficient(&g, 0, 3, 11, &c), 10);
    let avoid_payee = Constraints::default().avoiding([NodeId(3)]);
    assert_eq!(insufficient(&g, 0, 3, 1, &avoid_payee), 0);
}

#[test]
fn can_be_intermediate_false_allows_ending_but_not_relaying() {
    // Short route through 1, long route through 3 and 4.
    let mut g = graph(
        5,
        &[(0, 1, 10), (1, 2, 10), (0, 3, 10), (3, 4, 10), (4, 2, 10)],
    );
    let a01 = g.arc(NodeId(0), NodeId(1)).unwrap();
    g.set_can_be_intermediate(a01, false).unwrap();
    let c = Constraints::default();
    let r = ok_route(&g, 0, 2, 10, &c);
    assert_eq!(node_paths(&r), vec![vec![0, 3, 4, 2]]);
    assert_eq!(insufficient(&g, 0, 2, 11, &c), 10);
    // Paying 1 itself through that arc is fine.
    ok_route(&g, 0, 1, 10, &c);
}

#[test]
fn blocked_participants_are_never_intermediates_on_the_path() {
    let mut g = graph(
        6,
        &[
            (0, 1, 10),
            (1, 2, 10),
            (2, 3, 10),
            (0, 4, 10),
            (4, 5, 10),
            (5, 3, 10),
        ],
    );
    // Creditor 3 refuses paths relaying through 1, on its arc 2→3.
    let a23 = g.arc(NodeId(2), NodeId(3)).unwrap();
    g.set_blocked_participants(a23, [NodeId(1), NodeId(0)])
        .unwrap();
    let c = Constraints::default();
    let r = ok_route(&g, 0, 3, 10, &c);
    assert_eq!(node_paths(&r), vec![vec![0, 4, 5, 3]]);
    assert_eq!(insufficient(&g, 0, 3, 11, &c), 10);
    // The payer being in a blocked set is allowed (only intermediates are blocked).
    ok_route(&g, 0, 2, 10, &c);
    // A payment from 1 may use arc 2→3: 1 is the payer there, not an intermediate.
    ok_route(&g, 1, 3, 10, &c);
}

#[test]
fn suspended_participant_is_never_used() {
    let mut g = graph(4, &[(0, 1, 10), (1, 3, 10), (0, 2, 5), (2, 3, 5)]);
    g.set_routable(NodeId(1), false).unwrap();
    let c = Constraints::default();
    let r = ok_route(&g, 0, 3, 5, &c);
    assert_eq!(node_paths(&r), vec![vec![0, 2, 3]]);
    assert_eq!(insufficient(&g, 0, 3, 6, &c), 5);
    let err = Router::new()
        .route(&g, NodeId(1), NodeId(3), 1, &c)
        .unwrap_err();
    assert_eq!(err, RoutingError::ParticipantNotRoutable(NodeId(1)));
    assert_eq!(err.code(), "E_PARTICIPANT_NOT_ROUTABLE");
    let err = Router::new()
        .route(&g, NodeId(0), NodeId(1), 1, &c)
        .unwrap_err();
    assert_eq!(err, RoutingError::ParticipantNotRoutable(NodeId(1)));
}

#[test]
fn max_paths_bounds_the_split() {
    let g = graph(
        5,
        &[
            (0, 1, 10),
            (1, 4, 10),
            (0, 2, 10),
            (2, 4, 10),
            (0, 3, 10),
            (3, 4, 10),
        ],
    );
    let two = Constraints::default().with_max_paths(2);
    assert_eq!(insufficient(&g, 0, 4, 25, &two), 20);
    let r = ok_route(&g, 0, 4, 25, &Constraints::default().with_max_paths(3));
    assert_eq!(r.paths.len(), 3);
}

/// Fewest-hop greedy takes 0→1→2→5 (3 hops) and blocks both 4-hop routes; undo arcs fix it.
#[test]
fn beats_greedy_fewest_hop_without_undo() {
    let arcs = [
        (0, 1, 1),
        (1, 2, 1),
        (2, 5, 1),
        (1, 3, 1),
        (3, 4, 1),
        (4, 5, 1),
        (0, 6, 1),
        (6, 7, 1),
        (7, 2, 1),
    ];
    let g = graph(8, &arcs);
    let c = Constraints::default().with_max_hops(4);
    assert_eq!(greedy_no_undo(&g, NodeId(0), NodeId(5), 2, 4, 16), 1);
    let mut router = Router::new();
    let r = router.route(&g, NodeId(0), NodeId(5), 2, &c).unwrap();
    check_route(&g, NodeId(0), NodeId(5), 2, &c, &r).unwrap();
    assert_eq!(router.last_stats().phase2_accepted, 1);
    let mut paths = node_paths(&r);
    paths.sort();
    assert_eq!(paths, vec![vec![0, 1, 3, 4, 5], vec![0, 6, 7, 2, 5]]);
    assert_eq!(brute_force_max_flow(&g, NodeId(0), NodeId(5), &c), Some(2));
    // With 3 hops only the short path exists.
    assert_eq!(
        insufficient(&g, 0, 5, 2, &Constraints::default().with_max_hops(3)),
        1
    );
}

#[test]
fn undo_that_would_break_the_hop_limit_is_rejected() {
    // Same trap, but the rerouted paths have 5 hops; with H = 4 only one unit fits.
    let arcs = [
        (0, 1, 1),
        (1, 2, 1),
        (2, 5, 1),
        (1, 3, 1),
        (3, 8, 1),
        (8, 4, 1),
        (4, 5, 1),
        (0, 6, 1),
        (6, 7, 1),
        (7, 2, 1),
    ];
    let g = graph(9, &arcs);
    let c4 = Constraints::default().with_max_hops(4);
    assert_eq!(brute_force_max_flow(&g, NodeId(0), NodeId(5), &c4), Some(1));
    assert_eq!(insufficient(&g, 0, 5, 2, &c4), 1);
    ok_route(&g, 0, 5, 2, &Constraints::default().with_max_hops(5));
}

#[test]
fn preview_matches_route_feasibility() {
    let g = graph(4, &[(0, 1, 4), (0, 2, 3), (1, 3, 10), (2, 3, 2), (1, 2, 5)]);
    let c = Constraints::default();
    let p = Router::new().preview(&g, NodeId(0), NodeId(3), &c).unwrap();
    assert_eq!(p.max_amount, 6);
    assert_eq!(p.upper_bound, 7);
    for a in 1..=p.max_amount {
        ok_route(&g, 0, 3, a, &c);
    }
    insufficient(&g, 0, 3, p.max_amount + 1, &c);
}

#[test]
fn invalid_requests_have_stable_codes() {
    let g = graph(2, &[(0, 1, 10)]);
    let mut r = Router::new();
    let c = Constraints::default();
    let e = r.route(&g, NodeId(0), NodeId(1), 0, &c).unwrap_err();
    assert_eq!(e.code(), "E_INVALID_REQUEST");
    let e = r.route(&g, NodeId(0), NodeId(0), 1, &c).unwrap_err();
    assert_eq!(e.code(), "E_INVALID_REQUEST");
    let e = r.route(&g, NodeId(0), NodeId(7), 1, &c).unwrap_err();
    assert_eq!(e, RoutingError::UnknownParticipant(NodeId(7)));
    assert_eq!(e.code(), "E_UNKNOWN_PARTICIPANT");
    for bad in [
        Constraints::default().with_max_hops(0),
        Constraints::default().with_max_hops(9),
        Constraints::default().with_max_paths(0),
    ] {
        let e = r.route(&g, NodeId(0), NodeId(1), 1, &bad).unwrap_err();
        assert_eq!(e.code(), "E_INVALID_CONSTRAINTS");
    }
    ok_route(&g, 0, 1, 1, &Constraints::default().with_max_hops(8));
}

#[test]
fn huge_amounts_do_not_overflow() {
    let g = graph(
        4,
        &[
            (0, 1, u64::MAX),
            (1, 3, u64::MAX),
            (0, 2, u64::MAX),
            (2, 3, u64::MAX),
        ],
    );
    let c = Constraints::default();
    ok_route(&g, 0, 3, u64::MAX, &c);
    let p = Router::new().preview(&g, NodeId(0), NodeId(3), &c).unwrap();
    assert_eq!(p.max_amount, u64::MAX);
}

#[test]
fn router_is_reusable_across_queries_and_graph_updates() {
    let mut g = graph(3, &[(0, 1, 10), (1, 2, 10)]);
    let mut r = Router::new();
    let c = Constraints::default();
    for _ in 0..5 {
        let route = r.route(&g, NodeId(0), NodeId(2), 2, &c).unwrap();
        check_route(&g, NodeId(0), NodeId(2), 2, &c, &route).unwrap();
        g.reserve(&route).unwrap();
    }
    assert!(r.route(&g, NodeId(0), NodeId(2), 1, &c).is_err());
    let n = g.add_node().unwrap();
    g.set_capacity(NodeId(0), n, 4).unwrap();
    g.set_capacity(n, NodeId(2), 4).unwrap();
    let route = r.route(&g, NodeId(0), NodeId(2), 4, &c).unwrap();
    assert_eq!(node_paths(&route), vec![vec![0, 3, 2]]);
}

#[test]
fn blocked_set_on_a_shared_arc_still_finds_the_clean_path() {
    // Both routes share 2→4; creditor 4 blocks 1 there, so only 0→3→2→4 is valid.
    let mut g = graph(
        5,
        &[(0, 1, 10), (1, 2, 10), (0, 3, 10), (3, 2, 10), (2, 4, 10)],
    );
    let a24 = g.arc(NodeId(2), NodeId(4)).unwrap();
    g.set_blocked_participants(a24, [NodeId(1)]).unwrap();
    let c = Constraints::default();
    let r = ok_route(&g, 0, 4, 10, &c);
    assert_eq!(node_paths(&r), vec![vec![0, 3, 2, 4]]);
}

/// The case: sixteen 1-unit 2-hop paths fill the 16-path budget under fewest-hop greedy,
/// while one 3-hop path carries 1,000. The widest-path strategy spends the budget on capacity.
#[test]
fn widest_strategy_spends_the_path_budget_on_capacity() {
    let mut arcs = Vec::new();
    for i in 2..18 {
        arcs.push((0, i, 1));
        arcs.push((i, 1, 1));
    }
    arcs.extend([(0, 18, 1000), (18, 19, 1000), (19, 1, 1000)]);
    let g = graph(20, &arcs);
    let c = Constraints::default();
    assert_eq!(
        greedy_no_undo(&g, NodeId(0), NodeId(1), u64::MAX, 6, 16),
        16
    );
    let mut router = Router::new();
    let p = router.preview(&g, NodeId(0), NodeId(1), &c).unwrap();
    assert_eq!(
        p.max_amount, 1015,
        "1,000 on the 3-hop path and 15 one-unit paths"
    );
    assert!(router.last_stats().widest_paths > 0);
    let r = ok_route(&g, 0, 1, 1015, &c);
    assert_eq!(r.paths.len(), 16);
    assert_eq!(insufficient(&g, 0, 1, 1016, &c), 1015);
    // Small payments still take the fewest-hop path.
    assert_eq!(node_paths(&ok_route(&g, 0, 1, 1, &c)), vec![vec![0, 2, 1]]);
}

/// A tiny work budget bounds the call and keeps preview and route consistent with each other.
#[test]
fn work_budget_bounds_the_call_and_keeps_preview_honest() {
    let mut arcs = Vec::new();
    // A 60-node ladder: many parallel 3-hop paths 0→a→b→1 of capacity 2.
    for i in 0..30 {
        let (a, b) = (2 + 2 * i, 3 + 2 * i);
        arcs.extend([(0, a, 2), (a, b, 2), (b, 1, 2)]);
    }
    let g = graph(62, &arcs);
    let c = Constraints::default();
    let full = Router::new().preview(&g, NodeId(0), NodeId(1), &c).unwrap();
    assert_eq!(full.max_amount, 32, "16 paths of 2");
    let mut small = Router::new().with_work_budget(40);
    let p = small.preview(&g, NodeId(0), NodeId(1), &c).unwrap();
    assert!(small.last_stats().budget_exhausted);
    assert!(p.max_amount < full.max_amount);
    match small.route(&g, NodeId(0), NodeId(1), p.max_amount + 1, &c) {
        Err(RoutingError::InsufficientCapacity { found, .. }) => assert_eq!(found, p.max_amount),
        other => panic!("expected a refusal, got {other:?}"),
    }
    if p.max_amount > 0 {
        let r = small
            .route(&g, NodeId(0), NodeId(1), p.max_amount, &c)
            .unwrap();
        check_route(&g, NodeId(0), NodeId(1), p.max_amount, &c, &r).unwrap();
    }
}
