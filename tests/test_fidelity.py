"""Issue 12's fidelity items through HTTP: log rows, zones, log window, ranges, lead keys."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import Api, offices_of, validating_app
from mockvoso.app import create_app
from mockvoso.clock import VirtualClock
from mockvoso.config import load_settings
from mockvoso.records import SYSTEM_USER_IDS
from mockvoso.seed import SeedError, bundled_data_dir, load_offices
from mockvoso.serving.cli import main

# TEST_SETTINGS' clock, 2026-01-01T00:00:00 UTC, is 2025-12-31 16:00:00 in ACME's zone
# (America/Los_Angeles, UTC-8 in winter): "today" for the office is 2025-12-31.
TODAY = "2025-12-31"
WHOLE = {"start_time": "2025-11-01", "end_time": "2026-02-01", "limit": 500}
UID = re.compile(r"^[0-9a-f]{32}$")


def whole_log(api: Api, **filters: str) -> list[dict]:
    body = api.ok("log/retrieve", {**WHOLE, **filters})
    assert int(body["data"]["total_found"]) == len(body["data"]["results"])  # one page
    return body["data"]["results"]


# --- 1. log/retrieve rows -----------------------------------------------------------------


def test_inbound_rows_name_their_queue_and_the_number_dialled(api: Api) -> None:
    rows = whole_log(api)
    inbound = [r for r in rows if r["call_type"] == "INBOUND"]
    other = [r for r in rows if r["call_type"] != "INBOUND"]
    assert inbound and other
    names = {r["queue"] for r in inbound}
    assert len(names) > 1 and all(isinstance(n, str) and n for n in names)
    by_id: dict[str, str] = {}
    for row in inbound:
        assert by_id.setdefault(row["queue_id"], row["queue"]) == row["queue"]  # one name an id
        assert row["inbound_number"] == row["number_dialed"] != row["phone_number"]
        assert re.fullmatch(r"[2-9]\d{9}", row["inbound_number"])
    for row in other:
        assert (row["queue_id"], row["queue"], row["inbound_number"]) == (None, None, None)


def test_abandoned_calls_belong_to_the_system_user(api: Api) -> None:
    rows = whole_log(api)
    system = [r for r in rows if r["user_id"] in SYSTEM_USER_IDS]
    assert system
    for row in system:
        assert row["user"] == "System User"
        assert (row["status"], row["status_name"], row["term_reason"]) == (
            "DROP",
            "Dropped Call",
            "ABANDON",
        )
    # Agents' calls are never the System User's, and a report can filter it by id.
    assert all(r["user"] != "System User" for r in rows if r["user_id"] not in SYSTEM_USER_IDS)
    one = system[0]["user_id"]
    only = whole_log(api, user_id=one)
    assert only and {r["user_id"] for r in only} == {one}


# --- 2. time zones ------------------------------------------------------------------------


def test_writes_are_stamped_in_the_office_zone(api: Api) -> None:
    lead_id = api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550199"})["data"][
        "lead_id"
    ]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["created_at"].startswith(f"{TODAY} 16:00:")  # 00:00 UTC, 8 hours behind
    assert entry["modified_at"] == entry["created_at"]


def test_last_call_date_is_the_latest_call_in_the_zone_it_names(api: Api) -> None:
    rows = whole_log(api)
    for campaign in api.ok("campaigns/search")["data"]:
        dates = [r["call_date"] for r in rows if r["campaign_id"] == str(campaign["id"])]
        last = campaign["last_call_date"]
        if not dates:
            assert last is None
            continue
        assert last == {
            "date": f"{max(dates)}.000000",
            "timezone_type": 3,
            "timezone": "America/Los_Angeles",
        }


def _office_in(tmp_path: Path, zone: str | None) -> Path:
    """The bundled seed folder with ACME's time zone set (None: the key left out)."""
    folder = tmp_path / "seed"
    shutil.copytree(bundled_data_dir(), folder)
    if zone is not None:
        acme = folder / "ACME.yaml"
        acme.write_text(
            acme.read_text().replace(
                "name: Acme Health Insurance\n", f"name: Acme Health Insurance\ntimezone: {zone}\n"
            ),
        )
    return folder


def test_an_office_in_another_zone_writes_and_labels_its_own_time(tmp_path: Path) -> None:
    app = validating_app({"data": str(_office_in(tmp_path, "America/New_York"))})
    api = Api(app, offices_of(app)["ACME"].full_token)
    # 2026-01-01T00:00:00 UTC is 2025-12-31 19:00:00 in New York (UTC-5).
    lead_id = api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550198"})["data"][
        "lead_id"
    ]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["created_at"].startswith("2025-12-31 19:00:")
    rows = whole_log(api)
    assert max(r["call_date"] for r in rows) <= "2025-12-31 19:00:00"
    assert max(r["call_date"] for r in rows) > "2025-12-31 16:00:00"  # later than in LA
    campaign = api.ok("campaigns/search")["data"][0]
    dates = [r["call_date"] for r in rows if r["campaign_id"] == str(campaign["id"])]
    assert campaign["last_call_date"]["timezone"] == "America/New_York"
    assert campaign["last_call_date"]["date"] == f"{max(dates)}.000000"


def test_the_seed_file_default_zone_and_a_bad_zone(tmp_path: Path) -> None:
    offices = {o.acronym: o for o in load_offices(_office_in(tmp_path / "a", None))}
    assert offices["ACME"].timezone == "America/Los_Angeles"
    with pytest.raises(SeedError, match=r"ACME\.yaml: timezone: not a known IANA time zone"):
        load_offices(_office_in(tmp_path / "b", "Mars/Olympus_Mons"))


# --- 3. the default log window ------------------------------------------------------------


def test_without_dates_the_log_is_todays_in_office_time(api: Api) -> None:
    everything = whole_log(api)
    today = [r for r in everything if r["call_date"].startswith(TODAY)]
    assert 0 < len(today) < len(everything)
    body = api.ok("log/retrieve", {"limit": 500})
    assert body["data"]["total_found"] == str(len(today))
    assert [r["id"] for r in body["data"]["results"]] == [r["id"] for r in today]
    # Each bound has its own default: a start alone still ends today at 23:59:59.
    since = api.ok("log/retrieve", {"start_time": "2025-12-30", "limit": 500})["data"]
    expected = [r for r in everything if r["call_date"] >= "2025-12-30 00:00:00"]
    assert since["total_found"] == str(len(expected))
    # An end alone before today leaves an empty window (it starts today at 00:00:00).
    before = api.ok("log/retrieve", {"end_time": "2025-12-30"})["data"]
    assert (before["total_found"], before["results"]) == ("0", [])


def test_log_window_all_restores_the_whole_log(make_api) -> None:
    api = make_api(log_window="all")
    body = api.ok("log/retrieve", {"limit": 500})["data"]
    assert body["total_found"] == "150"  # every seeded call of ACME (300 leads)
    assert [r["id"] for r in body["results"]] == [r["id"] for r in whole_log(api)]


def test_log_window_setting_from_env_config_and_flag(tmp_path: Path, capsys, monkeypatch) -> None:
    assert load_settings().log_window == "today"
    assert load_settings(environ={"MOCKVOSO_LOG_WINDOW": "all"}).log_window == "all"
    config = tmp_path / "mockvoso.yaml"
    config.write_text("log_window: all\nbad_value_status: 200\n")
    settings = load_settings(config_file=str(config), environ={})
    assert (settings.log_window, settings.bad_value_status) == ("all", 200)
    flags = load_settings({"log_window": "today"}, config_file=str(config), environ={})
    assert flags.log_window == "today"
    with pytest.raises(ValueError, match="log_window: must be today or all, not 'week'"):
        load_settings(environ={"MOCKVOSO_LOG_WINDOW": "week"})
    with pytest.raises(ValueError, match="bad_value_status: must be 400 or 200, not 404"):
        load_settings({"bad_value_status": 404}, environ={})
    with pytest.raises(ValueError, match="log_window: must be today or all, not 'month'"):
        create_app({"log_window": "month"})
    monkeypatch.delenv("MOCKVOSO_CONFIG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--log-window", "week"])
    assert exit_info.value.code == 2
    assert "--log-window: invalid choice: 'week'" in capsys.readouterr().err


# --- 4. validation ranges -----------------------------------------------------------------


def bad_value(api: Api, action: str, params: dict, text: str) -> None:
    response = api.call(action, params)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json() == {"success": False, "code": 400, "text": text}


@pytest.mark.parametrize("action", ["lists/insert", "lists/update"])
def test_list_names_are_10_to_30_of_the_documented_characters(api: Api, action: str) -> None:
    base = {"campaign_id": 501} if action == "lists/insert" else {"list_id": 2701}
    before = api.ok("lists/search")["data"]
    bad_value(
        api,
        action,
        {**base, "name": "A" * 31},
        "Invalid parameter name: Longer than maximum length 30.",
    )
    for name in ("Leads/January", "Leads, January", "Leads_Jänner", "Leads.January"):
        bad_value(
            api,
            action,
            {**base, "name": name},
            "Invalid parameter name: Only letters, digits, ':', '-', '_' and spaces are allowed.",
        )
    api.domain_error(action, {**base, "name": "Too short"}, 6046)
    assert api.ok("lists/search")["data"] == before  # nothing written
    ok = "Leads: Q3 - web_form 2026 ABC"
    assert len(ok) == 29
    api.ok(action, {**base, "name": ok + "D"})  # 30 characters, every allowed kind
    assert ok + "D" in {item["name"] for item in api.ok("lists/search")["data"]}


@pytest.mark.parametrize("name", ["hopper_expires_in", "hopper_expire_in"])
def test_hopper_expiry_is_at_most_300(api: Api, name: str) -> None:
    lead = {"list_id": 2701, "phone_number": "5305550170"}
    bad_value(
        api,
        "leads/insert",
        {**lead, name: 301},
        f"Invalid parameter {name}: Must be less than or equal to 300.",
    )
    assert api.ok("leads/search", {"phone_number": "5305550170"})["data"]["total"] == "0"
    assert isinstance(api.ok("leads/insert", {**lead, name: 300})["data"]["lead_id"], int)


def test_log_offset_is_at_most_40000(api: Api) -> None:
    body = api.domain_error("log/retrieve", {"offset": 40001}, 7231)
    assert body["text"] == "Invalid offset value"
    data = api.ok("log/retrieve", {"offset": 40000})["data"]
    assert (data["offset"], data["entries"], data["results"]) == (40000, 0, [])


def test_check_dup_4_refuses_a_phone_anywhere_in_the_office(api: Api) -> None:
    # 5305550160 goes into a list of campaign 501; check_dup 2 (the list) lets it into
    # campaign 502's list and 3 (the campaign) into campaign 503's, while 4 (like 1)
    # refuses it office-wide.
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550160"})
    api.ok("leads/insert", {"list_id": 2703, "phone_number": "5305550160", "check_dup": 2})
    api.ok("leads/insert", {"list_id": 2705, "phone_number": "5305550160", "check_dup": 3})
    body = api.domain_error(
        "leads/insert", {"list_id": 2706, "phone_number": "5305550160", "check_dup": 4}, 6009
    )
    assert body["text"] == "The phone number already exists"
    assert api.ok("leads/search", {"phone_number": "5305550160"})["data"]["total"] == "3"
    bad_value(
        api,
        "leads/insert",
        {"list_id": 2701, "phone_number": "5305550161", "check_dup": 5},
        "Invalid parameter check_dup: Must be 0, 1, 2, 3 or 4 (or true/false).",
    )


@pytest.mark.parametrize(
    ("sent", "code", "number"),
    [
        ("15305550150", "1", "5305550150"),
        ("+1 (530) 555-0151", "1", "5305550151"),
        ("525305550152", "52", "5305550152"),
        ("5305550153", "1", "5305550153"),  # no country code: phone_code keeps its default
    ],
)
def test_filter_phone_code_moves_the_country_code(api: Api, sent, code, number) -> None:
    params = {"list_id": 2701, "phone_number": sent, "filter_phone_code": 1}
    lead_id = api.ok("leads/insert", params)["data"]["lead_id"]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert (entry["phone_code"], entry["phone_number"]) == (code, number)


def test_without_filter_phone_code_the_number_is_kept_whole(api: Api) -> None:
    lead_id = api.ok("leads/insert", {"list_id": 2701, "phone_number": "15305550154"})["data"][
        "lead_id"
    ]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert (entry["phone_code"], entry["phone_number"]) == ("1", "15305550154")


# --- 5. lead object keys ------------------------------------------------------------------


def test_leads_carry_uids_and_source_names(api: Api) -> None:
    entries = api.ok("leads/search", {"limit": 300})["data"]["entries"]
    keys = list(entries[0])
    assert keys[keys.index("lead_id") :] == [
        "lead_id",
        "directory_uid",
        "directory_name",
        "campaign_id",
        "campaign_uid",
        "campaign_name",
        "status_name",
        "user_uid",
        "user_name",
        "source_uid",
        "source_name",
    ]
    by_list: dict[str, str] = {}
    by_campaign: dict[str, str] = {}
    by_user: dict[str, str] = {}
    by_source: dict[str, tuple[str, str]] = {}
    for entry in entries:
        for key in ("directory_uid", "campaign_uid", "user_uid", "source_uid"):
            assert UID.match(entry[key]), (key, entry[key])
        assert (
            by_list.setdefault(entry["list_id"], entry["directory_uid"]) == entry["directory_uid"]
        )
        assert (
            by_campaign.setdefault(entry["campaign_id"], entry["campaign_uid"])
            == entry["campaign_uid"]
        )
        assert by_user.setdefault(entry["user_id"], entry["user_uid"]) == entry["user_uid"]
        source = (entry["source_uid"], entry["source_name"])
        assert by_source.setdefault(entry["source_id"], source) == source
    uids = [*by_list.values(), *by_campaign.values(), *by_user.values()]
    assert len(set(uids)) == len(uids)  # no two records share one
    assert len(by_source) > 1 and all(name for _, name in by_source.values())


def test_uids_are_stable_for_a_seed_and_follow_a_list_rename(api: Api) -> None:
    first = api.ok("leads/search", {"list_id": 2701, "limit": 1})["data"]["entries"][0]
    other = validating_app()  # a second world from the same settings
    again = Api(other, offices_of(other)["ACME"].full_token)
    second = again.ok("leads/search", {"lead_id": first["id"]})["data"]["entries"][0]
    assert second == first
    api.ok("lists/update", {"list_id": 2701, "name": "Medicare Leads Renamed"})
    renamed = api.ok("leads/search", {"lead_id": first["id"]})["data"]["entries"][0]
    assert renamed["directory_name"] == "Medicare Leads Renamed"
    assert renamed["directory_uid"] == first["directory_uid"]


def test_an_api_insert_has_no_source(api: Api) -> None:
    lead_id = api.ok("leads/insert", {"list_id": 2703, "phone_number": "5305550140"})["data"][
        "lead_id"
    ]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["source_id"] == "0"
    assert (entry["source_uid"], entry["source_name"]) == (None, None)
    assert (entry["user_uid"], entry["user_name"]) == (None, None)
    assert UID.match(entry["directory_uid"]) and UID.match(entry["campaign_uid"])


# --- 7. bad values at HTTP 200 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "params", "text"),
    [
        (
            "leads/search",
            {"list_id": "abc"},
            "Invalid parameter list_id: Not a valid whole number: 'abc'.",
        ),
        (
            "log/retrieve",
            {"start_time": "yesterday"},
            "Invalid parameter start_time: Not a valid date: use YYYY-MM-DD HH:MM:SS or"
            " YYYY-MM-DD.",
        ),
        (
            "lists/insert",
            {"name": "Leads/January", "campaign_id": 501},
            "Invalid parameter name: Only letters, digits, ':', '-', '_' and spaces are allowed.",
        ),
    ],
)
def test_bad_value_status_200_answers_a_convoso_envelope(make_api, action, params, text) -> None:
    default, soft = make_api(leads=0), make_api(leads=0, bad_value_status=200)
    expected = {"success": False, "code": 400, "text": text}
    response = default.call(action, params)
    assert (response.status_code, response.get_json()) == (400, expected)
    response = soft.call(action, params)
    assert (response.status_code, response.get_json()) == (200, expected)
    assert soft.ok("lists/search")["data"] == default.ok("lists/search")["data"]  # no write


def test_bad_value_status_200_leaves_other_errors_alone(make_api) -> None:
    soft = make_api(leads=0, bad_value_status=200)
    response = soft.call("campaigns/search", token="bad")
    assert response.status_code == 401
    response = soft.http.post(
        "/v1/leads/search", data="{", content_type="application/json"
    )  # a malformed body is not a bad value
    assert response.status_code == 400
    soft.domain_error("leads/search", {"limit": "x"}, 7230)  # documented codes stay


def test_the_default_window_follows_the_server_clock_into_the_next_day() -> None:
    """Today is the office's day on the server clock, not the seed's: after local
    midnight the default window is the new, still empty, day."""
    elapsed = [0.0]
    clock = VirtualClock(datetime(2026, 1, 1, 0, 0, 0), monotonic=lambda: elapsed[0])
    app = validating_app(clock=clock)
    api = Api(app, offices_of(app)["ACME"].full_token)
    seeded = api.ok("log/retrieve")["data"]["total_found"]
    assert int(seeded) > 0
    elapsed[0] = 8 * 3600 - 1  # 2025-12-31 23:59:59 in Los Angeles: still the same day
    assert api.ok("log/retrieve")["data"]["total_found"] == seeded
    elapsed[0] = 8 * 3600  # 2026-01-01 00:00:00 there (08:00 UTC): a new, empty day
    assert api.ok("log/retrieve")["data"]["total_found"] == "0"
    yesterday = {"start_time": TODAY, "end_time": TODAY}
    assert api.ok("log/retrieve", yesterday)["data"]["total_found"] == seeded
