"""The virtual clock: GET/POST /_mockvoso/clock, writes stamped with it, reset to its anchor."""

from __future__ import annotations

from datetime import datetime

import pytest

from mockvoso.clock import ClockError, VirtualClock


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


ANCHOR = datetime(2026, 1, 1, 0, 0, 0)


def test_the_clock_runs_from_its_anchor_with_the_monotonic_source():
    mono = FakeMonotonic()
    clock = VirtualClock(ANCHOR, mono)
    assert clock.text() == "2026-01-01 00:00:00"
    mono.now += 61.5
    assert clock.text() == "2026-01-01 00:01:01"


def test_freeze_stops_it_and_advance_still_moves_it():
    mono = FakeMonotonic()
    clock = VirtualClock(ANCHOR, mono)
    clock.freeze(True)
    mono.now += 3600
    assert clock.text() == "2026-01-01 00:00:00" and clock.frozen
    clock.advance(30)
    assert clock.text() == "2026-01-01 00:00:30"
    clock.freeze(False)
    mono.now += 10
    assert clock.text() == "2026-01-01 00:00:40" and not clock.frozen


def test_it_never_moves_backwards_and_reset_returns_to_the_anchor():
    mono = FakeMonotonic()
    clock = VirtualClock(ANCHOR, mono)
    clock.set(datetime(2026, 3, 1))
    with pytest.raises(ClockError, match="before now"):
        clock.set(datetime(2026, 2, 1))
    with pytest.raises(ClockError):
        clock.advance(-1)
    assert clock.text() == "2026-03-01 00:00:00"
    clock.reset()
    assert clock.text() == "2026-01-01 00:00:00"


def test_listeners_hear_every_move():
    clock = VirtualClock(ANCHOR, FakeMonotonic())
    moves: list[tuple[str, str]] = []
    clock.on_move(lambda a, b: moves.append((f"{a:%H:%M}", f"{b:%H:%M}")))
    clock.advance(600)
    clock.set(datetime(2026, 1, 1, 1, 0))
    assert moves == [("00:00", "00:10"), ("00:10", "01:00")]


# --- over HTTP -------------------------------------------------------------------------


def test_get_and_post_clock(make_api):
    api = make_api()
    state = api.control("GET", "clock").get_json()
    assert state["frozen"] is False and state["now"].startswith("2026-01-01 00:00:")
    response = api.control("POST", "clock", json={"set": "2026-01-05 09:30:00", "freeze": True})
    assert response.status_code == 200
    assert response.get_json() == {"now": "2026-01-05 09:30:00", "frozen": True}
    response = api.control("POST", "clock", json={"advance": 90})
    assert response.get_json() == {"now": "2026-01-05 09:31:30", "frozen": True}


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"set": "2025-12-31 23:59:59"}, "set", "is before now"),
        ({"set": "tomorrow"}, "set", "expected 'YYYY-MM-DD HH:MM:SS'"),
        ({"advance": -5}, "advance", "expected seconds >= 0"),
        ({"advance": True}, "advance", "expected seconds >= 0"),
        ({"freeze": 1}, "freeze", "expected true or false"),
        ({"rewind": 5}, "rewind", "unknown key 'rewind'"),
    ],
)
def test_bad_moves_are_400_and_move_nothing(make_api, body, field, text):
    api = make_api()
    # Frozen where it stands (real time ran since the app was built): compare with that.
    frozen = api.control("POST", "clock", json={"freeze": True}).get_json()["now"]
    response = api.control(
        "POST", "clock", json=body | {"advance": 60} if field != "advance" else body
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == field and text in response.get_json()["error"]
    assert api.control("GET", "clock").get_json()["now"] == frozen


def test_writes_are_stamped_with_the_virtual_clock_and_reset_restores_the_anchor(make_api):
    api = make_api()
    api.control("POST", "clock", json={"set": "2026-02-14 12:00:00", "freeze": True})
    lead_id = api.ok("leads/insert", {"list_id": 2702, "phone_number": "5305550777"})["data"][
        "lead_id"
    ]
    lead = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    # The clock is UTC; ACME writes its own time zone (America/Los_Angeles, UTC-8 in February).
    assert lead["created_at"] == lead["modified_at"] == "2026-02-14 04:00:00"
    api.control("POST", "clock", json={"advance": 3600})
    api.ok("leads/update", {"lead_id": lead_id, "first_name": "Later"})
    lead = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert lead["modified_at"] == "2026-02-14 05:00:00"
    assert api.control("POST", "reset").status_code == 200
    state = api.control("GET", "clock").get_json()  # back at its anchor, running again
    assert state["frozen"] is False and state["now"].startswith("2026-01-01 00:00:")


def test_an_anchor_with_an_offset_is_converted_to_utc():
    from mockvoso.config import parse_clock

    assert parse_clock("2026-01-01T00:00:00-08:00") == datetime(2026, 1, 1, 8, 0, 0)
    assert parse_clock("2026-01-01 00:00:00") == datetime(2026, 1, 1, 0, 0, 0)
