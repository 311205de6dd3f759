"""Seeded agent state events (login, ready, pauses, logout) per agent per day, own random stream.

Each agent works most days of the 30-day window: a session from a morning login to a
logout 7-9 hours later, READY between pauses (break, lunch, training, meeting). About
three agents in four are still logged in at the anchor: their last session started
before it and has no LOGOUT yet, which is what agent-monitor/search and
user-activity/search report as "now". The events draw from a random.Random of their own
(seed, office, "agents"), so the leads and call logs stay byte-identical to before.
Shifts follow the office's local days; `epoch` is the real (UTC) instant and `created_at`
its local time, as in Convoso's example (event_epoch 11:57:17 UTC, created_at 04:57:17).
"""

from __future__ import annotations

import calendar
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockvoso.records import AVAILABILITY, OfficeSeed

WINDOW_SECONDS = 30 * 86400  # as the generator's: events lie in the 30 days before the anchor
ON_SHIFT_AT_ANCHOR = 0.75  # share of agents logged in at the anchor
DAY_OFF = 2 / 7  # share of days an agent does not work

_STATE_CODE = {state: code for code, (state, _, _) in AVAILABILITY.items() if state != "PAUSED"}
# Pause codes with (weight, shortest, longest pause in seconds).
_PAUSES: tuple[tuple[str, int, int, int], ...] = (
    ("3", 6, 5 * 60, 15 * 60),  # Break
    ("4", 2, 30 * 60, 45 * 60),  # Lunch
    ("5", 1, 20 * 60, 60 * 60),  # Training
    ("6", 1, 15 * 60, 30 * 60),  # Meeting
)
_PAUSE_TABLE = [i for i, p in enumerate(_PAUSES) for _ in range(p[1])]


def local_text(epoch: int, zone: ZoneInfo) -> str:
    """An instant as the office's local "YYYY-MM-DD HH:MM:SS"."""
    return datetime.fromtimestamp(epoch, zone).strftime("%Y-%m-%d %H:%M:%S")


def _local_days(start: int, end: int, zone: ZoneInfo) -> list[int]:
    """The epoch of local midnight of every local day from start's to end's."""
    first = datetime.fromtimestamp(start, zone).date()
    last = datetime.fromtimestamp(end, zone).date()
    days: list[int] = []
    day: date = first
    while day <= last:
        days.append(int(datetime.combine(day, time(), zone).timestamp()))
        day += timedelta(days=1)
    return days


def make_agent_events(
    office: OfficeSeed, *, seed: int, anchor: datetime, id0: int
) -> list[dict[str, Any]]:
    """The office's agent state events in time order, ids from id0 + 1 (see module doc)."""
    if anchor.tzinfo is not None:
        anchor = anchor.astimezone(UTC).replace(tzinfo=None)
    zone = ZoneInfo(office.timezone)
    end = calendar.timegm(anchor.timetuple())  # the naive anchor is UTC
    start = end - WINDOW_SECONDS
    days = _local_days(start, end, zone)
    campaigns = [c["id"] for c in office.campaigns if c["status"] == "Y"] or [
        c["id"] for c in office.campaigns
    ]
    if not campaigns:
        return []
    rng = random.Random(_stable(seed, office.acronym, "agents"))
    raw: list[tuple[int, int, dict[str, Any]]] = []  # (epoch, user order, event)
    for order, user in enumerate(office.users):
        octets = (
            rng.randint(11, 223),
            rng.randint(0, 255),
            rng.randint(0, 255),
            rng.randint(1, 254),
        )
        ip = ".".join(map(str, octets))
        on_shift = rng.random() < ON_SHIFT_AT_ANCHOR
        open_start = end - rng.randint(15 * 60, 4 * 3600) if on_shift else None
        cutoff = open_start - 1800 if open_start is not None else end
        for midnight in days:  # a shift starts between 07:00 and 09:00 local time
            if rng.random() >= DAY_OFF:
                login = midnight + 7 * 3600 + rng.randint(0, 2 * 3600)
                logout = login + rng.randint(7 * 3600, 9 * 3600)
                campaign = rng.choice(campaigns)
                if login >= start and logout <= cutoff:
                    for epoch, code in _session(rng, login, logout):
                        raw.append((epoch, order, _event(user, code, campaign, epoch, ip, zone)))
        if open_start is not None:
            campaign = rng.choice(campaigns)
            for epoch, code in _session(rng, open_start, None, until=end):
                raw.append((epoch, order, _event(user, code, campaign, epoch, ip, zone)))
    raw.sort(key=lambda item: (item[0], item[1]))
    events = [event for _, _, event in raw]
    # Each state lasts until the agent's next event; a LOGOUT lasts nothing; the last
    # event of an open session has no end yet.
    last: dict[str, dict[str, Any]] = {}
    for i, event in enumerate(events):
        event["id"] = id0 + 1 + i
        previous = last.get(event["user_id"])
        if previous is not None and previous["state"] != "LOGOUT":
            previous["ends"] = event["epoch"]
        event["ends"] = event["epoch"] if event["state"] == "LOGOUT" else None
        last[event["user_id"]] = event
    return events


def _session(
    rng: random.Random, login: int, logout: int | None, *, until: int | None = None
) -> list[tuple[int, str]]:
    """(epoch, availability code) of one session: LOGIN, READY, pauses, LOGOUT if it ended."""
    stop = logout if logout is not None else until
    assert stop is not None
    out = [(login, _STATE_CODE["LOGIN"])]
    t = login + rng.randint(3, 10)
    if t > stop:
        return out
    out.append((t, _STATE_CODE["READY"]))
    while True:
        t += rng.randint(25 * 60, 90 * 60)
        if t >= stop - 10 * 60:
            break
        code, _, shortest, longest = _PAUSES[_PAUSE_TABLE[int(rng.random() * len(_PAUSE_TABLE))]]
        out.append((t, code))
        t += rng.randint(shortest, longest)
        if t >= stop:
            break
        out.append((t, _STATE_CODE["READY"]))
    if logout is not None:
        out.append((logout, _STATE_CODE["LOGOUT"]))
    return out


def _event(
    user: dict[str, Any], code: str, campaign: int, epoch: int, ip: str, zone: ZoneInfo
) -> dict[str, Any]:
    return {
        "id": 0,
        "user_id": user["user_id"],
        "state": AVAILABILITY[code][0],
        "availability_code": code,
        "campaign_id": campaign,
        "epoch": epoch,
        "created_at": local_text(epoch, zone),
        "ends": None,
        "ip_address": ip,
    }


def _stable(*parts: object) -> int:
    # The generator's stable_hash, imported lazily: the generator module pulls in Faker.
    from mockvoso.seed.generator import stable_hash

    return stable_hash(*parts)
