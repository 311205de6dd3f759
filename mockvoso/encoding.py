"""JSON bytes of /v1 answers without Flask: orjson where it writes the stdlib's very bytes."""

from __future__ import annotations

import json
from typing import Any

import orjson


class Encoded(dict[str, Any]):
    """A row that carries its own JSON (`wire`, the stdlib's bytes for it).

    fast_dumps splices those bytes in instead of encoding the row again; everything else
    (the stdlib fallback, the dashboard, tests) sees a dict with the same items. Read-only,
    so the bytes can never disagree with the items: to change one, edit dict(row).
    """

    __slots__ = ("wire",)
    wire: bytes

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("an Encoded row is read-only (its JSON is kept): edit dict(row)")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _read_only
    __ior__ = _read_only


def encoded(row: dict[str, Any]) -> Encoded:
    """The row with its JSON: fast_dumps's bytes, else the stdlib's (ensure_ascii)."""
    out = Encoded(row)
    out.wire = fast_dumps(row) or json.dumps(row, separators=(",", ":")).encode()
    return out


def _splice(value: Any) -> Any:
    """orjson's hook for what it passes through: an Encoded row's own bytes; else refuse
    (TypeError sends the whole answer to the stdlib, as for any unknown type)."""
    if type(value) is Encoded:
        return orjson.Fragment(value.wire)
    raise TypeError


# What orjson does for a value stdlib json writes differently is refused (TypeError) and
# then written by the stdlib: dates (Flask: an HTTP date), dataclasses, Decimal, ints past
# 64 bits (a client may send offset=10**30, which is echoed), non-str keys.
# Encoded (below) is a dict subclass: passed through to _splice, which writes its bytes.
_STRICT = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def fast_dumps(obj: Any) -> bytes | None:
    """obj as compact JSON by orjson when that is byte for byte what the stdlib writes
    (Flask's provider: compact, ensure_ascii, keys unsorted); None when it may not be.

    orjson writes UTF-8 and DEL (0x7f) raw where the stdlib escapes them as \\uXXXX, so
    an answer holding a byte outside printable ASCII is left to the stdlib (a rare name
    with an accent costs the slow path, never a different byte).

    Floats: orjson and the stdlib write the same digits and the same exponent form for
    0 and every finite float of magnitude 1e-4 or more (checked on 500,000 random ones);
    below that some differ (orjson "0.00001", stdlib "1e-05"), and orjson writes NaN and
    Infinity as null. Neither can be seen in an answer cheaply, so
    only documents without such floats may come here: /v1 answers hold strings, ints,
    bools, None and percentages rounded to 2 decimals (agent-performance). Everything
    else (control plane, dashboard) goes through the stdlib as before.

    Measured (in-process, best of 7 x 200 calls, a leads/search page of 100 leads,
    117 KB): Flask's stdlib path 724 µs, orjson 49 µs, plus the two checks ~5 µs.
    """
    try:
        out = orjson.dumps(obj, default=_splice, option=_STRICT)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if not out.isascii() or b"\x7f" in out:
        return None
    return out
