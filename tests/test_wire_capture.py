"""Issue 9: replaying the fixed requests of wire_requests.py gives exactly the recorded answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wire_requests import (
    AF,
    REQUESTS,
    SETTINGS,
    fresh_app,
    load_capture,
    normalise_journal,
    replay,
)

# The parts of an entry, in the order a difference is reported.
PARTS: tuple[str, ...] = ("request", "status", "headers", "raised", "slept_s", "body", "body_hex")
# Every Convoso domain error code mockvoso answers (mockvoso/errors.py), written out here
# so the check does not depend on where that module lives.
DOMAIN_CODES = frozenset(
    {102, 6000, 6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009, 6010, 6023, 6030}
    | {6046, 6079, 6081, 7230, 7231}
    | {6032, 6033, 6035, 6036, 6038, 7237}  # issue 10: callbacks, call-log writes
    # DNC, SMS opt-out, statuses and check_dnc (issue 10)
    | {4001, 4002, 6011, 6026, 6056, 6057, 6058, 6059, 6060, 6061}
    | set(range(6062, 6070))
    | set(range(6071, 6079))
    | {6012, 6031, 6090}  # agent reports and lead validation (issue 10)
)
CONTEXT = 60  # characters shown either side of the first differing one


def _first_text_difference(expected: str, actual: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    lo, hi = max(0, at - CONTEXT), at + CONTEXT
    return (
        f"first difference at character {at} (lengths {len(expected)} vs {len(actual)}):\n"
        f"  expected ...{expected[lo:hi]!r}...\n"
        f"  actual   ...{actual[lo:hi]!r}..."
    )


def first_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """None when equal, else "#index METHOD path: <the first differing part>"."""
    if expected == actual:
        return None
    request = expected.get("request", {})
    where = f"#{expected.get('index')} {request.get('method')} {request.get('path')}"
    note = f" ({request['note']})" if request.get("note") else ""
    for part in PARTS:
        want, got = expected.get(part), actual.get(part)
        if want == got:
            continue
        if part == "headers" and isinstance(want, dict) and isinstance(got, dict):
            names = sorted(set(want) | set(got))
            detail = "; ".join(
                f"{name}: expected {want.get(name)!r}, got {got.get(name)!r}"
                for name in names
                if want.get(name) != got.get(name)
            )
            return f"{where}{note}: headers differ: {detail}"
        if isinstance(want, str) and isinstance(got, str):
            return f"{where}{note}: {part} differs, {_first_text_difference(want, got)}"
        return f"{where}{note}: {part} differs: expected {want!r}, got {got!r}"
    extra = sorted(set(expected) ^ set(actual))
    return f"{where}{note}: entries differ in keys {extra}"


def compare(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    """Every difference, one line each; a different number of entries is one more."""
    problems = [
        diff
        for want, got in zip(expected, actual, strict=False)
        if (diff := first_difference(want, got)) is not None
    ]
    if len(expected) != len(actual):
        problems.append(f"{len(expected)} entries expected, {len(actual)} replayed")
    return problems


def report(problems: list[str], total: int) -> str:
    shown = "\n".join(problems[:5])
    more = f"\n... and {len(problems) - 5} more" if len(problems) > 5 else ""
    return (
        f"{len(problems)} of {total} requests answer differently on the wire.\n{shown}{more}\n"
        "If the change is intended: python tests/wire_requests.py --write, then review "
        "the diff of tests/data/wire_capture.json."
    )


def test_replay_matches_the_capture() -> None:
    capture = load_capture()
    assert capture["settings"] == SETTINGS, "the capture was recorded with other settings"
    assert capture["count"] == len(capture["entries"]) == len(REQUESTS)
    entries = json.loads(json.dumps(replay(fresh_app())))  # as the file holds them
    problems = compare(capture["entries"], entries)
    assert not problems, report(problems, len(REQUESTS))


def test_two_fresh_apps_replay_identically() -> None:
    first, second = replay(fresh_app()), replay(fresh_app())
    problems = compare(first, second)
    assert not problems, report(problems, len(REQUESTS))
    assert len(first) == len(REQUESTS)


def test_a_difference_names_the_request_and_the_part() -> None:
    capture = load_capture()["entries"]
    changed = [dict(entry) for entry in capture]
    index = next(i for i, e in enumerate(capture) if e["request"].get("note") == "default limit 10")
    body = capture[index]["body"]
    changed[index] = {**capture[index], "body": body.replace('"total":"20"', '"total":"21"', 1)}
    problems = compare(capture, changed)
    at = body.index('"total":"20"') + len('"total":"2')
    assert len(problems) == 1
    assert problems[0].startswith(
        f"#{index} GET /v1/leads/search (default limit 10): body differs, first difference"
        f" at character {at} (lengths {len(body)} vs {len(body)}):"
    )
    changed[index] = {**capture[index], "headers": {"Content-Type": "text/html"}}
    assert compare(capture, changed) == [
        f"#{index} GET /v1/leads/search (default limit 10): headers differ: Content-Type:"
        " expected 'application/json', got 'text/html'"
    ]
    assert compare(capture, capture[:-1]) == [
        f"{len(capture)} entries expected, {len(capture) - 1} replayed"
    ]


def test_the_capture_covers_every_route_method_and_domain_error() -> None:
    capture = load_capture()["entries"]
    app = fresh_app()
    adapter = app.url_map.bind("localhost")
    exercised: set[tuple[str, str]] = set()
    for entry in capture:
        method, path = entry["request"]["method"], entry["request"]["path"]
        if entry["status"] in (404, 405):
            continue
        endpoint, _ = adapter.match(path, method)
        exercised.add((endpoint, method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert routes - exercised == set()

    codes = set()
    for entry in capture:
        body = entry.get("body")
        if entry["status"] == 200 and body and body.startswith('{"success":false'):
            # A rejected lead-post-validation/insert is `success: false` without a code.
            code = json.loads(body).get("code")
            if code is not None:
                codes.add(code)
    assert codes == DOMAIN_CODES

    statuses = {entry["status"] for entry in capture}
    assert {200, 201, 400, 401, 403, 404, 405, 413, 429, 500, 502, 503, None} <= statuses
    faults = {entry["headers"].get("X-Mockvoso-Fault") for entry in capture}
    assert {"header", "rate-limit", "f1"} <= faults
    raised = {entry.get("raised") for entry in capture} - {None}
    assert raised == {
        "DropConnection: drop the connection after 0 ms",
        "DropConnection: drop the connection after 2000 ms",
        "DropConnection: drop the connection after 30000 ms",
    }
    assert any(e["body"] == "" and e["headers"].get("X-Mockvoso-Fault") for e in capture)


def test_the_injected_clock_stamps_writes() -> None:
    """What makes the capture's write timestamps deterministic: monotonic= drives them."""
    app = fresh_app()
    clock = app.config["WIRE_CLOCK"]
    client = app.test_client()
    inserted = client.post(
        "/v1/leads/insert", data={"auth_token": AF, "list_id": 2701, "phone_number": "5305550177"}
    )
    assert inserted.status_code == 200
    assert inserted.get_json() == {"success": True, "data": {"lead_id": 900000021}}
    clock.now += 3661
    updated = client.post(
        "/v1/leads/update", data={"auth_token": AF, "lead_id": 900000021, "status": "SALE"}
    )
    assert updated.get_json() == {"success": True, "data": {"lead_id": "900000021"}}
    found = client.get("/v1/leads/search", query_string={"auth_token": AF, "lead_id": 900000021})
    lead = found.get_json()["data"]["entries"][0]
    # The clock is UTC; ACME writes Los Angeles time (UTC-8 in January).
    assert (lead["created_at"], lead["modified_at"]) == (
        "2025-12-31 16:00:00",
        "2025-12-31 17:01:01",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"requests":[{"id":3,"time":"2026-11-30T10:00:00.123Z","method":"GET",'
            '"params":{"time":"x","duration_ms":"5"},"status":200,"fault":null,'
            '"duration_ms":0.412}],"dropped":0}',
            '{"requests":[{"id":3,"time":"<time>","method":"GET",'
            '"params":{"time":"x","duration_ms":"5"},"status":200,"fault":null,'
            '"duration_ms":"<duration_ms>"}],"dropped":0}',
        ),
        (
            '{"requests":[{"id":1,"time":"t","status":404,"duration_ms":null}],"dropped":2}',
            '{"requests":[{"id":1,"time":"<time>","status":404,"duration_ms":null}],"dropped":2}',
        ),
    ],
)
def test_normalise_touches_only_the_wall_clock_fields(text: str, expected: str) -> None:
    assert normalise_journal(text) == expected
