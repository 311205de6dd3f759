"""app.json: Flask's JSON provider, with /v1 answers written by orjson (the very same bytes)."""

from __future__ import annotations

from typing import Any, cast

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

# What orjson does for a value stdlib json writes differently is refused (TypeError) and
# then written by the stdlib: dates (Flask: an HTTP date), dataclasses, Decimal, ints past
# 64 bits (a client may send offset=10**30, which is echoed), non-str keys.
_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


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
        out = orjson.dumps(obj, option=_STRICT)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if not out.isascii() or b"\x7f" in out:
        return None
    return out


class MockvosoJSON(DefaultJSONProvider):
    """Keys kept in Convoso's order, compact separators; `reply` is the /v1 fast path."""

    sort_keys = False
    compact = True

    def reply(self, obj: Any, status: int = 200) -> Response:
        """`response(obj)`'s exact bytes and headers, written by orjson when it can.

        Only for documents fast_dumps allows (no float below 1e-4, no NaN/Infinity).
        """
        out = fast_dumps(obj)
        body = out + b"\n" if out is not None else f"{self.dumps(obj, separators=(',', ':'))}\n"
        # Flask types response_class as werkzeug's sans-IO Response; it is the app's.
        response_class = cast(type[Response], self._app.response_class)
        return response_class(body, status, mimetype=self.mimetype)
