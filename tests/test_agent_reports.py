"""agent-performance, agent-productivity, agent-monitor (search, logout) and user-activity over HTTP."""

from __future__ import annotations

import calendar
import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import WHOLE_LOG, Api, offices_of, validating_app

PERF = "agent-performance/search"
PROD = "agent-productivity/search"
MONITOR = "agent-monitor/search"
LOGOUT = "agent-monitor/logout"
ACTIVITY = "user-activity/search"
VIAS = ("query", "form", "json")

ACME_USERS = [f"100000{i}" for i in range(1, 9)]
BRAVO_AGENT = "2000001"
# seed_data/ACME.yaml: statuses flagged contact: Y, and voicemail: Y.
CONTACT = {"SALE", "CALLBK", "NI", "NQ", "XFER", "DNC"}
VOICEMAIL = {"AA"}
DECEMBER = {"date_start": "2025-12-01", "date_end": "2025-12-31"}
# seed_data/ACME.yaml names no time zone: Convoso's default. The test clock's anchor,
# 2026-01-01 00:00:00 UTC, is 2025-12-31 16:00:00 there.
ZONE = ZoneInfo("America/Los_Angeles")
ANCHOR_EPOCH = 1767225600
TODAY = "2025-12-31"
# The System User of abandoned and dropped calls: no agent (mockvoso/records.py).
SYSTEM_USERS = {"666666", "666667", "666671"}
# Both edges inside a day: the totals then mix whole days and rows of partial days.
PARTIAL = {"date_start": "2025-12-10 12:00:00", "date_end": "2025-12-20 18:30:00"}
PERF_ROW_KEYS = {
    "name", "calls", "human_answered", "talk_sec_pt", "wait_sec_pt", "pause_sec_pt",
    "wrap_sec_pt", "talk_sec", "wait_sec", "pause_sec", "wrap_sec", "total_time", "am",
    "others", "am_pt", "others_pt", "call_type", "user_id",
}  # fmt: skip
EVENT_KEYS = {
    "id", "user_id", "state", "availability_code", "campaign_id", "event_epoch", "event_sec",
    "created_at", "browser", "ip_address", "user_uid", "user_name", "availability_code_name",
    "campaign_uid", "campaign_name", "campaign_type", "availability_name",
}  # fmt: skip
AGENT_KEYS = {
    "user_id", "user_full_name", "campaign_id", "campaign_name", "queue_id", "queue_name",
    "queue_assignment", "queue_assignment_ids", "list_id", "list_name", "extension",
    "channel_type", "call_type", "lead_id", "call_log_id", "calls_today", "total_calls",
    "since_last_update", "last_state_change", "last_call_time", "last_update_time",
    "last_call_finish", "last_inbound_call_time", "last_inbound_call_finish",
    "availability_id", "inbound_only", "status", "status_label",
}  # fmt: skip


def seconds(hms: str) -> int:
    hours, minutes, secs = (int(part) for part in hms.split(":"))
    return hours * 3600 + minutes * 60 + secs


def epoch(text: str) -> int:
    """A "YYYY-MM-DD HH:MM:SS" read as UTC: for durations between two local times."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def local(epoch_seconds: int) -> str:
    """An instant as ACME's local time, the way Convoso writes its timestamps."""
    return datetime.fromtimestamp(epoch_seconds, ZONE).strftime("%Y-%m-%d %H:%M:%S")


def window(params: dict[str, str]) -> tuple[str, str]:
    start, end = params["date_start"], params["date_end"]
    return (
        start if " " in start else f"{start} 00:00:00",
        end if " " in end else f"{end} 23:59:59",
    )


def call_log(api: Api, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every log/retrieve row for these filters (all pages)."""
    rows: list[dict[str, Any]] = []
    while True:
        body = api.ok("log/retrieve", {**params, "limit": 500, "offset": len(rows)})
        rows += body["data"]["results"]
        if len(rows) >= int(body["data"]["total_found"]):
            return rows


def events(api: Api, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every agent-productivity/search row for these filters (all pages)."""
    rows: list[dict[str, Any]] = []
    while True:
        body = api.ok(PROD, {**params, "limit": 1000, "offset": len(rows)})
        rows += body["data"]["entries"]
        if len(rows) >= int(body["data"]["total"]):
            return rows


def expected_calls(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per agent, what agent-performance must report from these call-log rows."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["user_id"] in SYSTEM_USERS:
            continue  # no agent took the call: not in an agent's figures
        agent = out.setdefault(
            row["user_id"], {"calls": 0, "talk": 0, "wrap": 0, "human": 0, "am": 0}
        )
        agent["calls"] += 1
        agent["talk"] += int(row["call_length"])
        # The documented wrap-up: 15 + (id mod 41) seconds after an answered call.
        if row["term_reason"] in ("AGENT", "CALLER"):
            agent["wrap"] += 15 + int(row["id"]) % 41
        agent["human"] += row["status"] in CONTACT
        agent["am"] += row["status"] in VOICEMAIL
    return out


# --------------------------------------------------------------------------- performance


@pytest.mark.parametrize("via", VIAS)
def test_performance_shape_and_types(api, via):
    body = api.ok(PERF, DECEMBER, via=via)
    assert set(body) == {"success", "code", "total", "data"}
    assert body["code"] == 200
    assert body["total"] == len(body["data"]) == 8
    assert list(body["data"]) == ACME_USERS
    for user_id, row in body["data"].items():
        assert set(row) == PERF_ROW_KEYS
        assert row["user_id"] == user_id
        assert row["call_type"] == ""
        for key in ("calls", "human_answered", "am", "others"):
            assert type(row[key]) is int
        for key in ("talk_sec_pt", "wait_sec_pt", "pause_sec_pt", "wrap_sec_pt", "am_pt"):
            assert type(row[key]) is float and round(row[key], 2) == row[key]
        parts = [seconds(row[k]) for k in ("talk_sec", "wait_sec", "pause_sec", "wrap_sec")]
        total = seconds(row["total_time"])
        assert total == sum(parts) > 0
        for key, part in zip(("talk", "wait", "pause", "wrap"), parts, strict=True):
            assert row[f"{key}_sec_pt"] == round(part * 100 / total, 2)
        assert row["am"] + row["others"] == row["calls"]
        if row["calls"]:
            assert row["am_pt"] == round(row["am"] * 100 / row["calls"], 2)
            assert row["others_pt"] == round(row["others"] * 100 / row["calls"], 2)
    assert body["data"]["1000001"]["name"] == "Jane Doe"


@pytest.mark.parametrize("params", [DECEMBER, PARTIAL], ids=["whole-days", "partial-days"])
def test_performance_agrees_with_the_call_log(api, params):
    start, end = window(params)
    rows = call_log(api, {"start_time": start, "end_time": end})
    assert len(rows) > 20  # enough calls for the comparison to mean something
    assert any(row["user_id"] in SYSTEM_USERS for row in rows)  # and some left out
    expected = expected_calls(rows)
    data = api.ok(PERF, params)["data"]
    for user_id, want in expected.items():
        row = data[user_id]
        assert row["calls"] == want["calls"]
        assert seconds(row["talk_sec"]) == want["talk"]
        assert seconds(row["wrap_sec"]) == want["wrap"]
        assert row["human_answered"] == want["human"]
        assert row["am"] == want["am"]
    # Agents without calls in the window appear only for their waiting/pause time.
    for user_id in data.keys() - expected.keys():
        assert data[user_id]["calls"] == 0


@pytest.mark.parametrize(
    ("perf_filters", "log_filters"),
    [
        ({"status_ids": "sale,NI,aa"}, {"status": "SALE,NI,AA"}),
        ({"campaign_ids": "501"}, {"campaign_id": "501"}),
        ({"list_ids": "2702,2703"}, {"list_id": "2702,2703"}),
        ({"user_ids": "1000003,1000005"}, {"user_id": "1000003,1000005"}),
        ({"queue_ids": "QUEUE"}, {"queue_id": "QUEUE"}),
    ],
    ids=["status", "campaign", "list", "user", "queue"],
)
def test_performance_filters_agree_with_the_call_log(api, perf_filters, log_filters):
    if "queue_ids" in perf_filters:  # one of the office's real queues
        inbound = call_log(api, {**WHOLE_LOG, "call_type": "INBOUND"})
        queue = next(r["queue_id"] for r in inbound if r["queue_id"])
        perf_filters, log_filters = {"queue_ids": queue}, {"queue_id": queue}
    start, end = window(DECEMBER)
    rows = call_log(api, {"start_time": start, "end_time": end, **log_filters})
    assert rows
    expected = expected_calls(rows)
    data = api.ok(PERF, {**DECEMBER, **perf_filters})["data"]
    got = {uid: row["calls"] for uid, row in data.items() if row["calls"]}
    assert got == {uid: want["calls"] for uid, want in expected.items()}
    for user_id, want in expected.items():
        assert seconds(data[user_id]["talk_sec"]) == want["talk"]
        assert data[user_id]["human_answered"] == want["human"]


def test_performance_wait_and_pause_agree_with_productivity(api):
    data = api.ok(PERF, PARTIAL)["data"]
    for user in ("1000001", "1000004"):
        email = {"1000001": "jane.doe@acme.example", "1000004": "luis.ortega@acme.example"}
        rows = events(api, {**PARTIAL, "agent_emails": email[user]})
        ready = sum(seconds(r["event_sec"]) for r in rows if r["state"] == "READY")
        paused = sum(seconds(r["event_sec"]) for r in rows if r["state"] == "PAUSED")
        assert ready > 0 and paused > 0
        assert seconds(data[user]["wait_sec"]) == ready
        assert seconds(data[user]["pause_sec"]) == paused


def test_performance_defaults_to_today(api):
    # Today is the office's local day on the server's clock.
    body = api.ok(PERF, {})
    assert body["total"] > 0
    today = api.ok(PERF, {"date_start": TODAY, "date_end": TODAY})
    assert body == today
    # A range with nothing in it answers an empty object.
    empty = api.ok(PERF, {"date_start": "2025-06-01", "date_end": "2025-06-02"})
    assert empty == {"success": True, "code": 200, "total": 0, "data": {}}


def test_performance_unknown_agents_and_bad_dates(api):
    body = api.domain_error(PERF, {**DECEMBER, "user_ids": BRAVO_AGENT}, 6031)
    assert body["text"] == "Missing Agents"
    one = api.ok(PERF, {**DECEMBER, "user_ids": f"{BRAVO_AGENT},1000002"})
    assert list(one["data"]) == ["1000002"]
    response = api.call(PERF, {"date_start": "yesterday"})
    assert response.status_code == 400
    assert response.get_json()["text"] == (
        "Invalid parameter date_start: Not a valid date: use YYYY-MM-DD HH:MM:SS or YYYY-MM-DD."
    )


def test_performance_follows_a_lead_delete(api):
    start, end = window(DECEMBER)
    rows = call_log(api, {"start_time": start, "end_time": end})
    lead_id = rows[0]["lead_id"]
    gone = [r for r in rows if r["lead_id"] == lead_id]
    api.ok("leads/delete", {"lead_id": lead_id})
    after = call_log(api, {"start_time": start, "end_time": end})
    assert len(after) == len(rows) - len(gone)
    expected = expected_calls(after)
    data = api.ok(PERF, DECEMBER)["data"]
    assert {u: r["calls"] for u, r in data.items() if r["calls"]} == {
        u: w["calls"] for u, w in expected.items()
    }
    assert all(seconds(data[u]["talk_sec"]) == w["talk"] for u, w in expected.items())
    api.control("POST", "reset")
    assert (
        api.ok(PERF, DECEMBER)["data"][rows[0]["user_id"]]["calls"]
        == (expected_calls(rows)[rows[0]["user_id"]]["calls"])
    )


def test_performance_is_per_office(api, bravo_api):
    bravo = bravo_api.ok(PERF, DECEMBER)["data"]
    assert bravo and all(user_id.startswith("2000") for user_id in bravo)
    acme = api.ok(PERF, DECEMBER)["data"]
    assert not bravo.keys() & acme.keys()


# --------------------------------------------------------------------------- productivity


@pytest.mark.parametrize("via", VIAS)
def test_productivity_shape_and_paging(api, via):
    body = api.ok(PROD, {"date_start": "2025-12-31", "limit": 5, "offset": 2}, via=via)
    data = body["data"]
    assert set(data) == {"offset", "limit", "total", "entries"}
    assert data["offset"] == 2 and data["limit"] == "5"
    assert type(data["total"]) is str and int(data["total"]) > 7
    assert len(data["entries"]) == 5
    for row in data["entries"]:
        assert set(row) == EVENT_KEYS
        assert all(type(value) is str for value in row.values())
        assert row["created_at"].startswith("2025-12-31")
        assert local(int(row["event_epoch"])) == row["created_at"]
        assert row["campaign_type"] == "Normal"
        assert len(row["user_uid"]) == 32 and len(row["campaign_uid"]) == 32
    whole = api.ok(PROD, {"date_start": "2025-12-31"})["data"]
    assert whole["limit"] == "1000"
    assert whole["entries"][2:7] == data["entries"]
    times = [int(r["event_epoch"]) for r in whole["entries"]]
    assert times == sorted(times)


def test_productivity_limits_and_errors(api):
    assert api.ok(PROD, {"limit": 5000})["data"]["limit"] == "1000"
    assert api.domain_error(PROD, {"limit": 0}, 7230)["text"] == "Invalid limit value"
    assert api.domain_error(PROD, {"offset": "x"}, 7231)["text"] == "Invalid offset value"
    nobody = {"agent_emails": "amy.chen@bravosolar.example"}
    assert api.domain_error(PROD, nobody, 6031)["text"] == "Missing Agents"


def test_productivity_states_and_durations(api):
    rows = events(
        api, {**DECEMBER, "agent_emails": "priya.shah@acme.example,JANE.DOE@acme.example"}
    )
    assert {r["user_id"] for r in rows} == {"1000001", "1000003"}
    names = {
        ("LOGIN", "1"): ("Login", ""),
        ("READY", "2"): ("Ready", ""),
        ("PAUSED", "3"): ("Paused", "Break"),
        ("PAUSED", "4"): ("Paused", "Lunch"),
        ("PAUSED", "5"): ("Paused", "Training"),
        ("PAUSED", "6"): ("Paused", "Meeting"),
        ("LOGOUT", "0"): ("Logout", ""),
    }
    for row in rows:
        expected = names[(row["state"], row["availability_code"])]
        assert (row["availability_name"], row["availability_code_name"]) == expected
    for user_id in ("1000001", "1000003"):
        mine = [r for r in rows if r["user_id"] == user_id]
        assert mine[0]["state"] == "LOGIN"
        for this, following in itertools.pairwise(mine):
            if this["state"] == "LOGOUT":
                assert this["event_sec"] == "00:00:00"
                assert following["state"] == "LOGIN"
            else:  # a state lasts until the agent's next event
                gap = int(following["event_epoch"]) - int(this["event_epoch"])
                assert seconds(this["event_sec"]) == gap


def test_productivity_campaign_filter_and_isolation(api, bravo_api):
    rows = events(api, {**DECEMBER, "campaign_id": 502})
    assert rows and {r["campaign_id"] for r in rows} == {"502"}
    assert {r["campaign_name"] for r in rows} == {"ACA Open Enrollment"}
    bravo = events(bravo_api, DECEMBER)
    assert bravo and all(r["user_id"].startswith("2000") for r in bravo)


# --------------------------------------------------------------------------- monitor and activity


def latest_states(api: Api) -> dict[str, str]:
    rows = events(api, {"date_start": "2025-11-01", "date_end": "2026-12-31"})
    return {row["user_id"]: row["state"] for row in rows}


@pytest.mark.parametrize("via", VIAS)
def test_monitor_shape_and_who_is_logged_in(api, via):
    body = api.ok(MONITOR, {}, via=via)
    assert set(body) == {"success", "data"} and set(body["data"]) == {"entries"}
    entries = body["data"]["entries"]
    assert set(entries) == {"success", "code", "campaigns", "queues", "agents"}
    assert entries["success"] is True and entries["code"] == 200
    assert entries["campaigns"] == [
        {"value": 501, "name": "Medicare Outbound"},
        {"value": 502, "name": "ACA Open Enrollment"},
        {"value": 503, "name": "Final Expense Inbound"},
        {"value": 504, "name": "Dental Winback 2024"},
    ]
    inbound = call_log(api, {**WHOLE_LOG, "call_type": "INBOUND"})
    names = {r["queue_id"]: r["queue"] for r in inbound if r["queue_id"]}  # log/retrieve's
    queues = sorted(names, key=int)
    assert entries["queues"] == [{"value": int(q), "name": names[q]} for q in queues]
    latest = latest_states(api)
    logged_in = sorted((u for u, s in latest.items() if s != "LOGOUT"), key=int)
    assert [a["user_id"] for a in entries["agents"]] == logged_in
    assert 0 < len(logged_in) < 8  # the seed leaves most, not all, agents logged in
    for agent in entries["agents"]:
        assert set(agent) == AGENT_KEYS
        for key, value in agent.items():
            if key in ("total_calls", "since_last_update"):
                assert type(value) is int
            elif key == "queue_assignment_ids":
                assert value == queues
            else:
                assert type(value) is str
        assert agent["status"] == ("PAUSED" if latest[agent["user_id"]] == "PAUSED" else "READY")
        assert (agent["list_id"], agent["lead_id"], agent["list_name"]) == ("0", "0", "-")


def test_monitor_last_calls_and_calls_today(api):
    agents = api.ok(MONITOR, {})["data"]["entries"]["agents"]
    assert agents
    counted = 0
    for agent in agents:
        rows = call_log(api, {**WHOLE_LOG, "user_id": agent["user_id"]})  # newest first
        today = [r for r in rows if r["call_date"].startswith(TODAY)]
        counted += len(today)
        assert agent["calls_today"] == str(len(today))
        assert agent["total_calls"] == len(today)
        assert agent["call_log_id"] == rows[0]["id"]
        assert agent["last_call_time"] == rows[0]["call_date"]
        finish = epoch(rows[0]["call_date"]) + int(rows[0]["call_length"])
        assert agent["last_call_finish"] == time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(finish))
        inbound = [r for r in rows if r["call_type"] == "INBOUND"]
        assert agent["last_inbound_call_time"] == (inbound[0]["call_date"] if inbound else "")
    assert counted > 0  # the comparison covered real calls


def test_monitor_filters_and_activity_counts(api):
    every = api.ok(MONITOR, {})["data"]["entries"]["agents"]
    activity = api.ok(ACTIVITY, {}, via="query")["data"]
    assert activity == {
        "logged_in_agents": len(every),
        "available_agents": sum(1 for a in every if a["status"] == "READY"),
    }
    assert activity["available_agents"] < activity["logged_in_agents"]  # someone is paused
    campaign = every[0]["campaign_id"]
    some = api.ok(MONITOR, {"campaign_id": campaign})["data"]["entries"]
    assert [c["value"] for c in some["campaigns"]] == [int(campaign)]
    assert [a["user_id"] for a in some["agents"]] == [
        a["user_id"] for a in every if a["campaign_id"] == campaign
    ]
    assert api.ok(ACTIVITY, {"campaign_id": campaign}, via="json")["data"]["logged_in_agents"] == (
        len(some["agents"])
    )
    one = every[-1]["user_id"]
    assert [
        a["user_id"] for a in api.ok(MONITOR, {"user_id": one})["data"]["entries"]["agents"]
    ] == [one]
    nowhere = api.ok(MONITOR, {"queue_id": "1"})["data"]["entries"]
    assert nowhere["queues"] == [] and nowhere["agents"] == []
    assert api.ok(ACTIVITY, {"queue_id": "1"})["data"] == {
        "available_agents": 0,
        "logged_in_agents": 0,
    }
    # Skills are accepted and ignored (mockvoso's agents have none).
    skills = api.ok(MONITOR, {"filter_by_skill_options": "Spanish,TechSupport"})
    assert skills["data"]["entries"]["agents"] == every


def test_monitor_and_activity_are_per_office(api, bravo_api):
    acme = {a["user_id"] for a in api.ok(MONITOR, {})["data"]["entries"]["agents"]}
    bravo = {a["user_id"] for a in bravo_api.ok(MONITOR, {})["data"]["entries"]["agents"]}
    assert acme and bravo and all(u.startswith("2000") for u in bravo)
    assert not acme & bravo
    assert bravo_api.ok(ACTIVITY, {"user_id": ",".join(acme)})["data"]["logged_in_agents"] == 0


# --------------------------------------------------------------------------- logout


@pytest.mark.parametrize("via", VIAS)
def test_logout_takes_the_agent_off_the_monitor(api, via):
    agents = api.ok(MONITOR, {})["data"]["entries"]["agents"]
    before = api.ok(ACTIVITY, {})["data"]
    agent = agents[0]["user_id"]
    assert api.ok(LOGOUT, {"user_id": agent}, via=via) == {"success": True}
    after = [a["user_id"] for a in api.ok(MONITOR, {})["data"]["entries"]["agents"]]
    assert after == [a["user_id"] for a in agents[1:]]
    activity = api.ok(ACTIVITY, {})["data"]
    assert activity["logged_in_agents"] == before["logged_in_agents"] - 1
    was_ready = agents[0]["status"] == "READY"
    assert activity["available_agents"] == before["available_agents"] - was_ready
    # The logout is an event at the server's clock, closing the state it ended.
    rows = events(api, {"date_start": "2025-12-31", "date_end": "2026-01-01"})
    mine = [r for r in rows if r["user_id"] == agent]
    # (the shared app's clock runs on from its anchor: see conftest)
    assert mine[-1]["state"] == "LOGOUT" and int(mine[-1]["event_epoch"]) >= ANCHOR_EPOCH
    assert mine[-1]["created_at"] == local(int(mine[-1]["event_epoch"]))
    assert mine[-1]["availability_code"] == "0" and mine[-1]["event_sec"] == "00:00:00"
    assert int(mine[-2]["event_epoch"]) + seconds(mine[-2]["event_sec"]) == int(
        mine[-1]["event_epoch"]
    )
    # Logging out again changes nothing.
    assert api.ok(LOGOUT, {"user_id": agent}) == {"success": True}
    assert len(events(api, {"date_start": "2025-12-31", "date_end": "2026-01-01"})) == len(rows)


def test_logout_errors(api):
    assert api.domain_error(LOGOUT, {}, 6012)["text"] == "Required fields are missing"
    assert api.domain_error(LOGOUT, {"user_id": ""}, 6012)["text"] == "Required fields are missing"
    assert api.domain_error(LOGOUT, {"user_id": "999"}, 6006)["text"] == "No such User"
    # Another office's agent is no agent of this one.
    assert api.domain_error(LOGOUT, {"user_id": BRAVO_AGENT}, 6006)["text"] == "No such User"


def test_time_moves_on_the_monitor():
    now = [0.0]
    app = validating_app(monotonic=lambda: now[0])
    api = Api(app, offices_of(app)["ACME"].full_token)
    first = api.ok(MONITOR, {})["data"]["entries"]["agents"][0]
    now[0] += 90
    later = api.ok(MONITOR, {})["data"]["entries"]["agents"][0]
    assert later["since_last_update"] == first["since_last_update"] + 90
    api.ok(LOGOUT, {"user_id": first["user_id"]})
    row = events(api, {"date_start": TODAY})[-1]
    assert (row["user_id"], row["state"], row["created_at"]) == (
        first["user_id"],
        "LOGOUT",
        "2025-12-31 16:01:30",
    )


def test_reset_snapshot_and_restore_cover_agent_events(api):
    agent = api.ok(MONITOR, {})["data"]["entries"]["agents"][0]["user_id"]
    api.ok(LOGOUT, {"user_id": agent})
    snapshot = api.control("GET", "snapshot").get_json()
    api.control("POST", "reset")
    back = [a["user_id"] for a in api.ok(MONITOR, {})["data"]["entries"]["agents"]]
    assert agent in back
    response = api.control("POST", "snapshot", json=snapshot)
    assert response.status_code == 200
    again = [a["user_id"] for a in api.ok(MONITOR, {})["data"]["entries"]["agents"]]
    assert agent not in again and len(again) == len(back) - 1


def test_concurrent_logouts_write_one_event_per_agent(api):
    agents = [a["user_id"] for a in api.ok(MONITOR, {})["data"]["entries"]["agents"]]
    before = len(events(api, {"date_start": "2025-12-31", "date_end": "2026-01-01"}))
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda uid: api.ok(LOGOUT, {"user_id": uid}), agents * 6))
    assert answers == [{"success": True}] * len(agents) * 6
    rows = events(api, {"date_start": "2025-12-31", "date_end": "2026-01-01"})
    assert len(rows) == before + len(agents)
    logouts = [r["user_id"] for r in rows if int(r["event_epoch"]) >= ANCHOR_EPOCH]
    assert sorted(logouts) == sorted(agents)
    assert api.ok(ACTIVITY, {})["data"] == {"available_agents": 0, "logged_in_agents": 0}


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("action", [PERF, PROD, MONITOR, LOGOUT, ACTIVITY])
def test_a_limited_token_is_refused(api, acme, action):
    assert acme.limited_sections == ["leads", "lists"]
    response = api.call(action, {"user_id": "1000001"}, token=acme.limited_token)
    assert response.status_code == 403
    assert response.get_json() == {"success": False, "code": 403, "text": "Forbidden"}
