// A small community end to end through the Swift bindings (the story of examples/rust/community.rs).
// Generated with geo-ffi/build-bindings.sh; NOT compiled in CI: no Swift compiler exists on our CI
// machines (geo-ffi/tests/check_swift.py checks the generated Swift instead). Build it on a Mac with
// the XCFramework (README, "Bindings").
import Foundation
import GeoFFI

func connect(_ url: String, _ identity: Identity) async throws -> HubClient {
    try await HubClientBuilder(url: url, identity: identity)
        .requestTimeoutMs(millis: 10_000)
        .retryPolicy(policy: RetryPolicy(attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000))
        .connect()
}

func net(_ client: HubClient) async throws -> Decimal {
    let b = try await client.balance().first { $0.equivalent == "UAH" }
    return Decimal(string: b?.net ?? "0")!
}

func community(url: String, adminToken: String) async throws {
    _ = try await AdminClient(url: url, adminToken: adminToken)
        .setEquivalent(code: "UAH", precision: 2, description: "Ukrainian hryvnia")
    let aliceKey = Identity.generate()
    let alice = try await connect(url, aliceKey)
    let bob = try await connect(url, Identity.generate())
    let carol = try await connect(url, Identity.generate())
    for (who, name) in [(alice, "Alice"), (bob, "Bob"), (carol, "Carol")] {
        _ = try await who.register(displayName: name, kind: .person, profile: ["city": "Kyiv"])
    }
    _ = try await bob.setTrustLine(debtor: alice.pid(), equivalent: "UAH", limit: "100", policy: nil)
    _ = try await carol.setTrustLine(debtor: bob.pid(), equivalent: "UAH", limit: "100", policy: nil)
    _ = try await alice.setTrustLine(debtor: carol.pid(), equivalent: "UAH", limit: "100", policy: nil)
    let events = await alice.events(after: 0)

    let receipt = try await alice.pay(order: PaymentOrder(
        payee: carol.pid(), equivalent: "UAH", amount: "30", description: "vegetables", constraints: nil))
    print("Alice paid Carol \(receipt.amount) UAH over \(receipt.routes[0].path.count - 1) hops")

    do {
        _ = try await alice.pay(order: PaymentOrder(
            payee: carol.pid(), equivalent: "UAH", amount: "1000", description: nil, constraints: nil))
    } catch let GeoError.Hub(code, detail, isRetryable, _, _, _) {
        print("refused: \(code) (\(detail), retryable: \(isRetryable))")
    }

    // A lost answer: the same signed payment sent twice is applied once.
    let signed = try bob.signPayment(order: PaymentOrder(
        payee: alice.pid(), equivalent: "UAH", amount: "5", description: nil, constraints: nil))
    _ = try await bob.submitPayment(signed: signed)
    _ = try await bob.submitPayment(signed: signed)

    _ = try await carol.pay(order: PaymentOrder(
        payee: alice.pid(), equivalent: "UAH", amount: "20", description: nil, constraints: nil))
    // The stream as an AsyncSequence (geo-ffi/swift/GeoExtensions.swift).
    for try await event in events.events {
        if case let .clearingCommitted(_, _, edges, _) = event.kind {
            print("cleared \(edges.count) debts of the cycle")
            break
        }
    }
    await events.cancel()

    let restored = try await connect(url, try Identity.fromPhrase(phrase: aliceKey.phrase()))
    _ = try await restored.pay(order: PaymentOrder(
        payee: bob.pid(), equivalent: "UAH", amount: "1.50", description: nil, constraints: nil))
    for (who, name) in [(alice, "Alice"), (bob, "Bob"), (carol, "Carol")] {
        print("\(name): net \(try await net(who)) UAH")
    }
}
