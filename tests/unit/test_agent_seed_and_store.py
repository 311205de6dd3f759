"""Seeded agent events and lead criteria (loader), and the agent-report store indexes, without Flask."""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from mockvoso.records import AGENT_EVENT_FIELDS, AVAILABILITY, OfficeSeed
from mockvoso.seed import SeedError, bundled_data_dir, generate_office, load_offices
from mockvoso.store import OfficeStore
from mockvoso.store.perf import PerfTotals
from mockvoso.store.state import state_from_snapshot, state_to_snapshot

ANCHOR = datetime(2026, 1, 15, 12, 0, 0)
ZONE = ZoneInfo("America/Los_Angeles")  # seed_data/ACME.yaml names none: the default
END = calendar.timegm(ANCHOR.timetuple())


@pytest.fixture(scope="module")
def acme() -> OfficeSeed:
    return generate_office(load_offices()[0], seed=7, leads=400, anchor=ANCHOR)


# --------------------------------------------------------------------------- agent events


def test_events_are_deterministic_and_their_own_stream(acme: OfficeSeed) -> None:
    office = load_offices()[0]
    again = generate_office(office, seed=7, leads=400, anchor=ANCHOR)
    assert again.agent_events == acme.agent_events
    # The same events whatever the lead count: they draw from a stream of their own.
    assert generate_office(office, seed=7, leads=0, anchor=ANCHOR).agent_events == (
        acme.agent_events
    )
    other = generate_office(office, seed=8, leads=0, anchor=ANCHOR).agent_events
    assert other != acme.agent_events


def test_event_shape_and_time_order(acme: OfficeSeed) -> None:
    events = acme.agent_events
    assert len(events) > 8 * 20 * 4  # most agents work most days, several events each
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [e["epoch"] for e in events] == sorted(e["epoch"] for e in events)
    campaigns = {c["id"] for c in acme.campaigns if c["status"] == "Y"}
    users = {u["user_id"] for u in acme.users}
    for event in events:
        assert tuple(event) == AGENT_EVENT_FIELDS
        assert END - 30 * 86400 <= event["epoch"] <= END
        # epoch is the instant; created_at its local time in the office's zone.
        assert event["created_at"] == datetime.fromtimestamp(event["epoch"], ZONE).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        assert AVAILABILITY[event["availability_code"]][0] == event["state"]
        assert event["campaign_id"] in campaigns and event["user_id"] in users
    # Shifts start in the local morning (all but the sessions open at the anchor).
    logins = [e["created_at"][11:] for e in events if e["state"] == "LOGIN"]
    morning = [t for t in logins if "07:00:00" <= t <= "09:00:00"]
    assert len(logins) - len(morning) <= len(acme.users)


def test_sessions_chain_per_agent(acme: OfficeSeed) -> None:
    open_sessions = 0
    for user in acme.users:
        mine = [e for e in acme.agent_events if e["user_id"] == user["user_id"]]
        assert mine[0]["state"] == "LOGIN"
        for this, following in itertools.pairwise(mine):
            if this["state"] == "LOGOUT":
                assert this["ends"] == this["epoch"]
                assert following["state"] == "LOGIN"
            else:
                assert this["ends"] == following["epoch"]
                assert following["campaign_id"] == this["campaign_id"]  # one per session
        last = mine[-1]
        if last["state"] == "LOGOUT":
            assert last["ends"] == last["epoch"]
        else:  # a session still open at the anchor
            assert last["ends"] is None
            open_sessions += 1
    # Some agents are logged in at the anchor and some are not.
    assert 0 < open_sessions < len(acme.users)


# --------------------------------------------------------------------------- lead criteria


def write_acme(tmp_path: Path, mutate: Callable[[dict[str, Any]], object]) -> Path:
    doc = yaml.safe_load((bundled_data_dir() / "ACME.yaml").read_text("utf-8"))
    mutate(doc)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "ACME.yaml").write_text(yaml.safe_dump(doc), "utf-8")
    return folder


def test_bundled_criteria() -> None:
    acme, bravo = load_offices()
    assert [c["key"] for c in acme.lead_criteria] == [
        "acmemedicare7c1e4b9a2d8f3c6e0b5a",
        "acmeacaweb3e9f1a7c5b2d8e4f6a0c1b",
    ]
    assert acme.lead_criteria[0] == {
        "key": "acmemedicare7c1e4b9a2d8f3c6e0b5a",
        "name": "Medicare Sunbelt States",
        "list_id": 2701,
        "states": ["FL", "TX", "GA", "AZ"],
        "postal_prefixes": [],
        "area_codes": [],
        "check_dnc": True,
        "min_lead_age_days": 7,
    }
    assert bravo.lead_criteria[0]["check_dnc"] is False


def test_criteria_are_optional(tmp_path: Path) -> None:
    folder = write_acme(tmp_path, lambda doc: doc.pop("lead_criteria"))
    assert load_offices(folder)[0].lead_criteria == []


def _criteria(doc: dict[str, Any]) -> dict[str, Any]:
    return dict(doc["lead_criteria"][0])


@pytest.mark.parametrize(
    ("mutate", "key", "problem"),
    [
        (lambda d: d["lead_criteria"][0].update(list_id=3801), "lead_criteria[0].list_id",
         "no list with id 3801 in this office"),
        (lambda d: d["lead_criteria"][0].update(key="short"), "lead_criteria[0].key",
         "must be 8-64 letters or digits"),
        (lambda d: d["lead_criteria"].append(_criteria(d)), "lead_criteria[2].key",
         "duplicate criteria key"),
        (lambda d: d["lead_criteria"][0].update(states=["Florida"]), "lead_criteria[0].states[0]",
         "must be 2 letters"),
        (lambda d: d["lead_criteria"][0].update(area_codes=[30]), "lead_criteria[0].area_codes[0]",
         "must be 3 digits"),
        (lambda d: d["lead_criteria"][0].update(postal_prefixes="33"),
         "lead_criteria[0].postal_prefixes", "must be a list"),
        (lambda d: d["lead_criteria"][0].update(min_lead_age_days=-1),
         "lead_criteria[0].min_lead_age_days", "must be 0 or more"),
        (lambda d: d["lead_criteria"][0].update(check_dnc="maybe"), "lead_criteria[0].check_dnc",
         "must be Y/N"),
        (lambda d: d["lead_criteria"][0].update(colour="red"), "lead_criteria[0].colour",
         "unknown key"),
        (lambda d: d["lead_criteria"][0].pop("name"), "lead_criteria[0].name", "is required"),
        (lambda d: d.update(lead_criteria={"key": "x"}), "lead_criteria", "must be a list"),
    ],
)  # fmt: skip
def test_bad_criteria_name_the_key(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], object], key: str, problem: str
) -> None:
    folder = write_acme(tmp_path, mutate)
    with pytest.raises(SeedError) as caught:
        load_offices(folder)
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_a_criteria_key_is_unique_across_offices(tmp_path: Path) -> None:
    folder = write_acme(
        tmp_path,
        lambda d: d["lead_criteria"][0].update(key="bravosolarca5d2e8f1b7a4c9e3d6f0b"),
    )
    (folder / "BRAVO.yaml").write_text((bundled_data_dir() / "BRAVO.yaml").read_text("utf-8"))
    with pytest.raises(SeedError) as caught:
        load_offices(folder)
    assert caught.value.key == "lead_criteria[0].key"
    assert "criteria key is already used by" in caught.value.problem


# --------------------------------------------------------------------------- store indexes


def rebuilt(store: OfficeStore) -> dict[str, Any]:
    """The totals a fresh count of the store's call log gives."""
    return PerfTotals.build(store.state.call_logs.values()).as_dict()


def test_performance_totals_follow_deletes_and_reset(acme: OfficeSeed) -> None:
    store = OfficeStore(acme, now=lambda: ANCHOR)
    seeded = store.state.perf_cells.as_dict()
    assert seeded == rebuilt(store)
    assert {len(bucket) for bucket in seeded} == {10, 11, 13}  # days, rollups, hours
    called = sorted({int(row[1]) for row in acme.call_logs})
    for lead_id in called[:60]:
        store.delete_lead(lead_id)
    assert len(store.state.call_logs) < len(acme.call_logs)
    assert store.state.perf_cells.as_dict() == rebuilt(store) != seeded
    store.reset()  # the writes went to the live copy, not to the seeded one it shares with
    assert store.state.perf_cells.as_dict() == seeded


def test_lazy_totals_count_the_call_log_as_it_is_when_first_read(acme: OfficeSeed) -> None:
    store = OfficeStore(acme, now=lambda: ANCHOR)
    seeded = store.state.perf_cells.as_dict()
    store.state.perf_cells = PerfTotals.lazy(store.state.call_logs)  # as a restore leaves it
    called = sorted({int(row[1]) for row in acme.call_logs})
    for lead_id in called[:30]:
        store.delete_lead(lead_id)  # its rows leave before anything read the totals
    assert store.state.perf_cells._unsummed is store.state.call_logs  # still not summed
    assert store.state.perf_cells.as_dict() == rebuilt(store) != seeded
    assert store.state.perf_cells._unsummed is None
    for lead_id in called[30:60]:
        store.delete_lead(lead_id)  # summed: each row is counted out as usual
    assert store.state.perf_cells.as_dict() == rebuilt(store)
    before = rebuilt(store)
    copied = PerfTotals.lazy(store.state.call_logs).copy()  # a copy is summed when made
    store.delete_lead(called[60])
    assert copied.as_dict() == before != rebuilt(store)


def test_logout_then_snapshot_round_trip(acme: OfficeSeed) -> None:
    store = OfficeStore(acme, now=lambda: ANCHOR)
    latest = store.state.agent_latest
    user_id = next(u for u, pos in latest.items() if store.state.agent_events[pos]["ends"] is None)
    assert store.logout_agent(user_id) is True
    assert store.logout_agent(user_id) is False  # nothing more to do
    events = store.state.agent_events
    assert events[-1]["state"] == "LOGOUT" and events[-1]["epoch"] == END
    assert events[-1]["id"] == events[-2]["id"] + 1
    doc = state_to_snapshot(store.state)
    restored = state_from_snapshot(doc)
    assert restored.agent_events == events
    assert restored.agent_latest == store.state.agent_latest
    assert restored.perf_cells == store.state.perf_cells


@pytest.mark.parametrize(
    "break_it",
    [
        lambda e: e.pop("ends"),
        lambda e: e.update(epoch="1767225600"),
        lambda e: e.update(extra=1),
        lambda e: e.update(ends=1.5),
    ],
)
def test_a_bad_event_in_a_snapshot_is_refused(
    acme: OfficeSeed, break_it: Callable[[dict[str, Any]], object]
) -> None:
    doc = state_to_snapshot(OfficeStore(acme, now=lambda: ANCHOR).state)
    doc["agent_events"] = [dict(e) for e in doc["agent_events"]]
    break_it(doc["agent_events"][3])
    with pytest.raises(ValueError, match="agent event"):
        state_from_snapshot(doc)
