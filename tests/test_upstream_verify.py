"""`mockvoso verify` against a fake upstream with divergent shapes and a second mockvoso."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from upstream_fakes import FakeUpstream, Reply, fake_upstream, json_reply

from mockvoso.app import create_app
from mockvoso.config import Settings
from mockvoso.serving.cli import main
from mockvoso.serving.server import ThreadedServer
from mockvoso.upstream.battery import BATTERY, Probe
from mockvoso.upstream.client import Upstream
from mockvoso.upstream.shape import Difference
from mockvoso.upstream.verify import AUTH_MESSAGE, InProcessMock, run_battery

SECRET_EMAIL = "secret.person@upstream-data.example"
SECRET_REGION = "SECRET-REGION-VALUE"


def _best_token(app: Any) -> str:
    grants = app.extensions["mockvoso"].world.tokens.values()
    return str(sorted(grants, key=lambda g: -len(g.sections))[0].token)


@pytest.fixture(scope="module")
def real_answers() -> dict[str, Any]:
    """Genuine mockvoso answers from another seed: the fake upstream bends them."""
    app = create_app(Settings(leads=20, seed=777, clock="2026-01-01T00:00:00"))
    client, token = app.test_client(), _best_token(app)
    out = {}
    for action in ("campaigns/search", "lists/search", "leads/search", "users/search"):
        out[action] = client.post(
            f"/v1/{action}", data={"auth_token": token, "limit": 5}
        ).get_json()
    return out


def _divergent_routes(real: dict[str, Any]) -> dict[str, Reply]:
    leads = copy.deepcopy(real["leads/search"])
    leads["data"]["total"] = int(leads["data"]["total"])  # a number where Convoso sends a string
    campaigns = copy.deepcopy(real["campaigns/search"])
    for row in campaigns["data"]:
        del row["status"]  # a key the upstream does not send
    lists = copy.deepcopy(real["lists/search"])
    for row in lists["data"]:
        row["region"] = SECRET_REGION  # a key mockvoso does not send
    users = copy.deepcopy(real["users/search"])
    first = next(iter(users["data"]["results"].values()))
    del first["local_gmt"]  # a key the upstream does not send, in a map keyed by user id
    users["data"]["results"] = {"1104055": {**first, "id": 1104055, "email": SECRET_EMAIL}}
    return {
        "/v1/campaigns/search": json_reply(campaigns),
        "/v1/lists/search": json_reply(lists),
        "/v1/leads/search": json_reply(leads),
        "/v1/log/retrieve": Reply(200, b"<html><body>Oops, maintenance</body></html>", "text/html"),
        "/v1/users/recordings": Reply(
            429, b'{"success":false,"code":429}', headers={"Retry-After": "1"}
        ),
        "/v1/status/search": Reply(hang=True),
        "/v1/users/search": json_reply(users),
        "/v1/dnc/search": json_reply({"success": False, "code": 503, "text": "Maintenance"}, 503),
    }


@pytest.fixture
def divergent(real_answers: dict[str, Any]) -> Iterator[FakeUpstream]:
    with fake_upstream(_divergent_routes(real_answers)) as fake:
        yield fake


def _by_action(run: Any) -> dict[str, Any]:
    return {v.action: v for v in run.verdicts}


def test_each_divergence_gets_its_verdict(divergent: FakeUpstream) -> None:
    run = run_battery(Upstream(divergent.url, rate=0, timeout=0.3), "upstream-token-1")
    got = _by_action(run)

    assert got["leads/search"].verdict == "differs"
    assert got["leads/search"].differences == [
        Difference("$.data.total", "type differs", "integer", "string")
    ]
    assert [v.path for v in got["leads/search"].violations] == ["$"]
    assert got["leads/search"].violations[0].problem.startswith("oneOf: matches no allowed shape")
    assert (
        "$.data.total: type: expected string, got integer"
        in got["leads/search"].violations[0].problem
    )

    assert got["campaigns/search"].verdict == "differs"
    assert got["campaigns/search"].differences == [
        Difference("$.data[*].status", "key missing", "-", "string")
    ]
    assert got["lists/search"].verdict == "differs"
    assert got["lists/search"].differences == [
        Difference("$.data[*].region", "extra key", "string", "-")
    ]

    html = got["log/retrieve"]
    assert (html.verdict, html.http_status, html.json_body) == ("differs", 200, False)
    assert [v.as_dict() for v in html.violations] == [
        {"path": "$", "problem": "not JSON (text/html, 43 bytes)"}
    ]
    limited = got["users/recordings"]
    assert (limited.verdict, limited.http_status) == ("error", 429)
    assert limited.note == "rate limited by the upstream (HTTP 429)"
    hung = got["status/search"]
    assert (hung.verdict, hung.http_status, hung.note) == ("error", None, "no answer within 0.3 s")
    assert (got["dnc/search"].verdict, got["dnc/search"].note) == (
        "error",
        "upstream error (HTTP 503)",
    )
    users = got["users/search"]
    assert (users.verdict, users.http_status) == ("differs", 200)
    assert users.differences == [
        Difference("$.data.results.{key}.local_gmt", "key missing", "-", "string")
    ]
    assert [v.as_dict() for v in users.violations] == [
        {
            "path": "$",
            "problem": "oneOf: matches no allowed shape"
            " ($.data.results.{key}: required key missing: local_gmt)",
        }
    ]
    assert {
        "path": "$.data.results.{key}.email",
        "types": ["string"],
        "count": 1,
    } in users.upstream_shape
    # The fake answers 404 to the actions it has no route for: mockvoso has them all, so
    # each is a difference (the upstream lacks the action), with no shape to compare.
    absent = ["leads/get-recordings", "callbacks/search", "sms-opt-out/search",
              "agent-performance/search", "agent-productivity/search"]  # fmt: skip
    assert [
        (got[a].verdict, got[a].http_status, got[a].note, got[a].differences) for a in absent
    ] == [
        ("differs", 404, "the upstream has no such action (HTTP 404); mockvoso answers it", [])
    ] * 5
    # Every probe was sent, each one once, and never a write.
    assert divergent.actions() == [v.action for v in run.verdicts]
    assert len(run.verdicts) == 13
    assert all(
        s.method == "POST" and s.form["auth_token"] == "upstream-token-1" for s in divergent.seen
    )
    assert run.exit_code == 2  # an error (429, timeout) outranks the differences


def test_report_holds_paths_types_and_counts_but_no_upstream_value(
    divergent: FakeUpstream, real_answers: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    report = tmp_path / "report.json"
    code = main(["verify", "--upstream", divergent.url, "--token", "upstream-token-1",
                 "--report", str(report), "--rate", "0", "--timeout", "0.3"])  # fmt: skip
    assert code == 2
    out = capsys.readouterr().out
    assert "$.data[*].region" in out and "extra key" in out
    # leads (total), campaigns (status), lists (region), users (local_gmt), the HTML page
    # and five 404s; the 429, the hang and the 503 are errors
    assert "0 match, 10 differs, 3 error, 0 not in contract" in out
    text = report.read_text()
    doc = json.loads(text)
    assert doc["summary"] == {"match": 0, "differs": 10, "error": 3, "not in contract": 0}
    lists = next(a for a in doc["actions"] if a["action"] == "lists/search")
    assert lists["differences"] == [
        {"path": "$.data[*].region", "kind": "extra key", "upstream": "string", "mock": "-"}
    ]
    assert {"path": "$.data[*].id", "types": ["integer"], "count": 6} in lists["upstream_shape"]

    values: set[str] = {SECRET_EMAIL, SECRET_REGION, "upstream-token-1", "1104055"}

    def leaves(doc: Any) -> None:
        if isinstance(doc, dict):
            for v in doc.values():
                leaves(v)
        elif isinstance(doc, list):
            for v in doc:
                leaves(v)
        elif isinstance(doc, str) and len(doc) >= 6:
            values.add(doc)

    for answer in real_answers.values():
        leaves(answer)
    assert len(values) > 100
    leaked = sorted(v for v in values if v in text)
    assert leaked == []


def test_the_first_401_stops_the_battery(capsys: Any) -> None:
    refused = json_reply({"success": False, "code": 401, "text": "Auth token is invalid"}, 401)
    with fake_upstream({"/v1/campaigns/search": refused}) as fake:
        code = main(["verify", "--upstream", fake.url, "--token", "wrong", "--rate", "0"])
        assert fake.actions() == ["campaigns/search"]
    assert code == 2
    assert f"mockvoso verify: {AUTH_MESSAGE}" in capsys.readouterr().out


def test_a_legacy_401_at_http_200_stops_it_too() -> None:
    legacy = json_reply({"success": False, "code": 401, "text": "Auth token is invalid"}, 200)
    with fake_upstream({"/v1/campaigns/search": legacy}) as fake:
        run = run_battery(Upstream(fake.url, rate=0), "wrong")
        assert fake.actions() == ["campaigns/search"]
    assert (run.verdicts, run.stopped, run.exit_code) == ([], AUTH_MESSAGE, 2)


def test_a_second_mockvoso_matches_on_every_action_it_has() -> None:
    upstream_app = create_app(Settings(leads=40, seed=4321, quiet=True))
    with ThreadedServer(upstream_app, threads=4) as server:
        run = run_battery(Upstream(server.url, rate=0, timeout=5), _best_token(upstream_app))
    got = [(v.action, v.verdict, v.http_status, v.note, v.violations, v.differences)
           for v in run.verdicts]  # fmt: skip
    assert got == [(probe.action, "match", 200, "", [], []) for probe in BATTERY]
    assert len(got) == 13
    assert run.exit_code == 0


class _AskedMock(InProcessMock):
    """The in-process mockvoso, noting which actions it was asked."""

    def __init__(self, leads: int) -> None:
        super().__init__(leads=leads)
        self.asked: list[str] = []

    def call(self, action: str, params: dict[str, Any]) -> Any:
        self.asked.append(action)
        return super().call(action, params)


def test_an_action_outside_the_contract_is_still_called_and_shaped() -> None:
    """A probe for an action neither mockvoso nor its contract has: the upstream is asked,
    its shape reported, and mockvoso is not asked at all."""
    teams = {"success": True, "data": [{"id": 3, "team": "Closers"}, {"id": 4, "team": "Night"}]}
    probes = (
        Probe("campaigns/search", lambda ctx: {}),
        Probe("teams/search", lambda ctx: {"limit": 5}),
    )
    mock = _AskedMock(leads=10)
    with fake_upstream({"/v1/teams/search": json_reply(teams)}) as fake:
        run = run_battery(Upstream(fake.url, rate=0), "t", mock=mock, probes=probes)
        assert fake.actions() == ["campaigns/search", "teams/search"]
        assert fake.seen[1].form == {"auth_token": "t", "limit": "5"}
    assert mock.asked == ["campaigns/search"]
    teams_verdict = run.verdicts[1]
    assert teams_verdict.as_report() == {
        "action": "teams/search",
        "verdict": "not in contract",
        "http_status": 200,
        "json": True,
        "note": "mockvoso's contract does not describe this action yet",
        "contract": [],
        "differences": [],
        "upstream_shape": [
            {"path": "$", "types": ["object"], "count": 1},
            {"path": "$.data", "types": ["array"], "count": 1},
            {"path": "$.data[*]", "types": ["object"], "count": 2},
            {"path": "$.data[*].id", "types": ["integer"], "count": 2},
            {"path": "$.data[*].team", "types": ["string"], "count": 2},
            {"path": "$.success", "types": ["boolean"], "count": 1},
        ],
    }
    # campaigns/search got the fake's 404 where mockvoso answers: a difference.
    assert (run.verdicts[0].verdict, run.verdicts[0].http_status) == ("differs", 404)
    assert run.exit_code == 1


def test_usage_errors_exit_2(capsys: Any) -> None:
    assert main(["verify", "--upstream", "ftp://x", "--token", "t"]) == 2
    assert "--upstream must be an http:// or https:// URL" in capsys.readouterr().err
    assert main(["verify", "--upstream", "http://127.0.0.1:9", "--token", "t", "--rate", "-1"]) == 2


def test_an_unreachable_upstream_is_an_error_not_a_difference() -> None:
    with fake_upstream({}) as fake:
        url = fake.url
    run = run_battery(Upstream(url, rate=0, timeout=1), "t")
    assert {v.verdict for v in run.verdicts} == {"error"}
    assert run.verdicts[0].note.startswith("cannot reach the upstream:")
    assert run.exit_code == 2


def test_the_client_paces_itself_at_the_documented_rate() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with fake_upstream({"/v1/campaigns/search": json_reply({"success": True, "data": []})}) as fake:
        client = Upstream(fake.url, sleep=sleep, monotonic=lambda: now[0])  # default: 2/s
        for _ in range(3):
            assert client.call("campaigns/search", {}, "t").status == 200
    assert slept == [0.5, 0.5]


def test_recordings_are_asked_for_a_user_of_each_side() -> None:
    """The upstream gets its own first user's e-mail, mockvoso one of its users: both answer
    rows, so the shapes are compared (not an error against a success)."""
    source = create_app(Settings(leads=40, seed=55, quiet=True))
    client, token = source.test_client(), _best_token(source)
    email = source.extensions["mockvoso"].world.offices["ACME"].users[0]["email"]
    recordings = client.post(
        "/v1/users/recordings", data={"auth_token": token, "user": email, "limit": 5}
    ).get_json()
    assert recordings["success"] is True and recordings["data"]["entries"]
    users = {"success": True, "data": {"results": {"9": {"id": 9, "email": SECRET_EMAIL}}}}
    routes = {"/v1/users/search": json_reply(users), "/v1/users/recordings": json_reply(recordings)}
    with fake_upstream(routes) as fake:
        run = run_battery(Upstream(fake.url, rate=0), "t")
        asked = next(s for s in fake.seen if s.path == "/v1/users/recordings")
    assert asked.form == {"auth_token": "t", "user": SECRET_EMAIL, "limit": "5", "offset": "0"}
    verdict = _by_action(run)["users/recordings"]
    assert (verdict.verdict, verdict.note, verdict.differences) == ("match", "", [])
