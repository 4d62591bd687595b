// The Kotlin bindings across two linked hubs (spec/federation.md) on the JVM: a member of hub A pays
// a member of hub B named by its geo:participant address and gets both hubs' receipts, each verified
// with its hub's key; a peer receipt tampered with or under another key is a typed
// E_INVALID_SIGNATURE; the payment read back carries B's receipt; a capacity preview to the geo:
// address says what both hubs carry; more than the inter-hub line carries is refused, changing nothing.
// Usage: CrossHubTest <path to geo-hub>. Prints "N passed, 0 failed"; exits 1 on failure.
package org.geo.test

import java.io.File
import java.math.BigDecimal
import java.net.ServerSocket
import java.net.URLEncoder
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.security.SecureRandom
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking
import org.geo.*
import org.geo.example.connect
import org.geo.example.net

fun freePort(): Int = ServerSocket(0).use { it.localPort }

/** The geo:participant address of [pid] at the hub on [port] (federation.md §2). */
fun address(port: Int, pid: String): String =
    "geo:participant?hub=" + URLEncoder.encode("http://127.0.0.1:$port", "UTF-8") + "&pid=$pid"

/** Hub [name] with key [seed] on [port], linked to the hub [peerPid] on [peerPort]. */
fun startLinked(binary: String, folder: File, name: String, seed: ByteArray, port: Int, peerPort: Int, peerPid: String): Pair<Process, String> {
    val data = File(folder, name).apply { mkdir() }
    val key = File(data, "hub.key")
    Files.createFile(key.toPath(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
    key.writeText(seed.joinToString("") { "%02x".format(it) })
    val (hub, url) = startHub(binary, data, "--hub-key-file", key.path, "--federation-links", address(peerPort, peerPid),
        "--federation-margin-seconds", "2", "--clearing-interval-seconds", "0", listen = "127.0.0.1:$port")
    runBlocking { AdminClient(url, File(data, "admin.token").readText().trim()).setEquivalent("UAH", 2u, "Ukrainian hryvnia") }
    return hub to url
}

suspend fun member(url: String, name: String): HubClient =
    connect(url, Identity.generate()).also { it.register(name, ParticipantKind.PERSON, null) }

suspend fun payAcross(urlA: String, urlB: String, ka: Identity, kb: Identity, portB: Int) {
    // Each hub registers at the other as kind hub; both operators sign both inter-hub lines.
    val (aAtA, bAtB) = connect(urlA, ka) to connect(urlB, kb)
    val (aAtB, bAtA) = connect(urlB, ka) to connect(urlA, kb)
    aAtA.login()
    bAtB.login()
    aAtB.register("A", ParticipantKind.HUB, null)
    bAtA.register("B", ParticipantKind.HUB, null)
    for ((creditor, debtor) in listOf(aAtA to kb, bAtA to ka, bAtB to ka, aAtB to kb)) {
        creditor.setTrustLine(debtor.pid(), "UAH", "50", null)
    }
    val alice = member(urlA, "Alice")
    val bob = member(urlB, "Bob")
    aAtA.setTrustLine(alice.pid(), "UAH", "100", null)
    bob.setTrustLine(kb.pid(), "UAH", "100", null)

    val bobAddress = address(portB, bob.pid())
    val receipt = alice.pay(PaymentOrder(payee = bobAddress, equivalent = "UAH", amount = "10"))
    check(receipt.status == PaymentState.COMMITTED && receipt.amount == "10.00") { "committed: $receipt" }
    check(receipt.payer == alice.pid() && receipt.payee == kb.pid()) { "A's part: Alice to B: $receipt" }
    val peer = receipt.peerReceipt
    check(peer != null) { "B's receipt comes with A's" }
    if (peer == null) return
    check(peer.payer == ka.pid() && peer.payee == bob.pid()) { "B's part: A to Bob: $peer" }
    check(peer.txId == receipt.txId && peer.amount == "10.00" && peer.status == PaymentState.COMMITTED) { "same payment: $peer" }
    // Each receipt is the message its own hub signed, independently of the SDK's check.
    val now = receipt.decidedAt
    for ((key, text) in listOf(ka to receipt.json, kb to peer.json)) {
        val v = MessageVerifier(key.publicKey(), now, null, 600, 60)
        check(errorCode { v.verify("payment_receipt", text) } == null) { "signed by ${key.pid()}" }
    }
    check(errorCode { MessageVerifier(ka.publicKey(), now, null, 600, 60).verify("payment_receipt", peer.json) } == "E_INVALID_SIGNATURE") {
        "B's receipt is not A's"
    }
    check(net(alice).compareTo(BigDecimal("-10")) == 0 && net(bob).compareTo(BigDecimal("10")) == 0) { "Alice owes 10, Bob is owed 10" }

    // A signed payment sent twice is paid once, both answers with both receipts; the hub's answer
    // verifies to the same receipts; B's receipt tampered with, or under a key that is not the payee
    // hub's, is a typed E_INVALID_SIGNATURE.
    val signed = alice.signPayment(PaymentOrder(payee = bobAddress, equivalent = "UAH", amount = "2"))
    val first = alice.submitPayment(signed)
    val again = alice.submitPayment(signed)
    check(first == again && first.receipt?.peerReceipt?.txId == signed.txId()) { "resent: the same outcome: $again" }
    val bobNet = net(bob)
    check(bobNet.compareTo(BigDecimal("12")) == 0) { "paid once: $bobNet" }
    val view = first.payment
    check(view.peerReceipt != null && view.peerHubKey == kb.publicKey()) { "the answer carries B's receipt and key" }
    check(alice.verifyPayment(view) == first.receipt) { "the answer verifies to the same receipts" }
    val tampered = view.copy(peerReceipt = view.peerReceipt!!.replace("\"2.00\"", "\"20.00\""))
    check(tampered.peerReceipt != view.peerReceipt) { "tampered text differs" }
    for ((what, bad) in listOf(
        "tampered" to tampered,
        "another key" to view.copy(peerHubKey = Identity.generate().publicKey()),
        "A's key" to view.copy(peerHubKey = ka.publicKey()),
        "no key" to view.copy(peerHubKey = null),
    )) {
        try {
            alice.verifyPayment(bad)
            check(false) { "$what peer receipt accepted" }
        } catch (e: GeoException.InvalidSignature) {
            check(e.errorCode == "E_INVALID_SIGNATURE") { "$what: ${e.errorCode}" }
        }
    }

    // The payment read back carries B's receipt too, verified by the SDK.
    val read = alice.payment(signed.txId())
    check(read.receipt?.peerReceipt != null && read.receipt?.peerReceipt == first.receipt?.peerReceipt) { "read back with B's receipt: $read" }

    // A capacity preview to Bob's geo: address: what both hubs carry (the line has 38 left).
    suspend fun code(block: suspend () -> Unit): String? = try { block(); null } catch (e: GeoException) { e.errorCode }
    val cap = alice.capacity(bobAddress, "UAH", "38")
    check(cap.payee == bob.pid() && cap.maxAmount == "38.00" && cap.canPay == true) { "capacity across: $cap" }
    val capMore = alice.capacity(bobAddress, "UAH", "38.01")
    check(capMore.canPay == false) { "one cent more cannot be paid: $capMore" }
    val unlinked = code { alice.capacity(address(9, bob.pid()), "UAH", null) }
    check(unlinked == "E_HUB_NOT_LINKED") { "capacity at an unlinked hub: $unlinked" }

    // More than the inter-hub line carries (50, 12 used): refused, nothing moves on either hub.
    val over = code { alice.pay(PaymentOrder(payee = bobAddress, equivalent = "UAH", amount = "39")) }
    check(over == "E_INSUFFICIENT_CAPACITY") { "over the line: $over" }
    check(net(alice).compareTo(BigDecimal("-12")) == 0 && net(bob).compareTo(BigDecimal("12")) == 0) { "the refusal changed nothing" }
    val lines = aAtB.debts("UAH").map { Triple(it.pid, it.iOwe, it.owesMe) }
    check(lines == listOf(Triple(kb.pid(), "12.00", "0.00"))) { "A owes B 12 at B, as before the refusal: $lines" }
    // A malformed address is refused before anything is sent.
    val malformed = code { alice.pay(PaymentOrder(payee = "geo:participant?hub=nope", equivalent = "UAH", amount = "1")) }
    check(malformed == "E_MALFORMED") { "malformed address: $malformed" }
}

fun main(args: Array<String>) {
    val random = SecureRandom()
    val (seedA, seedB) = ByteArray(32).also(random::nextBytes) to ByteArray(32).also(random::nextBytes)
    val (ka, kb) = Identity.fromSeed(seedA) to Identity.fromSeed(seedB)
    val (portA, portB) = freePort() to freePort()
    val folder = Files.createTempDirectory("geo-cross-hub-kotlin").toFile()
    try {
        val (a, urlA) = startLinked(args[0], folder, "a", seedA, portA, portB, kb.pid())
        try {
            val (b, urlB) = startLinked(args[0], folder, "b", seedB, portB, portA, ka.pid())
            try {
                runBlocking { payAcross(urlA, urlB, ka, kb, portB) }
            } finally {
                b.destroy()
                b.waitFor()
            }
        } finally {
            a.destroy()
            a.waitFor()
        }
    } finally {
        folder.deleteRecursively()
    }
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
