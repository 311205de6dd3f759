"""Unit tests of the request journal ring buffer and token masking."""

from __future__ import annotations

import threading

import pytest

from mockvoso.faults.journal import MASK, Journal, mask_params


def entry(endpoint: str = "leads/search", office: str | None = "ACME", status: int = 200) -> dict:
    return {"method": "GET", "endpoint": endpoint, "office": office, "status": status}


# --- mask_params ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "masked"),
    [
        ("abcdef123456", "abcd****"),
        ("abcde", "abcd****"),
        ("abcd", "****"),
        ("ab", "****"),
        ("", "****"),
        (123456, "1234****"),
    ],
)
def test_mask_params_keeps_four_chars(token: object, masked: str) -> None:
    assert MASK == "****"
    assert mask_params({"auth_token": token, "limit": "5"}) == {
        "auth_token": masked,
        "limit": "5",
    }


def test_mask_params_returns_a_copy_and_leaves_other_params() -> None:
    params = {"auth_token": "secret-token", "phone_number": "5551234567"}
    masked = mask_params(params)
    assert masked == {"auth_token": "secr****", "phone_number": "5551234567"}
    assert params["auth_token"] == "secret-token"
    assert mask_params({"limit": "5"}) == {"limit": "5"}
    assert mask_params({"auth_token": None}) == {"auth_token": None}


# --- record and list -----------------------------------------------------------------------


def test_record_assigns_increasing_ids_and_keeps_a_copy() -> None:
    journal = Journal(size=10)
    original = entry()
    stored = journal.record(original)
    assert stored == {"id": 1, **original}
    assert "id" not in original
    assert journal.record(entry())["id"] == 2
    assert journal.record({"id": 99, "endpoint": "x"}) == {"id": 3, "endpoint": "x"}
    assert [e["id"] for e in journal.list()] == [1, 2, 3]


def test_full_journal_evicts_the_oldest_and_counts_drops() -> None:
    journal = Journal(size=3)
    for _ in range(5):
        journal.record(entry())
    assert [e["id"] for e in journal.list()] == [3, 4, 5]
    assert journal.dropped == 2
    journal.record(entry())
    assert [e["id"] for e in journal.list()] == [4, 5, 6]
    assert journal.dropped == 3


def test_list_filters() -> None:
    journal = Journal()
    journal.record(entry("leads/search", "ACME", 200))
    journal.record(entry("leads/insert", "acme", 200))
    journal.record(entry("leads/search", "OTHER", 503))
    journal.record(entry("leads/search", None, 401))
    journal.record(entry("lists/search", "Acme", 503))
    assert [e["id"] for e in journal.list(endpoint="leads/search")] == [1, 3, 4]
    assert [e["id"] for e in journal.list(office="ACME")] == [1, 2, 5]
    assert [e["id"] for e in journal.list(office="other")] == [3]
    assert [e["id"] for e in journal.list(status=503)] == [3, 5]
    assert [e["id"] for e in journal.list(endpoint="leads/search", status=503)] == [3]
    assert journal.list(endpoint="users/search") == []


def test_limit_keeps_the_most_recent_after_filtering() -> None:
    journal = Journal()
    for index in range(10):
        journal.record(entry(status=200 if index % 2 else 503))
    assert [e["id"] for e in journal.list(limit=3)] == [8, 9, 10]
    assert [e["id"] for e in journal.list(status=503, limit=2)] == [7, 9]
    assert [e["id"] for e in journal.list(status=503, limit=50)] == [1, 3, 5, 7, 9]
    assert journal.list(limit=0) == []
    with pytest.raises(ValueError):
        journal.list(limit=-1)


def test_listed_entries_are_copies() -> None:
    journal = Journal()
    journal.record(entry())
    journal.list()[0]["status"] = 500
    assert journal.list()[0]["status"] == 200


def test_clear_resets_entries_ids_and_drops() -> None:
    journal = Journal(size=2)
    for _ in range(4):
        journal.record(entry())
    assert journal.dropped == 2
    journal.clear()
    assert journal.list() == []
    assert journal.dropped == 0
    assert journal.record(entry())["id"] == 1


@pytest.mark.parametrize("size", [0, -1, True, 2.5])
def test_bad_size_is_rejected(size: object) -> None:
    with pytest.raises(ValueError):
        Journal(size=size)  # type: ignore[arg-type]


def test_default_size_keeps_the_last_thousand() -> None:
    journal = Journal()
    for n in range(1001):
        journal.record({"n": n})
    entries = journal.list()
    assert (len(entries), entries[0]["id"], entries[-1]["id"], journal.dropped) == (
        1000,
        2,
        1001,
        1,
    )


def test_concurrent_records_get_unique_ids() -> None:
    journal = Journal(size=500)
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(200):
            journal.record(entry())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [e["id"] for e in journal.list()]
    assert ids == list(range(1101, 1601))
    assert journal.dropped == 1100


# --- deferred values -------------------------------------------------------------------------


def test_deferred_values_are_worked_out_once_when_listed() -> None:
    from mockvoso.faults.journal import Deferred

    calls: list[int] = []

    def make() -> dict:
        calls.append(1)
        return {"auth_token": "abcd****", "phone_number": "5551234567"}

    journal = Journal(3)
    journal.record({**entry(), "params": Deferred(make)})
    assert calls == []  # recording does not work it out
    first = journal.list()
    second = journal.list()
    assert calls == [1]
    assert first[0]["params"] == {"auth_token": "abcd****", "phone_number": "5551234567"}
    assert type(first[0]["params"]) is dict  # plain: JSON-encodable by the stdlib
    first[0]["params"]["phone_number"] = "edited"
    assert second[0]["params"]["phone_number"] == "5551234567"
    assert journal.list()[0]["params"]["phone_number"] == "5551234567"


def test_an_entry_id_is_replaced_and_kept_first() -> None:
    journal = Journal(3)
    stored = journal.record({"method": "GET", "id": 99, "status": 200})
    assert list(stored) == ["id", "method", "status"]
    assert stored["id"] == 1
