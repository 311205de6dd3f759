"""DNC / SMS opt-out lists and statuses without Flask: store, snapshot codecs, seeding."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from marshmallow import fields

from mockvoso.errors import ConvosoError
from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED, OfficeSeed, TokenSpec
from mockvoso.schemas.common import ArgsSchema, load_args
from mockvoso.seed import generate_office, load_offices
from mockvoso.seed.phone_lists import make_phone_lists
from mockvoso.store import OfficeStore
from mockvoso.store.phone_lists import (
    load_entries,
    load_statuses,
    matching_ids,
    statuses_from_seed,
)
from mockvoso.store.state import state_from_snapshot, state_to_snapshot

NOW = datetime(2026, 1, 1, 12, 0, 0)
ANCHOR = datetime(2026, 1, 15, 12, 0, 0)
LEAD = {name: i for i, name in enumerate(LEAD_STORED)}
LOG = {name: i for i, name in enumerate(CALL_LOG_FIELDS)}


def entry(entry_id: int, phone: str, campaign_id: int = 0, **extra: str) -> dict:
    return {
        "id": entry_id,
        "phone_number": phone,
        "phone_code": "1",
        "campaign_id": campaign_id,
        "reason": extra.get("reason", ""),
        "purpose": extra.get("purpose", ""),
        "insert_date": extra.get("insert_date", "2025-12-20 10:00:00"),
    }


@pytest.fixture
def store() -> OfficeStore:
    seed = OfficeSeed(
        acronym="T",
        name="Test",
        timezone="UTC",  # so the store writes NOW's own text
        tokens=[TokenSpec("tok-tok-tok", ("dnc",))],
        users=[{"user_id": "7", "email": "a@t.example", "first_name": "A", "last_name": "B"}],
        campaigns=[{"id": 1, "name": "Camp", "status": "Y", "last_call_date": None}],
        lists=[],
        statuses=[
            {"status": "NEW", "name": "New"},  # hand-built: no custom/hex_color keys
            {"status": "XY", "name": "Custom", "dnc": "Y", "custom": "Y", "hex_color": "00ff00"},
        ],
        dnc=[entry(5, "3105550001", 0, reason="DNC"), entry(9, "3105550001", 1)],
    )
    return OfficeStore(seed, now=lambda: NOW)


def test_seeded_entries_are_indexed_and_ids_continue(store):
    assert list(store.state.dnc_by_phone.get("3105550001")) == [5, 9]
    assert store.state.next_dnc_id == 10
    assert store.insert_dnc("3105550002", "1", 1, "", "VERIFY") == 10
    assert store.state.dnc[10]["insert_date"] == "2026-01-01 12:00:00"


def test_statuses_from_a_hand_built_seed_get_defaults(store):
    assert store.statuses["NEW"] == {
        "status": "NEW",
        "name": "New",
        **dict.fromkeys(("final", "reached", "success", "dnc"), "N"),
        **dict.fromkeys(("callback", "contact", "voicemail"), "N"),
        "custom": "N",
        "hex_color": "",
    }
    assert statuses_from_seed([{"status": "ab", "name": "x"}])["AB"]["status"] == "ab"


def test_insert_checks_before_it_writes(store):
    with pytest.raises(ConvosoError) as info:
        store.insert_dnc("3105550001", "1", 0, "", "")
    assert info.value.code == 6008
    with pytest.raises(ConvosoError) as info:
        store.insert_dnc("3105550003", "1", 2, "", "")
    assert info.value.code == 6006
    assert sorted(store.state.dnc) == [5, 9] and store.state.next_dnc_id == 10


def test_update_moves_the_index_and_refuses_collisions(store):
    store.update_dnc(9, {"phone_number": "3105550004"})
    assert list(store.state.dnc_by_phone.get("3105550001")) == [5]
    assert list(store.state.dnc_by_phone.get("3105550004")) == [9]
    with pytest.raises(ConvosoError) as info:
        store.update_dnc(9, {"phone_number": "3105550001", "campaign_id": 0})
    assert info.value.code == 6059
    assert store.state.dnc[9]["phone_number"] == "3105550004"


def test_dnc_listed_reads_office_wide_and_campaign_lists(store):
    assert store.dnc_listed("3105550001", "1", 42)  # office-wide entry 5
    assert not store.dnc_listed("3105550001", "44", 42)
    store.delete_dnc("3105550001", "1", 0, None)
    assert store.dnc_listed("3105550001", "1", 1)
    assert not store.dnc_listed("3105550001", "1", 42)


def test_matching_ids_uses_keys_then_checks(store):
    entries, index = store.state.dnc, store.state.dnc_by_phone
    assert matching_ids(entries, index, {}) == [5, 9]
    assert matching_ids(entries, index, {"phone_number": "3105550001", "campaign_id": 1}) == [9]
    assert matching_ids(entries, index, {"id": 5, "reason": "-NOTBLANK-"}) == [5]
    assert matching_ids(entries, index, {"id": 5, "phone_number": "3105550009"}) == []
    assert matching_ids(entries, index, {"insert_date": "2025-12-20"}) == [5, 9]
    assert matching_ids(entries, index, {"insert_date": "2025-12-20 10:00:01"}) == []


def test_custom_status_update_and_system_refusal(store):
    assert store.update_status("xy", {"name": "Renamed"}) == "XY"
    assert store.statuses["XY"]["name"] == "Renamed"
    with pytest.raises(ConvosoError) as info:
        store.update_status("NEW", {"name": "x"})
    assert info.value.code == 6069


def test_snapshot_round_trip_and_reset(store):
    store.insert_sms_opt_out("3105550005", "1", 0, "DNC", "")
    store.insert_status({"status": "C1", "name": "C", "dnc": "N"})
    doc = state_to_snapshot(store.state)
    restored = state_from_snapshot(doc)
    assert list(restored.sms_by_phone.get("3105550005")) == [1]
    assert restored.statuses == store.state.statuses
    assert restored.next_sms_opt_out_id == 2 and restored.next_dnc_id == 10
    assert state_to_snapshot(restored) == doc
    store.reset()
    assert store.state.sms_opt_outs == {} and "C1" not in store.statuses


@pytest.mark.parametrize(
    "row",
    [
        {**entry(1, "3105550001"), "id": "1"},
        {**entry(1, "3105550001"), "campaign_id": True},
        {**entry(1, "3105550001"), "reason": None},
        {k: v for k, v in entry(1, "3105550001").items() if k != "purpose"},
    ],
)
def test_load_entries_refuses_bad_rows(row):
    with pytest.raises((ValueError, TypeError)):
        load_entries([row], "dnc")


def test_load_statuses_refuses_bad_rows():
    good = statuses_from_seed([{"status": "AB", "name": "x"}])["AB"]
    assert load_statuses([good]) == {"AB": good}
    for bad in ({**good, "custom": "maybe"}, {**good, "name": 1}, {"status": "AB"}):
        with pytest.raises(ValueError):
            load_statuses([bad])


def test_concurrent_inserts_under_the_lock(store):
    phones = [f"31055560{n:02d}" for n in range(50)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda p: store.insert_dnc(p, "1", 1, "", ""), phones))
    assert sorted(ids) == list(range(10, 60))
    assert all(store.state.dnc_by_phone.get(p) for p in phones)


class _Blanks(ArgsSchema):
    KEEP_BLANK = frozenset({"kept"})


_Schema = _Blanks.from_dict({"kept": fields.String(), "other": fields.String()})


def test_load_args_keeps_only_declared_blanks():
    assert load_args(_Schema(), {}, frozenset({"kept", "other"})) == {"kept": ""}
    assert load_args(_Schema(), {"kept": "x"}, frozenset()) == {"kept": "x"}


# --- seeding ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offices() -> list[OfficeSeed]:
    return [generate_office(o, seed=7, leads=2000, anchor=ANCHOR) for o in load_offices()]


def test_seeded_numbers_are_not_dialled_after_their_insert_date(offices):
    for office in offices:
        calls: dict[str, list[str]] = {}
        for row in office.call_logs:
            calls.setdefault(row[LOG["phone_number"]], []).append(row[LOG["call_date"]])
        assert office.dnc and office.sms_opt_outs
        # Seeded times are office-local: the 30 days before the anchor, on its clock.
        zone = ZoneInfo(office.timezone)
        local = ANCHOR.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        first, last = str(local - timedelta(days=30)), str(local)
        for item in office.dnc + office.sms_opt_outs:
            assert all(date <= item["insert_date"] for date in calls.get(item["phone_number"], []))
            assert first <= item["insert_date"] <= last, (office.timezone, item)


def test_seeded_dnc_statuses_are_on_their_campaigns_list(offices):
    for office in offices:
        campaign_of = {str(li["id"]): li["campaign_id"] for li in office.lists}
        triples = {(e["phone_number"], e["phone_code"], e["campaign_id"]) for e in office.dnc}
        assert len(triples) == len(office.dnc)  # unique
        dnc_leads = [lead for lead in office.leads if lead[LEAD["status"]] == "DNC"]
        assert dnc_leads
        for lead in dnc_leads:
            key = (lead[LEAD["phone_number"]], "1", campaign_of[lead[LEAD["list_id"]]])
            assert key in triples
        assert any(e["campaign_id"] == 0 for e in office.dnc)
        ids = [e["id"] for e in office.dnc]
        dates = [e["insert_date"] for e in office.dnc]
        assert ids == sorted(ids) and dates == sorted(dates)


def test_seeding_is_deterministic_and_per_seed(offices):
    again = [generate_office(o, seed=7, leads=2000, anchor=ANCHOR) for o in load_offices()]
    assert [o.dnc for o in again] == [o.dnc for o in offices]
    assert [o.sms_opt_outs for o in again] == [o.sms_opt_outs for o in offices]
    other = make_phone_lists(offices[0], seed=8, anchor=ANCHOR)
    assert other != (offices[0].dnc, offices[0].sms_opt_outs)


def test_an_office_without_leads_gets_only_spare_numbers():
    office = generate_office(load_offices()[0], seed=7, leads=0, anchor=ANCHOR)
    assert len(office.dnc) == 4 and len(office.sms_opt_outs) == 2
    assert all(e["phone_number"][3:8] == "55501" for e in office.dnc + office.sms_opt_outs)
