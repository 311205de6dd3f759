"""The simulated dialer: POST /_mockvoso/simulate and clock advances that dial."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from test_webhooks import Receiver, flush, register

from conftest import WHOLE_LOG, Api, offices_of, validating_app


@pytest.fixture
def hook_receiver() -> Iterator[Receiver]:
    got = Receiver()
    yield got
    got.close()


def fresh(**overrides: Any) -> Api:
    app = validating_app(overrides)
    return Api(app, offices_of(app)["ACME"].full_token)


def simulate(api: Api, **body: Any) -> dict[str, Any]:
    response = api.control("POST", "simulate", json=body)
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def test_simulate_answers_what_it_did_and_the_log_shows_every_call() -> None:
    api = fresh()
    before = api.control("GET", "clock").get_json()["now"]
    result = simulate(api, office="ACME", calls=40)
    assert set(result) == {"office", "calls", "call_log_ids", "dispositions", "recordings"}
    assert result["office"] == "ACME" and result["calls"] == 40
    assert len(result["call_log_ids"]) == 40 and sum(result["dispositions"].values()) == 40
    assert api.control("GET", "clock").get_json()["now"] > before  # advanced by the calls
    rows = api.ok("log/retrieve", {**WHOLE_LOG, "id": ",".join(result["call_log_ids"])})
    results = rows["data"]["results"]
    assert sorted(r["id"] for r in results) == sorted(result["call_log_ids"])
    statuses: dict[str, int] = {}
    for row in results:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
        assert row["call_type"] == "OUTBOUND" and int(row["call_length"]) > 0
    assert statuses == result["dispositions"]
    with_recording = api.ok(
        "log/retrieve",
        {**WHOLE_LOG, "id": ",".join(result["call_log_ids"]), "include_recordings": 1},
    )["data"]["results"]
    assert sum(1 for r in with_recording if r.get("recording")) == result["recordings"]


def test_each_call_updates_its_lead_and_writes_dnc_callbacks_recordings() -> None:
    api = fresh()
    result = simulate(api, calls=400)
    rows = api.ok("log/retrieve", {**WHOLE_LOG, "id": ",".join(result["call_log_ids"])})
    last_by_lead: dict[str, dict[str, Any]] = {}
    for row in sorted(rows["data"]["results"], key=lambda r: int(r["id"])):
        last_by_lead[row["lead_id"]] = row
    for lead_id, row in list(last_by_lead.items())[:25]:
        lead = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
        assert (lead["status"], lead["last_called"], lead["called_count"]) == (
            row["status"],
            row["call_date"],
            row["called_count"],
        )
    dnc_rows = [r for r in last_by_lead.values() if r["status"] == "DNC"]
    assert dnc_rows, result["dispositions"]
    for row in dnc_rows:
        found = api.ok("dnc/search", {"phone_number": row["phone_number"]})["data"]["entries"]
        assert any(e["campaign_id"] in (row["campaign_id"], "0", 0) for e in found), found
    callback_leads = {r["lead_id"] for r in rows["data"]["results"] if r["status"] == "CALLBK"}
    assert callback_leads
    for lead_id in list(callback_leads)[:5]:
        callbacks = api.ok("callbacks/search", {"lead_id": lead_id})["data"]["results"]
        assert any(cb["comments"] == "Set by the dialer" for cb in callbacks)
    recordings = api.ok("leads/get-recordings", {"lead_id": 0, "limit": 100, **WHOLE_LOG})
    ids = {str(e["recording_id"]) for e in recordings["data"]["entries"]}
    assert ids  # the dialer's recordings are found by lead too


def test_dnc_numbers_and_final_leads_are_never_dialled() -> None:
    api = fresh()
    simulate(api, calls=2000)  # until nothing is left to dial
    log = api.ok("log/retrieve", {**WHOLE_LOG, "limit": 500})
    assert int(log["data"]["total_found"]) > 0
    again = simulate(api, calls=10)
    assert again["calls"] == 0 and again["call_log_ids"] == []


def test_the_same_seed_gives_the_same_simulation() -> None:
    first = simulate(fresh(), calls=60)
    second = simulate(fresh(), calls=60)
    assert first == second
    assert simulate(fresh(seed=99), calls=60) != first


def test_a_reset_restarts_the_simulation() -> None:
    api = fresh()
    first = simulate(api, calls=30)
    api.control("POST", "reset")
    assert simulate(api, calls=30) == first


def test_a_clock_advance_with_dial_dials_within_the_elapsed_time() -> None:
    api = fresh()
    api.control("POST", "clock", json={"freeze": True})
    start = api.control("GET", "clock").get_json()["now"]
    before = int(api.ok("log/retrieve", WHOLE_LOG)["data"]["total_found"])
    moved = api.control("POST", "clock", json={"advance": 3600, "dial": True})
    assert moved.status_code == 200 and set(moved.get_json()) == {"now", "frozen"}
    after = int(api.ok("log/retrieve", WHOLE_LOG)["data"]["total_found"])
    assert after > before
    assert api.control("GET", "clock").get_json()["now"] > start


def test_call_completed_reaches_a_receiver(hook_receiver: Receiver) -> None:
    receiver = hook_receiver
    api = fresh()
    register(
        api,
        url=receiver.url,
        events=["call.completed"],
        fields={
            "call": "call_log_id",
            "lead": "lead_id",
            "secs": "length_in_sec",
            "rec": "recording",
        },
    )
    result = simulate(api, calls=5)
    flush(api)
    bodies = [json.loads(p["body"]) for p in receiver.posts]
    assert [b["call"] for b in bodies] == result["call_log_ids"]
    with_recording = [b for b in bodies if b["rec"]]
    assert len(with_recording) == result["recordings"]
    for body in with_recording:
        assert body["rec"].startswith("http://localhost/recordings/acme/")
        assert api.http.get(body["rec"]).status_code == 200  # a playable WAV


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"calls": 0}, "calls"),
        ({"calls": "5"}, "calls"),
        ({"calls": 100_001}, "calls"),
        ({"office": "NOPE"}, "office"),
        ({"office": 5}, "office"),
        ({"speed": 2}, "speed"),
    ],
)
def test_bad_simulate_requests_are_400_and_call_nobody(body: dict[str, Any], field: str) -> None:
    api = fresh()
    before = api.ok("log/retrieve", WHOLE_LOG)["data"]["total_found"]
    response = api.control("POST", "simulate", json=body)
    assert response.status_code == 400 and response.get_json()["field"] == field
    assert api.ok("log/retrieve", WHOLE_LOG)["data"]["total_found"] == before


def test_bad_dial_value_is_400() -> None:
    response = fresh().control("POST", "clock", json={"advance": 60, "dial": "yes"})
    assert response.status_code == 400 and response.get_json()["field"] == "dial"
