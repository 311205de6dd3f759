"""The wire capture: a fixed, ordered list of requests replayed against one fresh app.

Issue 9 ("behaviour unchanged on the wire"): `REQUESTS` covers every /v1 action (GET and
POST; query, form, multipart, JSON and merged parameters), their domain errors, the HTTP
400/401/403/404/405/413 answers, every fault effect, the fault header, the rate limiter
and every control route. `replay(fresh_app())` sends them, in order, to ONE app built
with fixed settings, an injected no-op `sleep` and a fake `monotonic` clock, and returns
what a client sees for each: status, the headers that matter and the exact body text.
`tests/data/wire_capture.json` holds the recorded answer; `tests/test_wire_capture.py`
replays and compares it entry by entry.

Regenerate the capture ONLY when a change on the wire is intended, then review the diff
(`git diff tests/data/wire_capture.json`) as carefully as code:

    python tests/wire_requests.py --write    # record
    python tests/wire_requests.py            # compare with the file; exit 1 on a difference

What is normalised, and nothing else:
- In the body of `GET /_mockvoso/requests` the journal's wall-clock fields: each entry's
  `time` becomes "<time>" and a numeric `duration_ms` becomes "<duration_ms>" (a null
  duration, for a request answered before the pipeline started, stays null).
- The `Allow` header is recorded with its methods sorted: werkzeug builds it from a set,
  so its order changes with PYTHONHASHSEED from one process to the next (HTTP gives that
  order no meaning).
- The bodies of /openapi.yaml, /openapi.json and /docs (and its assets) are not recorded
  when answered 200 (status and Content-Type only): the contract is regenerated on purpose.

Only stable entry points are used: `mockvoso.app.create_app` and Flask's test client.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from mockvoso.app import create_app

CAPTURE_PATH = Path(__file__).parent / "data" / "wire_capture.json"

# Fixed settings: the same world on every machine and every day. A small office keeps the
# capture readable; a small journal and body limit make their edges cheap to reach.
SETTINGS: dict[str, Any] = {
    "seed": 1234,
    "leads": 20,
    "clock": "2026-01-01T00:00:00",
    "journal_size": 12,
    "max_body_bytes": 4096,
    "fault_headers": True,
    "require_office": False,
    "legacy_auth_status": False,
}
# The headers a client acts on; recorded only when present, in this order.
MATTERING_HEADERS: tuple[str, ...] = (
    "Content-Type",
    "X-Mockvoso-Fault",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Allow",
    "Location",
)
# Routes whose bodies are the contract and its page (regenerated on purpose): status and
# Content-Type only. Their 404/405 answers are the JSON envelope and are recorded.
# The dashboard's page and files are HTML/JS for a browser (tests/browser covers them).
UNCAPTURED_PATHS: frozenset[str] = frozenset(
    {"/openapi.yaml", "/openapi.json", "/docs", "/_mockvoso/ui"}
)
UNCAPTURED_PREFIXES: tuple[str, ...] = ("/docs/", "/_mockvoso/ui/static/", "/recordings/")
TIME_TOKEN = "<time>"
DURATION_TOKEN = "<duration_ms>"
CLOCK_START = 1000.0  # the fake monotonic clock's first reading

# The bundled offices' tokens (seed_data/*.yaml) and what they open.
AF = "acmefull499bf56dd125ac3f46bb39e0"  # ACME, every section
AL = "acmeleads1d34a2190e255185d742cbb"  # ACME, leads + lists
AR = "acmereport6aa5feed2bebcdd1bf068d"  # ACME, log + users + campaigns
BF = "bravofull53141221cc10fcfc1111f44"  # BRAVO, every section
BL = "bravoleads789fc28dbd746fbb93e43b"  # BRAVO, leads
BC = "bravocamp66f9836b831d1a1524bb84c"  # BRAVO, campaigns + lists

Kept = dict[str, bytes]


@dataclass(frozen=True)
class Req:
    """One request of the capture. `body` may be computed from bodies kept earlier."""

    method: str
    path: str
    query: dict[str, Any] | str | None = None
    form: dict[str, Any] | None = None  # URL-encoded, or multipart with multipart=True
    multipart: bool = False
    json: Any = None  # sent as application/json
    body: bytes | str | Callable[[Kept], bytes] | None = None  # raw, sent as is
    content_type: str | None = None  # for a raw body
    headers: dict[str, str] | None = None
    advance: float = 0.0  # seconds the fake clock moves before this request
    keep: str | None = None  # keep the response body under this name
    note: str = ""

    def describe(self) -> dict[str, Any]:
        """The request as the capture file shows it (JSON-ready, deterministic)."""
        out: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.query is not None:
            out["query"] = _shorten(self.query)
        if self.form is not None:
            out["multipart" if self.multipart else "form"] = _shorten(self.form)
        if self.json is not None:
            out["json"] = _shorten(self.json)
        if self.body is not None:
            out["body"] = _describe_body(self.body)
        if self.content_type is not None:
            out["content_type"] = self.content_type
        if self.headers:
            out["headers"] = self.headers
        if self.advance:
            out["advance_s"] = self.advance
        if self.note:
            out["note"] = self.note
        return out


LONG = 200  # longer request values are described by length and digest, not copied


def _digest(raw: bytes) -> str:
    return f"<{len(raw)} bytes, sha256 {hashlib.sha256(raw).hexdigest()[:16]}>"


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > LONG:
        return _digest(value.encode())
    if isinstance(value, dict):
        return {key: _shorten(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shorten(item) for item in value]
    return value


def _describe_body(body: bytes | str | Callable[[Kept], bytes]) -> str:
    if callable(body):
        return "<computed: see note>"
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > LONG:
        return _digest(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return f"<bytes {raw.hex()}>"


# --------------------------------------------------------------------------- builders


def v1(
    action: str,
    params: dict[str, Any] | None = None,
    *,
    via: str = "form",
    token: str | None = AF,
    headers: dict[str, str] | None = None,
    advance: float = 0.0,
    note: str = "",
) -> Req:
    """A /v1 call; the token goes into the params (first) unless None.

    via: "query" (GET), "form" (POST URL-encoded), "json" (POST JSON object),
    "multipart" (POST multipart form) or "post-query" (POST, params in the query).
    """
    merged: dict[str, Any] = {"auth_token": token} if token is not None else {}
    merged.update(params or {})
    path = f"/v1/{action}"
    common: dict[str, Any] = {"headers": headers, "advance": advance, "note": note}
    if via == "query":
        return Req("GET", path, query=merged, **common)
    if via == "form":
        return Req("POST", path, form=merged, **common)
    if via == "multipart":
        return Req("POST", path, form=merged, multipart=True, **common)
    if via == "json":
        return Req("POST", path, json=merged, **common)
    if via == "post-query":
        return Req("POST", path, query=merged, **common)
    raise ValueError(f"unknown via {via!r}")


def raw(
    action: str,
    body: bytes | str,
    *,
    content_type: str | None = None,
    query: dict[str, Any] | str | None = None,
    note: str = "",
) -> Req:
    """A POST /v1 call with a raw body (malformed, mislabelled, oversized, ...)."""
    return Req(
        "POST", f"/v1/{action}", query=query, body=body, content_type=content_type, note=note
    )


def ctl(
    method: str,
    route: str,
    *,
    json_body: Any = None,
    body: bytes | str | Callable[[Kept], bytes] | None = None,
    query: dict[str, Any] | str | None = None,
    headers: dict[str, str] | None = None,
    keep: str | None = None,
    note: str = "",
) -> Req:
    """A control-plane call under /_mockvoso/."""
    return Req(
        method,
        f"/_mockvoso/{route}",
        query=query,
        json=json_body,
        body=body,
        headers=headers,
        keep=keep,
        note=note,
    )


def fault(rule: dict[str, Any], note: str = "") -> Req:
    return ctl("POST", "faults", json_body=rule, note=note)


def with_fault(header: str, action: str = "leads/search", **kwargs: Any) -> Req:
    """A /v1 call carrying X-Mockvoso-Fault."""
    params = kwargs.pop("params", {"limit": 1})
    return v1(action, params, headers={"X-Mockvoso-Fault": header}, **kwargs)


# --------------------------------------------------------------------------- the requests

ACTIONS: tuple[str, ...] = (
    "leads/insert",
    "leads/update",
    "leads/delete",
    "leads/search",
    "lists/insert",
    "lists/update",
    "lists/delete",
    "lists/search",
    "campaigns/search",
    "campaigns/status",
    "log/retrieve",
    "users/recordings",
)


def _control_and_docs() -> list[Req]:
    return [
        ctl("GET", "health"),
        Req("HEAD", "/_mockvoso/health"),
        ctl("GET", "offices"),
        ctl("GET", "faults"),
        ctl("GET", "rate-limit"),
        ctl("GET", "requests", note="nothing journalled yet"),
        Req("GET", "/openapi.yaml"),
        Req("GET", "/openapi.json"),
        Req("GET", "/docs"),
        Req("GET", "/docs/swagger-ui.css"),
        Req("GET", "/docs/nope.js"),
        Req("OPTIONS", "/v1/leads/search"),
        Req("OPTIONS", "/_mockvoso/faults"),
    ]


def _leads_search() -> list[Req]:
    s = "leads/search"
    return [
        v1(s, via="query", note="default limit 10"),
        v1(s, {"limit": 2}),
        v1(s, {"limit": 2, "offset": 3}, via="json"),
        v1(s, {"limit": 2, "offset": 1}, via="multipart"),
        v1(s, {"limit": 1, "offset": 4}, via="post-query"),
        Req(
            "POST",
            "/v1/leads/search",
            query={"auth_token": AF, "limit": 5, "list_id": 2702},
            form={"limit": 2},
            note="merged: query < form",
        ),
        Req(
            "POST",
            "/v1/leads/search",
            query={"auth_token": AF, "limit": 5, "list_id": 2705},
            json={"limit": 1, "offset": 1},
            note="merged: query < JSON",
        ),
        Req(
            "POST",
            "/v1/leads/search",
            body=json.dumps({"auth_token": AF, "limit": 1, "offset": 2}),
            content_type="application/x-www-form-urlencoded",
            note="JSON body labelled as a form",
        ),
        raw(s, json.dumps({"auth_token": AF, "limit": 1}), content_type="text/plain"),
        raw(s, json.dumps({"auth_token": AF, "limit": 1, "offset": 5}), note="no Content-Type"),
        raw(s, f"auth_token={AF}&limit=1&offset=6", note="a form body with no Content-Type"),
        v1(s, {"phone_number": "(873) 621-2102"}, note="formatting stripped"),
        v1(s, {"phone_number": "8736212102"}, via="query"),
        v1(s, {"list_id": "2701,2706"}),
        Req("GET", "/v1/leads/search", query=f"auth_token={AF}&list_id=2701&list_id=2706"),
        v1(s, {"list_id": [2701, 2706], "limit": 3}, via="json"),
        v1(s, {"status": "NA,DROP"}),
        v1(s, {"user_id": "1000004"}),
        v1(s, {"owner_id": "1000007", "limit": 3}),
        v1(s, {"email": "PAUL.BERG.1@HOTMAIL.COM"}),
        v1(s, {"first_name": "david"}),
        v1(s, {"first_name": "Darrell", "last_name": "decker"}),
        v1(s, {"lead_id": "900000003,900000004"}),
        v1(s, {"lead_id": "900000003", "status": "SALE"}, note="no match"),
        v1(s, {"created_at_start_date": "2025-12-28"}),
        v1(s, {"created_at_end_date": "2025-12-05"}),
        v1(s, {"updated_at_start_date": "2025-12-30 00:00:00"}),
        v1(
            s, {"updated_at_end_date": "2025-12-14 23:59:59", "updated_at_start_date": "2025-12-13"}
        ),
        v1(s, {"last_call_start_date": "2025-12-28", "last_call_end_date": "2025-12-30"}),
        v1(s, {"offset": 18, "limit": 5}),
        v1(s, {"offset": 100}),
        v1(s, {"list_id": 2701, "limit": 5000}, note="limit capped at 2000"),
        v1(s, {"phone_number": "", "limit": "", "offset": ""}, note="empty = not supplied"),
        v1(s, {"phone_number": None, "limit": 1, "offset": None}, via="json"),
        v1(s, {"list_id": 2705, "limit": 2}, via="json", note="JSON numbers"),
        v1(s, {"plan_sold": "Gold"}, note="a custom field no lead has yet"),
        v1(s, {"first_name": "%FF"}, via="query", note="percent sign taken literally"),
        Req("GET", "/v1/leads/search", query=f"auth_token={AF}&first_name=%FF"),
        v1(s, {"limit": 0}),
        v1(s, {"limit": -1}),
        v1(s, {"limit": "ten"}),
        v1(s, {"offset": -5}),
        v1(s, {"offset": "1.5"}),
        v1(s, {"offset": "x", "limit": "y"}, note="limit's code first"),
        v1(s, {"list_id": "abc"}),
        v1(s, {"lead_id": "\u00b2"}),
        v1(s, {"created_at_start_date": "yesterday"}),
        v1(s, {"created_at_end_date": "2025-02-30"}),
        v1(s, {"created_at_start_date": "\uff12\uff10\uff12\uff16-01-01"}),
        raw(s, json.dumps({"auth_token": AF, "limit": 1})[:-1], content_type="application/json"),
        raw(s, "[1, 2]", content_type="application/json"),
        raw(s, '"text"', content_type="application/json"),
        raw(s, f"auth_token={AF}", content_type="application/json", note="not JSON at all"),
        v1(s, {"list_id": {"a": 1}}, via="json"),
        v1(s, {"list_id": [True]}, via="json"),
        raw(s, b'{"auth_token": "x", "name": "\xff"}', content_type="application/json"),
        raw(s, b"auth_token=x&name=\xff", content_type="application/x-www-form-urlencoded"),
        raw(s, f"auth_token={AF}&notes=" + "x" * 4100, note="over max_body_bytes"),
        Req(
            "POST",
            "/v1/leads/search",
            form={"auth_token": AF, "notes": "y" * 4100},
            multipart=True,
            note="multipart over max_body_bytes",
        ),
    ]


def _auth() -> list[Req]:
    s = "leads/search"
    out = [
        v1(s, token=None),
        v1(s, token="not-a-token"),
        v1(s, {"limit": 1}, token=None, headers={"Authorization": f"Bearer {AF}"}),
        v1(s, {"limit": 1}, token=None, headers={"Authorization": "Bearer nope"}),
        v1(s, token=None, headers={"Authorization": f"Basic {AF}"}),
        v1(s, token=None, headers={"Authorization": "Bearer "}),
        v1(s, {"limit": 1}, token="", headers={"Authorization": f"bearer {AF}"}),
        v1(s, {"limit": 1, "officeAcronym": "ACME"}),
        v1(s, {"limit": 1, "officeAcronym": "acme"}, via="query"),
        v1(s, {"officeAcronym": "BRAVO"}),
        v1(s, {"limit": 1}, headers={"X-Office-Acronym": "BRAVO"}),
        v1(s, {"limit": 1}, headers={"X-Office-Acronym": "acme"}),
        v1("log/retrieve", token=AL),
        v1("users/recordings", {"user": "jane.doe@acme.example"}, token=AL),
        v1("campaigns/search", token=AL),
        v1("leads/search", token=AR),
        v1("lists/search", token=AR),
        v1("lists/search", token=BL),
        v1("leads/insert", {"list_id": 3801, "phone_number": "5305550199"}, token=BC),
        v1("campaigns/search", token=BC),
        v1("lists/search", {"status": 1}, token=BC),
        v1("leads/search", {"limit": 1}, token=AL),
        v1("leads/search", {"lead_id": 900000001}, token=BF, note="another office's lead"),
        v1("leads/update", {"lead_id": 900000001, "status": "SALE"}, token=BF),
        v1("lists/search", {"id": 2701}, token=BF),
        v1("leads/insert", {"list_id": 2701, "phone_number": "5305550198"}, token=BF),
        v1(s, {"list_id": "abc"}, token=None, note="auth before the parameters' types"),
        raw(s, '{"limit": 1', content_type="application/json", note="body read before auth"),
    ]
    # Every action, by GET and by POST, without a token.
    for index, action in enumerate(ACTIONS):
        out.append(v1(action, token=None, via="query" if index % 2 else "form"))
        out.append(v1(action, token="bad-token", via="form" if index % 2 else "query"))
    return out


def _routes() -> list[Req]:
    return [
        Req("GET", "/v1/leads/nope", query={"auth_token": AF}),
        Req("POST", "/v1/nope/search", form={"auth_token": AF}),
        Req("GET", "/v1"),
        Req("GET", "/"),
        Req("GET", "/v1/leads/search/", query={"auth_token": AF}),
        Req("GET", "/_mockvoso/nope"),
        Req("GET", "/_mockvoso/faults/f1"),
        Req("PUT", "/v1/leads/insert"),
        Req("DELETE", "/v1/leads/search"),
        Req("PATCH", "/_mockvoso/faults"),
        Req("POST", "/_mockvoso/health"),
        Req("GET", "/_mockvoso/reset"),
        Req("POST", "/_mockvoso/requests"),
        Req("DELETE", "/_mockvoso/snapshot"),
        Req("POST", "/openapi.yaml"),
    ]


def _leads_writes() -> list[Req]:
    ins, upd, dele, s = "leads/insert", "leads/update", "leads/delete", "leads/search"
    phone = "5305550101"
    return [
        v1(
            ins,
            {"list_id": 2701, "phone_number": "(530) 555-0101", "first_name": "Ada"}
            | {"plan_sold": "Gold"},
            advance=3600,
            note="clock at 01:00:00",
        ),
        v1(s, {"phone_number": phone}),
        v1(s, {"plan_sold": "gold"}, note="custom field search"),
        v1(
            ins,
            {"list_id": 2702, "phone_number": 5305550102, "email": "ada@example.com"}
            | {"user_id": "1000001", "owner_id": 1000002, "notes": "JSON insert"},
            via="json",
            advance=1.5,
        ),
        v1(ins, {"list_id": 2703, "phone_number": "530.555.0103", "gender": "F"}, via="query"),
        v1(ins, {"list_id": 2705, "phone_number": "5305550104", "city": "Reno"}, via="multipart"),
        v1(ins, {"list_id": 2701}),
        v1(ins, {"phone_number": "5305550105"}),
        v1(ins, {"list_id": 2701, "phone_number": ""}),
        v1(ins, {"list_id": 2701, "phone_number": "12345"}),
        v1(ins, {"list_id": 2701, "phone_number": "not-a-phone"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550106", "alt_phone_1": "1"}),
        v1(ins, {"list_id": 9999, "phone_number": "5305550106"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550106", "email": "not-an-email"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550106", "user_id": "999"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550106", "owner_id": "2000001"}),
        v1(ins, {"list_id": 2705, "phone_number": phone, "check_dup": 1}),
        v1(ins, {"list_id": 2705, "phone_number": phone, "check_dup": 2}, note="other list"),
        v1(ins, {"list_id": 2701, "phone_number": phone, "check_dup": 2}),
        v1(ins, {"list_id": 2702, "phone_number": phone, "check_dup": 3}, note="same campaign"),
        v1(ins, {"list_id": 2703, "phone_number": "5305550102", "check_dup": 3}),
        v1(ins, {"list_id": 2704, "phone_number": phone, "check_dup": "true"}),
        v1(ins, {"list_id": 2704, "phone_number": phone, "check_dup": 0}),
        v1(ins, {"list_id": 2704, "phone_number": phone, "check_dup": 7}),
        v1(s, {"phone_number": phone}, note="duplicates by now"),
        v1(
            ins,
            {"list_id": 2701, "phone_number": "5305550107", "update_if_found": 1}
            | {"lead_id": 900000001, "last_name": "Berg-Updated"},
            advance=60,
        ),
        v1(
            ins,
            {"list_id": 2701, "phone_number": phone, "update_if_found": "Y"}
            | {"search_list_id": 2701, "first_name": "Ada B."},
        ),
        v1(
            ins,
            {"list_id": 2703, "phone_number": "5305550102", "update_if_found": "true"}
            | {"search_campaign_id": 502},
            note="found in campaign 502 (inserted above)",
        ),
        v1(
            ins,
            {"list_id": 2705, "phone_number": "5305550108", "update_if_found": "yes"}
            | {"search_campaign_id": 501},
            note="none found: inserted",
        ),
        v1(s, {"lead_id": "900000001"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550109", "hopper_priority": 100}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550109", "hopper": "maybe"}),
        v1(
            ins,
            {"list_id": 2701, "phone_number": "5305550109", "hopper": 1, "check_dnc": "N"}
            | {"check_wireless": "0", "hopper_priority": 99, "blueinkdigital_token": "t"},
        ),
        v1(ins, {"list_id": "abc", "phone_number": "5305550110"}),
        v1(ins, {"list_id": 2701, "phone_number": "5305550110", "phone_code": "x"}),
        v1(
            ins,
            {"list_id": 2701, "phone_number": "5305550111", "id": "1", "created_at": "garbage"}
            | {"directory_name": "x", "campaign_id": "999"},
            note="server-owned keys ignored",
        ),
        v1(s, {"phone_number": "5305550111"}),
        v1(
            ins,
            {"list_id": 2701, "phone_number": "5305550112"},
            token=None,
            via="json",
            headers={"Authorization": f"Bearer {AF}"},
        ),
        v1(ins, {"list_id": 3801, "phone_number": "5305550101"}, token=BF, note="BRAVO"),
        v1(s, {"phone_number": phone}, token=BF),
        v1(
            upd,
            {"lead_id": 900000021, "status": "SALE", "first_name": "Ada Lovelace"},
            advance=125,
        ),
        # One custom field per request: marshmallow hands unknown keys over in set order,
        # so two new ones in one request come back in a PYTHONHASHSEED-dependent order.
        v1(upd, {"lead_id": 900000022, "plan_sold": "Platinum"}, via="json"),
        v1(upd, {"lead_id": 900000022, "source": "tv", "city": "Fresno"}),
        v1(upd, {"lead_id": "900000023", "list_id": 2705}, via="query"),
        v1(s, {"lead_id": "900000021,900000022,900000023"}),
        v1(s, {"list_id": 2705, "limit": 1, "offset": 4}),
        v1(upd, {"lead_id": 123, "status": "SALE"}),
        v1(upd, {"status": "SALE"}),
        v1(upd, {"lead_id": 900000021, "list_id": 9999}),
        v1(upd, {"lead_id": 900000021, "phone_number": "12"}),
        v1(upd, {"lead_id": 900000021, "email": "nope@"}),
        v1(upd, {"lead_id": 900000021, "user_id": "1000009"}),
        v1(upd, {"lead_id": "abc"}),
        v1(upd, {"lead_id": "\uff19"}),
        v1(s, {"lead_id": 900000021}, note="unchanged by the failed updates"),
        v1(dele, {"lead_id": 900000014}, note="has a call-log row"),
        v1("log/retrieve", {"lead_id": 900000014}, note="its row went with it"),
        v1(dele, {"lead_id": 900000014}),
        v1(dele, {}),
        v1(dele, {"lead_id": "x"}),
        v1(dele, {"lead_id": 900000022}, via="query"),
        v1(dele, {"lead_id": 900000023}, via="json"),
        v1(s, {"lead_id": "900000014,900000022,900000023"}),
    ]


def _lists() -> list[Req]:
    ins, upd, dele, s = "lists/insert", "lists/update", "lists/delete", "lists/search"
    return [
        v1(s, via="query"),
        v1(s, {"status": 1}),
        v1(s, {"status": 0}),
        v1(s, {"status": "N"}, via="json"),
        v1(s, {"status": "maybe"}),
        v1(s, {"campaign_id": 501}),
        v1(s, {"id": "2701,2703"}),
        Req("GET", "/v1/lists/search", query=f"auth_token={AF}&id=2701&id=2704"),
        v1(s, {"id": [2701, 2702]}, via="json"),
        v1(s, {"id": 9999}),
        v1(s, {"id": "2701,9999"}),
        v1(s, {"campaign_id": "abc"}),
        v1(s, {"id": "abc"}),
        v1(s, {"campaign_id": 999}),
        v1(ins, {"name": "Spring Promo Leads", "campaign_id": 502}),
        v1(
            ins,
            {"name": "Summer Promo Leads", "campaign_id": 503, "description": "d", "status": 0},
            via="json",
        ),
        v1(ins, {"name": "Autumn Promo Leads", "campaign_id": 501, "status": "N"}, via="query"),
        v1(ins, {"campaign_id": 502}),
        v1(ins, {"name": "", "campaign_id": 502}),
        v1(ins, {"name": "Short", "campaign_id": 502}),
        v1(ins, {"name": "medicare leads jan", "campaign_id": 502}),
        v1(ins, {"name": "Winter Promo Leads", "campaign_id": 999}),
        v1(ins, {"name": "Winter Promo Leads"}),
        v1(ins, {"name": "Winter Promo Leads", "campaign_id": 502, "description": "d" * 256}),
        v1(ins, {"name": "Winter Promo Leads", "campaign_id": 502, "status": "maybe"}),
        v1(ins, {"name": "Winter Promo Leads", "campaign_id": "abc"}),
        v1(ins, {"name": "Winter Promo Leads", "campaign_id": 601}, note="BRAVO's campaign"),
        v1(s, {"campaign_id": 502}),
        v1(upd, {"list_id": 2707, "name": "Spring Promo Leads v2", "status": 0}),
        v1(upd, {"list_id": 2707, "campaign_id": 501}, via="json"),
        v1(upd, {"list_id": 2708, "description": "new words"}, via="query"),
        v1(upd, {"list_id": 9999, "name": "Whatever Name"}),
        v1(upd, {"name": "Whatever Name"}),
        v1(upd, {"list_id": 2707, "name": "Tiny"}),
        v1(upd, {"list_id": 2707, "name": "ACA Web Leads Q1"}),
        v1(upd, {"list_id": 2707, "campaign_id": 999}),
        v1(upd, {"list_id": 2707, "name": "Spring Promo Leads v2"}, note="its own name"),
        v1(upd, {"list_id": "abc"}),
        v1(s, {"id": "2707,2708,2709"}),
        v1(dele, {"list_id": 2706}, note="holds leads 900000008 and 900000010"),
        v1("leads/search", {"list_id": 2706}),
        v1("leads/search", {"lead_id": "900000008,900000010"}),
        v1(dele, {"list_id": 2706}, via="query"),
        v1(dele, {}, via="json"),
        v1(dele, {"list_id": "x"}),
        v1("leads/insert", {"list_id": 2706, "phone_number": "5305550120"}),
        v1(s, {"id": 2706}),
        v1(s, via="json"),
    ]


def _campaigns() -> list[Req]:
    s, st = "campaigns/search", "campaigns/status"
    return [
        v1(s, via="query"),
        v1(s, {"limit": 1, "offset": 2}, note="ignored"),
        v1(s, via="json"),
        v1(st, {"campaign_id": 502, "status": 0}),
        v1(s, via="post-query"),
        v1(st, {"campaign_id": 502, "status": 1}, via="query"),
        v1(st, {"campaign_id": 503, "status": "false"}, via="json"),
        v1(st, {"campaign_id": 504, "status": "Y"}),
        v1(st, {"campaign_id": 504, "status": "no"}, via="multipart"),
        v1(st, {"campaign_id": 999, "status": 1}),
        v1(st, {"status": 1}),
        v1(st, {"campaign_id": 601, "status": 1}),
        v1(st, {"campaign_id": 502}),
        v1(st, {"campaign_id": 502, "status": "maybe"}),
        v1(st, {"campaign_id": "abc", "status": 1}),
        v1(s, token=AR),
        v1(s, token=BF, via="query"),
    ]


def _log() -> list[Req]:
    s = "log/retrieve"
    return [
        v1(s, via="query", note="every row, newest first"),
        v1(s, {"order": "asc", "limit": 3}),
        v1(s, {"order": "DESC", "offset": 2, "limit": 2}, via="json"),
        v1(s, {"include_recordings": 1, "limit": 2}),
        v1(s, {"include_recordings": "no", "limit": 1}, via="multipart"),
        v1(s, {"lead_id": 900000009}),
        v1(s, {"lead_id": "900000009,900000004"}),
        v1(s, {"list_id": 2702, "limit": 3}),
        v1(s, {"campaign_id": 502}),
        v1(s, {"user_id": 1000005}),
        v1(s, {"queue_id": 68922}),
        v1(s, {"status": "NI"}),
        v1(s, {"status": "ni"}),
        v1(s, {"phone_number": "3725026670", "order": "asc"}),
        v1(s, {"number_dialed": "2013755005"}),
        v1(s, {"first_name": "carol", "last_name": "HERRERA"}),
        v1(s, {"called_count": 4}),
        v1(s, {"call_type": "inbound"}),
        v1(s, {"call_type": "INBOUND,3way"}),
        v1(s, {"id": 3600000004}),
        v1(s, {"start_time": "2025-12-28", "end_time": "2025-12-31"}),
        v1(s, {"start_time": "2025-12-31 12:00:00"}),
        v1(s, {"end_time": "2025-12-20"}),
        v1(s, {"start_time": "2025-12-25", "list_id": 2702}),
        v1(s, {"limit": 600, "user_id": 1000006}, note="limit capped at 500"),
        v1(s, {"limit": 0}),
        v1(s, {"offset": -1}),
        v1(s, {"limit": "abc"}),
        v1(s, {"list_id": 9999}),
        v1(s, {"campaign_id": 999}),
        v1(s, {"user_id": 999}),
        v1(s, {"queue_id": 1}),
        v1(s, {"call_type": "FAX"}),
        v1(s, {"id": "abc"}),
        v1(s, {"order": "sideways"}),
        v1(s, {"include_recordings": "maybe"}),
        v1(s, {"start_time": "2025-13-01"}),
        v1(s, {"lead_id": "1,x"}),
        v1(s, {"limit": 2}, token=BF),
        v1(s, {"limit": 1}, token=AR, via="query"),
    ]


def _recordings() -> list[Req]:
    s = "users/recordings"
    return [
        v1(s, {"user": "jane.doe@acme.example"}, via="query"),
        v1(s, {"user": "hannah.kim@acme.example,derek.walsh@acme.example"}),
        v1(s, {"user": ["HANNAH.KIM@acme.example"]}, via="json"),
        v1(s, {"user": "hannah.kim@acme.example", "start_time": "2025-12-24"}),
        v1(s, {"user": "derek.walsh@acme.example", "end_time": "2025-12-20"}),
        v1(s, {"user": "hannah.kim@acme.example,hannah.kim@acme.example", "limit": 1}),
        v1(s, {"user": "hannah.kim@acme.example,derek.walsh@acme.example", "offset": 1}),
        v1(s, {"user": "jane.doe@acme.example", "limit": 5000}),
        v1(s, {}),
        v1(s, {"user": ""}),
        v1(s, {"user": "nobody@acme.example"}),
        v1(s, {"user": "amy.chen@bravosolar.example"}, note="BRAVO's agent"),
        v1(s, {"user": "jane.doe@acme.example", "limit": 0}),
        v1(s, {"user": "jane.doe@acme.example", "offset": "x"}),
        v1(s, {"user": "jane.doe@acme.example", "start_time": "soon"}),
        v1(s, {"user": "amy.chen@bravosolar.example"}, token=BF, via="multipart"),
        v1(s, {"user": "tasha.green@acme.example"}, token=AR, via="post-query"),
    ]


def _journal() -> list[Req]:
    return [
        ctl("GET", "requests", query={"limit": 2}, note="the ring buffer is full by now"),
        ctl("DELETE", "requests"),
        ctl("GET", "requests"),
        v1("leads/search", {"limit": 1, "phone_number": "3725026670"}),
        v1("leads/insert", {"list_id": 3801, "phone_number": "1"}, token=BF),
        v1("campaigns/search", token=None),
        Req("GET", "/v1/nope", query={"auth_token": AF}),
        v1("leads/search", {"list_id": "abc"}, token=AL),
        Req("DELETE", "/v1/leads/search"),
        ctl("GET", "health", note="the control plane is not journalled"),
        ctl("GET", "requests"),
        ctl("GET", "requests", query={"endpoint": "leads/search"}),
        ctl("GET", "requests", query={"office": "bravo"}),
        ctl("GET", "requests", query={"status": 401}),
        ctl("GET", "requests", query={"status": 200, "endpoint": "leads/search", "limit": 1}),
        ctl("GET", "requests", query={"limit": 0}),
        ctl("GET", "requests", query={"status": "abc"}),
        ctl("GET", "requests", query={"limit": -1}),
        ctl("GET", "requests", query={"limit": "9" * 21}),
        ctl("GET", "requests", query={"endpoint": "", "office": "", "status": ""}),
        *[v1("campaigns/search", token=BC) for _ in range(7)],
        ctl("GET", "requests", query={"limit": 3}, note="13 journalled: 1 dropped"),
    ]


def _fault_rules() -> list[Req]:
    s = "leads/search"
    bad_rules: list[Any] = [
        {"endpoint": "leads/search", "status": 500, "probability": 2},
        {"status": 500, "colour": "red"},
        {"status": 500, "colour": "red", "size": 1},
        {"status": 200},
        {"status": "500"},
        {"error_code": 1234},
        {"error_code": 6001.5},
        {"fault": "explode"},
        {"status": 500, "fault": "drop"},
        {"fault": "drop", "hang_ms": 100},
        {"fault": "hang", "hang_ms": 200000},
        {"endpoint": "leads/search"},
        {"endpoint": "leads/explode", "status": 500},
        {"endpoint": 5, "status": 500},
        {"method": "PUT", "status": 500},
        {"office": "", "status": 500},
        {"times": 0, "status": 500},
        {"latency_ms": -1},
        {"latency_ms": 600001},
        {"probability": True, "status": 500},
        {"id": "f9", "status": 500},
        [1],
    ]
    return [
        ctl("GET", "faults"),
        *[fault(rule) for rule in bad_rules],
        ctl("POST", "faults", body="{not json"),
        ctl("POST", "faults", note="empty body"),
        fault({"endpoint": "leads/search", "status": 500, "times": 2}),
        ctl("GET", "faults"),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}, via="query"),
        ctl("GET", "faults", note="the rule expired"),
        v1(s, {"limit": 1}),
        fault({"endpoint": "/v1/leads/search/", "status": 429, "method": "get"}),
        v1(s, {"limit": 1}, via="query"),
        v1(s, {"limit": 1}),
        ctl("DELETE", "faults/f2"),
        ctl("DELETE", "faults/f2"),
        fault({"endpoint": "leads/insert", "error_code": 6009}),
        v1("leads/insert", {"list_id": 2701, "phone_number": "5305550130"}),
        v1(s, {"phone_number": "5305550130"}, note="nothing was written"),
        fault({"error_code": 102, "office": "BRAVO"}),
        v1("campaigns/search", token=BF),
        v1("campaigns/search", token=AF),
        fault({"endpoint": "lists/search", "error_code": 6000, "times": 1}),
        v1("lists/search"),
        fault({"endpoint": "leads/update", "error_code": 6023, "times": 1, "method": "*"}),
        v1("leads/update", {"lead_id": 900000001, "status": "SALE"}),
        v1("leads/search", {"lead_id": 900000001}, note="the update was not applied"),
        ctl("GET", "faults"),
        ctl("DELETE", "faults"),
        fault({"endpoint": "log/retrieve", "latency_ms": 300}),
        v1("log/retrieve", {"limit": 1}),
        fault({"endpoint": "log/retrieve", "latency_ms": 100, "jitter_ms": 50}),
        v1("log/retrieve", {"limit": 1}),
        v1("log/retrieve", {"limit": 1}, via="query"),
        fault({"endpoint": "log/retrieve", "status": 503, "times": 1}),
        v1("log/retrieve", {"limit": 1}, note="both latencies, then the 503"),
        ctl("DELETE", "faults"),
        fault({"endpoint": "campaigns/search", "fault": "empty", "times": 1}),
        v1("campaigns/search"),
        fault({"endpoint": "campaigns/search", "fault": "malformed", "times": 1}),
        v1("campaigns/search"),
        fault({"endpoint": "campaigns/search", "fault": "drop", "times": 1}),
        v1("campaigns/search"),
        fault({"endpoint": "campaigns/search", "fault": "hang", "hang_ms": 2000, "times": 1}),
        v1("campaigns/search"),
        fault({"endpoint": "users/recordings", "fault": "HANG", "times": 1}),
        v1("users/recordings", {"user": "jane.doe@acme.example"}),
        v1("campaigns/search", note="every rule spent"),
        fault({"endpoint": "campaigns/search", "status": 500, "probability": 0.5}),
        *[v1("campaigns/search", token=AR) for _ in range(8)],
        ctl("DELETE", "faults"),
        fault({"status": 502, "times": 1}),
        fault({"endpoint": "leads/search", "status": 503, "times": 1}),
        v1(s, {"limit": 1}, token=None, note="401: auth runs before the rules"),
        ctl("GET", "health", note="the control plane is never faulted"),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}),
        fault({"office": "bravo", "method": "*", "error_code": 6002, "times": 1}),
        v1(s, {"limit": 1}, token=AF),
        v1(s, {"limit": 1}, token=BF),
        ctl("GET", "requests", query={"limit": 6}, note="faults in the journal"),
        ctl("DELETE", "faults"),
    ]


def _fault_header() -> list[Req]:
    return [
        with_fault("status=503"),
        with_fault("status=418", via="query"),
        with_fault("status=400"),
        with_fault("status=599", action="log/retrieve"),
        with_fault("status=429"),
        with_fault("error=6002"),
        with_fault("error=7231", action="users/recordings", params={"user": "x@y.z"}),
        with_fault("latency=300"),
        with_fault("latency=300, status=503"),
        with_fault("fault=empty"),
        with_fault("fault=malformed", via="json"),
        with_fault("fault=drop"),
        with_fault("fault=hang,hang=2000"),
        with_fault("fault=hang"),
        with_fault(" , "),
        with_fault("status=abc"),
        with_fault("status=200"),
        with_fault("bogus=1"),
        with_fault("status=503,status=500"),
        with_fault("hang=100"),
        with_fault("status"),
        with_fault("error=1234"),
        with_fault("fault=explode"),
        with_fault("status=503,fault=drop"),
        with_fault("latency=600001"),
        fault({"endpoint": "leads/search", "status": 500, "times": 1}),
        with_fault("status=503", note="the header wins; the rule is not spent"),
        v1("leads/search", {"limit": 1}),
        v1("leads/search", {"limit": 1}),
        with_fault("status=503", token=None, note="401 first"),
        ctl("GET", "health", headers={"X-Mockvoso-Fault": "status=500"}),
    ]


def _rate_limit() -> list[Req]:
    s = "leads/search"
    bad_limits: list[Any] = [
        {},
        {"requests": 0, "per_seconds": 60},
        {"requests": 3},
        {"requests": 3, "per_seconds": 0},
        {"requests": 3, "per_seconds": 60, "scope": "planet"},
        {"requests": 3, "per_seconds": 60, "burst": 5},
        {"requests": True, "per_seconds": 60},
        {"requests": 2.5, "per_seconds": 60},
        [3],
    ]
    return [
        ctl("GET", "rate-limit"),
        *[ctl("PUT", "rate-limit", json_body=body) for body in bad_limits],
        ctl("PUT", "rate-limit", body="{", note="malformed"),
        ctl("PUT", "rate-limit", note="empty body"),
        ctl("PUT", "rate-limit", json_body={"requests": 3, "per_seconds": 60}),
        ctl("GET", "rate-limit"),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}, via="query"),
        v1(s, {"limit": 1}, note="over the limit"),
        v1(s, {"limit": 1}, token=AL, note="another token, another bucket"),
        v1(s, {"limit": 1}, token=None, note="401: not counted"),
        v1(s, {"limit": 1}, advance=20, note="one token refilled"),
        v1(s, {"limit": 1}, advance=10),
        with_fault("status=503", token=AL),
        v1("leads/update", {"lead_id": 123}, token=AL),
        ctl("PUT", "rate-limit", json_body={"requests": 2, "per_seconds": 10, "scope": "office"}),
        v1(s, {"limit": 1}),
        v1(s, {"limit": 1}, token=AL),
        v1("campaigns/search", token=AR, note="same office: shared bucket"),
        v1(s, {"limit": 1}, token=BF),
        v1(s, {"limit": 1}, advance=5),
        ctl("GET", "health"),
        Req("GET", "/v1/nope", query={"auth_token": AF}),
        ctl("DELETE", "rate-limit"),
        v1(s, {"limit": 1}),
        ctl("GET", "rate-limit"),
    ]


def _snapshot_a(kept: Kept) -> bytes:
    return kept["snapshot-a"]


def _bravo_only(kept: Kept) -> bytes:
    doc = json.loads(kept["snapshot-a"])
    doc["offices"] = {"BRAVO": doc["offices"]["BRAVO"]}
    return json.dumps(doc).encode()


def _one_good_one_bad(kept: Kept) -> bytes:
    doc = json.loads(kept["snapshot-a"])
    doc["offices"]["BRAVO"] = "not an office"
    return json.dumps(doc).encode()


def _snapshot() -> list[Req]:
    header = {"format": "mockvoso-snapshot", "version": 1}
    return [
        ctl("GET", "snapshot", keep="snapshot-a"),
        v1("leads/insert", {"list_id": 2701, "phone_number": "5305550140"}, advance=30),
        v1("lists/insert", {"name": "Snapshot Test List", "campaign_id": 601}, token=BF),
        v1("leads/search", {"phone_number": "5305550140"}),
        ctl("POST", "snapshot", body=_snapshot_a, note="restore snapshot-a (> max_body_bytes)"),
        v1("leads/search", {"phone_number": "5305550140"}),
        v1("lists/search", {"campaign_id": 601}, token=BF),
        v1("leads/insert", {"list_id": 2701, "phone_number": "5305550140"}, note="same id again"),
        ctl("POST", "snapshot", note="empty body"),
        ctl("POST", "snapshot", body="[]"),
        ctl("POST", "snapshot", body="{"),
        ctl("POST", "snapshot", json_body={"format": "other", "version": 1, "offices": {}}),
        ctl("POST", "snapshot", json_body={"format": "mockvoso-snapshot", "version": 2}),
        ctl("POST", "snapshot", json_body=header),
        ctl("POST", "snapshot", json_body=header | {"offices": {}}),
        ctl("POST", "snapshot", json_body=header | {"offices": {"NOPE": {}}}),
        ctl("POST", "snapshot", json_body=header | {"offices": {"ACME": {}}}),
        ctl("POST", "snapshot", body=_one_good_one_bad, note="ACME good, BRAVO bad: neither"),
        v1("leads/search", {"phone_number": "5305550140"}, note="still there: all or none"),
        v1("lists/insert", {"name": "Snapshot Test List", "campaign_id": 601}, token=BF),
        ctl("POST", "snapshot", body=_bravo_only, note="snapshot-a's BRAVO only"),
        v1("lists/search", {"campaign_id": 601}, token=BF),
        v1("leads/search", {"phone_number": "5305550140"}, note="ACME untouched"),
        # Issue 13: the compact stream and the state file (round trips: test_state_file.py).
        ctl("GET", "snapshot", query={"format": "xml"}),
        ctl("POST", "snapshot", body="{}\n", headers=NDJSON, note="not a stream"),
        ctl("POST", "snapshot", body="", headers=NDJSON, note="an empty stream"),
        ctl("POST", "snapshot", json_body={"save": True}, note="no --state-file: 409"),
        ctl("POST", "snapshot", json_body={"save": 1}),
    ]


NDJSON = {"Content-Type": "application/x-ndjson"}


def _reset() -> list[Req]:
    return [
        fault({"endpoint": "campaigns/search", "status": 500, "probability": 0.5}),
        ctl("PUT", "rate-limit", json_body={"requests": 100, "per_seconds": 1}),
        v1("lists/insert", {"name": "Reset Survivor List", "campaign_id": 602}, token=BF),
        ctl("POST", "reset", json_body={"office": "acme"}),
        v1("leads/search", {"phone_number": "5305550140"}, note="ACME back to the seed"),
        v1("lists/search", {"campaign_id": 602}, token=BF, note="BRAVO kept its data"),
        ctl("GET", "faults", note="an office reset keeps the rules"),
        ctl("GET", "rate-limit"),
        ctl("POST", "reset", json_body={"office": "NOPE"}),
        ctl("POST", "reset", json_body={"office": 5}),
        ctl("POST", "reset", body="[1]"),
        ctl("POST", "reset", body="{"),
        ctl("POST", "reset"),
        ctl("GET", "faults"),
        ctl("GET", "rate-limit"),
        ctl("GET", "requests"),
        v1("lists/search", {"campaign_id": 602}, token=BF),
        v1("leads/search", via="query", note="the same as the first search"),
        fault({"endpoint": "campaigns/search", "status": 500, "probability": 0.5}),
        *[v1("campaigns/search", token=AR) for _ in range(6)],
        ctl("POST", "reset", json_body={}),
        fault({"endpoint": "campaigns/search", "status": 500, "probability": 0.5}),
        *[v1("campaigns/search", token=AR, note="the draws restarted") for _ in range(6)],
        ctl("GET", "requests", query={"limit": 2}),
    ]


def _living() -> list[Req]:
    """The virtual clock, Convoso Connect receivers and the local sink (issue 11)."""
    hook = {
        "url": "http://127.0.0.1:9/hook",
        "events": ["callback.due"],  # never fired here: no delivery races the replay
        "format": "form",
        "fields": {"phone": "phone_number", "lead": "id"},
        "defaults": {"source": "mockvoso"},
        "headers": {"X-Shared-Secret": "s3cret"},
        "query": "api_key=abc",
    }
    return [
        ctl("GET", "clock"),
        ctl("POST", "clock", json_body={"advance": 90}),
        ctl("POST", "clock", json_body={"set": "2025-01-01 00:00:00"}, note="backwards: 400"),
        ctl("POST", "clock", json_body={"advance": -1}),
        ctl("POST", "clock", json_body={"freeze": "yes"}),
        ctl("POST", "clock", json_body={"when": 1}),
        ctl("POST", "clock", json_body={"set": "2026-01-02T08:00:00", "freeze": True}),
        v1("leads/insert", {"list_id": 2701, "phone_number": "5305557001"}, note="frozen now"),
        v1("leads/search", {"phone_number": "5305557001"}),
        ctl("POST", "clock", json_body={"freeze": False}),
        ctl("POST", "webhooks", json_body=hook),
        ctl("POST", "webhooks", json_body={"events": ["lead.inserted"]}, note="no url"),
        ctl("POST", "webhooks", json_body={"url": "ftp://x"}),
        ctl("POST", "webhooks", json_body={"url": "http://h/", "events": ["nope"]}),
        ctl("POST", "webhooks", json_body={"url": "http://h/", "fields": {"a": "nope"}}),
        ctl("POST", "webhooks", json_body={"url": "http://h/", "faults": {"drop": 2}}),
        ctl("POST", "webhooks", json_body={"url": "http://h/", "office": "NOPE"}),
        ctl("GET", "webhooks"),
        ctl("GET", "webhooks/deliveries"),
        ctl("GET", "webhooks/deliveries", query={"webhook": "w1"}),
        ctl("POST", "webhooks/flush"),
        ctl("POST", "webhooks/flush", json_body={"timeout": -1}),
        ctl("DELETE", "webhooks/w9"),
        ctl("DELETE", "webhooks/w1"),
        ctl("POST", "webhooks", json_body=hook | {"office": "bravo"}),
        ctl("DELETE", "webhooks"),
        Req(
            "POST",
            "/convoso-webhook",
            json={"lead_id": "1", "status": "SALE"},
            headers={"User-Agent": "wire-capture"},  # not Werkzeug's, which names its version
        ),
        Req(
            "POST",
            "/convoso-webhook",
            body="lead_id=2&params=%7B%22a%22%3A1%7D",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "wire-capture",
            },
        ),
        ctl("GET", "webhooks/received"),
        ctl("POST", "reset"),
        ctl("GET", "clock", note="back at its anchor"),
        ctl("GET", "webhooks/received"),
    ]


def _dashboard() -> list[Req]:
    """The dashboard's page, its files, and its read-only data routes (issue 14)."""
    return [
        Req("GET", "/", headers={"Accept": "text/html"}, note="a browser: to the dashboard"),
        Req("GET", "/", headers={"Accept": "application/json"}, note="a client: 404"),
        Req("GET", "/_mockvoso/ui", headers={"Accept": "text/html"}),
        Req("GET", "/_mockvoso/ui/static/dashboard.css"),
        Req("GET", "/_mockvoso/ui/static/nope.js"),
        ctl("GET", "offices/ACME/data"),
        ctl("GET", "offices/acme/data/leads", query={"limit": 2, "status": "NEW"}),
        ctl("GET", "offices/ACME/data/lists", query={"limit": 1, "offset": 1}),
        ctl("GET", "offices/ACME/data/leads", query={"list_id": "abc"}),
        ctl("GET", "offices/NOPE/data"),
        ctl("GET", "offices/ACME/data/nope"),
        Req("GET", "/recordings/acme/convoso_3363779880_310000001_1767199434-all.wav"),
        Req("GET", "/recordings/acme/nope.wav"),
        Req("GET", "/recordings/nope/convoso_1_2_3-all.wav"),
    ]


def _issue10_i10b() -> list[Req]:
    """callbacks/*, users/search, leads/get-recordings, log/update, revenue/update and
    leads/search's deleted_at filter (issue 10): each via GET and POST, each domain error."""
    cb = {
        "lead_id": 900000003,
        "recipient": "personal",
        "user_id": 1000002,
        "callback_time_zone": "-7.00",
        "callback_time": "2026-01-02 09:30 AM",
    }
    return [
        ctl("POST", "reset"),
        v1("callbacks/search", via="query"),
        v1("callbacks/search", {"stage": "PAST_DUE", "limit": 2}),
        v1("callbacks/insert", cb),
        v1("callbacks/insert", {**cb, "callback_time_zone": "America/Los_Angeles"}, via="query"),
        v1("callbacks/insert", {**cb, "callback_time": "noon"}),
        v1("callbacks/insert", {**cb, "lead_id": 1}),
        v1("callbacks/insert", {**cb, "user_id": 2000001}),
        v1("callbacks/insert", {**cb, "recipient": ""}),
        v1("callbacks/insert", {**cb, "callback_time_zone": "Mars/Base"}),
        v1("callbacks/search", {"lead_id": 900000003}, via="json"),
        v1("callbacks/update", {"callback_id": 97000006, "comments": "later"}, via="query"),
        v1("callbacks/update", {"callback_id": 97000006, "status": "Dismissed"}),
        v1("callbacks/update", {"callback_id": 1}),
        v1("callbacks/search", {"id": 97000006}, advance=7200.0),
        v1("callbacks/search", {"id": 97000007}, advance=259200.0, note="three days on: missed"),
        v1("callbacks/delete", {"callback_id": 97000007}, via="query"),
        v1("callbacks/delete", {"callback_id": 97000007}),
        v1("callbacks/search", token=AL, note="a token without callbacks"),
        v1("users/search", via="query"),
        v1("users/search", {"user": "doe,KIM", "limit": 1}),
        v1("leads/get-recordings", {"lead_id": 0, "limit": 3}, via="query"),
        v1("leads/get-recordings", {"lead_id": 900000003}),
        v1("leads/get-recordings", {}),
        v1("log/update", {"call_log_id": 3600000001, "extra_field_01": "a"}, via="query"),
        v1("log/update", {"call_log_id": 3600000001, "extra_field_02": "b"}),
        v1("log/retrieve", {"id": 3600000001}),
        v1("log/update", {"extra_field_01": "a"}),
        v1("log/update", {"call_log_id": 1, "extra_field_01": "a"}),
        v1("log/update", {"call_log_id": 3600000001}),
        v1("revenue/update", {"call_log_id": 3600000001, "revenue": "150.75"}, via="query"),
        v1("revenue/update", {"call_log_id": 3600000001, "return": 1}, via="json"),
        v1("revenue/update", {"call_log_id": 3600000001}),
        v1("revenue/update", {"call_log_id": 3600000001, "revenue": "1e3"}),
        v1("leads/delete", {"lead_id": 900000003}),
        v1("leads/search", {"deleted_at_start": "2026-01-01"}, via="query"),
        v1("leads/search", {"archived_at_start": "2026-01-01"}),
        ctl("GET", "snapshot"),
        ctl("POST", "reset"),
    ]


# The first seeded DNC entry and SMS opt-out of ACME (their ids depend on the acronym only).
ACME_DNC_ID = 56000001
ACME_SMS_ID = 21000001


def _phone_lists_and_statuses() -> list[Req]:
    """DNC, SMS opt-out and statuses (issue 10): both methods of every action and every
    code they add. Appended last, so the entries before them stay as recorded."""
    p = {"phone_number": "3105557701", "phone_code": "1", "campaign_id": 0}
    status = {
        "status": "C001",
        "name": "Qualified Lead",
        **dict.fromkeys(("final", "dnc", "callback", "voicemail"), "N"),
        **dict.fromkeys(("reached", "success", "contact"), "Y"),
    }
    flags = ("final", "reached", "success", "dnc", "callback", "contact", "voicemail")
    return [
        v1("dnc/search", {"limit": 3}, via="query"),
        v1("dnc/search", {"campaign_id": 0, "reason": "-NOTBLANK-"}),
        v1("dnc/insert", {**p, "reason": "dnc", "purpose": "telemkt"}),
        v1("dnc/insert", p, via="query", note="duplicate: 6008"),
        v1("dnc/insert", {**p, "phone_code": "x"}),
        v1("dnc/insert", {**p, "purpose": "x"}),
        v1("dnc/insert", {**p, "reason": "x"}),
        v1("dnc/search", {"phone_number": "3105557701"}, via="json"),
        v1("dnc/search", {"id": "x"}),
        v1("dnc/update", {"id": 1}, via="query"),
        v1("dnc/update", {"id": ACME_DNC_ID, "phone_number": "3105557701", "campaign_id": 0}),
        v1("dnc/update", {"id": ACME_DNC_ID, "reason": "-BLANK-"}),
        v1("leads/insert", {"list_id": 2701, "phone_number": "3105557701", "check_dnc": 1}),
        v1("dnc/delete", {"phone_code": "1"}, via="query"),
        v1("dnc/delete", p, via="post-query"),
        v1("leads/insert", {"list_id": 2701, "phone_number": "3105557701", "check_dnc": 1}),
        v1("sms-opt-out/insert", {**p, "reason": "DNCT"}),
        v1("sms-opt-out/insert", p, via="query"),
        v1("sms-opt-out/search", {"phone_number": "3105557701", "Purpose": "-BLANK-"}),
        v1("sms-opt-out/search", {"limit": 2}, via="query"),
        v1("sms-opt-out/update", {"id": ACME_SMS_ID, "phone_number": ""}),
        v1("sms-opt-out/update", {"id": ACME_SMS_ID, "campaign_id": "x"}, via="query"),
        v1("sms-opt-out/update", {"id": ACME_SMS_ID, "purpose": "notify"}),
        v1("status/search", {"query": "sa"}, via="query"),
        v1("status/search"),
        v1("status/insert", status),
        v1("status/insert", {**status, "name": ""}, via="query"),
        v1("status/insert", {**status, "status": "A"}),
        *[v1("status/insert", {**status, flag: "maybe"}) for flag in flags],
        v1("status/insert", {**status, "hex_color": "#6711d1"}),
        v1("status/update", {"status": "C001", "name": "Hot Lead", "hex_color": "6711d1"}),
        v1("status/update", {"status": "SALE", "name": "x"}, via="query"),
        *[v1("status/update", {"status": "C001", flag: ""}, via="query") for flag in flags],
        v1("status/search", {"query": "c001"}),
        ctl("POST", "reset"),
    ]


# Issue 10 (helper i10c): agent reports and lead validation, after the reset so the
# entries above stay as recorded before them.
AGENT_ACTIONS: tuple[str, ...] = (
    "agent-performance/search",
    "agent-productivity/search",
    "agent-monitor/search",
    "agent-monitor/logout",
    "user-activity/search",
    "lead-validation/search",
    "lead-post-validation/insert",
)
ACME_MEDICARE = "acmemedicare7c1e4b9a2d8f3c6e0b5a"
ACME_ACA = "acmeacaweb3e9f1a7c5b2d8e4f6a0c1b"


def _agents_and_validation() -> list[Req]:
    perf, prod = "agent-performance/search", "agent-productivity/search"
    mon, out, act = "agent-monitor/search", "agent-monitor/logout", "user-activity/search"
    val, post = "lead-validation/search", "lead-post-validation/insert"
    december = {"date_start": "2025-12-01", "date_end": "2025-12-31"}
    reqs = [
        v1(perf, december, via="query"),
        v1(perf, {**december, "user_ids": "1000001,1000002", "status_ids": "sale,NI"}),
        v1(perf, {"date_start": "2025-12-20 10:00:00", "date_end": "2025-12-21 09:59:59"}),
        v1(perf, {**december, "campaign_ids": "502", "list_ids": "2703"}, via="json"),
        v1(perf, {**december, "user_ids": "2000001"}, note="BRAVO's agent: 6031"),
        v1(perf, note="today (2026-01-01) by default: no calls yet"),
        v1(perf, {"date_start": "yesterday"}),
        v1(prod, {"date_start": "2025-12-31", "limit": 3}, via="query"),
        v1(prod, {"date_start": "2025-12-31", "limit": 2, "offset": 4, "campaign_id": 501}),
        v1(prod, {**december, "agent_emails": "jane.doe@acme.example", "limit": 2}, via="json"),
        v1(prod, {**december, "agent_emails": "amy.chen@bravosolar.example"}),
        v1(prod, {"offset": -1}),
        v1(prod, {"limit": 0}),
        v1(prod, {"date_start": "2025-12-31", "limit": 1}, token=BF, via="multipart"),
        v1(mon, via="query"),
        v1(mon, {"campaign_id": "501,502", "filter_by_skill_options": "Spanish"}),
        v1(mon, {"queue_id": "1"}, via="json"),
        v1(act, via="query"),
        v1(act, {"user_id": "1000001"}),
        v1(out, {"user_id": "1000001"}, via="query", advance=60),
        v1(act, via="json"),
        v1(out, {"user_id": "1000001"}, note="already logged out"),
        v1(out, {}),
        v1(out, {"user_id": "2000001"}, note="BRAVO's agent"),
        v1(prod, {"agent_emails": "jane.doe@acme.example", "date_start": "2026-01-01"}),
        v1(val, {"criteria_key": ACME_MEDICARE, "phone_number": "3055550123", "state": "FL"}),
        v1(val, {"criteria_key": ACME_MEDICARE, "phone_number": "3055550123"}, via="query"),
        v1(val, {"criteria_key": ACME_ACA, "phone_number": "2125550123", "postal_code": "33101"}),
        v1(val, {"criteria_key": "bravosolarca5d2e8f1b7a4c9e3d6f0b", "phone_number": "1"}),
        v1(val, {"phone_number": "3055550123"}, via="json"),
        v1(
            post,
            {
                "criteria_key": ACME_ACA,
                "phone_number": "(305) 555-0124",
                "postal_code": "33101",
                "first_name": "Ada",
                "plan": "gold",
            },
        ),
        v1(post, {"criteria_key": ACME_ACA, "phone_number": "3055550125"}, via="query"),
        v1(post, {"criteria_key": "nope-nope", "phone_number": "3055550125"}, via="json"),
        v1(post, {"criteria_key": ACME_ACA}),
        v1(
            post,
            {
                "criteria_key": ACME_ACA,
                "phone_number": "3055550126",
                "postal_code": "33101",
                "email": "not-an-email",
            },
        ),
        v1("leads/search", {"phone_number": "3055550124"}),
        v1(perf, december, token=AL),
        v1(val, {"criteria_key": ACME_ACA, "phone_number": "3055550123"}, token=AR),
    ]
    for index, action in enumerate(AGENT_ACTIONS):
        reqs.append(v1(action, token=None, via="query" if index % 2 else "form"))
        reqs.append(v1(action, token="bad-token", via="form" if index % 2 else "query"))
        reqs.append(v1(action, token=BL, via="form" if index % 2 else "query"))
    return reqs


def _dialer() -> list[Req]:
    """The simulated dialer (issue 11): deterministic calls, their rows, a clock that dials."""
    return [
        ctl("POST", "simulate", json_body={"office": "ACME", "calls": 3}),
        ctl("GET", "clock"),
        v1("log/retrieve", {"start_time": "2000-01-01", "end_time": "2100-12-31", "limit": 3}),
        ctl("POST", "simulate", json_body={"calls": 0}),
        ctl("POST", "simulate", json_body={"office": "NOPE"}),
        ctl("POST", "clock", json_body={"advance": 600, "dial": True}),
        ctl("POST", "clock", json_body={"dial": "yes"}),
        ctl("POST", "reset"),
    ]


REQUESTS: tuple[Req, ...] = tuple(
    _control_and_docs()
    + _leads_search()
    + _auth()
    + _routes()
    + _leads_writes()
    + _lists()
    + _campaigns()
    + _log()
    + _recordings()
    + _journal()
    + _fault_rules()
    + _fault_header()
    + _rate_limit()
    + _snapshot()
    + _reset()
    + _living()
    + _dashboard()
    + _issue10_i10b()
    + _phone_lists_and_statuses()
    + _agents_and_validation()
    + _dialer()
)


# --------------------------------------------------------------------------- replay


class FakeClock:
    """The injected monotonic clock and sleep: sleeping advances the clock, nobody waits."""

    def __init__(self) -> None:
        self.now = CLOCK_START
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fresh_app() -> Flask:
    """A new app with SETTINGS and a fake clock (kept in app.config for replay())."""
    clock = FakeClock()
    app = create_app(dict(SETTINGS), sleep=clock.sleep, monotonic=clock.monotonic)
    app.config["WIRE_CLOCK"] = clock
    # A plain client: the capture compares bytes, whatever test-client class the test
    # process installed (the suite's validates the contract, which is checked elsewhere
    # and would dominate the replay's time).
    app.test_client_class = FlaskClient
    return app


_JOURNAL_TIME = re.compile(r'("id":\d+,"time":)"[^"]*"')
_JOURNAL_DURATION = re.compile(r'("duration_ms":)-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=[,}])')


def normalise_journal(text: str) -> str:
    """Replace the wall-clock `time` and `duration_ms` of every journal entry by tokens.

    Entry-level keys only: inside `params` every value is a string, so a parameter that
    happens to be called `time` or `duration_ms` never matches these patterns.
    """
    text = _JOURNAL_TIME.sub(rf'\1"{TIME_TOKEN}"', text)
    return _JOURNAL_DURATION.sub(rf'\1"{DURATION_TOKEN}"', text)


def _send(client: FlaskClient, req: Req, kept: Kept) -> Any:
    kwargs: dict[str, Any] = {"method": req.method}
    if req.query is not None:
        kwargs["query_string"] = req.query
    if req.headers:
        kwargs["headers"] = req.headers
    if req.form is not None:
        kwargs["data"] = req.form
        if req.multipart:
            kwargs["content_type"] = "multipart/form-data"
    elif req.json is not None:
        kwargs["json"] = req.json
    elif req.body is not None:
        body = req.body(kept) if callable(req.body) else req.body
        kwargs["data"] = body.encode() if isinstance(body, str) else body
        if req.content_type is not None:
            kwargs["content_type"] = req.content_type
    return client.open(req.path, **kwargs)


def _headers(response: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in MATTERING_HEADERS:
        value = response.headers.get(name)
        if value is None:
            continue
        if name == "Allow":  # a set on the server side: see the module docstring
            value = ", ".join(sorted(m.strip() for m in value.split(",")))
        out[name] = value
    return out


def _body(req: Req, response: Any) -> dict[str, Any]:
    contract = req.path in UNCAPTURED_PATHS or req.path.startswith(UNCAPTURED_PREFIXES)
    if contract and response.status_code == 200:
        return {"body": None}
    data: bytes = response.get_data()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"body_hex": data.hex()}
    if req.method == "GET" and req.path == "/_mockvoso/requests" and response.status_code == 200:
        text = normalise_journal(text)
    return {"body": text}


def replay(app: Flask, requests: tuple[Req, ...] = REQUESTS) -> list[dict[str, Any]]:
    """Send every request, in order, to `app` (from fresh_app()); one entry per request."""
    clock: FakeClock = app.config["WIRE_CLOCK"]
    client = app.test_client()
    kept: Kept = {}
    entries: list[dict[str, Any]] = []
    for index, req in enumerate(requests):
        clock.now += req.advance
        clock.slept.clear()
        entry: dict[str, Any] = {"index": index, "request": req.describe()}
        # A drop or hang reaches an in-process client as DropConnection: no response at
        # all. Any other exception is recorded the same way, so it shows up as a diff.
        try:
            response = _send(client, req, kept)
        except Exception as exc:
            entry.update(status=None, headers={}, body=None, raised=_exception(exc))
        else:
            entry.update(status=response.status_code, headers=_headers(response))
            entry.update(_body(req, response))
            if req.keep:
                kept[req.keep] = response.get_data()
        if clock.slept:
            entry["slept_s"] = list(clock.slept)
        entries.append(entry)
    return entries


def _exception(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def capture_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "about": (
            "Wire capture of tests/wire_requests.py (issue 9). Regenerate with "
            "`python tests/wire_requests.py --write` only for an intended change on the "
            "wire, and review the diff."
        ),
        "settings": SETTINGS,
        "count": len(entries),
        "entries": entries,
    }


def dumps(document: dict[str, Any]) -> str:
    """The capture file's exact text: pretty, key order as built, one trailing newline."""
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def load_capture() -> dict[str, Any]:
    return json.loads(CAPTURE_PATH.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    entries = replay(fresh_app())
    text = dumps(capture_document(entries))
    if "--write" in argv:
        CAPTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
        CAPTURE_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {len(entries)} entries to {CAPTURE_PATH}")
        return 0
    same = CAPTURE_PATH.exists() and CAPTURE_PATH.read_text(encoding="utf-8") == text
    print(f"{len(entries)} requests replayed; capture {'matches' if same else 'DIFFERS'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
