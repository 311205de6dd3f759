"""The CI stateful run's fixed values are true of the world it fuzzes, and its chain check."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from mockvoso.app import create_app
from mockvoso.contract.build import LINKS, _camel

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (ROOT / ".ci" / "schemathesis.sh").read_text()
STATEFUL = tomllib.loads((ROOT / ".ci" / "schemathesis-stateful.toml").read_text())


def _load_checker() -> Any:
    spec = importlib.util.spec_from_file_location(
        "stateful_chains", ROOT / ".ci/stateful_chains.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


chains_check = _load_checker()


def _script_value(pattern: str) -> str:
    match = re.search(pattern, SCRIPT)
    assert match, pattern
    return match.group(1)


@pytest.fixture(scope="module")
def ci_world() -> tuple[FlaskClient, str]:
    """The world `mockvoso serve` builds in .ci/schemathesis.sh, and the token the run uses."""
    token = _script_value(r"\nTOKEN=(\S+)")
    app = create_app(
        {
            "seed": int(_script_value(r"--seed (\d+) --leads")),
            "leads": int(_script_value(r"--leads (\d+)")),
            "clock": _script_value(r"--clock (\S+)"),
            "tokens": (token,),
        }
    )
    return app.test_client(), token


def values(dictionary: str) -> list[str]:
    return [str(v) for v in STATEFUL["dictionaries"][dictionary]["values"]]


def bound(operation_id: str) -> dict[str, str]:
    """The first value of every dictionary the stateful config binds on the operation
    (its own entry, then the parameters every operation gets)."""
    entry = next(
        op
        for op in STATEFUL["operations"]
        if op.get("include-operation-id") == operation_id
        or re.fullmatch(op.get("include-operation-id-regex", "^$"), operation_id)
    )
    params = {**STATEFUL["parameters"], **entry["parameters"]}
    return {
        name: values(binding["dictionary"])[0]
        for name, binding in params.items()
        if not name.startswith("header.")
    }


def call(client: FlaskClient, token: str, action: str, **params: str) -> dict[str, Any]:
    reply = client.get(f"/v1/{action}", query_string={"auth_token": token, **params})
    assert reply.status_code == 200, reply.data
    return reply.json


def test_the_run_fixes_the_office_of_its_token(ci_world) -> None:
    client, token = ci_world
    offices = client.get("/_mockvoso/offices").json["offices"]
    owner = [o["acronym"] for o in offices if token in {t["token"] for t in o["tokens"]}]
    assert values("office") == owner == ["ACME"]
    assert STATEFUL["parameters"]["header.X-Office-Acronym"] == {"dictionary": "office"}


def test_every_fixed_record_is_seeded_in_that_office(ci_world) -> None:
    client, token = ci_world
    lists = {str(item["id"]) for item in call(client, token, "lists/search")["data"]}
    assert set(values("lists")) <= lists
    campaigns = {str(item["id"]) for item in call(client, token, "campaigns/search")["data"]}
    assert set(values("campaigns")) <= campaigns
    agents = set(call(client, token, "users/search", limit="100")["data"]["results"])
    assert set(values("agents")) <= agents
    for lead_id in values("leads"):
        found = call(client, token, "leads/search", lead_id=lead_id)["data"]["entries"]
        assert [entry["id"] for entry in found] == [lead_id]
    # The fallback id names nothing, and the list names are free (names are unique).
    (nothing,) = values("no_such_record")
    assert call(client, token, "leads/search", lead_id=nothing)["data"]["entries"] == []
    assert nothing not in lists
    names = {item["name"] for item in call(client, token, "lists/search")["data"]}
    assert not names & set(values("list_names"))
    assert all(10 <= len(name) <= 30 for name in values("list_names"))


def test_the_fixed_values_make_each_insert_succeed(ci_world) -> None:
    """What the stateful run sends where a link gives no value: every insert a link
    starts from answers success, so its link finds an id."""
    client, token = ci_world
    lead = call(client, token, "leads/insert", **bound("leadsInsertGet"))
    assert lead["success"] is True, lead
    new_list = call(client, token, "lists/insert", **bound("listsInsertGet"))
    assert new_list["success"] is True, new_list
    callback = call(client, token, "callbacks/insert", **bound("callbacksInsertGet"))
    assert callback["success"] is True, callback
    dnc = call(client, token, "dnc/insert", **bound("dncInsertGet"))
    assert dnc["success"] is True, dnc
    # And the follow-ups, with the ids those inserts returned (as the links pass them).
    update = {**bound("leadsUpdateGet"), "lead_id": str(lead["data"]["lead_id"])}
    assert call(client, token, "leads/update", **update)["success"] is True
    into = {**bound("leadsInsertGet"), "list_id": str(new_list["data"]["list_id"])}
    assert call(client, token, "leads/insert", **into)["success"] is True


def test_the_stateful_run_covers_every_linked_operation() -> None:
    linked = {
        f"{_camel(name)}Get"
        for source, targets in LINKS.items()
        for name in [source, *(target for target, _ in targets.values())]
    }
    pattern = re.compile("".join(re.findall(r"LINKED=(?:\$LINKED)?'([^']*)'", SCRIPT)))
    assert pattern.pattern.startswith("^(leads") and pattern.pattern.endswith("Get$")
    assert {op for op in linked if pattern.match(op)} == linked
    assert not pattern.match("leadsInsertPost") and not pattern.match("campaignsSearchGet")


def har(*calls: tuple[str, dict[str, str], str]) -> dict[str, Any]:
    entries = []
    for action, query, answer in calls:
        url = f"http://127.0.0.1:1/v1/{action}?" + "&".join(f"{k}={v}" for k, v in query.items())
        entries.append({"request": {"url": url}, "response": {"content": {"text": answer}}})
    return {"log": {"entries": entries}}


OUTPUT = "     API Links:    8 covered / 8 selected / 16 total\n"
OK_LEAD = '{"success":true,"data":{"lead_id":900000201}}'
OK = '{"success":true}'
REFUSED = '{"success":false,"code":6001,"text":"No such Lead"}'


def test_the_chain_check_passes_a_run_whose_links_chained() -> None:
    run = har(
        ("leads/insert", {"list_id": "2701"}, OK_LEAD),
        ("leads/search", {"lead_id": "900000201"}, OK),
        ("leads/update", {"lead_id": "900000201"}, OK),
        ("leads/delete", {"lead_id": "900000201"}, OK),
        ("lists/insert", {"name": "x"}, '{"success":true,"data":{"list_id":2707},"id":2707}'),
        ("leads/insert", {"list_id": "2707"}, '{"success":true,"data":{"lead_id":900000202}}'),
    )
    found = chains_check.chains(chains_check.har_calls(run), OUTPUT)
    assert (found.links_covered, found.links_selected) == (8, 8)
    assert found.leads == {"900000201": ["search", "update", "delete"], "900000202": []}
    assert found.lists == {"2707": ["insert"]}
    assert found.missing() == []
    assert found.full_lead_chains() == ["900000201"]


def test_the_chain_check_fails_a_run_that_followed_nothing() -> None:
    run = har(
        ("leads/insert", {"list_id": "abc"}, '{"success":false,"code":6002,"text":"x"}'),
        ("leads/update", {"lead_id": "900000001"}, OK),  # not a lead the run inserted
        ("lists/insert", {}, '{"success":false,"code":6003,"text":"x"}'),
    )
    output = "     API Links:    0 covered / 58 selected / 58 total (42 inferred)\n"
    found = chains_check.chains(chains_check.har_calls(run), output)
    assert found.missing() == [
        "no link was followed (API Links: 0 covered)",
        "no leads/insert -> leads/search of the inserted lead succeeded",
        "no leads/insert -> leads/update of the inserted lead succeeded",
        "no leads/insert -> leads/delete of the inserted lead succeeded",
        "no lists/insert -> leads/insert into the inserted list succeeded",
    ]


def test_the_chain_check_counts_only_steps_that_succeeded() -> None:
    run = har(
        ("leads/insert", {}, OK_LEAD),
        ("leads/update", {"lead_id": "900000201"}, REFUSED),
        ("leads/delete", {"lead_id": "900000201"}, OK),
        ("leads/search", {"lead_id": "900000201"}, OK),
    )
    found = chains_check.chains(chains_check.har_calls(run), "no summary line")
    assert found.leads == {"900000201": ["update!", "delete", "search"]}
    assert found.full_lead_chains() == []
    assert found.missing() == [
        "no link was followed (API Links: 0 covered)",
        "no leads/insert -> leads/update of the inserted lead succeeded",
        "no lists/insert -> leads/insert into the inserted list succeeded",
    ]


def test_the_chain_check_exits_1_on_a_run_without_chains(tmp_path: Path, capsys) -> None:
    log = tmp_path / "stateful.log"
    log.write_text(OUTPUT)
    report = tmp_path / "stateful.har"
    report.write_text('{"log": {"entries": []}}')
    assert chains_check.main(["stateful_chains.py", str(log), str(report)]) == 1
    err = capsys.readouterr().err
    assert "no leads/insert -> leads/search of the inserted lead succeeded" in err
