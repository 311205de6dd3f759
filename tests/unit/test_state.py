"""The office state's declaration: every field declared once; reset, seed build and snapshot obey it."""

from __future__ import annotations

import copy
import gc
import json
from dataclasses import fields, make_dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from mockvoso.records import OfficeSeed
from mockvoso.seed import generate_office, load_offices
from mockvoso.store import OfficeStore
from mockvoso.store.index import SortedIndex
from mockvoso.store.state import (
    DERIVED,
    FIELDS,
    SNAPSHOT_KEYS,
    STORED,
    OfficeState,
    build_state,
    check_declared,
    paused_gc,
    state_from_snapshot,
    state_to_snapshot,
)

ANCHOR = datetime(2026, 1, 1)
NOW = datetime(2026, 1, 2, 12, 0, 0)


def content(value: Any) -> Any:
    """A field's value in a comparable form (indexes have no __eq__: list their buckets)."""
    if isinstance(value, SortedIndex):
        return {key: list(value.get(key)) for key in value.keys()}  # noqa: SIM118 (not a dict)
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), SortedIndex):
        return {name: content(index) for name, index in value.items()}
    return copy.deepcopy(value)  # the live state changes in place


def contents(state: OfficeState) -> dict[str, Any]:
    return {name: content(getattr(state, name)) for name in FIELDS}


@pytest.fixture(scope="module")
def seed() -> OfficeSeed:
    return generate_office(load_offices()[0], seed=11, leads=120, anchor=ANCHOR)


@pytest.fixture
def store(seed: OfficeSeed) -> OfficeStore:
    return OfficeStore(seed, now=lambda: NOW)


def change_everything(store: OfficeStore) -> None:
    """One write through the store's own API per stored collection."""
    state = store.state
    campaign_id = next(iter(state.campaigns))
    list_id = next(iter(state.lists))
    store.insert_lead(
        {"list_id": list_id, "phone_number": "5305550100", "custom": {"plan": "Gold"}}, {}
    )
    store.insert_list({"name": "A brand new list", "campaign_id": campaign_id})
    store.set_campaign_status(
        campaign_id, "N" if state.campaigns[campaign_id]["status"] == "Y" else "Y"
    )
    recording = next(iter(state.recordings.values()))
    # Issue 10: a personal callback (callbacks, its counter and both indexes) and a
    # call-log write (log_extra) on a call of another lead than the one deleted below.
    other_lead = next(lead_id for lead_id in state.leads if lead_id != recording["lead_id"])
    store.insert_callback(
        {
            "lead_id": other_lead,
            "recipient": "USERONLY",
            "user_id": int(store.users[0]["user_id"]),
            "callback_time_zone": UTC,
            "callback_time": "2026-01-03 10:00 AM",
        }
    )
    call_id = next(
        cid for cid, row in state.call_logs.items() if row[1] != str(recording["lead_id"])
    )
    store.update_call_log(call_id, {"extra_field_01": "x"})
    # Its call logs, recordings (by call, agent and lead) and callbacks go with it; the
    # lead itself is kept as deleted.
    store.delete_lead(recording["lead_id"])
    store.insert_status({"status": "C001", "name": "Custom One"})
    store.insert_dnc("3105557701", "1", 0, "DNC", "")
    store.insert_sms_opt_out("3105557701", "1", campaign_id, "", "NOTIFY")
    logged_in = next(
        user_id
        for user_id, pos in state.agent_latest.items()
        if state.agent_events[pos]["state"] != "LOGOUT"
    )
    assert store.logout_agent(logged_in)  # agent events


# --------------------------------------------------------------------------- declaration


def test_every_field_is_declared_exactly_once() -> None:
    assert {f.name for f in fields(OfficeState)} == set(FIELDS)
    assert not set(STORED) & set(DERIVED)
    assert len(FIELDS) == len(STORED) + len(DERIVED) == 31


def test_an_undeclared_field_is_refused() -> None:
    grown = make_dataclass("GrownState", [("grown", dict)], bases=(OfficeState,))
    with pytest.raises(TypeError, match=r"undeclared \['grown'\], not fields \[\]"):
        check_declared(grown, FIELDS)
    with pytest.raises(TypeError, match=r"undeclared \[\], not fields \['grown'\]"):
        check_declared(OfficeState, [*FIELDS, "grown"])


def test_snapshot_keys_are_the_stored_fields_in_wire_order() -> None:
    assert SNAPSHOT_KEYS == (
        "campaigns",
        "lists",
        "leads",
        "custom",
        "call_logs",
        "recordings",
        "next_lead_id",
        "next_list_id",
        "callbacks",
        "next_callback_id",
        "log_extra",
        "deleted_leads",
        "statuses",
        "dnc",
        "next_dnc_id",
        "sms_opt_outs",
        "next_sms_opt_out_id",
        "agent_events",
    )


# --------------------------------------------------------------------------- behaviour


def test_the_writes_here_change_every_stored_collection(
    store: OfficeStore, seed: OfficeSeed
) -> None:
    # Guards the round-trip tests below: a collection they leave unchanged would prove
    # nothing about it. A new collection needs its own write in change_everything().
    before = contents(store.state)
    change_everything(store)
    after = contents(store.state)
    assert [name for name in FIELDS if after[name] == before[name]] == []


def test_clone_copies_every_container(store: OfficeStore) -> None:
    change_everything(store)
    original = store.state
    clone = original.clone()
    assert contents(clone) == contents(original)
    shared = [
        name
        for name in FIELDS
        if not isinstance(getattr(original, name), int)
        and getattr(clone, name) is getattr(original, name)
    ]
    assert shared == []


def test_reset_restores_every_field_and_leaves_the_seed_untouched(
    store: OfficeStore, seed: OfficeSeed
) -> None:
    seeded = contents(build_state(seed))
    change_everything(store)
    store.reset()
    assert contents(store.state) == seeded
    change_everything(store)  # writes after a reset do not reach the seeded copy
    store.reset()
    assert contents(store.state) == seeded


def test_snapshot_restore_round_trips_every_field(store: OfficeStore) -> None:
    change_everything(store)
    doc = json.loads(json.dumps(store.snapshot()))  # through JSON, as on the wire
    assert list(doc) == list(SNAPSHOT_KEYS)
    restored = store.parse_snapshot(doc)
    # Indexes rebuilt from the stored collections equal the ones kept up to date live.
    assert contents(restored) == contents(store.state)
    assert state_to_snapshot(restored) == doc


def test_build_state_derives_the_counters_and_indexes(seed: OfficeSeed) -> None:
    state = build_state(seed)
    assert state.next_lead_id == max(int(lead[0]) for lead in seed.leads) + 1
    assert state.next_list_id == max(item["id"] for item in seed.lists) + 1
    assert (state.custom, state.custom_keys) == ({}, set())
    assert contents(state) == contents(state_from_snapshot(state_to_snapshot(state)))


def test_restored_custom_fields_are_searchable(store: OfficeStore) -> None:
    change_everything(store)
    restored = state_from_snapshot(json.loads(json.dumps(store.snapshot())))
    assert restored.custom_keys == {"plan"}
    store.restore(restored)
    total, rows = store.search_leads({"custom": {"plan": "Gold"}}, 0, 10)
    assert (total, [row["phone_number"] for row in rows]) == (1, ["5305550100"])


@pytest.mark.parametrize(
    ("key", "value", "error", "message"),
    [
        ("campaigns", {"id": 1}, TypeError, "campaigns: must be a list of objects"),
        ("campaigns", [["id", 1]], TypeError, "campaigns row is not an object"),
        ("campaigns", [{"id": 1, "status": "Y"}], KeyError, "'name'"),
        (
            "lists",
            [{"id": 1, "name": 5, "campaign_id": 1, "status": "Y"}],
            ValueError,
            "lists row: name must be a string",
        ),
        ("lists", [{"id": 1, "name": "Some list name", "status": "Y"}], KeyError, "'campaign_id'"),
        ("recordings", [{"recording_id": 1}], KeyError, "'call_log_id'"),
        ("leads", {"fields": ["id"], "rows": []}, ValueError, "leads.fields do not match"),
        ("call_logs", {"fields": [], "rows": []}, ValueError, "call_logs.fields do not match"),
        ("next_lead_id", "x", ValueError, "invalid literal"),
        ("custom", [], AttributeError, "items"),
    ],
)
def test_a_bad_collection_is_refused(
    store: OfficeStore, key: str, value: Any, error: type[Exception], message: str
) -> None:
    doc = store.snapshot()
    with pytest.raises(error, match=message):
        state_from_snapshot({**doc, key: value})


def test_a_missing_collection_is_named(store: OfficeStore) -> None:
    doc = store.snapshot()
    del doc["recordings"], doc["next_list_id"]
    with pytest.raises(ValueError, match=r"^missing keys: recordings, next_list_id$"):
        state_from_snapshot(doc)


def test_a_bad_row_over_http_is_a_400_and_changes_nothing(api: Any) -> None:
    doc = api.control("GET", "snapshot").get_json()
    before = api.ok("lists/search")
    bad = copy.deepcopy(doc)
    office = next(iter(bad["offices"]))
    del bad["offices"][office]["lists"][0]["name"]  # restored, it would break lists/search
    response = api.control("POST", "snapshot", json=bad)
    assert (response.status_code, response.get_json()) == (
        400,
        {"error": f"offices.{office}: invalid snapshot: 'name'", "field": "offices"},
    )
    assert api.ok("lists/search") == before


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_pauses_and_restores_the_collector(enabled: bool) -> None:
    """No collection while records are built; the collector as it was after."""
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with paused_gc():
            assert not gc.isenabled()
            built = [[number] for number in range(1000)]  # lists: tracked by the collector
        assert gc.isenabled() is enabled
        assert gc.is_tracked(built[0])
        assert gc.get_freeze_count() == 0  # nothing left frozen out of the collector's view
    finally:
        (gc.enable if was else gc.disable)()
