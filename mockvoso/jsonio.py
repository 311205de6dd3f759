"""app.json: Flask's JSON provider, with /v1 answers written by orjson (the very same bytes)."""

from __future__ import annotations

from typing import Any, cast

from flask import Response
from flask.json.provider import DefaultJSONProvider

from mockvoso.encoding import fast_dumps


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
