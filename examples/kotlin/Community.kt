// A small community end to end through the Kotlin bindings (the story of examples/rust/community.rs):
// three neighbours register, trust each other, pay across two hops, see a refused payment, resend a
// payment whose answer was lost without paying twice, watch a debt cycle cleared, and restore a key
// from its phrase that pays again. Run: see geo-ffi/tests/kotlin/run.sh.
package org.geo.example

import java.math.BigDecimal
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.geo.*

/** What the story saw, for the test to check. */
data class Seen(
    val path: List<String>,
    val refused: String?,
    val resentSameTx: Boolean,
    val bobMoved: BigDecimal,
    val cleared: List<BigDecimal>,
    val restoredPays: Boolean,
    val nets: List<BigDecimal>,
)

suspend fun connect(url: String, identity: Identity): HubClient =
    HubClientBuilder(url, identity)
        .requestTimeoutMs(10_000u)
        .retryPolicy(RetryPolicy(attempts = 3u, baseDelayMs = 100u, maxDelayMs = 1_000u))
        .connect()

/** Net position in UAH, exact. */
suspend fun net(client: HubClient): BigDecimal =
    client.balance().firstOrNull { it.equivalent == "UAH" }?.net?.toAmount() ?: BigDecimal.ZERO

suspend fun community(url: String, adminToken: String): Seen {
    AdminClient(url, adminToken).setEquivalent("UAH", 2u, "Ukrainian hryvnia")
    val aliceKey = Identity.generate()
    val alice = connect(url, aliceKey)
    val bob = connect(url, Identity.generate())
    val carol = connect(url, Identity.generate())
    for ((who, name) in listOf(alice to "Alice", bob to "Bob", carol to "Carol")) {
        who.register(name, ParticipantKind.PERSON, mapOf("city" to "Kyiv"))
        println("$name registered as ${who.pid()}")
    }
    // A trust line "X -> Y" lets Y owe X: Bob trusts Alice, Carol trusts Bob, Alice trusts Carol.
    bob.setTrustLine(alice.pid(), "UAH", "100", null)
    carol.setTrustLine(bob.pid(), "UAH", "100", null)
    alice.setTrustLine(carol.pid(), "UAH", "100", null)

    val events = alice.events(0u)

    // Alice pays Carol, whom she has no line with: the hub routes through Bob.
    val receipt = alice.pay(PaymentOrder(payee = carol.pid(), equivalent = "UAH", amount = BigDecimal("30").toAmountText(), description = "vegetables"))
    val path = receipt.routes[0].path
    println("Alice paid Carol ${receipt.amount} UAH over ${path.size - 1} hops (receipt verified)")

    // More than any chain of trust allows: refused, nothing changes.
    val refused = try {
        alice.pay(PaymentOrder(payee = carol.pid(), equivalent = "UAH", amount = "1000"))
        null
    } catch (e: GeoException) {
        println("refused: ${e.errorCode} (retryable: ${e.retryable})")
        e.errorCode
    }

    // A lost answer: the same signed payment sent twice is applied once.
    val before = net(bob)
    val signed = bob.signPayment(PaymentOrder(payee = alice.pid(), equivalent = "UAH", amount = "5"))
    val first = bob.submitPayment(signed)
    val again = bob.submitPayment(signed)
    val sameTx = first.payment.txId == again.payment.txId && first.payment.txId == signed.txId()
    val bobMoved = before - net(bob)
    println("Bob's payment ${signed.txId()} sent twice, his net moved by $bobMoved")

    // Carol pays Alice directly, closing a cycle the hub sets off at once.
    carol.pay(PaymentOrder(payee = alice.pid(), equivalent = "UAH", amount = "20"))
    // The stream as a Flow (GeoExtensions.kt): read until the cycle's clearing arrives.
    val committed = withTimeout(20_000) {
        events.asFlow()
            .onEach { println("event #${it.id}: ${it.kind::class.simpleName}") }
            .first { it.kind is EventKind.ClearingCommitted }
    }
    val cleared = (committed.kind as EventKind.ClearingCommitted).edges.map { it.amount.toAmount() }
    println("event #${committed.id}: cleared ${cleared.size} debts of the cycle")
    events.cancel()

    // Alice's key comes back from the 24 words, and pays again.
    val restored = connect(url, Identity.fromPhrase(aliceKey.phrase()))
    val paid = restored.pay(PaymentOrder(payee = bob.pid(), equivalent = "UAH", amount = "1.50"))
    println("restored Alice (${restored.pid()}) paid Bob ${paid.amount}")

    val nets = listOf(alice, bob, carol).map { net(it) }
    println("nets: $nets")
    return Seen(path, refused, sameTx, bobMoved, cleared, restored.pid() == alice.pid() && paid.amount == "1.50", nets)
}

fun main(args: Array<String>) = runBlocking {
    val url = args.getOrElse(0) { "http://127.0.0.1:8080" }
    val token = args.getOrElse(1) { "" }
    community(url, token)
    Unit
}
