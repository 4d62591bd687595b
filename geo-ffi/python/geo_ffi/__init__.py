"""GEO mutual credit for Python: the uniffi-generated bindings of the Rust SDK (maturin puts them in
the ``geo_ffi.geo_ffi`` subpackage; re-exported here whole) plus thin Python conveniences the generator cannot add:

- async iteration: ``async for event in client.events(after)`` and ``async for p in client.history(f)``
  (over ``EventStream.next()`` / ``PaymentHistory.next()``; ``await client.events(after)`` still gives
  the ``EventStream`` itself);
- exact amounts as ``decimal.Decimal``: ``to_decimal(text)`` and ``amount_text(value, precision)``,
  which refuses floats (and too many decimals) with ``GeoError.Validation`` code ``E_INVALID_AMOUNT``.
"""

from decimal import Decimal, InvalidOperation

from .geo_ffi import geo_ffi as _generated
from .geo_ffi import *  # noqa: F401,F403  (the whole generated surface)
from .geo_ffi import EventStream, GeoError, HubClient, PaymentHistory, parse_amount

__all__ = list(_generated.__all__) + ["Events", "to_decimal", "amount_text"]


async def _stream_anext(self):
    item = await self.next()
    if item is None:
        raise StopAsyncIteration
    return item


def _self(self):
    return self


# uniffi cannot generate dunder methods; the async-iterator protocol over next() is added here.
EventStream.__aiter__ = _self
EventStream.__anext__ = _stream_anext
PaymentHistory.__aiter__ = _self
PaymentHistory.__anext__ = _stream_anext


class Events:
    """What ``HubClient.events(after)`` returns: awaiting it gives the ``EventStream``; iterating it
    with ``async for`` opens the stream on first use and yields each ``Event`` until it ends."""

    def __init__(self, opening):
        self._opening = opening
        self._stream = None

    async def stream(self):
        """The underlying ``EventStream`` (opened once)."""
        if self._stream is None:
            self._stream = await self._opening
        return self._stream

    def __await__(self):
        return self.stream().__await__()

    def __aiter__(self):
        return self

    async def __anext__(self):
        return await _stream_anext(await self.stream())

    async def cancel(self):
        """Ends the subscription (a later iteration stops)."""
        await (await self.stream()).cancel()


_generated_events = HubClient.events


def _events(self, after=0):
    return Events(_generated_events(self, after))


_events.__doc__ = _generated_events.__doc__
HubClient.events = _events


def _invalid(detail):
    return GeoError.Validation(code="E_INVALID_AMOUNT", detail=detail, is_retryable=False)


def to_decimal(text):
    """An amount's exact decimal text (``"10.50"``, or a signed net ``"-3.00"``) as a ``Decimal``."""
    if not isinstance(text, str):
        raise _invalid("an amount is decimal text, not %s" % type(text).__name__)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _invalid("not a decimal amount: %r" % text) from None
    if not value.is_finite():
        raise _invalid("not a finite amount: %r" % text)
    return value


def amount_text(value, precision=None):
    """A ``Decimal`` (or ``int``, or decimal text) as the amount text the bindings take. With the
    equivalent's ``precision``, the canonical text (``Decimal("1.5")`` at 2 -> ``"1.50"``); more
    decimals than that are refused. Floats are refused: they cannot hold amounts exactly."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise _invalid("amounts are Decimal, int or decimal text, never %s (%r)"
                       % (type(value).__name__, value))
    if isinstance(value, str):
        value = to_decimal(value)
    value = Decimal(value)
    if not value.is_finite() or value.is_signed():
        raise _invalid("an amount is finite and not negative: %s" % value)
    text = format(value, "f")
    if precision is None:
        return text
    return parse_amount(text, precision).canonical
