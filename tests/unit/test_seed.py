"""Unit tests of the seed loader (YAML offices) and the deterministic data generator."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from mockvoso.actions import SECTIONS
from mockvoso.records import (
    CALL_LOG_FIELDS,
    CALL_TYPES,
    LEAD_STORED,
    RECORDING_FIELDS,
    SYSTEM_USER_IDS,
    USER_ATTRIBUTES,
    OfficeSeed,
    TokenSpec,
)
from mockvoso.seed import SeedError, bundled_data_dir, generate_office, load_offices, stable_hash

ANCHOR = datetime(2026, 1, 15, 12, 0, 0)  # UTC, as the server clock is
# Timestamps are written in the office's zone: the bundled offices are in
# America/Los_Angeles, UTC-8 in January (no daylight saving change in the window).
LOCAL_ANCHOR = ANCHOR - timedelta(hours=8)
WINDOW_START = LOCAL_ANCHOR - timedelta(days=30)
Mutation = Callable[[dict], object]  # breaks one key of a valid office document
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
P = {name: i for i, name in enumerate(LEAD_STORED)}


def call_dicts(office: OfficeSeed) -> list[dict]:
    """Call-log tuples as dicts keyed by CALL_LOG_FIELDS, for readable assertions."""
    return [dict(zip(CALL_LOG_FIELDS, row, strict=True)) for row in office.call_logs]


# --- helpers ----------------------------------------------------------------------------


def office_doc(acronym: str = "TEST", base: int = 9) -> dict:
    """A valid office document; tests break one key of it at a time."""
    return {
        "acronym": acronym,
        "name": f"{acronym} Insurance",
        "tokens": [
            {"token": f"{acronym.lower()}fulltoken0001", "sections": "all"},
            {"token": f"{acronym.lower()}leadtoken0001", "sections": ["leads"]},
        ],
        "users": [
            {
                "user_id": f"{base}00001",
                "email": "ann.lee@test.example",
                "first_name": "Ann",
                "last_name": "Lee",
            },
            {
                "user_id": f"{base}00002",
                "email": "bob.ray@test.example",
                "first_name": "Bob",
                "last_name": "Ray",
            },
        ],
        "campaigns": [
            {"id": base * 100 + 1, "name": "Outbound One", "status": "Y"},
            {"id": base * 100 + 2, "name": "Paused Two", "status": "N"},
        ],
        "lists": [
            {"id": base * 1000 + 1, "name": "First Test List", "campaign_id": base * 100 + 1},
            {
                "id": base * 1000 + 2,
                "name": "Second Test List",
                "campaign_id": base * 100 + 2,
                "description": "paused",
                "status": 0,
            },
        ],
        "statuses": [
            {"status": "NEW", "name": "New Lead"},
            {"status": "SALE", "name": "Sale Made", "final": "Y", "success": True, "contact": 1},
            {"status": "NA", "name": "No Answer"},
        ],
    }


def write(folder: Path, name: str, doc: object) -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc), encoding="utf-8")
    return path


def expect_error(folder: Path, file_name: str, key: str | None) -> SeedError:
    with pytest.raises(SeedError) as info:
        load_offices(folder)
    text = str(info.value)
    assert file_name in text
    if key is not None:
        assert f": {key}: " in text, text
        assert info.value.key == key
    return info.value


def ts(text: str) -> datetime:
    assert TIMESTAMP_RE.match(text), text
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def bundled() -> list[OfficeSeed]:
    return load_offices()


@pytest.fixture(scope="module")
def acme(bundled: list[OfficeSeed]) -> OfficeSeed:
    return generate_office(bundled[0], seed=1234, leads=1500, anchor=ANCHOR)


# --- loader: bundled data ---------------------------------------------------------------


def test_bundled_offices_load(bundled: list[OfficeSeed]) -> None:
    assert [o.acronym for o in bundled] == ["ACME", "BRAVO"]
    folder = bundled_data_dir()
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["ACME.yaml", "BRAVO.yaml"]
    for office in bundled:
        assert office.name
        assert len(office.users) >= 6
        assert len(office.campaigns) >= 3
        assert any(c["status"] == "N" for c in office.campaigns)
        assert len(office.lists) >= 5
        assert all(isinstance(t, TokenSpec) for t in office.tokens)
        assert any(t.sections == SECTIONS for t in office.tokens)
        limited = [t for t in office.tokens if t.sections != SECTIONS]
        assert limited and all(set(t.sections) < set(SECTIONS) for t in limited)
        codes = {s["status"] for s in office.statuses}
        assert {"NEW", "SALE", "CALLBK", "NA", "HU", "DNC", "AA", "NOCONT"} <= codes
        assert office.leads == office.call_logs == office.recordings == []


def test_bundled_shapes_and_types(bundled: list[OfficeSeed]) -> None:
    office = bundled[0]
    assert office.acronym == "ACME"
    assert office.tokens[0] == TokenSpec("acmefull499bf56dd125ac3f46bb39e0", SECTIONS)
    assert office.tokens[1] == TokenSpec("acmeleads1d34a2190e255185d742cbb", ("leads", "lists"))
    assert office.users[0] == {
        "user_id": "1000001",
        "email": "jane.doe@acme.example",
        "first_name": "Jane",
        "last_name": "Doe",
    }
    assert office.campaigns[0] == {
        "id": 501,
        "name": "Medicare Outbound",
        "status": "Y",
        "last_call_date": None,
    }
    assert office.lists[0] == {
        "id": 2701,
        "name": "Medicare Leads Jan",
        "campaign_id": 501,
        "description": "Web form leads, January",
        "status": "Y",
        "last_called_at": None,
    }
    sale = next(s for s in office.statuses if s["status"] == "SALE")
    assert sale == {
        "status": "SALE",
        "name": "Sale Made",
        "final": "Y",
        "reached": "Y",
        "success": "Y",
        "dnc": "N",
        "callback": "N",
        "contact": "Y",
        "voicemail": "N",
        "custom": "N",  # built in: status/update refuses it
        "hex_color": "",
    }
    xfer = next(s for s in office.statuses if s["status"] == "XFER")
    assert (xfer["custom"], xfer["hex_color"]) == ("Y", "6711d1")
    for other in bundled:
        for item in other.lists:
            assert len(item["name"]) >= 10
            assert item["campaign_id"] in {c["id"] for c in other.campaigns}
        for code in other.statuses:
            assert re.fullmatch(r"[A-Z0-9]{2,6}", code["status"])


def test_bundled_offices_share_no_id_or_token(bundled: list[OfficeSeed]) -> None:
    acme, bravo = bundled
    assert not {c["id"] for c in acme.campaigns} & {c["id"] for c in bravo.campaigns}
    assert not {li["id"] for li in acme.lists} & {li["id"] for li in bravo.lists}
    assert not {u["user_id"] for u in acme.users} & {u["user_id"] for u in bravo.users}
    assert not {t.token for t in acme.tokens} & {t.token for t in bravo.tokens}
    for token in [t.token for o in bundled for t in o.tokens]:
        assert re.fullmatch(r"[a-z0-9]{32}", token)


# --- loader: a user's folder --------------------------------------------------------------


def test_user_folder_loads_in_file_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.yml", office_doc("ZED", 8))
    write(tmp_path, "a.yaml", office_doc("ALPHA", 7))
    write(tmp_path, "notes.txt", "not an office")
    offices = load_offices(tmp_path)
    assert [o.acronym for o in offices] == ["ALPHA", "ZED"]
    alpha = offices[0]
    assert alpha.tokens[1].sections == ("leads",)
    assert alpha.lists[1]["status"] == "N" and alpha.lists[1]["description"] == "paused"
    assert alpha.lists[0]["status"] == "Y" and alpha.lists[0]["description"] == ""
    sale = alpha.statuses[1]
    assert (sale["final"], sale["success"], sale["contact"], sale["dnc"]) == ("Y", "Y", "Y", "N")
    assert load_offices(str(tmp_path))[0].acronym == "ALPHA"  # a str path works too


def test_user_ids_given_as_ints_become_strings(tmp_path: Path) -> None:
    doc = office_doc()
    doc["users"][0]["user_id"] = 900001
    doc["lists"][0]["id"] = "9001"  # a quoted id is still an id
    write(tmp_path, "T.yaml", doc)
    office = load_offices(tmp_path)[0]
    assert office.users[0]["user_id"] == "900001"
    assert office.lists[0]["id"] == 9001


def break_doc(mutate: Mutation) -> dict:
    doc = office_doc()
    mutate(doc)
    return doc


BAD_DOCS = [
    ("missing acronym", lambda d: d.pop("acronym"), "acronym"),
    ("missing name", lambda d: d.pop("name"), "name"),
    ("bad acronym", lambda d: d.update(acronym="A B"), "acronym"),
    ("unknown top key", lambda d: d.update(leads=[]), "leads"),
    ("no users", lambda d: d.update(users=[]), "users"),
    ("missing users", lambda d: d.pop("users"), "users"),
    ("no statuses", lambda d: d.update(statuses=[]), "statuses"),
    ("no tokens", lambda d: d.pop("tokens"), "tokens"),
    ("no lists", lambda d: d.update(lists=[]), "lists"),
    ("no campaigns", lambda d: d.update(campaigns=[]), "campaigns"),
    (
        "unknown section",
        lambda d: d["tokens"][1].update(sections=["leads", "nosuchsection"]),
        "tokens[1].sections[1]",
    ),
    ("sections not a list", lambda d: d["tokens"][1].update(sections="some"), "tokens[1].sections"),
    ("missing sections", lambda d: d["tokens"][1].pop("sections"), "tokens[1].sections"),
    (
        "duplicate token",
        lambda d: d["tokens"][1].update(token=d["tokens"][0]["token"]),
        "tokens[1].token",
    ),
    ("short token", lambda d: d["tokens"][0].update(token="abc"), "tokens[0].token"),
    (
        "list at unknown campaign",
        lambda d: d["lists"][1].update(campaign_id=12345),
        "lists[1].campaign_id",
    ),
    ("short list name", lambda d: d["lists"][0].update(name="Too short"), "lists[0].name"),
    (
        "duplicate list name",
        lambda d: d["lists"][1].update(name="first test list"),
        "lists[1].name",
    ),
    ("duplicate list id", lambda d: d["lists"][1].update(id=d["lists"][0]["id"]), "lists[1].id"),
    ("duplicate campaign id", lambda d: d["campaigns"][1].update(id=901), "campaigns[1].id"),
    ("negative campaign id", lambda d: d["campaigns"][0].update(id=-5), "campaigns[0].id"),
    ("duplicate user id", lambda d: d["users"][1].update(user_id="900001"), "users[1].user_id"),
    ("bad user id", lambda d: d["users"][1].update(user_id="u-2"), "users[1].user_id"),
    (
        "duplicate email",
        lambda d: d["users"][1].update(email="ANN.LEE@test.example"),
        "users[1].email",
    ),
    ("bad email", lambda d: d["users"][0].update(email="nobody"), "users[0].email"),
    ("missing first name", lambda d: d["users"][0].pop("first_name"), "users[0].first_name"),
    ("unknown list key", lambda d: d["lists"][0].update(campain_id=901), "lists[0].campain_id"),
    ("bad status code", lambda d: d["statuses"][0].update(status="TOOLONG1"), "statuses[0].status"),
    ("duplicate status", lambda d: d["statuses"][2].update(status="sale"), "statuses[2].status"),
    ("bad custom flag", lambda d: d["statuses"][0].update(custom="maybe"), "statuses[0].custom"),
    ("hex with #", lambda d: d["statuses"][0].update(hex_color="#6711d1"), "statuses[0].hex_color"),
    ("short hex", lambda d: d["statuses"][0].update(hex_color="6711d"), "statuses[0].hex_color"),
    ("bad flag", lambda d: d["statuses"][1].update(final="maybe"), "statuses[1].final"),
    ("bad campaign status", lambda d: d["campaigns"][0].update(status="X"), "campaigns[0].status"),
    ("list entry not a mapping", lambda d: d["lists"].append("x"), "lists[2]"),
]


@pytest.mark.parametrize(
    ("mutate", "key"), [(m, k) for _, m, k in BAD_DOCS], ids=[n for n, _, _ in BAD_DOCS]
)
def test_bad_office_file_names_file_and_key(tmp_path: Path, mutate: Mutation, key: str) -> None:
    write(tmp_path, "BROKEN.yaml", break_doc(mutate))
    expect_error(tmp_path, "BROKEN.yaml", key)


def test_yaml_boolean_status_code_gets_a_hint(tmp_path: Path) -> None:
    write(tmp_path, "T.yaml", yaml.safe_dump(office_doc()).replace("status: NA", "status: NO"))
    error = expect_error(tmp_path, "T.yaml", "statuses[2].status")
    assert "quote it" in str(error)


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = yaml.safe_dump(office_doc()) + "name: Again\n"
    write(tmp_path, "DUP.yaml", text)
    error = expect_error(tmp_path, "DUP.yaml", None)
    assert "'name' twice" in str(error)


def test_invalid_yaml_empty_file_and_non_mapping(tmp_path: Path) -> None:
    write(tmp_path, "BAD.yaml", "acronym: [unclosed\n")
    assert "not valid YAML" in str(expect_error(tmp_path, "BAD.yaml", None))
    (tmp_path / "BAD.yaml").unlink()
    write(tmp_path, "EMPTY.yaml", "")
    assert "empty" in str(expect_error(tmp_path, "EMPTY.yaml", None))
    (tmp_path / "EMPTY.yaml").unlink()
    write(tmp_path, "LIST.yaml", "- a\n- b\n")
    assert "mapping" in str(expect_error(tmp_path, "LIST.yaml", None))


def test_cross_office_duplicates(tmp_path: Path) -> None:
    write(tmp_path, "A.yaml", office_doc("AAA", 7))
    other = office_doc("aaa", 8)  # acronyms compare case-insensitively
    write(tmp_path, "B.yaml", other)
    error = expect_error(tmp_path, "B.yaml", "acronym")
    assert "A.yaml" in str(error)  # names the office that holds it first

    other = office_doc("BBB", 8)
    other["tokens"][0]["token"] = "aaafulltoken0001"
    write(tmp_path, "B.yaml", other)
    expect_error(tmp_path, "B.yaml", "tokens[0].token")

    for section, key, value in (
        ("campaigns", "id", 701),
        ("lists", "id", 7001),
        ("users", "user_id", "700001"),
    ):
        other = office_doc("BBB", 8)
        other[section][0][key] = value
        if section == "campaigns":
            other["lists"][0]["campaign_id"] = value
        write(tmp_path, "B.yaml", other)
        expect_error(tmp_path, "B.yaml", f"{section}[0].{key}")


def test_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"no \*\.yaml"):
        load_offices(tmp_path)
    with pytest.raises(SeedError, match="not a directory"):
        load_offices(tmp_path / "missing")


# --- generator --------------------------------------------------------------------------


def test_stable_hash_is_stable() -> None:
    assert stable_hash(1234, "ACME") == stable_hash(1234, "ACME")
    assert stable_hash(1234, "ACME") != stable_hash(1235, "ACME")
    assert stable_hash(1, "2") != stable_hash("1", 2)  # repr keeps types apart
    # sha256-based, so it is the same in every process and on every machine
    assert stable_hash("x") == 0x4755BD1B01771FFA


def test_same_seed_same_data_other_seed_other_data(bundled: list[OfficeSeed]) -> None:
    office = bundled[1]
    first = generate_office(office, seed=7, leads=300, anchor=ANCHOR)
    again = generate_office(office, seed=7, leads=300, anchor=ANCHOR)
    assert first == again
    other = generate_office(office, seed=8, leads=300, anchor=ANCHOR)
    assert other.leads != first.leads
    assert other.call_logs != first.call_logs
    assert other.recordings != first.recordings
    # ids come from the office, not the seed: the same ids, other contents
    assert [r[0] for r in other.leads] == [r[0] for r in first.leads]
    # the input office is left alone
    assert office.leads == [] and office.campaigns[0]["last_call_date"] is None


def test_lead_shape(acme: OfficeSeed) -> None:
    assert len(acme.leads) == 1500
    for lead in acme.leads:
        assert isinstance(lead, tuple)
        assert len(lead) == len(LEAD_STORED)
        assert all(value is None or isinstance(value, str) for value in lead)
    ids = [int(lead[P["id"]]) for lead in acme.leads]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert ids == list(range(ids[0], ids[0] + len(ids)))


def test_lead_values(acme: OfficeSeed) -> None:
    list_ids = {str(li["id"]) for li in acme.lists}
    user_ids = {u["user_id"] for u in acme.users}
    codes = {s["status"] for s in acme.statuses}
    for lead in acme.leads:
        row = dict(zip(LEAD_STORED, lead, strict=True))
        assert row["list_id"] in list_ids
        assert row["status"] in codes
        assert row["user_id"] in user_ids
        assert row["owner_id"] is None or row["owner_id"] in user_ids
        assert row["phone_code"] == "1" and row["country"] == "US"
        assert row["object_type"] == "lead"
        assert row["gender"] in ("M", "F", None)
        assert row["province"] is None
        assert row["first_name"] and row["last_name"] and row["address1"] and row["city"]
        assert re.fullmatch(r"[A-Z]{2}", row["state"])
        assert re.fullmatch(r"\d{5}", row["postal_code"])
        assert row["locale_gmt"] in {"-5", "-6", "-7", "-8", "-9", "-10"}
        assert row["created_by"] in {"API", "System"} | user_ids
        assert row["last_modified_by"] in {"API", "System"} | user_ids
        assert 0 <= int(row["called_count"]) <= 12
        assert 0 <= int(row["called_count_inbound"]) <= 12
        assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", row["email"])
        for alt in ("alt_phone_1", "alt_phone_2"):
            assert row[alt] is None or re.fullmatch(r"[2-9]\d{2}[2-9]\d{6}", row[alt])
        born = datetime.strptime(row["date_of_birth"], "%Y-%m-%d")
        assert 20 < (ANCHOR - born).days / 365.25 < 86
        if row["status"] == "NEW":
            assert row["last_called"] is None and row["called_count"] == "0"
    assert any(lead[P["alt_phone_1"]] is None for lead in acme.leads)
    assert any(lead[P["alt_phone_1"]] is not None for lead in acme.leads)
    assert {lead[P["gender"]] for lead in acme.leads} == {"M", "F", None}


def test_phones_and_emails_are_unique_and_valid(acme: OfficeSeed) -> None:
    phones = [lead[P["phone_number"]] for lead in acme.leads]
    assert all(re.fullmatch(r"[2-9]\d{2}[2-9]\d{6}", p) for p in phones)
    assert len(set(phones)) == len(phones)
    emails = [lead[P["email"]].lower() for lead in acme.leads]
    assert len(set(emails)) == len(emails)


def test_lead_timestamps_in_window(acme: OfficeSeed) -> None:
    for lead in acme.leads:
        created = ts(lead[P["created_at"]])
        modified = ts(lead[P["modified_at"]])
        assert WINDOW_START <= created <= modified <= LOCAL_ANCHOR
        if lead[P["last_called"]] is not None:
            assert created <= ts(lead[P["last_called"]]) <= modified
    assert any(lead[P["last_called"]] is None for lead in acme.leads)


def test_call_log_shape_and_integrity(acme: OfficeSeed) -> None:
    leads = {lead[P["id"]]: lead for lead in acme.leads}
    lists = {str(li["id"]): li for li in acme.lists}
    campaigns = {str(c["id"]): c for c in acme.campaigns}
    users = {u["user_id"]: u for u in acme.users}
    statuses = {s["status"]: s for s in acme.statuses}
    assert len(acme.call_logs) == 750
    ids = [row["id"] for row in call_dicts(acme)]
    assert len(set(ids)) == len(ids) and all(i.isdigit() for i in ids)
    for raw, row in zip(acme.call_logs, call_dicts(acme), strict=True):
        assert isinstance(raw, tuple) and len(raw) == len(CALL_LOG_FIELDS)
        assert all(value is None or isinstance(value, str) for value in raw)
        lead = leads[row["lead_id"]]
        assert row["list_id"] == lead[P["list_id"]]
        assert row["campaign_id"] == str(lists[row["list_id"]]["campaign_id"])
        assert row["campaign"] == campaigns[row["campaign_id"]]["name"]
        assert row["phone_number"] == lead[P["phone_number"]]
        assert (row["first_name"], row["last_name"]) == (
            lead[P["first_name"]],
            lead[P["last_name"]],
        )
        if row["term_reason"] == "ABANDON":  # nobody took it: the System User
            assert row["user_id"] in SYSTEM_USER_IDS and row["user"] == "System User"
            assert row["status"] == "DROP"
        else:
            user = users[row["user_id"]]
            assert row["user"] == f"{user['first_name']} {user['last_name']}"
        assert row["status_name"] == statuses[row["status"]]["name"]
        assert row["status"] != "NEW"
        assert row["call_type"] in CALL_TYPES
        assert row["call_length"].isdigit()
        assert ts(lead[P["created_at"]]) <= ts(row["call_date"]) <= LOCAL_ANCHOR
        assert re.fullmatch(r"\d+\.\d{2}", row["queue_seconds"])
        assert re.fullmatch(r"1\d{10}", row["caller_id_displayed"])
        if row["call_type"] == "INBOUND":
            assert row["queue_id"] and row["number_dialed"] != row["phone_number"]
            assert row["queue"] == acme.queues[row["queue_id"]]
            assert row["inbound_number"] == row["number_dialed"]
        else:
            assert row["queue_id"] is None and row["number_dialed"] == row["phone_number"]
            assert row["queue"] is None and row["inbound_number"] is None
    assert {row["call_type"] for row in call_dicts(acme)} == set(CALL_TYPES)
    system = [row for row in call_dicts(acme) if row["user_id"] in SYSTEM_USER_IDS]
    assert {row["user_id"] for row in system} == set(SYSTEM_USER_IDS)
    assert {row["call_type"] for row in system} >= {"INBOUND", "OUTBOUND"}
    assert len(acme.queues) == 3 and len(set(acme.queues.values())) == 3


def test_recording_shape_and_integrity(acme: OfficeSeed) -> None:
    calls = {int(row["id"]): row for row in call_dicts(acme)}
    lead_ids = {int(lead[P["id"]]) for lead in acme.leads}
    assert 250 <= len(acme.recordings) <= 500  # about one per two calls
    rec_ids = [rec["recording_id"] for rec in acme.recordings]
    assert len(set(rec_ids)) == len(rec_ids)
    assert len({rec["call_log_id"] for rec in acme.recordings}) == len(rec_ids)
    for rec in acme.recordings:
        assert tuple(rec) == RECORDING_FIELDS
        assert isinstance(rec["recording_id"], int) and isinstance(rec["call_log_id"], int)
        assert isinstance(rec["lead_id"], int) and isinstance(rec["user_id"], str)
        call = calls[rec["call_log_id"]]
        assert rec["lead_id"] in lead_ids and rec["lead_id"] == int(call["lead_id"])
        assert rec["user_id"] == call["user_id"]
        assert rec["start_time"] == call["call_date"]
        start = ts(rec["start_time"])
        if rec["seconds"] is None:
            assert rec["end_time"] == ""
        else:
            assert rec["seconds"] == int(call["call_length"])
            assert ts(rec["end_time"]) == start + timedelta(seconds=rec["seconds"])
            assert ts(rec["end_time"]) <= LOCAL_ANCHOR
        # the file name holds the real (UTC) epoch of the local start time
        epoch = int((start - (LOCAL_ANCHOR - ANCHOR) - datetime(1970, 1, 1)).total_seconds())
        assert rec["url"] == (
            f"convoso_{call['phone_number']}_{rec['recording_id']}_{epoch}-all.wav"
        )
    assert any(rec["seconds"] is None for rec in acme.recordings)


def test_every_agent_has_calls_and_recordings(acme: OfficeSeed) -> None:
    agents = {u["user_id"] for u in acme.users}
    assert {row["user_id"] for row in call_dicts(acme)} == agents | set(SYSTEM_USER_IDS)
    assert {rec["user_id"] for rec in acme.recordings} == agents


def test_tiny_office_still_covers_every_agent(bundled: list[OfficeSeed]) -> None:
    office = generate_office(bundled[0], seed=3, leads=2, anchor=ANCHOR)
    agents = {u["user_id"] for u in office.users}
    assert len(office.leads) == 2
    assert {row["user_id"] for row in call_dicts(office)} == agents
    assert {rec["user_id"] for rec in office.recordings} == agents


def test_last_call_dates_follow_the_call_logs(acme: OfficeSeed) -> None:
    for item in acme.lists:
        dates = [r["call_date"] for r in call_dicts(acme) if r["list_id"] == str(item["id"])]
        assert item["last_called_at"] == (max(dates) if dates else None)
    for camp in acme.campaigns:
        dates = [r["call_date"] for r in call_dicts(acme) if r["campaign_id"] == str(camp["id"])]
        assert camp["last_call_date"] == (max(dates) if dates else None)
    # only lists an active campaign dials get calls
    inactive = {c["id"] for c in acme.campaigns if c["status"] == "N"}
    assert all(int(r["campaign_id"]) not in inactive for r in call_dicts(acme))


def test_zero_leads(bundled: list[OfficeSeed]) -> None:
    office = generate_office(bundled[0], seed=1234, leads=0, anchor=ANCHOR)
    assert office.leads == [] and office.call_logs == [] and office.recordings == []
    assert office.callbacks == []
    assert office.lists == bundled[0].lists
    # Users keep their seed fields and gain the users/search attributes (no leads needed).
    assert [{k: u[k] for k in bundled[0].users[0]} for u in office.users] == bundled[0].users
    assert all(set(USER_ATTRIBUTES) <= set(u) for u in office.users)


def test_negative_leads_refused(bundled: list[OfficeSeed]) -> None:
    with pytest.raises(ValueError, match="leads"):
        generate_office(bundled[0], seed=1, leads=-1, anchor=ANCHOR)


def test_offices_are_isolated(bundled: list[OfficeSeed]) -> None:
    acme = generate_office(bundled[0], seed=1234, leads=400, anchor=ANCHOR)
    bravo = generate_office(bundled[1], seed=1234, leads=400, anchor=ANCHOR)
    assert not {r[P["id"]] for r in acme.leads} & {r[P["id"]] for r in bravo.leads}
    assert not {r["id"] for r in call_dicts(acme)} & {r["id"] for r in call_dicts(bravo)}
    assert not {r["recording_id"] for r in acme.recordings} & {
        r["recording_id"] for r in bravo.recordings
    }
    assert {r[P["list_id"]] for r in bravo.leads} <= {str(li["id"]) for li in bravo.lists}


def test_anchor_is_utc_whatever_the_local_zone(
    bundled: list[OfficeSeed], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    plain = generate_office(bundled[1], seed=5, leads=50, anchor=ANCHOR)
    if not hasattr(time, "tzset"):
        pytest.skip("no time.tzset on this platform")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        shifted = generate_office(bundled[1], seed=5, leads=50, anchor=ANCHOR)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert shifted == plain
