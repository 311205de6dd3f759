"""The receiver on mockvoso itself (POST /convoso-webhook): takes any Connect post, lists it."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

SINK_SIZE = 1000
_SECRET_HEADERS = ("authorization", "x-shared-secret", "x-api-key")


def parse_post(content_type: str, raw: bytes, query: str) -> tuple[str, dict[str, Any]]:
    """(how it was read, the fields) of whatever a Connect receiver may get.

    Real receivers see (convoso-api.md §14): JSON; a form; a form field `params` holding a
    query string or JSON; and a JSON object sent with a form content type, whose whole
    text then arrives as one form key. Each is read as the fields it carries.
    """
    text = raw.decode("utf-8", "replace").strip()
    fields: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if text.startswith("{"):
        try:
            body = json.loads(text)
        except ValueError:
            return "unreadable", fields
        if isinstance(body, dict):
            return ("json" if "json" in content_type else "json-as-form"), {**fields, **body}
    if not text:
        return "empty", fields
    pairs = dict(parse_qsl(text, keep_blank_values=True))
    nested = pairs.get("params")
    if isinstance(nested, str) and nested:
        kind, inner = parse_post(
            "application/json" if nested.startswith("{") else "", nested.encode(), ""
        )
        if kind != "unreadable":
            pairs.pop("params")
            return f"form-params-{kind}", {**fields, **pairs, **inner}
    if len(pairs) == 1 and next(iter(pairs.values())) == "" and next(iter(pairs)).startswith("{"):
        return parse_post("", next(iter(pairs)).encode(), query)
    return "form", {**fields, **pairs}


class Sink:
    """A bounded list of what /convoso-webhook received (secrets in headers masked)."""

    def __init__(self, size: int = SINK_SIZE) -> None:
        self._lock = threading.Lock()
        self._got: deque[dict[str, Any]] = deque(maxlen=size)
        self._next = 1

    def record(
        self, headers: dict[str, str], content_type: str, raw: bytes, query: str, now: str
    ) -> dict[str, Any]:
        kind, fields = parse_post(content_type, raw, query)
        shown = {k: ("***" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}
        with self._lock:
            entry = {
                "id": f"r{self._next}",
                "received_at": now,
                "headers": shown,
                "query": query,
                "body": raw.decode("utf-8", "replace"),
                "parsed_as": kind,
                "fields": fields,
            }
            self._next += 1
            self._got.append(entry)
        return entry

    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._got)

    def clear(self) -> None:
        with self._lock:
            self._got.clear()
            self._next = 1
