"""POST /_mockvoso/simulate: the simulated dialer makes calls for an office."""

from __future__ import annotations

from typing import Any

from flask import request

from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError

MAX_CALLS = 100_000  # one request's calls: ten times the benchmark's 10,000
_KEYS = ("office", "calls")


@control.post("/simulate")
def simulate() -> Any:
    """{"office": "ACME", "calls": 50} -> what the calls did (see README "Simulated dialer")."""
    body = json_body(request, keys=_KEYS)
    office = body.get("office")
    if office is not None and (not isinstance(office, str) or mock().world.office(office) is None):
        raise ControlError(400, f"office: no such office: {office!r}", "office")
    calls = body.get("calls", 1)
    if isinstance(calls, bool) or not isinstance(calls, int) or not 1 <= calls <= MAX_CALLS:
        raise ControlError(
            400, f"calls: expected a whole number 1..{MAX_CALLS}, got {calls!r}", "calls"
        )
    return mock().simulate(office, calls)
