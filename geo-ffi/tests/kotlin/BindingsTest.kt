// The Kotlin bindings on the JVM: the spec's vectors, bad input as typed exceptions, and the
// community story (examples/kotlin/Community.kt) against a live reference hub started here.
// Usage: BindingsTest <repo root> <path to geo-hub>. Prints "N passed, 0 failed"; exits 1 on failure.
package org.geo.test

import java.io.File
import java.math.BigDecimal
import java.nio.file.Files
import kotlin.system.exitProcess
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.geo.*
import org.geo.example.community

var passed = 0
var failed = 0

fun check(ok: Boolean, what: () -> String) {
    if (ok) passed++ else { failed++; println("FAIL ${what()}") }
}

/** The E_ code of the GeoException [block] throws, or null when it returns. */
inline fun errorCode(block: () -> Unit): String? =
    try { block(); null } catch (e: GeoException) { e.errorCode }

/** A minimal JSON reader (objects, arrays, strings, numbers, literals): enough for spec/vectors. */
class Json(private val s: String) {
    private var i = 0
    fun parse(): Any? { val v = value(); ws(); require(i == s.length) { "trailing text at $i" }; return v }
    private fun ws() { while (i < s.length && s[i].isWhitespace()) i++ }
    private fun value(): Any? {
        ws()
        return when (s[i]) {
            '{' -> { i++; val m = LinkedHashMap<String, Any?>(); ws()
                if (s[i] == '}') { i++; return m }
                while (true) { ws(); val k = str(); ws(); i++; m[k] = value(); ws()
                    if (s[i++] == '}') return m } ; @Suppress("UNREACHABLE_CODE") m }
            '[' -> { i++; val l = ArrayList<Any?>(); ws()
                if (s[i] == ']') { i++; return l }
                while (true) { l.add(value()); ws(); if (s[i++] == ']') return l } ; @Suppress("UNREACHABLE_CODE") l }
            '"' -> str()
            't' -> { i += 4; true }
            'f' -> { i += 5; false }
            'n' -> { i += 4; null }
            else -> { val st = i; while (i < s.length && (s[i] == '-' || s[i] == '+' || s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i].isDigit())) i++
                BigDecimal(s.substring(st, i)) }
        }
    }
    private fun str(): String {
        val b = StringBuilder(); i++
        while (s[i] != '"') {
            if (s[i] == '\\') {
                i++
                when (s[i]) {
                    'n' -> b.append('\n'); 't' -> b.append('\t'); 'r' -> b.append('\r')
                    'b' -> b.append('\b'); 'f' -> b.append('\u000c')
                    'u' -> { b.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
                    else -> b.append(s[i])
                }
                i++
            } else b.append(s[i++])
        }
        i++
        return b.toString()
    }
}

@Suppress("UNCHECKED_CAST") fun Any?.obj() = this as Map<String, Any?>
@Suppress("UNCHECKED_CAST") fun Any?.arr() = this as List<Any?>
fun Any?.str() = this as String
fun Any?.int() = (this as BigDecimal).toInt()

fun hex(text: String) = ByteArray(text.length / 2) { text.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

fun vectors(root: File) {
    fun load(name: String) = Json(File(root, "spec/vectors/$name").readText()).parse().obj()
    val ident = load("identity.json")
    for (k in ident["keys"].arr().map { it.obj() }) {
        val me = Identity.fromSeed(hex(k["seed_hex"].str()))
        check(me.publicKey() == k["public_key"]) { "identity ${k["name"]} public key" }
        check(me.pid() == k["pid"]) { "identity ${k["name"]} pid" }
        check(pidOfPublicKey(k["public_key"].str()) == k["pid"]) { "pid of key ${k["name"]}" }
        check(me.phrase() == k["mnemonic"]) { "identity ${k["name"]} phrase" }
        check(Identity.fromPhrase(k["mnemonic"].str()).pid() == k["pid"]) { "phrase restores ${k["name"]}" }
    }
    for (c in ident["invalid_public_keys"].arr().map { it.obj() }) {
        check(errorCode { pidOfPublicKey(c["public_key"].str()) } != null) { "invalid key accepted: ${c["why"]}" }
    }
    val someKey = ident["keys"].arr()[0].obj()["public_key"].str()
    for (c in ident["invalid_pids"].arr().map { it.obj() }) {
        val code = errorCode { MessageVerifier(someKey, "2026-11-24T10:00:00Z", c["pid"].str(), 600, 60) }
        check(code == "E_VALIDATION") { "invalid pid ${c["pid"]} (${c["why"]}): $code" }
    }
    for (c in load("amounts.json")["cases"].arr().map { it.obj() }) {
        val where = "amount ${c["text"]} p=${c["precision"]}"
        try {
            val v = parseAmount(c["text"].str(), c["precision"].int().toUByte())
            check(!c.containsKey("error") && v.minorUnits.toString() == c["minor_units"] && v.canonical == c["canonical"]) { "$where -> ${v.minorUnits} ${v.canonical}" }
            check(v.canonical.toAmount() == BigDecimal(c["canonical"].str())) { "$where as BigDecimal" }
        } catch (e: GeoException) {
            check(c.containsKey("error") && e.errorCode == "E_INVALID_AMOUNT") { "$where refused with ${e.errorCode}" }
        }
    }
    val msgs = load("messages.json")
    for ((i, c) in msgs["cases"].arr().map { it.obj() }.withIndex()) {
        val signer = Identity.fromSeed(hex(c["signer_seed_hex"].str()))
        val signing = hex(c["signing_bytes_hex"].str())
        check(signer.sign(signing) == c["signature"]) { "messages[$i] ${c["type"]} signature" }
        check(verifySignature(c["signer_public_key"].str(), signing, c["signature"].str())) { "messages[$i] verifies" }
        check(!signer.verify(signing + byteArrayOf(32), c["signature"].str())) { "messages[$i] other bytes" }
        val audience = c["unsigned"].obj()["audience"] as String?
        val v = MessageVerifier(c["signer_public_key"].str(), msgs["now"].str(), audience, 600, 60)
        check(errorCode { v.verify(c["type"].str(), c["signed_json"].str()) } == null) { "messages[$i] ${c["type"]} verifies" }
    }
    for (s in load("verification.json")["scenarios"].arr().map { it.obj() }) {
        val vf = s["verifier"].obj()
        val v = MessageVerifier(vf["public_key"] as String?, vf["now"].str(), vf["audience"] as String?,
            (vf["max_validity_seconds"] ?: BigDecimal(600)).int().toLong(),
            (vf["max_clock_skew_seconds"] ?: BigDecimal(60)).int().toLong())
        for ((j, st) in s["steps"].arr().map { it.obj() }.withIndex()) {
            val code = errorCode { v.verify(s["expected_type"].str(), st["json"].str()) }
            check((code ?: "ok") == st["expect"]) { "verification ${s["name"]} step $j: $code, expected ${st["expect"]}" }
        }
    }
}

/** The spec's invoice vectors, then sign -> link -> read with every refusal typed. */
fun invoices(root: File) {
    val v = Json(File(root, "spec/vectors/invoices.json").readText()).parse().obj()
    val sg = v["signed"].obj()
    val want = sg["invoice"].obj()
    val inv = readInvoice(sg["link"].str(), want["hub"].str(), want["created_at"].str())
    check(inv.invoiceId == want["invoice_id"] && inv.payee == want["payee"] && inv.hub == want["hub"] &&
        inv.amount == want["amount"] && inv.description == want["description"] &&
        inv.expiresAt == want["expires_at"] && inv.uri == sg["link"]) { "invoice vector read: $inv" }
    for (c in v["cases"].arr().map { it.obj() }) {
        val code = errorCode { readInvoice(c["link"].str(), c["expected_hub"] as String?, c["now"].str()) }
        check((code ?: "ok") == c["expect"]) { "invoice ${c["name"]}: $code, expected ${c["expect"]}" }
    }
    val payee = Identity.generate()
    val hub = Identity.generate().pid()
    val later = java.time.Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
    val order = InvoiceOrder(hub = hub, equivalent = "UAH", amount = "7.25", description = "eggs", expiresAt = later.toString())
    val made = signInvoice(payee, order)
    check(made.uri.startsWith("geo:invoice?m=") && made.payee == payee.pid()) { "signed $made" }
    check(readInvoice(made.uri, hub) == made) { "read back equal" }
    check(readInvoice(made.uri) == made) { "read with no expected hub" }
    val text = String(java.util.Base64.getUrlDecoder().decode(made.uri.removePrefix("geo:invoice?m=")))
    val tampered = "geo:invoice?m=" + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(text.replace("\"7.25\"", "\"0.25\"").toByteArray())
    check(errorCode { readInvoice(tampered) } == "E_INVALID_SIGNATURE") { "tampered invoice" }
    check(errorCode { readInvoice(made.uri, Identity.generate().pid()) } == "E_WRONG_AUDIENCE") { "other hub" }
    check(errorCode { readInvoice(made.uri, null, later.plusSeconds(1).toString()) } == "E_EXPIRED") { "expired" }
    check(errorCode { readInvoice("geo:50.45,30.52") } == "E_MALFORMED") { "a location is not an invoice" }
    check(errorCode { signInvoice(payee, order.copy(amount = "0")) } == "E_INVALID_AMOUNT") { "zero invoice" }
    check(errorCode { signInvoice(payee, order.copy(expiresAt = "2020-01-01T00:00:00Z")) } == "E_VALIDITY_TOO_LONG") { "past expiry" }
}

suspend fun invoiceStory(url: String) {
    val shop = HubClientBuilder(url, Identity.generate()).connect()
    shop.register("Shop", ParticipantKind.BUSINESS, null)
    val customer = HubClientBuilder(url, Identity.generate()).connect()
    customer.register("Customer", ParticipantKind.PERSON, null)
    shop.setTrustLine(customer.pid(), "UAH", "50", null)
    val invoice = shop.signInvoice("UAH", "12.5", "honey", 600u)
    check(invoice.hub == shop.hubPid() && invoice.payee == shop.pid()) { "invoice at this hub: $invoice" }
    val elsewhere = signInvoice(Identity.generate(), InvoiceOrder(hub = Identity.generate().pid(),
        equivalent = "UAH", amount = "1", expiresAt = invoice.expiresAt))
    val code = try { customer.payInvoice(elsewhere.uri); null } catch (e: GeoException) { e.errorCode }
    check(code == "E_WRONG_AUDIENCE") { "another hub's invoice: $code" }
    val receipt = customer.payInvoice(invoice.uri)
    check(receipt.amount == "12.50" && receipt.payee == shop.pid()) { "paid $receipt" }
    val record = shop.payment(receipt.txId)
    check(record.payment.description == "honey" && record.payment.invoiceId == invoice.invoiceId) {
        "the shop sees the invoice paid: ${record.payment}"
    }
}

fun badInput() {
    check(errorCode { parseAmount("1.234", 2u) } == "E_INVALID_AMOUNT") { "1.234 at p=2" }
    for (t in listOf("-1", "NaN", "Infinity", "1e3", " 1", "")) {
        check(errorCode { parseAmount(t, 2u) } == "E_INVALID_AMOUNT") { "amount '$t'" }
    }
    check(errorCode { Identity.fromPhrase("") } != null) { "empty phrase" }
    val words = Identity.generate().phrase().split(" ").toMutableList()
    words[5] = "zzzz"
    check(errorCode { Identity.fromPhrase(words.joinToString(" ")) } != null) { "wrong word" }
    check(errorCode { Identity.fromSeed(ByteArray(5)) } == "E_VALIDATION") { "short seed" }
    val kf = Identity.generate().toKeyFile("a long passphrase")
    check(errorCode { Identity.fromKeyFile(kf, "wrong") } == "E_WRONG_PASSWORD") { "key file password" }
    check(errorCode { HubClientBuilder("http://127.0.0.1:9", Identity.generate()).expectHub("not-a-pid") } == "E_VALIDATION") { "bad pinned PID" }
}

suspend fun badInputLive(url: String) {
    val client = HubClientBuilder(url, Identity.generate()).connect()
    client.register("Dora", ParticipantKind.PERSON, null)
    val eve = HubClientBuilder(url, Identity.generate()).connect()
    eve.register("Eve", ParticipantKind.PERSON, null)
    val other = eve.pid()
    suspend fun code(block: suspend () -> Unit): String? = try { block(); null } catch (e: GeoException) { e.errorCode }
    check(code { client.pay(PaymentOrder(payee = "0OIl", equivalent = "UAH", amount = "1")) } == "E_VALIDATION") { "pay to an invalid PID" }
    check(code { client.pay(PaymentOrder(payee = other, equivalent = "UAH", amount = "-5")) } == "E_INVALID_AMOUNT") { "negative amount" }
    check(code { client.setTrustLine(other, "UAH", "NaN", null) } == "E_INVALID_AMOUNT") { "NaN amount" }
    check(code { client.setTrustLine(other, "UAH", "1.234", null) } == "E_INVALID_AMOUNT") { "1.234 at precision 2" }

    // The history pager as a Flow (GeoExtensions.kt), one payment per page: newest first.
    eve.setTrustLine(client.pid(), "UAH", "50", null)
    for (amount in listOf("3", "4.25")) client.pay(PaymentOrder(payee = other, equivalent = "UAH", amount = amount))
    val history = client.history(HistoryFilter(limit = 1u)).asFlow().toList()
    check(history.map { it.amount.toAmount() } == listOf(BigDecimal("4.25"), BigDecimal("3.00"))) {
        "history as a Flow: ${history.map { it.amount }}"
    }
}

/** Starts geo-hub on [listen] with its data in [data] and further [settings] (flags); the process
 *  and its URL. */
fun startHub(binary: String, data: File, vararg settings: String, listen: String = "127.0.0.1:0"): Pair<Process, String> {
    val hub = ProcessBuilder(binary, "--listen", listen, "--data-dir", data.path, *settings)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start()
    val out = hub.inputStream.bufferedReader()
    var line = ""
    while (!line.contains("listening on")) line = out.readLine() ?: run { hub.destroy(); error("geo-hub did not start") }
    // Keep reading its log so the pipe never fills up and blocks the hub.
    Thread { runCatching { out.forEachLine { } } }.apply { isDaemon = true }.start()
    return hub to line.substringAfter("listening on ").substringBefore(" ")
}

fun main(args: Array<String>) {
    val root = File(args[0])
    vectors(root)
    invoices(root)
    badInput()
    val data = Files.createTempDirectory("geo-hub-kotlin").toFile()
    val (hub, url) = startHub(args[1], data)
    try {
        val token = File(data, "admin.token").readText().trim()
        runBlocking {
            val seen = community(url, token)
            check(seen.path.size == 3) { "two-hop path ${seen.path}" }
            check(seen.refused == "E_INSUFFICIENT_CAPACITY") { "refused with ${seen.refused}" }
            check(seen.resentSameTx) { "resent payment answered with the same tx" }
            check(seen.bobMoved.compareTo(BigDecimal("5")) == 0) { "resent payment moved ${seen.bobMoved}, not 5" }
            check(seen.cleared.size == 3 && seen.cleared.all { it.signum() > 0 }) { "cycle cleared ${seen.cleared}" }
            check(seen.restoredPays) { "restored key pays" }
            check(seen.nets.fold(BigDecimal.ZERO, BigDecimal::add).signum() == 0) { "nets sum to zero ${seen.nets}" }
            badInputLive(url)
            invoiceStory(url)
        }
    } finally {
        hub.destroy()
        hub.waitFor()
        data.deleteRecursively()
    }
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
