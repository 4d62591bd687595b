// Hand-written conveniences over the generated bindings (copied next to them by build-bindings.sh).
package org.geo

import java.math.BigDecimal
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** The stable machine code (`E_…`) of any [GeoException]. */
val GeoException.errorCode: String
    get() = when (this) {
        is GeoException.Hub -> code
        is GeoException.Transport -> code
        is GeoException.Timeout -> code
        is GeoException.InvalidResponse -> code
        is GeoException.InvalidSignature -> code
        is GeoException.Protocol -> code
        is GeoException.Validation -> code
        is GeoException.WrongPassword -> code
        is GeoException.KeyFileTampered -> code
        is GeoException.Storage -> code
        is GeoException.Crypto -> code
    }

/** Whether sending the same request again later may succeed. */
val GeoException.retryable: Boolean
    get() = when (this) {
        is GeoException.Hub -> isRetryable
        is GeoException.Transport -> isRetryable
        is GeoException.Timeout -> isRetryable
        is GeoException.InvalidResponse -> isRetryable
        is GeoException.InvalidSignature -> isRetryable
        is GeoException.Protocol -> isRetryable
        is GeoException.Validation -> isRetryable
        is GeoException.WrongPassword -> isRetryable
        is GeoException.KeyFileTampered -> isRetryable
        is GeoException.Storage -> isRetryable
        is GeoException.Crypto -> isRetryable
    }

/** An amount's exact decimal text as a [BigDecimal] (never a float). */
fun String.toAmount(): BigDecimal = BigDecimal(this)

/** A [BigDecimal] as amount text (`10.50`); the bindings refuse negative or too precise values. */
fun BigDecimal.toAmountText(): String = toPlainString()

/** The live events as a cold [Flow] over [EventStream.next]; it completes when the stream ends.
 *  Collecting it again continues where the last collection stopped (one stream, one position). */
fun EventStream.asFlow(): Flow<Event> = flow {
    while (true) emit(next() ?: break)
}

/** The payment history as a [Flow] over [PaymentHistory.next], newest first, fetched page by page. */
fun PaymentHistory.asFlow(): Flow<Payment> = flow {
    while (true) emit(next() ?: break)
}
