"""Single timed calls to a running mockvoso, and what the load needs from it (token, phone)."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Reply:
    """One answer: HTTP status, raw body and the client-side time in milliseconds."""

    status: int
    body: bytes
    ms: float

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    base_url: str,
    method: str,
    path: str,
    body: bytes | str | dict[str, Any] | None = None,
    content_type: str = "application/json",
    timeout: float = 120.0,
) -> Reply:
    """One request on a fresh connection; a dict body is sent as JSON (or a form)."""
    if isinstance(body, dict):
        body = json.dumps(body) if content_type == "application/json" else urlencode(body)
    payload = body.encode() if isinstance(body, str) else body
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    headers = {"Content-Type": content_type} if payload is not None else {}
    try:
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        ms = (time.perf_counter() - started) * 1000
        return Reply(response.status, data, ms)
    finally:
        conn.close()


def ok(reply: Reply, what: str) -> Reply:
    if not 200 <= reply.status < 300:
        raise RuntimeError(f"{what}: HTTP {reply.status} {reply.body[:200]!r}")
    return reply


@dataclass(frozen=True)
class Target:
    """A full-access token of the first office and one of its real leads."""

    token: str
    office: str
    phone: str
    list_id: str
    status: str
    lead_id: str = ""  # the same lead's id (recordings and callbacks by lead)


def discover(base_url: str) -> Target:
    """Token from GET /_mockvoso/offices, a real lead from leads/search (limit 1)."""
    offices = ok(call(base_url, "GET", "/_mockvoso/offices"), "offices").json()["offices"]
    office = offices[0]
    token = next(t["token"] for t in office["tokens"] if "leads" in t["sections"])
    full = [t["token"] for t in office["tokens"] if len(t["sections"]) >= 5]
    token = full[0] if full else token
    form = {"auth_token": token, "limit": 1}
    found = ok(call(base_url, "POST", "/v1/leads/search", form, FORM), "leads/search").json()
    lead = found["data"]["entries"][0]
    return Target(
        token, office["acronym"], lead["phone_number"], lead["list_id"], lead["status"], lead["id"]
    )


def add_fault(base_url: str, rule: dict[str, Any]) -> str:
    """POST a fault rule; its id."""
    reply = ok(call(base_url, "POST", "/_mockvoso/faults", rule), "add fault")
    return str(reply.json()["fault"]["id"])


def clear_faults(base_url: str) -> None:
    ok(call(base_url, "DELETE", "/_mockvoso/faults"), "clear faults")


def reset(base_url: str) -> Reply:
    return ok(call(base_url, "POST", "/_mockvoso/reset"), "reset")
