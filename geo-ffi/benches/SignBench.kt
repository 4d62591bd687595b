// Signing through the Kotlin bindings: N calls of Identity.sign, µs per call (see sign_overhead.sh).
package org.geo.bench

import org.geo.Identity

fun main(args: Array<String>) {
    val n = args.getOrNull(0)?.toInt() ?: 20_000
    val me = Identity.fromSeed(ByteArray(32) { 7 })
    val message = ByteArray(200) { 0x42 }
    var last = ""
    repeat(5_000) { last = me.sign(message) } // JIT warm-up
    val start = System.nanoTime()
    repeat(n) { last = me.sign(message) }
    val perCall = (System.nanoTime() - start) / 1000.0 / n
    check(last.length == 88)
    println("kotlin sign: %.2f µs/call (%d calls)".format(perCall, n))
}
