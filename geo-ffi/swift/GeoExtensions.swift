// Hand-written conveniences over the generated Swift bindings (GeoFFI.swift); build-bindings.sh
// copies this file next to them. NOT compiled on our CI machines (no Swift compiler exists there):
// geo-ffi/tests/check_swift.py only confirms that every generated name it uses exists.

import Foundation

/// The live events as an `AsyncSequence` over `EventStream.next()`:
/// `for try await event in stream.events { … }`; it ends when the stream ends.
public struct EventSequence: AsyncSequence {
    public typealias Element = Event

    /// The stream read from (one position: a second loop continues where the first stopped).
    public let stream: EventStream

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: EventStream

        public mutating func next() async throws -> Event? {
            try await stream.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: stream)
    }
}

/// The payment history as an `AsyncSequence` over `PaymentHistory.next()`, newest first.
public struct PaymentSequence: AsyncSequence {
    public typealias Element = Payment

    /// The pager read from.
    public let pager: PaymentHistory

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pager: PaymentHistory

        public mutating func next() async throws -> Payment? {
            try await pager.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pager: pager)
    }
}

extension EventStream {
    /// `for try await event in stream.events`.
    public var events: EventSequence { EventSequence(stream: self) }
}

extension PaymentHistory {
    /// `for try await payment in pager.payments`.
    public var payments: PaymentSequence { PaymentSequence(pager: self) }
}

/// The typed refusal of an amount the helpers cannot take exactly.
private func invalidAmount(_ detail: String) -> GeoError {
    GeoError.Validation(code: "E_INVALID_AMOUNT", detail: detail, isRetryable: false)
}

private let posix = Locale(identifier: "en_US_POSIX")

extension Decimal {
    /// An amount's exact decimal text (`"10.50"`, or a signed net `"-3.00"`) as a `Decimal`.
    public init(amount text: Amount) throws {
        guard !text.isEmpty, text.allSatisfy({ "0123456789.-".contains($0) }),
              let value = Decimal(string: text, locale: posix), !value.isNaN
        else { throw invalidAmount("not a decimal amount: \(text)") }
        self = value
    }

    /// The canonical amount text at the equivalent's `precision` (`1.5` at 2 is `"1.50"`); more
    /// decimals than that, or a negative value, give `GeoError.Validation` (`E_INVALID_AMOUNT`).
    /// There is deliberately no `Double` overload: floats cannot hold amounts exactly.
    public func amountText(precision: UInt8) throws -> Amount {
        guard isFinite, !isNaN, self >= 0 else { throw invalidAmount("not an amount: \(self)") }
        let text = NSDecimalNumber(decimal: self).description(withLocale: posix)
        return try parseAmount(text: text, precision: precision).canonical
    }
}
