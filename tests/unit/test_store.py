"""OfficeStore without Flask: writes, indexes, cascades, reset, snapshot and locking."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from mockvoso.errors import ConvosoError
from mockvoso.records import CALL_LOG_FIELDS, OfficeSeed, TokenSpec
from mockvoso.store import OfficeStore
from mockvoso.store.index import SortedIndex
from mockvoso.store.state import LEAD_POS, state_from_snapshot, state_to_snapshot

NOW = datetime(2026, 1, 1, 12, 0, 0)  # the server clock, UTC
# ...as the office writes it: its zone (the default, America/Los_Angeles) is UTC-8 then.
NOW_TEXT = "2026-01-01 04:00:00"


def lead_row(lead_id: int, list_id: int, phone: str, status: str = "NEW") -> tuple:
    row = dict.fromkeys(LEAD_POS)
    row.update(
        id=str(lead_id),
        created_at="2025-12-20 10:00:00",
        modified_at="2025-12-21 10:00:00",
        list_id=str(list_id),
        phone_number=phone,
        phone_code="1",
        status=status,
        user_id="7",
        first_name=f"Name{lead_id}",
    )
    return tuple(row[name] for name in LEAD_POS)


def call_row(call_id: int, lead: tuple, date: str) -> tuple:
    row = {
        "id": str(call_id),
        "lead_id": lead[0],
        "list_id": lead[LEAD_POS["list_id"]],
        "campaign_id": "1" if lead[LEAD_POS["list_id"]] in ("10", "11") else "2",
        "campaign": "Camp",
        "user": "Ann Agent",
        "user_id": "7",
        "phone_number": lead[LEAD_POS["phone_number"]],
        "number_dialed": lead[LEAD_POS["phone_number"]],
        "first_name": None,
        "last_name": None,
        "status": "SALE",
        "status_name": "Sale",
        "call_length": "30",
        "call_date": date,
        "agent_comment": None,
        "queue_id": "Q1",
        "called_count": "1",
        "caller_id_displayed": None,
        "term_reason": "AGENT",
        "call_type": "OUTBOUND",
        "queue_position": "1",
        "queue_seconds": "0.00",
        "originating_agent_id": None,
        "session_id": None,
        "queue": None,
        "inbound_number": None,
    }
    return tuple(row[name] for name in CALL_LOG_FIELDS)


@pytest.fixture
def store() -> OfficeStore:
    leads = [
        lead_row(1, 10, "5305550001"),
        lead_row(2, 10, "5305550002", "SALE"),
        lead_row(3, 11, "5305550003"),
        lead_row(4, 20, "5305550001"),
    ]
    calls = [
        call_row(1, leads[0], "2025-12-22 09:00:00"),
        call_row(2, leads[2], "2025-12-21 09:00:00"),
    ]
    seed = OfficeSeed(
        acronym="T",
        name="Test",
        tokens=[TokenSpec("tok-tok-tok", ("leads",))],
        users=[
            {"user_id": "7", "email": "ann@t.example", "first_name": "Ann", "last_name": "Agent"}
        ],
        campaigns=[
            {"id": 1, "name": "Camp", "status": "Y", "last_call_date": None},
            {"id": 2, "name": "Other", "status": "Y", "last_call_date": None},
        ],
        lists=[
            {
                "id": 10,
                "name": "List Ten Leads",
                "campaign_id": 1,
                "description": "",
                "status": "Y",
                "last_called_at": None,
            },
            {
                "id": 11,
                "name": "List Eleven Leads",
                "campaign_id": 1,
                "description": "",
                "status": "Y",
                "last_called_at": None,
            },
            {
                "id": 20,
                "name": "List Twenty Leads",
                "campaign_id": 2,
                "description": "",
                "status": "Y",
                "last_called_at": None,
            },
        ],
        statuses=[{"status": "NEW", "name": "New"}, {"status": "SALE", "name": "Sale"}],
        leads=leads,
        call_logs=calls,
        recordings=[
            {
                "recording_id": 5,
                "call_log_id": 1,
                "lead_id": 1,
                "user_id": "7",
                "start_time": "2025-12-22 09:00:00",
                "end_time": "2025-12-22 09:00:30",
                "seconds": 30,
                "url": "a.wav",
            },
        ],
    )
    return OfficeStore(seed, now=lambda: NOW)


def ids(page: list[dict]) -> list[str]:
    return [entry["id"] for entry in page]


def test_search_uses_indexes_and_combines_filters(store):
    total, page = store.search_leads({"phone_number": "5305550001"}, 0, 10)
    assert (total, ids(page)) == (2, ["1", "4"])
    total, page = store.search_leads({"list_id": ["10"], "status": ["sale"]}, 0, 10)
    assert (total, ids(page)) == (1, ["2"])
    total, page = store.search_leads({"list_id": ["10", "11"]}, 1, 1)
    assert (total, ids(page)) == (3, ["2"])


def test_insert_checks_everything_before_writing(store):
    with pytest.raises(ConvosoError) as err:
        store.insert_lead({"list_id": 99, "phone_number": "5305550009", "custom": {}}, {})
    assert err.value.code == 6002
    with pytest.raises(ConvosoError) as err:
        store.insert_lead(
            {"list_id": 10, "phone_number": "5305550009", "user_id": 8, "custom": {}}, {}
        )
    assert err.value.code == 6006
    assert len(store.state.leads) == 4 and store.state.next_lead_id == 5


def test_insert_stamps_clock_and_indexes(store):
    lead_id = store.insert_lead(
        {"list_id": 11, "phone_number": "5305550099", "custom": {"x": "1"}}, {}
    )
    assert lead_id == 5
    out = store.lead_out(5)
    assert out["created_at"] == out["modified_at"] == NOW_TEXT
    assert out["x"] == "1" and out["directory_name"] == "List Eleven Leads"
    assert list(store.state.lead_index["phone_number"].get("5305550099")) == [5]
    assert list(store.state.lead_index["list_id"].get("11")) == [3, 5]


def test_duplicate_scopes(store):
    def dup(check: int, list_id: int) -> bool:
        try:
            store.insert_lead(
                {"list_id": list_id, "phone_number": "5305550003", "custom": {}},
                {"check_dup": check},
            )
        except ConvosoError as exc:
            assert exc.code == 6009
            return True
        store.reset()
        return False

    assert dup(1, 20) is True
    assert dup(2, 20) is False and dup(2, 11) is True
    assert dup(3, 10) is True and dup(3, 20) is False


def test_update_moves_indexes(store):
    store.update_lead(1, {"list_id": 20, "status": "SALE", "custom": {}})
    assert list(store.state.lead_index["list_id"].get("10")) == [2]
    assert list(store.state.lead_index["list_id"].get("20")) == [1, 4]
    assert list(store.state.lead_index["status"].get("sale")) == [1, 2]
    assert store.lead_out(1)["modified_at"] == NOW_TEXT


def test_delete_lead_cascades_to_calls_and_recordings(store):
    store.delete_lead(1)
    assert 1 not in store.state.call_logs and 5 not in store.state.recordings
    assert store.state.log_order == [2]
    assert list(store.state.lead_index["phone_number"].get("5305550001")) == [4]
    with pytest.raises(ConvosoError):
        store.delete_lead(1)


def test_delete_list_cascades_to_leads(store):
    store.delete_list(10)
    assert sorted(store.state.leads) == [3, 4]
    assert list(store.state.lead_index["list_id"].get("10")) == []
    assert list(store.state.call_logs) == [2]


def test_call_log_order_and_window(store):
    total, rows = store.retrieve_call_log({}, 0, 10, True, False)
    assert (total, [r["id"] for r in rows]) == (2, ["1", "2"])
    total, rows = store.retrieve_call_log({"start_time": "2025-12-22 00:00:00"}, 0, 10, False, True)
    assert [r["id"] for r in rows] == ["1"] and rows[0]["recording"][0]["recording_id"] == "5"


def test_call_log_pages_from_either_end(store):
    rows = [call_row(i, lead_row(i, 10, f"530555{i:04d}"), f"2025-12-22 09:{i:02d}:00")
            for i in range(10, 17)]  # fmt: skip
    store.restore(state_from_snapshot({**state_to_snapshot(store.state), "call_logs": {
        "fields": list(CALL_LOG_FIELDS), "rows": [list(r) for r in rows]}}))  # fmt: skip
    pages = {
        (offset, limit, newest): [r["id"] for r in store.retrieve_call_log({}, offset, limit, newest, False)[1]]
        for offset in (0, 2, 6, 7, 9) for limit in (1, 3, 10) for newest in (True, False)
    }  # fmt: skip
    ids = [str(i) for i in range(10, 17)]
    for (offset, limit, newest), page in pages.items():
        assert page == (ids[::-1] if newest else ids)[offset : offset + limit]


def test_call_log_rows_are_read_only_and_follow_the_state(store):
    _, first = store.retrieve_call_log({}, 0, 10, True, False)
    with pytest.raises(TypeError, match="read-only"):
        first[0]["status"] = "EDITED"
    edited = dict(first[0])  # what a caller that edits does
    edited["status"], edited["extra"] = "EDITED", 1
    _, again = store.retrieve_call_log({}, 0, 10, True, False)
    assert again[0]["status"] == "SALE" and "extra" not in again[0]
    assert list(again[0]) == list(CALL_LOG_FIELDS)
    # The same call id naming another row (a restored snapshot): the new row's values.
    doc = state_to_snapshot(store.state)
    for row in doc["call_logs"]["rows"]:
        row[CALL_LOG_FIELDS.index("status")] = "NI"
    store.restore(state_from_snapshot(doc))
    _, restored = store.retrieve_call_log({}, 0, 10, True, False)
    assert [(r["id"], r["status"]) for r in restored] == [("1", "NI"), ("2", "NI")]


def test_reset_is_a_copy_not_shared(store):
    store.insert_lead({"list_id": 10, "phone_number": "5305550100", "custom": {}}, {})
    store.update_lead(2, {"notes": "changed", "custom": {}})
    store.reset()
    assert sorted(store.state.leads) == [1, 2, 3, 4]
    assert store.lead_out(2)["notes"] is None
    assert list(store.state.lead_index["list_id"].get("10")) == [1, 2]
    store.delete_list(10)
    store.reset()
    assert list(store.state.lead_index["list_id"].get("10")) == [1, 2]  # seeded index untouched


def test_snapshot_round_trip(store):
    store.insert_lead({"list_id": 10, "phone_number": "5305550100", "custom": {"plan": "Gold"}}, {})
    doc = state_to_snapshot(store.state)
    rebuilt = state_from_snapshot(doc)
    assert state_to_snapshot(rebuilt) == doc
    assert list(rebuilt.lead_index["list_id"].get("10")) == [1, 2, 5]
    assert rebuilt.custom == {5: {"plan": "Gold"}} and rebuilt.next_lead_id == 6
    with pytest.raises(ValueError):
        state_from_snapshot({**doc, "leads": {"fields": ["id"], "rows": []}})


def test_concurrent_inserts_under_the_lock(store):
    def insert(i: int) -> int:
        return store.insert_lead(
            {"list_id": 10, "phone_number": f"5306{i:06d}", "custom": {}}, {"check_dup": 1}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        new_ids = list(pool.map(insert, range(500)))
    assert sorted(new_ids) == list(range(5, 505))
    assert list(store.state.lead_index["list_id"].get("10")) == [1, 2, *range(5, 505)]


def test_sorted_index_keeps_order():
    index = SortedIndex()
    for record_id in (5, 1, 3, 9, 7):
        index.add("k", record_id)
    assert list(index.get("k")) == [1, 3, 5, 7, 9]
    index.remove("k", 5)
    index.remove("k", 42)
    assert list(index.get("k")) == [1, 3, 7, 9]
    copy = index.copy()
    copy.add("k", 2)
    assert list(index.get("k")) == [1, 3, 7, 9] and list(copy.get("k")) == [1, 2, 3, 7, 9]
    again = index.copy()  # copy-on-write both ways: the original's writes stay its own
    index.remove("k", 3)
    index.add("j", 4)
    assert list(again.get("k")) == [1, 3, 7, 9] and list(again.get("j")) == []
    for record_id in (1, 7, 9):
        index.remove("k", record_id)
    assert list(index.keys()) == ["j"]  # an emptied key disappears


def test_sorted_index_copies_share_the_mapping_until_a_write():
    index = SortedIndex.build([("a", 1), ("b", 2), ("a", 3), (None, 4), ("c", 5)])
    assert {k: list(index.get(k)) for k in sorted(index.keys())} == {
        "a": [1, 3],
        "b": [2],
        "c": [5],
    }
    copy = index.copy()
    assert copy._ids is index._ids  # nothing copied yet
    copy.add("d", 6)  # a new key: the copy takes its own mapping
    assert copy._ids is not index._ids and list(index.get("d")) == []
    other = index.copy()
    other.remove("c", 5)  # a bare id removed: the same
    assert list(other.get("c")) == [] and list(index.get("c")) == [5]
    third = index.copy()
    third.add("b", 7)  # a one-id key that grows into a list
    assert list(third.get("b")) == [2, 7] and list(index.get("b")) == [2]
    assert list(copy.get("d")) == [6] and list(copy.get("b")) == [2]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["a", "b", None, "c"], {"a": [1], "b": [2], "c": [4]}),  # no repeats: dict(zip)
        (["a", None, "a", None, "b"], {"a": [1, 3], "b": [5]}),  # repeats: the loop
    ],
)
def test_sorted_index_from_columns(keys, expected):
    index = SortedIndex.from_columns(keys, list(range(1, len(keys) + 1)))
    assert {k: list(index.get(k)) for k in sorted(index.keys())} == expected
    assert list(index.keys()) == list(expected)  # first-seen key order, as build() keeps
