"""Tests of the example Convoso client: the mockvoso fixture, faults, a rate limit, intercept()."""

from __future__ import annotations

from typing import Any

import pytest
import requests

import mockvoso

from .client import ConvosoClient, ConvosoError

PHONE = "5305550101"


@pytest.fixture
def waits() -> list[float]:
    """The client's sleeps, recorded instead of slept."""
    return []


@pytest.fixture
def client(mockvoso: Any, waits: list[float]) -> ConvosoClient:
    # The fixture's server is fresh for every test: no lead, fault or limit leaks in.
    return ConvosoClient(mockvoso.token, base_url=mockvoso.url, sleep=waits.append)


def test_insert_then_find(client: ConvosoClient) -> None:
    lead_id = client.insert_lead(2701, PHONE, first_name="Ada", plan="Gold")
    lead = client.find_lead_by_phone(PHONE)
    assert lead is not None
    assert lead["lead_id"] == str(lead_id)  # Convoso sends ids as strings in search
    assert (lead["first_name"], lead["plan"], lead["status"]) == ("Ada", "Gold", "NEW")


def test_every_test_starts_from_the_seed(client: ConvosoClient) -> None:
    assert client.find_lead_by_phone(PHONE) is None  # the insert above is gone


def test_update_status(client: ConvosoClient) -> None:
    lead_id = client.insert_lead(2701, PHONE)
    client.update_lead_status(lead_id, "SALE")
    lead = client.find_lead_by_phone(PHONE)
    assert lead is not None and lead["status"] == "SALE"


def test_domain_errors_raise(client: ConvosoClient) -> None:
    with pytest.raises(ConvosoError) as info:
        client.update_lead_status(1, "SALE")
    assert (info.value.code, info.value.text) == (6001, "No such Lead")


def test_reads_retry_5xx_with_backoff(
    client: ConvosoClient, mockvoso: Any, waits: list[float]
) -> None:
    mockvoso.add_fault(endpoint="log/retrieve", status=503, times=2)
    calls = client.recent_calls(since="2025-12-25 00:00:00", limit=5)
    assert len(calls) == 5
    assert waits == [0.5, 1.0]
    journal = mockvoso.requests(endpoint="log/retrieve")
    assert [(e["status"], e["fault"]) for e in journal] == [(503, "f1"), (503, "f1"), (200, None)]


def test_writes_do_not_retry_5xx(client: ConvosoClient, mockvoso: Any) -> None:
    mockvoso.add_fault(endpoint="leads/insert", status=500, times=1)
    with pytest.raises(requests.HTTPError, match="500"):
        client.insert_lead(2701, PHONE)
    assert len(mockvoso.requests(endpoint="leads/insert")) == 1


def test_honours_retry_after(client: ConvosoClient, mockvoso: Any, waits: list[float]) -> None:
    mockvoso.set_rate_limit(1, 60)

    def wait_out(seconds: float) -> None:
        waits.append(seconds)
        mockvoso.clear_rate_limit()  # as if the minute had passed

    client.sleep = wait_out
    client.insert_lead(2701, PHONE)
    assert client.find_lead_by_phone(PHONE) is not None
    assert waits == [60.0]  # the server's Retry-After, not the client's backoff
    assert [e["status"] for e in mockvoso.requests()] == [200, 429, 200]


@pytest.mark.mockvoso(faults=[{"endpoint": "leads/search", "status": 502}])
def test_gives_up_after_max_retries(client: ConvosoClient, waits: list[float]) -> None:
    # A startup fault from the marker: every leads/search of this test answers 502.
    with pytest.raises(requests.HTTPError, match="502"):
        client.find_lead_by_phone(PHONE)
    assert waits == [0.5, 1.0, 2.0]


def test_production_url_unchanged_with_intercept() -> None:
    # No base_url: the client talks to https://api.convoso.com, served in process.
    with mockvoso.intercept() as convoso:
        client = ConvosoClient(convoso.token)
        lead_id = client.insert_lead(2701, PHONE)
        client.update_lead_status(lead_id, "CALLBK")
        assert [e["endpoint"] for e in convoso.requests()] == ["leads/insert", "leads/update"]
        assert convoso.requests()[0]["params"]["phone_number"] == PHONE


small_convoso = mockvoso.intercept(leads=10)


@small_convoso  # also works on async tests; each run starts from the seed
def test_intercept_as_a_decorator() -> None:
    client = ConvosoClient(small_convoso.token)
    calls = client.recent_calls(since="2025-12-25 00:00:00", limit=500)
    assert all(row["call_date"] >= "2025-12-25 00:00:00" for row in calls)
    dates = [row["call_date"] for row in calls]
    assert dates == sorted(dates, reverse=True)  # newest first
    (entry,) = small_convoso.requests()
    assert (entry["endpoint"], entry["params"]["limit"]) == ("log/retrieve", "500")
