"""`mockvoso clone-seed`: a seed folder shaped like the upstream's account, without its people."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from upstream_fakes import FakeUpstream, fake_upstream, json_reply, record_account

from mockvoso.app import create_app
from mockvoso.config import Settings
from mockvoso.seed.loader import load_offices
from mockvoso.serving.cli import main
from mockvoso.serving.server import ThreadedServer
from mockvoso.serving.validate import validate_settings
from mockvoso.upstream.clone_seed import CONFIG_FILE, SHAPE_FILE
from mockvoso.upstream.proxy import ProxyOptions, create_proxy_app

CAMPAIGNS = [
    {"id": 8101, "name": "Solar Leads West", "status": "Y"},
    {"id": 8102, "name": "Roofing Winback", "status": "N"},
]
LISTS = [
    {"id": 91001, "name": "Solar Web Form Q3", "campaign_id": 8101, "status": "Y"},
    {"id": 91002, "name": "Roof Aged Leads 2024", "campaign_id": 8102, "status": "N"},
]
STATUS_ROWS = [  # as status/search sends them: custom_status, hex_color, Convoso's spelling
    {"status": "SALE", "name": "Sold", "final": "Y", "reached": "Y", "success": "Y", "dnc": "N",
     "callback": "N", "contact": "Y", "voicemail": "N", "workflow_dispositon_event_option": 1,
     "custom_status": "Y", "hex_color": "6711d1"},
    {"status": "CBK", "name": "Call Back Later", "final": "N", "reached": "Y", "success": "N",
     "dnc": "N", "callback": "Y", "contact": "Y", "voicemail": "N",
     "workflow_dispositon_event_option": 1, "custom_status": "Y", "hex_color": "#F59E0B"},
    {"status": "DNCL", "name": "Do Not Call", "final": "Y", "reached": "Y", "success": "N",
     "dnc": "Y", "callback": "N", "contact": "Y", "voicemail": "N",
     "workflow_dispositon_event_option": 1, "custom_status": "N", "hex_color": ""},
]  # fmt: skip
PEOPLE = ["Roberta", "Kowalczyk", "roberta.k@homeowner-mail.example", "4155550199", "88 Sequoia Lane",
          "Ignatius", "Pemberton", "ignatius@solar-agents.example"]  # fmt: skip
LEADS = {
    "success": True,
    "data": {"offset": 0, "limit": 5, "total": "1234", "entries": [
        {"id": "77001", "first_name": "Roberta", "last_name": "Kowalczyk", "status": "SALE",
         "email": "roberta.k@homeowner-mail.example", "phone_number": "4155550199",
         "address1": "88 Sequoia Lane", "roof_age": "12", "utility_provider": "PG&E"},
    ]},
}  # fmt: skip
USERS = {
    "success": True,
    "data": {"offset": 0, "limit": "5", "total": "3", "results": {
        "5001": {"id": 5001, "email": "ignatius@solar-agents.example", "first_name": "Ignatius",
                 "last_name": "Pemberton", "user_level": 1},
        "5002": {"id": 5002, "email": "a2@solar-agents.example", "first_name": "Agent", "last_name": "Two", "user_level": 1},
        "5003": {"id": 5003, "email": "a3@solar-agents.example", "first_name": "Agent", "last_name": "Three", "user_level": 8},
    }},
}  # fmt: skip


@pytest.fixture
def account() -> Iterator[FakeUpstream]:
    routes = {
        "/v1/campaigns/search": json_reply({"success": True, "data": CAMPAIGNS}),
        "/v1/lists/search": json_reply({"success": True, "data": LISTS}),
        "/v1/status/search": json_reply({"success": True, "code": 200, "data": STATUS_ROWS}),
        "/v1/users/search": json_reply(USERS),
        "/v1/leads/search": json_reply(LEADS),
    }
    with fake_upstream(routes) as fake:
        yield fake


def _rows(client: Any, token: str, action: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    data = client.post(f"/v1/{action}", data={"auth_token": token}).get_json()["data"]
    return [{k: row[k] for k in keys} for row in data]


def test_a_live_clone_reproduces_the_account_without_its_people(
    account: FakeUpstream, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "seed"
    code = main(["clone-seed", "--upstream", account.url, "--token", "real-token-123456",
                 "--out", str(out), "--rate", "0", "--acronym", "SOLAR"])  # fmt: skip
    assert code == 0
    assert f"serve it with `mockvoso serve --data {out}`" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["SOLAR.yaml", SHAPE_FILE, CONFIG_FILE]
    assert all(s.method == "POST" for s in account.seen)  # the read battery, nothing else

    (office,) = load_offices(out)  # what `mockvoso serve --data` loads
    validate_settings(Settings(data=str(out)))
    assert office.acronym == "SOLAR"
    assert [(c["id"], c["name"], c["status"]) for c in office.campaigns] == [
        (c["id"], c["name"], c["status"]) for c in CAMPAIGNS
    ]
    assert [
        {k: li[k] for k in ("id", "name", "campaign_id", "status")} for li in office.lists
    ] == LISTS
    flags = (
        "status",
        "name",
        "final",
        "reached",
        "success",
        "dnc",
        "callback",
        "contact",
        "voicemail",
    )
    assert office.statuses == [
        {**{k: row[k] for k in flags}, "custom": row["custom_status"], "hex_color": color}
        for row, color in zip(STATUS_ROWS, ["6711d1", "f59e0b", ""], strict=True)
    ]
    assert len(office.users) == 3

    shape = json.loads((out / SHAPE_FILE).read_text())
    assert shape["custom_fields"] == ["roof_age", "utility_provider"]
    assert shape["user_roles"] == {"1": 2, "8": 1}
    assert shape["volumes"] == {"leads": 1234, "users": 3, "calls_one_day": None}
    assert json.loads((out / CONFIG_FILE).read_text()) == {
        "data": str(out.resolve()),
        "leads": 1234,
    }
    assert office.custom_fields == ["roof_age", "utility_provider"]

    for path in out.iterdir():
        text = path.read_text()
        assert [v for v in [*PEOPLE, "real-token-123456"] if v in text] == [], path.name

    # Served, it answers the account's campaigns and lists.
    app = create_app(Settings(data=str(out), leads=20, quiet=True))
    token = yaml.safe_load((out / "SOLAR.yaml").read_text())["tokens"][0]["token"]
    client = app.test_client()
    assert _rows(client, token, "campaigns/search", ("id", "name", "status")) == CAMPAIGNS
    assert _rows(client, token, "lists/search", ("id", "name", "campaign_id", "status")) == LISTS
    served = client.post("/v1/status/search", data={"auth_token": token, "query": ""}).get_json()
    assert (served["success"], served["code"]) == (True, 200)
    assert [(r["status"], r["custom_status"], r["hex_color"]) for r in served["data"]] == [
        ("SALE", "Y", "6711d1"),
        ("CBK", "Y", "f59e0b"),
        ("DNCL", "N", ""),
    ]
    # Every seeded lead carries the account's custom fields, and they are searchable.
    leads = client.post("/v1/leads/search", data={"auth_token": token, "limit": 20}).get_json()
    entries = leads["data"]["entries"]
    assert len(entries) == 20
    assert all({"roof_age", "utility_provider"} <= entry.keys() for entry in entries)
    value = entries[0]["roof_age"]
    found = client.post(
        "/v1/leads/search", data={"auth_token": token, "roof_age": value}
    ).get_json()
    expected = sorted(e["id"] for e in entries if e["roof_age"] == value)
    assert sorted(e["id"] for e in found["data"]["entries"]) == expected


def test_a_clone_from_recorded_cassettes(tmp_path: Path) -> None:
    upstream = create_app(Settings(leads=30, seed=97, clock="2026-01-01T00:00:00", quiet=True))
    grants = upstream.extensions["mockvoso"].world.tokens.values()
    token = sorted(grants, key=lambda g: -len(g.sections))[0].token
    cassettes, out = tmp_path / "cassettes", tmp_path / "seed"
    with ThreadedServer(upstream, threads=4) as server:
        proxy = create_proxy_app(
            Settings(leads=0, quiet=True), options=ProxyOptions(server.url, record=str(cassettes))
        )
        answers = record_account(proxy, token)
    assert main(["clone-seed", "--from", str(cassettes), "--out", str(out)]) == 0

    (office,) = load_offices(out)
    assert [(c["id"], c["name"], c["status"]) for c in office.campaigns] == [
        (c["id"], c["name"], c["status"]) for c in answers[0]["data"]
    ]
    assert [(li["id"], li["name"], li["campaign_id"]) for li in office.lists] == [
        (li["id"], li["name"], li["campaign_id"]) for li in answers[1]["data"]
    ]
    # No status/search in these cassettes: the codes the leads and calls carried, named
    # as the call log names them.
    log_names = {r["status"]: r["status_name"] for r in answers[3]["data"]["results"]}
    cloned = {s["status"]: s["name"] for s in office.statuses}
    assert log_names.items() <= cloned.items()
    lead_codes = {e["status"] for e in answers[2]["data"]["entries"]}
    assert set(cloned) == set(log_names) | lead_codes
    app = create_app(Settings(data=str(out), leads=10, quiet=True))
    assert sorted(app.extensions["mockvoso"].world.offices) == ["CLONE"]


def test_a_live_clone_of_a_second_mockvoso_keeps_its_statuses_exactly(tmp_path: Path) -> None:
    """A real status/search answer (custom_status, hex_color, code 200 and Convoso's
    misspelled workflow_dispositon_event_option) clones into the seed's statuses."""
    upstream = create_app(Settings(leads=30, seed=41, clock="2026-01-01T00:00:00", quiet=True))
    grants = upstream.extensions["mockvoso"].world.tokens.values()
    grant = sorted(grants, key=lambda g: -len(g.sections))[0]
    # The office as its bundled seed file declares it (what the upstream serves).
    source = next(o for o in load_offices() if o.acronym == grant.office.upper())
    assert {s["custom"] for s in source.statuses} == {"Y", "N"}
    assert {s["hex_color"] for s in source.statuses} - {""}
    out = tmp_path / "seed"
    with ThreadedServer(upstream, threads=4) as server:
        code = main(["clone-seed", "--upstream", server.url, "--token", grant.token,
                     "--out", str(out), "--rate", "0"])  # fmt: skip
    assert code == 0
    (office,) = load_offices(out)
    assert office.statuses == source.statuses
    assert [(c["id"], c["name"]) for c in office.campaigns] == [
        (c["id"], c["name"]) for c in source.campaigns
    ]
    assert [(li["id"], li["name"]) for li in office.lists] == [
        (li["id"], li["name"]) for li in source.lists
    ]
    # mockvoso's own lead fields are all in its Lead schema: none is taken for a custom one.
    assert office.custom_fields == []


def test_the_seed_format_refuses_a_custom_field_that_shadows_a_lead_field(tmp_path: Path) -> None:
    from mockvoso.seed.loader import SeedError, bundled_data_dir

    text = (bundled_data_dir() / "ACME.yaml").read_text()
    (tmp_path / "ACME.yaml").write_text(text + "custom_fields: [roof_age, phone_number]\n")
    with pytest.raises(SeedError) as info:
        load_offices(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'ACME.yaml'}: custom_fields[1]: 'phone_number' is a lead field or API"
        " parameter, not a custom one"
    )


def test_declaring_custom_fields_leaves_every_other_seeded_value_unchanged(tmp_path: Path) -> None:
    from mockvoso.seed.generator import generate_office
    from mockvoso.seed.loader import bundled_data_dir

    text = (bundled_data_dir() / "ACME.yaml").read_text()
    (tmp_path / "ACME.yaml").write_text(text + "custom_fields: [roof_age]\n")
    (with_custom,) = load_offices(tmp_path)
    plain = next(o for o in load_offices() if o.acronym == "ACME")
    anchor = datetime(2026, 1, 1)
    a = generate_office(with_custom, seed=5, leads=50, anchor=anchor)
    b = generate_office(plain, seed=5, leads=50, anchor=anchor)
    assert replace(a, custom={}, custom_fields=[]) == b
    assert b.custom == {}
    assert sorted(a.custom) == sorted(int(row[0]) for row in a.leads)
    assert all(list(v) == ["roof_age"] and v["roof_age"] for v in a.custom.values())


def test_clone_seed_usage_errors(tmp_path: Path, capsys: Any) -> None:
    assert main(["clone-seed", "--from", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder of cassettes" in capsys.readouterr().err
    assert main(["clone-seed", "--from", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "no cassettes with a successful answer" in capsys.readouterr().err
    assert (
        main(["clone-seed", "--upstream", "http://127.0.0.1:9", "--out", str(tmp_path / "o")]) == 2
    )
    assert "--token is required" in capsys.readouterr().err
