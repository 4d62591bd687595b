//! Discovery, registration, login, profile and automatic token renewal against a real hub.

mod support;

use std::time::Duration;

use geo_client::{GeoError, HubClient, Identity, ParticipantKind, Profile};
use geo_protocol::ErrorCode;
use support::TestHub;

both_backends!(
    register_login_and_expired_tokens_are_renewed,
    |backend| async move {
        // Access tokens live one second, so the test sees them expire.
        let hub = TestHub::start_with(backend, |s| s.access_token_ttl_seconds = 1).await;
        let alice = hub.client().await;
        assert_eq!(alice.hub().pid, hub.hub_pid(), "discovery names the hub");
        assert_eq!(alice.clock_offset(), 0, "same clock as the in-process hub");
        let me = alice
            .register("Alice", ParticipantKind::Person, None)
            .await
            .unwrap();
        assert_eq!(me.pid, alice.pid());
        assert_eq!(me.display_name, "Alice");
        let first = alice.token_generation();
        assert_eq!(first, 1, "registration logs in");

        // Registering twice is a typed refusal.
        let again = alice
            .register("Alice", ParticipantKind::Person, None)
            .await
            .unwrap_err();
        assert_eq!(again.hub_code(), Some(ErrorCode::AlreadyExists), "{again}");

        tokio::time::sleep(Duration::from_millis(2100)).await;
        // The token expired: the SDK refreshes it and the call succeeds.
        let profile = alice.profile().await.unwrap();
        assert_eq!(profile.pid, alice.pid());
        assert!(alice.token_generation() > first, "tokens were renewed");

        // A clone shares the session; concurrent calls after expiry renew once and all succeed.
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let before = alice.token_generation();
        let clones: Vec<HubClient> = (0..4).map(|_| alice.clone()).collect();
        let results = futures_util::future::join_all(clones.iter().map(|c| c.equivalents())).await;
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        let results = futures_util::future::join_all(clones.iter().map(|c| c.profile())).await;
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_eq!(alice.token_generation(), before + 1, "one renewal for all");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_update_and_lookup() {
    let hub = TestHub::start(support::Backend::Sqlite).await;
    let alice = hub.participant("Alice").await;
    let bob = hub.participant("Bob").await;
    let mut profile = Profile::default();
    profile.0.insert("city".into(), "Kyiv".into());
    let p = alice
        .update_profile(Some("Alice K".into()), Some(profile))
        .await
        .unwrap();
    assert_eq!(p.display_name, "Alice K");
    let seen = bob.participant(&alice.pid()).await.unwrap();
    assert_eq!(seen.profile.0.get("city").map(String::as_str), Some("Kyiv"));
    let eq = bob.equivalents().await.unwrap();
    assert_eq!(eq.len(), 1);
    assert_eq!((eq[0].code.as_str(), eq[0].precision), ("UAH", 2));
    // An invalid name is refused by the hub with its stable code.
    let e = alice
        .update_profile(Some(" padded ".into()), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E_VALIDATION", "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_lost_in_a_hub_restart_are_replaced() {
    let mut hub = TestHub::start(support::Backend::Sqlite).await;
    let alice = hub.participant("Alice").await;
    let g = alice.token_generation();
    hub.restart().await;
    // Access tokens live in the hub's memory: after a restart the SDK refreshes (refresh tokens are
    // durable) and carries on.
    alice.profile().await.unwrap();
    assert!(alice.token_generation() > g);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_hub_that_differs_is_refused() {
    let hub = TestHub::start(support::Backend::Sqlite).await;
    let elsewhere = Identity::generate().pid();
    let e = HubClient::builder(&hub.url, Identity::generate())
        .expect_hub(elsewhere)
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(e, GeoError::InvalidSignature { .. }), "{e}");
    // The right pin connects.
    HubClient::builder(&hub.url, Identity::generate())
        .expect_hub(hub.hub_pid())
        .connect()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_hubs_and_unknown_participants_are_typed() {
    let hub = TestHub::start(support::Backend::Sqlite).await;
    // Not registered: login is refused with the hub's code.
    let stranger = hub.client().await;
    let e = stranger.balance().await.unwrap_err();
    assert_eq!(e.code(), "E_UNKNOWN_PARTICIPANT", "{e}");
    // Nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = HubClient::builder(&format!("http://127.0.0.1:{port}"), Identity::generate())
        .retry(geo_client::RetryPolicy {
            attempts: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(10),
        })
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(e, GeoError::Transport { .. }), "{e}");
    assert!(e.is_retryable());
}
