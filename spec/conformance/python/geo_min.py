"""Minimal, independent implementation of GEO `geo/1` signing rules.

Written from spec/protocol.md alone (plus the member names/forms of spec/schemas/,
which §6 declares normative). Standard library + PyNaCl (+ `mnemonic` for BIP-39).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import datetime, timezone

import nacl.bindings
import nacl.exceptions
import nacl.signing

PROTOCOL = "geo/1"
TAG = b"GEO/1 signed message"

# ---------------------------------------------------------------------------
# §3 Identity: strict base64, Ed25519 point checks, PID, mnemonic
# ---------------------------------------------------------------------------

_B64_RE = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def b64_strict(text, length):
    """Standard padded base64 of exactly `length` bytes; re-encoding must give the same text
    (refuses missing padding, other alphabets, non-zero trailing bits, other lengths)."""
    if not isinstance(text, str) or not _B64_RE.fullmatch(text) or len(text) % 4:
        raise ValueError("not standard padded base64")
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as e:
        raise ValueError(str(e))
    if len(raw) != length:
        raise ValueError("decodes to %d bytes, want %d" % (len(raw), length))
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("non-canonical base64 (trailing bits)")
    return raw


def b64_encode(raw):
    return base64.b64encode(raw).decode("ascii")


# Edwards25519 arithmetic, only what the strict checks need.
_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
L = 2**252 + 27742317777372353535851937790883648493


def _decompress(b):
    """RFC 8032 §5.1.3 decoding; None if not the canonical encoding of a curve point."""
    n = int.from_bytes(b, "little")
    sign = n >> 255
    y = n & ((1 << 255) - 1)
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = (u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P)) % _P
    if (v * x * x - u) % _P != 0:
        if (v * x * x + u) % _P != 0:
            return None
        x = (x * _SQRT_M1) % _P
    if x == 0 and sign == 1:
        return None
    if x & 1 != sign:
        x = _P - x
    return (x, y, 1, (x * y) % _P)


def _double(pt):
    x1, y1, z1, _ = pt
    a = x1 * x1 % _P
    b = y1 * y1 % _P
    c = 2 * z1 * z1 % _P
    h = (a + b) % _P
    e = (h - (x1 + y1) * (x1 + y1)) % _P
    g = (a - b) % _P
    f = (c + g) % _P
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _is_small_order(pt):
    q = _double(_double(_double(pt)))
    x, y, z, _ = q
    return x % _P == 0 and (y - z) % _P == 0


def _add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = t1 * 2 * _D * t2 % _P
    d = z1 * 2 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _is_identity(pt):
    x, y, z, _ = pt
    return x % _P == 0 and (y - z) % _P == 0


def _times_l(pt):
    acc, base, n = (0, 1, 1, 0), pt, L
    while n:
        if n & 1:
            acc = _add(acc, base)
        base = _double(base)
        n >>= 1
    return acc


def point_ok(b):
    """Canonical encoding of a curve point that is not of small order."""
    pt = _decompress(b)
    return pt is not None and not _is_small_order(pt)


def key_ok(b):
    """§3 public key: canonical point of the prime-order subgroup ([L]A is the identity)."""
    pt = _decompress(b)
    return pt is not None and not _is_small_order(pt) and _is_identity(_times_l(pt))


def decode_public_key(text):
    """§3: strict base64 of 32 bytes, canonical point, not of small order, no torsion."""
    raw = b64_strict(text, 32)
    if not key_ok(raw):
        raise ValueError("not a canonical point of the prime-order subgroup")
    return raw


def public_key_from_seed(seed):
    return bytes(nacl.signing.SigningKey(seed).verify_key)


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(raw):
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def b58decode(text):
    n = 0
    for ch in text:
        i = _B58.find(ch)
        if i < 0:
            raise ValueError("character %r outside the base58 alphabet" % ch)
        n = n * 58 + i
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def pid_of(public_key_raw):
    return b58encode(hashlib.sha256(public_key_raw).digest())


def decode_pid(text):
    """A PID decodes to exactly 32 bytes and re-encodes to the same text."""
    if not isinstance(text, str) or not text:
        raise ValueError("empty PID")
    raw = b58decode(text)
    if len(raw) != 32:
        raise ValueError("PID decodes to %d bytes" % len(raw))
    if b58encode(raw) != text:
        raise ValueError("PID does not re-encode to itself")
    return raw


def seed_to_mnemonic(seed):
    from mnemonic import Mnemonic
    return Mnemonic("english").to_mnemonic(seed)


def mnemonic_to_seed(words):
    from mnemonic import Mnemonic
    m = Mnemonic("english")
    if not m.check(words):
        raise ValueError("bad mnemonic")
    return bytes(m.to_entropy(words))


# ---------------------------------------------------------------------------
# §4.1 Amounts
# ---------------------------------------------------------------------------

U64_MAX = 2**64 - 1
MAX_PRECISION = 8
# §4.1: at most 20 integer digits (every longer value exceeds 2^64-1 at any precision).
_AMOUNT_RE = re.compile(r"^(0|[1-9][0-9]{0,19})(?:\.([0-9]{1,8}))?$", re.ASCII)
# Form without knowing the equivalent (schemas' DecimalAmount).
_AMOUNT_FORM_RE = re.compile(r"^(0|[1-9][0-9]{0,19})(\.[0-9]{1,8})?$", re.ASCII)


class AmountError(ValueError):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def parse_amount(text, precision):
    """-> minor units (int). Errors: format, too_precise, overflow."""
    m = _AMOUNT_RE.fullmatch(text) if isinstance(text, str) else None
    if not m:
        raise AmountError("format")
    whole, frac = m.group(1), m.group(2) or ""
    if len(frac) > precision:
        raise AmountError("too_precise")
    units = int(whole) * 10**precision + int((frac + "0" * precision)[:precision] or "0")
    if units > U64_MAX:
        raise AmountError("overflow")
    return units


def format_amount(units, precision):
    if precision == 0:
        return str(units)
    s = str(units).rjust(precision + 1, "0")
    return s[:-precision] + "." + s[-precision:]


def amount_form_ok(text):
    return isinstance(text, str) and bool(_AMOUNT_FORM_RE.fullmatch(text))


def amount_units8(text):
    """Value at precision 8 (exact, for comparisons and sums without the equivalent)."""
    whole, _, frac = text.partition(".")
    return int(whole) * 10**8 + int((frac + "0" * 8)[:8])


# ---------------------------------------------------------------------------
# §5.1 Strict decoding and canonical JSON
# ---------------------------------------------------------------------------

MAX_SAFE = 2**53 - 1


class JsonError(ValueError):
    """kind: duplicate_key, float, null, unsafe_integer or syntax."""

    def __init__(self, kind, detail=""):
        super().__init__("%s %s" % (kind, detail))
        self.kind = kind


class _Obj(list):
    """Members of one object in reading order (duplicates kept until the walk)."""


class _Float(str):
    """A number with a fraction or exponent, or -0 (read as floating-point negative zero)."""


class _BigInt(str):
    """An integer outside +-(2^53-1)."""


def _int(s):
    if s == "-0":
        return _Float(s)
    if len(s.lstrip("-")) > 16 or abs(int(s)) > MAX_SAFE:
        return _BigInt(s)
    return int(s)


def _const(s):
    raise JsonError("syntax", s)


def _no_surrogates(v):
    """Lone surrogates are `syntax`, which wins over every other fault."""
    if isinstance(v, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in v):
            raise JsonError("syntax", "lone surrogate")
    elif isinstance(v, _Obj):
        for k, x in v:
            _no_surrogates(k)
            _no_surrogates(x)
    elif isinstance(v, list):
        for x in v:
            _no_surrogates(x)


def _walk(v):
    """The first subset fault in reading order; returns plain Python values."""
    if v is None:
        raise JsonError("null")
    if isinstance(v, _Float):
        raise JsonError("float", v)
    if isinstance(v, _BigInt):
        raise JsonError("unsafe_integer", v)
    if isinstance(v, _Obj):
        out = {}
        for k, x in v:
            if k in out:
                raise JsonError("duplicate_key", repr(k))
            out[k] = _walk(x)
        return out
    if isinstance(v, list):
        return [_walk(x) for x in v]
    return v


def strict_loads(data):
    """Decode signed data under §5.1 (bytes must be UTF-8). Precedence: text that is not JSON is
    `syntax` whatever else it holds; otherwise the first fault in reading order."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise JsonError("syntax", "invalid UTF-8: %s" % e)
    try:
        v = json.loads(data, object_pairs_hook=_Obj, parse_float=_Float,
                       parse_constant=_const, parse_int=_int)
    except JsonError:
        raise
    except (ValueError, RecursionError) as e:
        raise JsonError("syntax", str(e))
    _no_surrogates(v)
    return _walk(v)


_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _str(s):
    out = ['"']
    for c in s:
        if c in _ESC:
            out.append(_ESC[c])
        elif ord(c) < 0x20:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def canonical_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical_text(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(_str(k) + ":" + canonical_text(v[k]) for k in keys) + "}"
    raise TypeError("not in the signable subset: %r" % (v,))


def canonical(v):
    return canonical_text(v).encode("utf-8")


# ---------------------------------------------------------------------------
# §5.3 Signed bytes, signing, strict verification
# ---------------------------------------------------------------------------

def signed_bytes(envelope):
    unsigned = {k: v for k, v in envelope.items() if k != "signature"}
    return TAG + b"\n" + envelope["type"].encode("ascii") + b"\n" + canonical(unsigned)


def digest(envelope):
    return hashlib.sha256(signed_bytes(envelope)).hexdigest()


def payload_digest(envelope):
    return hashlib.sha256(canonical(envelope["payload"])).hexdigest()


def sign(seed, unsigned):
    """Returns the signed envelope (a new dict)."""
    sig = nacl.signing.SigningKey(seed).sign(signed_bytes(unsigned)).signature
    env = dict(unsigned)
    env["signature"] = b64_encode(sig)
    return env


def verify_strict(public_key_raw, message, sig_raw):
    """§3 strict rules: key and R canonical and not of small order, s < L, then Ed25519."""
    if len(public_key_raw) != 32 or len(sig_raw) != 64:
        return False
    if not point_ok(public_key_raw) or not point_ok(sig_raw[:32]):
        return False
    if int.from_bytes(sig_raw[32:], "little") >= L:
        return False
    try:
        nacl.signing.VerifyKey(public_key_raw).verify(message, sig_raw)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError):
        return False


# ---------------------------------------------------------------------------
# §5.4 Verification with §6 payload rules
# ---------------------------------------------------------------------------

class Refused(Exception):
    def __init__(self, code, detail=""):
        super().__init__("%s: %s" % (code, detail))
        self.code = code


def _mal(detail):
    raise Refused("E_MALFORMED", detail)


# Faults found at step 1 that do not stop the form checks: a bad amount (E_INVALID_AMOUNT, answered
# after every E_MALFORMED) and a value outside its list (E_VALIDATION, answered first at step 4).
_deferred = {}


def _defer(kind, refusal):
    _deferred.setdefault(kind, refusal)


def _val(detail, code="E_VALIDATION"):
    raise Refused(code, detail)


_TS_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", re.ASCII)
_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$", re.ASCII)
_CODE_RE = re.compile(r"^[A-Z0-9_]{1,16}$", re.ASCII)
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.ASCII)
_DIGEST_RE = re.compile(r"^[0-9a-f]{64}$", re.ASCII)
_CHALLENGE_RE = re.compile(r"^[A-Za-z0-9_-]{43}$", re.ASCII)
_PROFILE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$", re.ASCII)
ERROR_CODES = {
    "E_MALFORMED", "E_VALIDATION", "E_INVALID_AMOUNT", "E_UNSUPPORTED_PROTOCOL",
    "E_INVALID_SIGNATURE", "E_WRONG_MESSAGE_TYPE", "E_WRONG_AUDIENCE", "E_WRONG_SIGNER",
    "E_EXPIRED", "E_NOT_YET_VALID", "E_VALIDITY_TOO_LONG", "E_REPLAYED", "E_UNAUTHORIZED",
    "E_TOKEN_EXPIRED", "E_CHALLENGE_INVALID", "E_FORBIDDEN", "E_PARTICIPANT_INACTIVE",
    "E_NOT_FOUND", "E_UNKNOWN_EQUIVALENT", "E_UNKNOWN_PARTICIPANT", "E_ALREADY_EXISTS",
    "E_CONFLICT", "E_TX_ID_CONFLICT", "E_SELF_TRUST", "E_SELF_PAYMENT", "E_LIMIT_BELOW_DEBT",
    "E_DEBT_OUTSTANDING", "E_INSUFFICIENT_CAPACITY", "E_ABORTED", "E_RESERVATION_EXPIRED",
    "E_PROPOSAL_CLOSED", "E_RATE_LIMITED", "E_PAYLOAD_TOO_LARGE", "E_URI_TOO_LONG",
    "E_UNSUPPORTED_MEDIA_TYPE", "E_HEADERS_TOO_LARGE", "E_TIMEOUT",
    "E_UNAVAILABLE", "E_INTERNAL",
    # federation.md §9
    "E_HUB_NOT_LINKED", "E_CONDITION_MISMATCH", "E_EXPIRY_TOO_SHORT", "E_FULFILMENT_LATE",
    "E_PEER_HUB_UNAVAILABLE",
}


def parse_timestamp(text):
    """§4.2: YYYY-MM-DDTHH:MM:SSZ, a valid calendar date, year 1970..9999 -> epoch seconds."""
    if not isinstance(text, str) or not _TS_RE.fullmatch(text):
        raise ValueError("timestamp form")
    dt = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    if dt.year < 1970:
        raise ValueError("timestamp year")
    return int(dt.timestamp())


# --- step 1 form checkers: wrong JSON type / syntax -> E_MALFORMED ---------

def _f_str(v, name):
    if not isinstance(v, str):
        _mal("%s: not a string" % name)
    return v


def _f_bool(v, name):
    if not isinstance(v, bool):
        _mal("%s: not a boolean" % name)


def _f_int(v, name, lo=0):
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        _mal("%s: not an integer >= %d" % (name, lo))


def _f_re(v, rx, name):
    if not isinstance(v, str) or not rx.fullmatch(v):
        _mal("%s: wrong form" % name)


def _f_pid(v, name):
    try:
        decode_pid(v)
    except (ValueError, TypeError):
        _mal("%s: not a PID" % name)


def _f_uuid(v, name):
    _f_re(v, _UUID_RE, name)
    if v == "00000000-0000-0000-0000-000000000000":
        _mal("%s: nil UUID" % name)


def _f_ts(v, name):
    try:
        parse_timestamp(v)
    except ValueError:
        _mal("%s: not a timestamp" % name)


def _f_amount(v, name):
    if not isinstance(v, str):
        _mal("%s: not a string" % name)
    if not amount_form_ok(v):
        _defer("amount", Refused("E_INVALID_AMOUNT", "%s: %r" % (name, v)))


def _f_enum(v, options, name):
    if not isinstance(v, str):
        _mal("%s: not a string" % name)
    if v not in options:
        _defer("validation", Refused("E_VALIDATION", "%s: not one of %s" % (name, options)))


def _f_list(v, name):
    if not isinstance(v, list):
        _mal("%s: not an array" % name)
    return v


def _f_obj(v, name, required, optional):
    if not isinstance(v, dict):
        _mal("%s: not an object" % name)
    for k in required:
        if k not in v:
            _mal("%s: missing %s" % (name, k))
    for k in v:
        if k not in required and k not in optional:
            _mal("%s: unknown member %s" % (name, k))
    return v


def _f_edge(e, name):
    _f_obj(e, name, ("debtor", "creditor", "amount"), ())
    _f_pid(e["debtor"], name + ".debtor")
    _f_pid(e["creditor"], name + ".creditor")
    _f_amount(e["amount"], name + ".amount")


def _f_profile(v, name):
    if not isinstance(v, dict):
        _mal("%s: not an object" % name)
    for k, x in v.items():
        _f_str(x, "%s.%s" % (name, k))


def _form_payload(t, p):
    """Member names and forms of each payload (§6 + schemas)."""
    if t == "participant_register":
        _f_obj(p, "payload", ("public_key", "display_name", "kind"), ("profile",))
        try:
            decode_public_key(p["public_key"])
        except (ValueError, TypeError) as e:
            _mal("public_key: %s" % e)
        _f_str(p["display_name"], "display_name")
        _f_enum(p["kind"], ("person", "business", "hub"), "kind")
        if "profile" in p:
            _f_profile(p["profile"], "profile")
    elif t == "participant_update":
        _f_obj(p, "payload", (), ("display_name", "profile"))
        if "display_name" in p:
            _f_str(p["display_name"], "display_name")
        if "profile" in p:
            _f_profile(p["profile"], "profile")
    elif t == "login":
        _f_obj(p, "payload", ("challenge",), ())
        _f_str(p["challenge"], "challenge")
    elif t == "login":
        if not _CHALLENGE_RE.fullmatch(p["challenge"]):
            _val("challenge: 43 characters of base64url")
    elif t == "trust_line_set":
        _f_obj(p, "payload", ("debtor", "equivalent", "limit"), ("policy",))
        _f_pid(p["debtor"], "debtor")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        _f_amount(p["limit"], "limit")
        if "policy" in p:
            pol = _f_obj(p["policy"], "policy", (),
                         ("auto_clearing", "can_be_intermediate", "blocked_participants"))
            for b in ("auto_clearing", "can_be_intermediate"):
                if b in pol:
                    _f_bool(pol[b], b)
            for i, x in enumerate(_f_list(pol.get("blocked_participants", []), "blocked")):
                _f_pid(x, "blocked_participants[%d]" % i)
    elif t == "trust_line_close":
        _f_obj(p, "payload", ("debtor", "equivalent"), ())
        _f_pid(p["debtor"], "debtor")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
    elif t == "payment_request":
        _f_obj(p, "payload", ("tx_id", "payee", "equivalent", "amount"),
               ("description", "constraints", "hold_seconds", "invoice_id"))
        _f_uuid(p["tx_id"], "tx_id")
        _f_pid(p["payee"], "payee")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        _f_amount(p["amount"], "amount")
        if "description" in p:
            _f_str(p["description"], "description")
        if "constraints" in p:
            c = _f_obj(p["constraints"], "constraints", (), ("max_hops", "max_paths", "avoid"))
            for k in ("max_hops", "max_paths"):
                if k in c:
                    _f_int(c[k], k)
            for i, x in enumerate(_f_list(c.get("avoid", []), "avoid")):
                _f_pid(x, "avoid[%d]" % i)
        if "hold_seconds" in p:
            _f_int(p["hold_seconds"], "hold_seconds")
        if "invoice_id" in p:
            _f_re(p["invoice_id"], _NONCE_RE, "invoice_id")
    elif t == "clearing_consent":
        _f_obj(p, "payload", ("clearing_id", "proposal_digest", "decision"), ())
        _f_uuid(p["clearing_id"], "clearing_id")
        _f_re(p["proposal_digest"], _DIGEST_RE, "proposal_digest")
        _f_enum(p["decision"], ("accept", "reject"), "decision")
    elif t == "clearing_proposal":
        _f_obj(p, "payload", ("clearing_id", "equivalent", "edges", "consent_required_from"), ())
        _f_uuid(p["clearing_id"], "clearing_id")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        for i, e in enumerate(_f_list(p["edges"], "edges")):
            _f_edge(e, "edges[%d]" % i)
        for i, x in enumerate(_f_list(p["consent_required_from"], "consent_required_from")):
            _f_pid(x, "consent_required_from[%d]" % i)
    elif t == "payment_receipt":
        _f_obj(p, "payload", ("tx_id", "payer", "payee", "equivalent", "amount", "status",
                              "request_digest", "decided_at"),
               ("routes", "journal_seq", "error_code"))
        _f_uuid(p["tx_id"], "tx_id")
        _f_pid(p["payer"], "payer")
        _f_pid(p["payee"], "payee")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        _f_amount(p["amount"], "amount")
        _f_enum(p["status"], ("committed", "aborted"), "status")
        _f_re(p["request_digest"], _DIGEST_RE, "request_digest")
        _f_ts(p["decided_at"], "decided_at")
        if "routes" in p:
            for i, r in enumerate(_f_list(p["routes"], "routes")):
                _f_obj(r, "routes[%d]" % i, ("path", "amount"), ())
                for j, x in enumerate(_f_list(r["path"], "path")):
                    _f_pid(x, "routes[%d].path[%d]" % (i, j))
                _f_amount(r["amount"], "routes[%d].amount" % i)
        if "journal_seq" in p:
            _f_int(p["journal_seq"], "journal_seq")
        if "error_code" in p:
            _f_enum(p["error_code"], ERROR_CODES, "error_code")
    elif t == "clearing_receipt":
        _f_obj(p, "payload", ("clearing_id", "equivalent", "edges", "total", "committed_at",
                              "journal_seq"), ())
        _f_uuid(p["clearing_id"], "clearing_id")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        for i, e in enumerate(_f_list(p["edges"], "edges")):
            _f_edge(e, "edges[%d]" % i)
        _f_amount(p["total"], "total")
        _f_ts(p["committed_at"], "committed_at")
        _f_int(p["journal_seq"], "journal_seq")
    elif t == "payment_prepare":
        _f_obj(p, "payload", ("tx_id", "equivalent", "effects", "reserve_until"), ())
        _f_uuid(p["tx_id"], "tx_id")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        for i, e in enumerate(_f_list(p["effects"], "effects")):
            _f_edge(e, "effects[%d]" % i)
        _f_ts(p["reserve_until"], "reserve_until")
    elif t == "payment_prepare_ack":
        _f_obj(p, "payload", ("tx_id", "accepted"), ("reason",))
        _f_uuid(p["tx_id"], "tx_id")
        _f_bool(p["accepted"], "accepted")
        if "reason" in p:
            _f_str(p["reason"], "reason")
    elif t == "payment_commit":
        _f_obj(p, "payload", ("tx_id",), ())
        _f_uuid(p["tx_id"], "tx_id")
    elif t == "payment_abort":
        _f_obj(p, "payload", ("tx_id", "reason"), ())
        _f_uuid(p["tx_id"], "tx_id")
        _f_str(p["reason"], "reason")
    elif t == "invoice":
        _f_obj(p, "payload", ("public_key", "equivalent", "amount"), ("description",))
        try:
            decode_public_key(p["public_key"])
        except (ValueError, TypeError) as e:
            _mal("public_key: %s" % e)
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        _f_amount(p["amount"], "amount")
        if "description" in p:
            _f_str(p["description"], "description")
    elif t == "hub_prepare":
        _f_obj(p, "payload", ("tx_id", "payer", "payee", "equivalent", "amount", "condition",
                              "hold_until", "request_digest"), ("description",))
        _f_uuid(p["tx_id"], "tx_id")
        _f_pid(p["payer"], "payer")
        _f_pid(p["payee"], "payee")
        _f_re(p["equivalent"], _CODE_RE, "equivalent")
        _f_amount(p["amount"], "amount")
        _f_re(p["condition"], _DIGEST_RE, "condition")
        _f_ts(p["hold_until"], "hold_until")
        _f_re(p["request_digest"], _DIGEST_RE, "request_digest")
        if "description" in p:
            _f_str(p["description"], "description")
    elif t == "hub_fulfil":
        _f_obj(p, "payload", ("tx_id", "preimage", "receipt"), ())
        _f_uuid(p["tx_id"], "tx_id")
        _f_re(p["preimage"], _DIGEST_RE, "preimage")
        _f_str(p["receipt"], "receipt")
    elif t == "hub_reject":
        _f_obj(p, "payload", ("tx_id", "stage", "code"), ("reason",))
        _f_uuid(p["tx_id"], "tx_id")
        _f_enum(p["stage"], ("prepare", "fulfil"), "stage")
        _f_enum(p["code"], ERROR_CODES, "code")
        if "reason" in p:
            _f_str(p["reason"], "reason")
    else:
        _mal("unknown message type %r" % (t,))


ENVELOPE_REQUIRED = ("protocol", "type", "signer", "nonce", "created_at", "expires_at",
                     "payload", "signature")
ENVELOPE_OPTIONAL = ("audience",)


def _form(env):
    """Step 1 after decoding: members and forms (E_MALFORMED, then E_INVALID_AMOUNT)."""
    _deferred.clear()
    _f_obj(env, "envelope", ENVELOPE_REQUIRED, ENVELOPE_OPTIONAL)
    _f_str(env["protocol"], "protocol")
    _f_str(env["type"], "type")
    _f_pid(env["signer"], "signer")
    if "audience" in env:
        _f_pid(env["audience"], "audience")
    _f_re(env["nonce"], _NONCE_RE, "nonce")
    _f_ts(env["created_at"], "created_at")
    _f_ts(env["expires_at"], "expires_at")
    try:
        b64_strict(env["signature"], 64)
    except ValueError as e:
        _mal("signature: %s" % e)
    _form_payload(env["type"], env["payload"])
    if "amount" in _deferred:
        raise _deferred["amount"]


# --- step 4 payload rules (§6) -------------------------------------------

def _chars(s):
    return len(s)  # Unicode scalar values


def _cc(c):
    """Unicode category Cc."""
    return ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F


# Unicode White_Space.
_WHITE_SPACE = set("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                   + "".join(chr(c) for c in range(0x2000, 0x200B)))


def _display_name_ok(s):
    """One line: 1..100 characters, no Cc, no White_Space at either end."""
    return (1 <= _chars(s) <= 100 and not any(_cc(c) for c in s)
            and s[0] not in _WHITE_SPACE and s[-1] not in _WHITE_SPACE)


def _free_text_ok(s, lo, hi):
    """Free text: lo..hi characters, no Cc except line feed."""
    return lo <= _chars(s) <= hi and not any(_cc(c) and c != "\n" for c in s)


def _profile_ok(pr):
    return (len(pr) <= 16 and all(_PROFILE_KEY_RE.fullmatch(k) for k in pr)
            and all(_free_text_ok(v, 0, 500) for v in pr.values()))


def _distinct_pids(lst, name, limit=None):
    if len(set(lst)) != len(lst):
        _val("%s: not distinct" % name)
    if limit is not None and len(lst) > limit:
        _val("%s: more than %d" % (name, limit))


def _positive(text, name):
    if amount_units8(text) == 0:
        raise Refused("E_INVALID_AMOUNT", "%s must be > 0" % name)


def _edges_ok(edges):
    for i, e in enumerate(edges):
        if e["debtor"] == e["creditor"]:
            _val("edges[%d]: debtor and creditor must differ" % i)
        _positive(e["amount"], "edges[%d].amount" % i)


def _rules(env):
    t, p, signer = env["type"], env["payload"], env["signer"]
    if "validation" in _deferred:
        raise _deferred["validation"]
    if t == "participant_register":
        if pid_of(b64_strict(p["public_key"], 32)) != signer:
            _val("signer is not the PID of public_key")
        if not _display_name_ok(p["display_name"]):
            _val("display_name")
        if "profile" in p and not _profile_ok(p["profile"]):
            _val("profile")
    elif t == "participant_update":
        if not p:
            _val("participant_update needs display_name or profile")
        if "display_name" in p and not _display_name_ok(p["display_name"]):
            _val("display_name")
        if "profile" in p and not _profile_ok(p["profile"]):
            _val("profile")
    elif t == "login":
        if not _CHALLENGE_RE.fullmatch(p["challenge"]):
            _val("challenge: 43 characters of base64url")
    elif t == "trust_line_set":
        if p["debtor"] == signer:
            _val("trust line to oneself", "E_SELF_TRUST")
        _distinct_pids(p.get("policy", {}).get("blocked_participants", []),
                       "blocked_participants", 64)
    elif t == "payment_request":
        if p["payee"] == signer:
            _val("payment to oneself", "E_SELF_PAYMENT")
        _positive(p["amount"], "amount")
        if "description" in p and not _free_text_ok(p["description"], 0, 500):
            _val("description: 0..500 characters, no control character but line feed")
        c = p.get("constraints", {})
        if "max_hops" in c and not 1 <= c["max_hops"] <= 8:
            _val("max_hops not in 1..8")
        if "max_paths" in c and not 1 <= c["max_paths"] <= 64:
            _val("max_paths not in 1..64")
        _distinct_pids(c.get("avoid", []), "avoid", 64)
        if "hold_seconds" in p and not 1 <= p["hold_seconds"] <= 3600:
            _val("hold_seconds not in 1..3600")
    elif t in ("clearing_proposal", "clearing_receipt"):
        if len(p["edges"]) < 2:
            _val("fewer than 2 edges")
        _edges_ok(p["edges"])
        if t == "clearing_proposal":
            _distinct_pids(p["consent_required_from"], "consent_required_from")
        else:
            if sum(amount_units8(e["amount"]) for e in p["edges"]) != amount_units8(p["total"]):
                _val("total is not the sum of the edges")
    elif t == "payment_receipt":
        _positive(p["amount"], "amount")
        if p["status"] == "committed":
            if not p.get("routes") or "error_code" in p:
                _val("committed receipt needs routes and no error_code")
            for i, r in enumerate(p["routes"]):
                path = r["path"]
                if len(path) < 2 or path[0] != p["payer"] or path[-1] != p["payee"]:
                    _val("routes[%d].path must run from payer to payee" % i)
                _positive(r["amount"], "routes[%d].amount" % i)
        else:
            if "error_code" not in p or "routes" in p:
                _val("aborted receipt needs error_code and no routes")
    elif t == "payment_prepare":
        if len(p["effects"]) < 1:
            _val("no effects")
        _edges_ok(p["effects"])
    elif t == "payment_prepare_ack":
        if ("reason" in p) != (p["accepted"] is False):
            _val("reason is required exactly when accepted is false")
        if "reason" in p and not _free_text_ok(p["reason"], 1, 500):
            _val("reason: 1..500 characters")
    elif t == "payment_abort":
        if not _free_text_ok(p["reason"], 1, 500):
            _val("reason: 1..500 characters")
    elif t == "invoice":
        if pid_of(b64_strict(p["public_key"], 32)) != signer:
            _val("signer is not the PID of public_key")
        _positive(p["amount"], "amount")
        if "description" in p and not _free_text_ok(p["description"], 0, 500):
            _val("description: 0..500 characters, no control character but line feed")
    elif t == "hub_prepare":
        if p["payee"] == p["payer"]:
            _val("payee is the payer", "E_SELF_PAYMENT")
        _positive(p["amount"], "amount")
        if "description" in p and not _free_text_ok(p["description"], 0, 500):
            _val("description: 0..500 characters, no control character but line feed")
    elif t == "hub_fulfil":
        # federation.md §4: the embedded receipt decodes as a payment_receipt (steps 1-4), is
        # signed by the fulfil's signer, is of the same tx_id and records a commit.
        try:
            r = strict_loads(p["receipt"].encode("utf-8"))
            _form(r)
            if r["protocol"] != PROTOCOL or r["type"] != "payment_receipt":
                _val("receipt: not a geo/1 payment_receipt")
            if "amount" in _deferred:
                raise _deferred["amount"]
            _rules(r)
        except (Refused, JsonError) as e:
            _val("receipt: %s" % e)
        if r["signer"] != signer:
            _val("receipt: signed by another hub")
        if r["payload"]["tx_id"] != p["tx_id"]:
            _val("receipt: of another payment")
        if r["payload"]["status"] != "committed":
            _val("receipt: not a commit")
    elif t == "hub_reject":
        if "reason" in p and not _free_text_ok(p["reason"], 1, 500):
            _val("reason: 1..500 characters")


RECORDS = ("payment_receipt", "clearing_receipt", "clearing_proposal")
# Messages that carry the key they are checked with.
SELF_KEYED = ("participant_register", "invoice")


class Verifier:
    """§5.4, with a clock, an optional required audience and the replay memory."""

    def __init__(self, now, audience=None, max_validity_seconds=600, max_clock_skew_seconds=60,
                 keys=None):
        self.now = parse_timestamp(now) if isinstance(now, str) else now
        self.audience = audience
        self.window = max_validity_seconds
        self.skew = max_clock_skew_seconds
        self.keys = dict(keys or {})  # PID -> raw public key
        self.seen = {}  # (signer, nonce) -> expires_at

    def register_key(self, public_key_text):
        raw = decode_public_key(public_key_text)
        self.keys[pid_of(raw)] = raw
        return raw

    def verify(self, data, expected_type):
        """Returns "ok" or the error code of the first failing check."""
        try:
            self._verify(data, expected_type)
            return "ok"
        except Refused as r:
            self.last_detail = str(r)
            return r.code

    def _verify(self, data, expected_type):
        # 1. decode and form
        try:
            env = strict_loads(data)
        except JsonError as e:
            _mal(str(e))
        _form(env)
        # 2. protocol
        if env["protocol"] != PROTOCOL:
            raise Refused("E_UNSUPPORTED_PROTOCOL", env["protocol"])
        # 3. type
        if env["type"] != expected_type:
            raise Refused("E_WRONG_MESSAGE_TYPE", env["type"])
        # 4. payload rules
        _rules(env)
        # 5. signature
        if env["type"] in SELF_KEYED:
            key = b64_strict(env["payload"]["public_key"], 32)
        else:
            key = self.keys.get(env["signer"])
        if key is None:
            raise Refused("E_UNKNOWN_PARTICIPANT", env["signer"])
        sig = b64_strict(env["signature"], 64)
        if not verify_strict(key, signed_bytes(env), sig):
            raise Refused("E_INVALID_SIGNATURE")
        # Hub-signed records stop here (§5.4): no audience, valid after expiry, read many times.
        if env["type"] in RECORDS:
            return
        # 6. audience
        if self.audience is not None and env.get("audience") != self.audience:
            raise Refused("E_WRONG_AUDIENCE", str(env.get("audience")))
        created = parse_timestamp(env["created_at"])
        expires = parse_timestamp(env["expires_at"])
        # 7. window
        if not 1 <= expires - created <= self.window:
            raise Refused("E_VALIDITY_TOO_LONG", "%d s" % (expires - created))
        # 8. skew
        if created - self.now > self.skew:
            raise Refused("E_NOT_YET_VALID")
        # 9. expiry
        if self.now > expires:
            raise Refused("E_EXPIRED")
        # 10. replay
        self.seen = {k: e for k, e in self.seen.items() if e >= self.now}
        k = (env["signer"], env["nonce"])
        if k in self.seen:
            raise Refused("E_REPLAYED")
        self.seen[k] = expires


# --- invoices (§6.4) --------------------------------------------------------

INVOICE_LINK_PREFIX = "geo:invoice?m="
INVOICE_MAX_VALIDITY_SECONDS = 30 * 24 * 3600
_B64URL_RE = re.compile(r"^[A-Za-z0-9_-]*$", re.ASCII)


def invoice_link(signed_json_text):
    """The `geo:invoice?m=` link of a signed invoice: base64url without padding of its UTF-8."""
    raw = base64.urlsafe_b64encode(signed_json_text.encode("utf-8")).decode("ascii")
    return INVOICE_LINK_PREFIX + raw.rstrip("=")


def _invoice_json(link):
    scheme, sep, rest = link.partition(":")
    if not sep or scheme.lower() != "geo":
        _mal("not a geo: link")
    if not rest.startswith("invoice?m="):
        _mal("not geo:invoice?m=... (a geo: location is RFC 5870)")
    m = rest[len("invoice?m="):]
    if not _B64URL_RE.fullmatch(m) or len(m) % 4 == 1:
        _mal("m is not unpadded base64url")
    raw = base64.urlsafe_b64decode(m + "=" * (-len(m) % 4))
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != m:
        _mal("m has non-zero trailing bits")
    return raw  # UTF-8 is checked by strict_loads


def read_invoice(link, expected_hub, now, skew=60, window=INVOICE_MAX_VALIDITY_SECONDS):
    """A payer reads an invoice link: returns the envelope, or raises Refused (§6.4 order)."""
    data = _invoice_json(link)
    try:
        env = strict_loads(data)
    except JsonError as e:
        _mal(str(e))
    _form(env)
    if env["protocol"] != PROTOCOL:
        raise Refused("E_UNSUPPORTED_PROTOCOL", env["protocol"])
    if env["type"] != "invoice":
        raise Refused("E_WRONG_MESSAGE_TYPE", env["type"])
    _rules(env)
    key = b64_strict(env["payload"]["public_key"], 32)
    if not verify_strict(key, signed_bytes(env), b64_strict(env["signature"], 64)):
        raise Refused("E_INVALID_SIGNATURE")
    if "audience" not in env:
        raise Refused("E_WRONG_AUDIENCE", "names no hub")
    if expected_hub is not None and env["audience"] != expected_hub:
        raise Refused("E_WRONG_AUDIENCE", env["audience"])
    created = parse_timestamp(env["created_at"])
    expires = parse_timestamp(env["expires_at"])
    now = parse_timestamp(now) if isinstance(now, str) else now
    if not 1 <= expires - created <= window:
        raise Refused("E_VALIDITY_TOO_LONG", "%d s" % (expires - created))
    if created - now > skew:
        raise Refused("E_NOT_YET_VALID")
    if now > expires:
        raise Refused("E_EXPIRED")
    return env


# --- federation (spec/federation.md) ---------------------------------------

def condition_of(preimage_hex):
    """§3: the condition of a preimage, both 64 lowercase hex; ValueError for another form."""
    if not isinstance(preimage_hex, str) or not _DIGEST_RE.fullmatch(preimage_hex):
        raise ValueError("a preimage is 64 lowercase hex characters")
    return hashlib.sha256(bytes.fromhex(preimage_hex)).hexdigest()


def check_fulfilment(condition_hex, preimage_hex):
    """§3: "ok", "E_CONDITION_MISMATCH", or "E_MALFORMED" for a preimage of another form."""
    try:
        c = condition_of(preimage_hex)
    except ValueError:
        return "E_MALFORMED"
    return "ok" if c == condition_hex else "E_CONDITION_MISMATCH"


def _format_timestamp(seconds):
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def commit_deadline(hold_until, now, margin_seconds):
    """§5: the downstream hub's commit deadline as a timestamp, or the refusal's code."""
    h, n = parse_timestamp(hold_until), parse_timestamp(now)
    if margin_seconds < 2 or h - n > 120:
        return "E_VALIDATION"
    d = h - margin_seconds
    return _format_timestamp(d) if d > n else "E_EXPIRY_TOO_SHORT"


_UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HOST_RE = re.compile(r"^[a-z0-9.-]+$", re.ASCII)
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9._~-]+$", re.ASCII)


class UriRefused(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def _pct_decode(text):
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        b = raw[i]
        if b == 0x25:  # %
            h = raw[i + 1:i + 3]
            if len(h) != 2 or not all(c in b"0123456789abcdefABCDEF" for c in h):
                raise UriRefused("encoding")
            out.append(int(h, 16))
            i += 3
        elif b in _UNRESERVED or b in b":/":
            out.append(b)
            i += 1
        else:
            raise UriRefused("encoding")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise UriRefused("encoding")


def _hub_url_ok(url):
    if len(url) > 200:
        return False
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            rest = url[len(prefix):]
            break
    else:
        return False
    authority, slash, path = rest.partition("/")
    host, colon, port = authority.partition(":")
    if not _HOST_RE.fullmatch(host):
        return False
    if colon and not (re.fullmatch(r"[1-9][0-9]{0,4}", port, re.ASCII) and int(port) <= 65535):
        return False
    if slash and not all(_SEGMENT_RE.fullmatch(seg) for seg in path.split("/")):
        return False
    return True


def parse_participant_uri(text):
    """§2: a geo:participant address -> (hub URL, PID); UriRefused with the kind otherwise."""
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() != "geo":
        raise UriRefused("scheme")
    path, q, query = rest.partition("?")
    if not q or path != "participant":
        raise UriRefused("path")
    if "#" in query:
        raise UriRefused("parameter")
    params = {}
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if not eq or name not in ("hub", "pid") or name in params:
            raise UriRefused("parameter")
        params[name] = value
    if set(params) != {"hub", "pid"}:
        raise UriRefused("parameter")
    hub = _pct_decode(params["hub"])
    pid = _pct_decode(params["pid"])
    if not _hub_url_ok(hub):
        raise UriRefused("hub_url")
    try:
        decode_pid(pid)
    except ValueError:
        raise UriRefused("pid")
    return hub, pid


def format_participant_uri(hub, pid):
    """§2: the canonical form."""
    enc = "".join(chr(b) if b in _UNRESERVED else "%%%02X" % b for b in hub.encode("utf-8"))
    return "geo:participant?hub=%s&pid=%s" % (enc, pid)
