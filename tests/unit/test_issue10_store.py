"""Callbacks, users/search attributes and call-log writes below HTTP: rules, seed, state."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from marshmallow import ValidationError

from mockvoso.errors import ConvosoError
from mockvoso.records import USER_ATTRIBUTES, OfficeSeed
from mockvoso.schemas.fields import Amount, UtcOffset
from mockvoso.seed import SeedError, bundled_data_dir, generate_office, load_offices
from mockvoso.seed.agents import fill_user_attributes
from mockvoso.seed.callbacks import callback_count
from mockvoso.seed.loader import load_office_file
from mockvoso.store import OfficeStore
from mockvoso.store.callbacks import callback_stage, office_time
from mockvoso.store.state import (
    DERIVED,
    SNAPSHOT_KEYS,
    STORED,
    state_from_snapshot,
    state_to_snapshot,
)

ANCHOR = datetime(2026, 1, 15, 12, 0, 0)
UTC_MINUS_7 = timezone(timedelta(hours=-7))


@pytest.fixture(scope="module")
def bundled() -> list[OfficeSeed]:
    return load_offices()


@pytest.fixture(scope="module")
def acme(bundled: list[OfficeSeed]) -> OfficeSeed:
    return generate_office(bundled[0], seed=1234, leads=500, anchor=ANCHOR)


# --- time and stage rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-03 02:30 PM", "2026-01-03 21:30:00"),
        ("2026-01-03 02:30 pm", "2026-01-03 21:30:00"),
        ("2026-01-03  2:30   PM", "2026-01-03 21:30:00"),
        ("2026-01-03 12:05 AM", "2026-01-03 07:05:00"),
        ("2026-01-03 02:30:15 PM", "2026-01-03 21:30:15"),
        ("2026-01-03 14:30:00", "2026-01-03 21:30:00"),
        ("2026-01-03 14:30", "2026-01-03 21:30:00"),
        ("2026-12-31 11:00 PM", "2027-01-01 06:00:00"),  # crosses the year
    ],
)
def test_office_time_formats(text: str, expected: str) -> None:
    assert office_time(text, UTC_MINUS_7) == expected


@pytest.mark.parametrize(
    "text", ["", "tomorrow", "2026-01-03", "2026-13-01 10:00 AM", "2026-01-03 25:00", "10:00 AM"]
)
def test_office_time_refuses_with_7237(text: str) -> None:
    with pytest.raises(ConvosoError) as caught:
        office_time(text, UTC_MINUS_7)
    assert (caught.value.code, caught.value.text) == (7237, "Invalid callback_time")


@pytest.mark.parametrize(
    ("status", "due", "stage"),
    [
        ("ACTIVE", "2026-01-02 00:00:01", "PENDING"),
        ("ACTIVE", "2026-01-02 00:00:00", "PASTDUE"),  # due now: no longer pending
        ("ACTIVE", "2026-01-01 00:00:00", "PASTDUE"),  # exactly a day overdue
        ("ACTIVE", "2025-12-31 23:59:59", "MISSED"),
        ("COMPLETED", "2026-01-05 00:00:00", "COMPLETED"),
        ("DISMISSED", "2025-01-01 00:00:00", "DISMISSED"),
    ],
)
def test_callback_stage(status: str, due: str, stage: str) -> None:
    callback = {"status": status, "callback_time": due}
    assert callback_stage(callback, "2026-01-02 00:00:00", "2026-01-01 00:00:00") == stage


@pytest.mark.parametrize(
    ("raw", "offset_minutes"),
    [("-7.00", -420), ("-7", -420), ("+5.50", 330), ("5.5", 330), ("0", 0), ("-3.25", -195)],
)
def test_utc_offset_decimal_hours(raw: str, offset_minutes: int) -> None:
    zone = UtcOffset().deserialize(raw)
    assert zone.utcoffset(None) == timedelta(minutes=offset_minutes)


def test_utc_offset_names_and_refusals() -> None:
    zone = UtcOffset().deserialize("America/Los_Angeles")
    assert datetime(2026, 7, 1, tzinfo=zone).utcoffset() == timedelta(hours=-7)
    assert datetime(2026, 1, 1, tzinfo=zone).utcoffset() == timedelta(hours=-8)
    for bad in ("Mars/Base", "../../etc/passwd", "-15.00", "PST", "America/", "7:00", "\x00/x"):
        with pytest.raises(ValidationError):
            UtcOffset().deserialize(bad)


@pytest.mark.parametrize(("raw", "text"), [("150.75", "150.75"), (99, "99"), ("-0.5", "-0.5")])
def test_amount(raw: object, text: str) -> None:
    assert Amount().deserialize(raw) == text


@pytest.mark.parametrize("raw", ["1e3", "NaN", "1,5", ".5", "1.", True, "12345678901234"])
def test_amount_refusals(raw: object) -> None:
    with pytest.raises(ValidationError):
        Amount().deserialize(raw)


# --- seeded callbacks and users ---------------------------------------------------------


def test_seeded_callbacks_cover_every_stage_on_real_leads(acme: OfficeSeed) -> None:
    assert len(acme.callbacks) == callback_count(500) == 20
    leads = {row[0]: row for row in acme.leads}
    agents = {u["user_id"] for u in acme.users}
    now = "2026-01-15 12:00:00"
    stages = {callback_stage(cb, now, "2026-01-14 12:00:00") for cb in acme.callbacks}
    assert stages == {"PENDING", "PASTDUE", "MISSED", "COMPLETED", "DISMISSED"}
    ids = [cb["id"] for cb in acme.callbacks]
    assert ids == list(range(acme.first_callback_id, acme.first_callback_id + 20))
    for cb in acme.callbacks:
        lead = leads[str(cb["lead_id"])]
        assert cb["created_at"] >= lead[1] and cb["created_at"] <= now  # after the lead
        assert cb["created_at"] <= cb["modified_at"] <= now
        if cb["recipient"] == "USERONLY":
            assert cb["user_id"] in agents
        else:
            assert (cb["recipient"], cb["user_id"]) == ("ANYONE", "")
        assert cb["callback_time"].endswith(":00")  # to the minute
        assert (cb["callback_seen"] is None) == (cb["status"] == "ACTIVE")


def test_callbacks_and_users_use_their_own_random_streams(bundled: list[OfficeSeed]) -> None:
    """Their draws move no lead, call or recording: those stay as before issue 10."""
    office = bundled[0]
    base = generate_office(office, seed=7, leads=200, anchor=ANCHOR)
    again = generate_office(office, seed=7, leads=200, anchor=ANCHOR)
    assert base == again  # deterministic
    with_levels = dataclasses.replace(
        office, users=[{**office.users[0], "user_level": 3}, *office.users[1:]]
    )
    other = generate_office(with_levels, seed=7, leads=200, anchor=ANCHOR)
    assert other.leads == base.leads and other.call_logs == base.call_logs
    assert other.callbacks == base.callbacks
    assert other.users[0]["user_level"] == 3
    assert other.users[1:] == base.users[1:]  # the other users' draws did not shift


def test_fill_user_attributes_keeps_what_the_seed_set() -> None:
    users = [
        {"user_id": "1", "email": "a@x.io", "first_name": "A", "last_name": "A", "status": "N"},
        {"user_id": "2", "email": "b@x.io", "first_name": "B", "last_name": "B"},
    ]
    fill_user_attributes(users, random.Random(1), 1_767_225_600)  # 2026-01-01 00:00 UTC
    assert users[0]["status"] == "N"  # set by the seed: kept
    assert list(users[1]) == ["user_id", "email", "first_name", "last_name", *USER_ATTRIBUTES]
    for user in users:
        assert set(USER_ATTRIBUTES) <= set(user)
        assert user["last_login"] is None or user["last_login"] <= "2026-01-01 00:00:00"
    assert (users[0]["user_level"], users[1]["user_level"]) == (8, 1)  # first: the manager


def _office_doc(tmp_path: Path, **user_extra: object) -> Path:
    doc = yaml.safe_load((bundled_data_dir() / "ACME.yaml").read_text())
    doc["users"][0].update(user_extra)
    path = tmp_path / "ACME.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_seed_file_user_attributes(tmp_path: Path) -> None:
    office = load_office_file(
        _office_doc(
            tmp_path,
            user_level=9,
            acl_access_profile=4,
            status="N",
            local_gmt="-5.00",
            connection_type="SIP",
            extension=[101, 102],
            last_login=None,
        )
    )
    user = office.users[0]
    assert {k: user[k] for k in list(user)[4:]} == {
        "user_level": 9,
        "acl_access_profile": 4,
        "status": "N",
        "local_gmt": "-5.00",
        "connection_type": "SIP",
        "extension": [101, 102],
        "last_login": None,
    }
    generated = generate_office(office, seed=1, leads=0, anchor=ANCHOR).users[0]
    assert generated["user_level"] == 9 and generated["last_login"] is None


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"user_level": 10}, "users[0].user_level"),
        ({"user_level": "high"}, "users[0].user_level"),
        ({"status": "maybe"}, "users[0].status"),
        ({"local_gmt": "PST"}, "users[0].local_gmt"),
        ({"extension": ["x"]}, "users[0].extension"),
        ({"last_login": "yesterday"}, "users[0].last_login"),
        ({"level": 1}, "users[0].level"),
    ],
)
def test_seed_file_user_attribute_errors(tmp_path: Path, extra: dict, key: str) -> None:
    with pytest.raises(SeedError) as caught:
        load_office_file(_office_doc(tmp_path, **extra))
    assert caught.value.key == key


# --- the store: state copies, snapshots, lead deletes -----------------------------------


def test_state_round_trip_and_reset_cover_the_new_collections(acme: OfficeSeed) -> None:
    store = OfficeStore(acme, now=lambda: ANCHOR)
    lead_id = int(acme.leads[0][0])
    new_id = store.insert_callback(
        {
            "lead_id": lead_id,
            "recipient": "ANYONE",
            "callback_time_zone": UTC_MINUS_7,
            "callback_time": "2026-01-16 09:00 AM",
        }
    )
    call_id = int(acme.call_logs[0][0])
    store.update_call_log(call_id, {"extra_field_01": "x"})
    store.update_revenue(call_id, {"revenue": "1.50"})
    store.delete_lead(int(acme.leads[1][0]))
    doc = state_to_snapshot(store.state)
    restored = state_from_snapshot(doc)
    assert state_to_snapshot(restored) == doc
    assert restored.callbacks == store.state.callbacks
    assert list(restored.cb_by_lead.get(str(lead_id))) == list(
        store.state.cb_by_lead.get(str(lead_id))
    )
    assert restored.next_callback_id == new_id + 1
    assert restored.log_extra == {call_id: {"extra_field_01": "x", "revenue": "1.50"}}
    assert list(restored.deleted_leads) == [int(acme.leads[1][0])]
    store.reset()
    assert store.state.callbacks == {cb["id"]: cb for cb in acme.callbacks}
    assert store.state.log_extra == {} and store.state.deleted_leads == {}
    assert store.state.next_callback_id == acme.first_callback_id + len(acme.callbacks)


def test_the_new_collections_are_declared_once(acme: OfficeSeed) -> None:
    """Reset, snapshot and restore cover them because they are in the declaration."""
    new = ("callbacks", "next_callback_id", "log_extra", "deleted_leads")
    assert set(new) <= set(STORED) and set(new) <= set(SNAPSHOT_KEYS)
    assert {"cb_by_lead", "cb_by_user", "recs_by_lead"} <= set(DERIVED)
    doc = state_to_snapshot(OfficeStore(acme, now=lambda: ANCHOR).state)
    del doc["log_extra"]
    with pytest.raises(ValueError, match="missing keys: log_extra"):
        state_from_snapshot(doc)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("callbacks", [{"id": 1}]),
        ("log_extra", {"5": {"colour": "red"}}),
        ("deleted_leads", [{"lead": ["1"], "custom": {}, "deleted_at": "x"}]),
        ("deleted_leads", [{"lead": [None] * 34, "custom": {}}]),
    ],
)
def test_bad_new_snapshot_parts_are_refused(acme: OfficeSeed, key: str, value: object) -> None:
    doc = state_to_snapshot(OfficeStore(acme, now=lambda: ANCHOR).state)
    doc[key] = value
    with pytest.raises((ValueError, KeyError, TypeError)):
        state_from_snapshot(doc)


def test_clone_shares_nothing_writable(acme: OfficeSeed) -> None:
    store = OfficeStore(acme, now=lambda: ANCHOR)
    seeded = store._seeded
    callback_id = acme.callbacks[0]["id"]
    store.update_callback({"callback_id": callback_id, "comments": "changed"})
    store.delete_callback(acme.callbacks[1]["id"])
    assert seeded.callbacks[callback_id]["comments"] == acme.callbacks[0]["comments"]
    assert acme.callbacks[1]["id"] in seeded.callbacks
    assert list(seeded.cb_by_lead.get(str(acme.callbacks[1]["lead_id"])))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-03 02:30 PM", "2026-01-03 13:30:00"),  # office on standard time (UTC-8)
        ("2026-07-03 02:30 PM", "2026-07-03 14:30:00"),  # office on summer time (UTC-7)
    ],
)
def test_office_time_lands_in_the_office_zone(text: str, expected: str) -> None:
    assert office_time(text, UTC_MINUS_7, ZoneInfo("America/Los_Angeles")) == expected
