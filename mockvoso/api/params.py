"""Merge a request's parameters: query string < form body < JSON body, empty = not supplied."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.datastructures import MultiDict

from mockvoso.errors import TEXT_MALFORMED_JSON, TEXT_NOT_AN_OBJECT, HTTPError

_MULTIPART = "multipart/form-data"


def _flatten(source: Any) -> dict[str, str]:
    """A MultiDict as plain strings: repeated keys become one comma list (`id=1&id=2`)."""
    out: dict[str, str] = {}
    for key in source:
        values = [v for v in source.getlist(key) if v != ""]
        if values:
            out[key] = ",".join(values)
    return out


def _json_scalar(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return ",".join(str(v) for v in value)
    # Convoso: "We do not support nested parameters or multilevel arrays."
    raise HTTPError(400, f"Invalid parameter {key}: nested values are not supported")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object body, or an HTTP 400 that says what is wrong with it."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPError(400, f"{TEXT_MALFORMED_JSON}: {exc}") from None
    if not isinstance(body, dict):
        raise HTTPError(400, TEXT_NOT_AN_OBJECT)
    return body


def body_params(request: Request) -> dict[str, str]:
    """The body's parameters, whatever the Content-Type claims.

    Real senders post JSON with a form Content-Type and forms with none, so the body's
    first byte decides: `{`/`[` is JSON, anything else is URL-encoded.
    """
    if request.mimetype == _MULTIPART:
        return _flatten(request.form)
    raw = request.get_data(cache=True)
    text = raw.strip()
    if not text:
        return {}
    if text[:1] in (b"{", b"["):
        out: dict[str, str] = {}
        for key, value in parse_json_object(text).items():
            scalar = _json_scalar(key, value)
            if scalar is not None and scalar != "":
                out[key] = scalar
        return out
    if request.mimetype == "application/json":
        raise HTTPError(400, f"{TEXT_MALFORMED_JSON}: body does not start with an object")
    try:
        return _flatten(MultiDict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
    except UnicodeDecodeError:
        raise HTTPError(400, "Request body is not valid UTF-8") from None


def read_params(request: Request) -> dict[str, str]:
    params = _flatten(request.args)
    params.update(body_params(request))
    return params
