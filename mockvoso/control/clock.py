"""Control-plane routes of the virtual clock: read it, set it, advance it, freeze it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request

from mockvoso.clock import ClockError, parse_timestamp
from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError

_KEYS = ("set", "advance", "freeze", "dial")


def clock_state() -> dict[str, Any]:
    clock = mock().world.clock
    return {"now": clock.text(), "frozen": clock.frozen}


@control.get("/clock")
def clock_get() -> Any:
    return clock_state()


@control.post("/clock")
def clock_move() -> Any:
    """Any of {"set": "YYYY-MM-DD HH:MM:SS"}, {"advance": seconds}, {"freeze": bool}, and
    {"dial": true}: the simulated dialer works through the time the move skipped.

    Everything is checked before anything moves: a bad key or value changes nothing.
    """
    body = json_body(request, keys=_KEYS)
    clock = mock().world.clock
    try:
        when = parse_timestamp(body["set"]) if "set" in body else None
    except ClockError as exc:
        raise ControlError(400, str(exc), "set") from None
    seconds = body.get("advance", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise ControlError(
            400, f"advance: expected seconds >= 0 (never backwards), got {seconds!r}", "advance"
        )
    freeze = body.get("freeze")
    if freeze is not None and not isinstance(freeze, bool):
        raise ControlError(400, f"freeze: expected true or false, got {freeze!r}", "freeze")
    dial = body.get("dial", False)
    if not isinstance(dial, bool):
        raise ControlError(400, f"dial: expected true or false, got {dial!r}", "dial")
    before = clock()
    try:
        # Checked before anything moves: an advance that overflows the calendar (past
        # year 9999) must not leave a `set` already applied.
        (when or clock()) + timedelta(seconds=seconds)
    except OverflowError:
        raise ControlError(
            400, f"advance: {seconds!r} seconds would take the clock past year 9999", "advance"
        ) from None
    try:
        if when is not None:
            clock.set(when)
    except ClockError as exc:
        raise ControlError(400, str(exc), "set") from None
    if seconds:
        try:
            clock.advance(seconds)
        except ClockError as exc:  # only if the clock ran into year 9999 since the check
            raise ControlError(400, str(exc), "advance") from None
    if dial:
        mock().dial_elapsed(before, clock())
    if freeze is not None:
        clock.freeze(freeze)
    return clock_state()
