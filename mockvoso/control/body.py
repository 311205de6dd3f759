"""Control-plane input: an optional JSON object body, whatever the Content-Type says."""

from __future__ import annotations

import json
from typing import Any

from flask import Request

from mockvoso.errors import ControlError


def json_body(
    request: Request, *, required: bool = False, keys: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The body as a JSON object; an empty body means no options. With `keys`, a key not
    among them is a 400 naming it (checked before the route changes anything)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise ControlError(400, "a JSON object body is required")
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ControlError(400, f"malformed JSON body: {exc}") from None
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    unknown = sorted(set(body) - set(keys)) if keys is not None else []
    if unknown:
        expected = ", ".join(keys or ())
        raise ControlError(400, f"unknown key {unknown[0]!r}; expected: {expected}", unknown[0])
    return body
