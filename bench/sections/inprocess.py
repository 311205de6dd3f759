"""In process: mockvoso.intercept() against responses/respx static stubs, and the fixture's cost."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from typing import Any

from bench.context import Context
from bench.report import Check, Section, ratio

TARGET = 0.85  # intercept ≥ 0.85 x the responses static stub (issue 15)
URL = "https://api.convoso.com/v1/leads/search"
FIXTURE_TESTS = 60  # tests per pytest run of the fixture measurement

PHASES = ("setup", "call", "teardown")

Call = Callable[[], Any]


def _one_hit(intercepted: Any) -> tuple[dict[str, str], bytes, str]:
    """A search form that finds exactly one lead, the body the mock answers and its type."""
    import requests

    token = intercepted.token
    listing = requests.post(URL, data={"auth_token": token, "limit": "50"}).json()
    for entry in listing["data"]["entries"]:
        form = {"auth_token": token, "phone_number": entry["phone_number"]}
        answer = requests.post(URL, data=form)
        if int(answer.json()["data"]["total"]) == 1:
            return form, answer.content, answer.headers["Content-Type"]
    raise RuntimeError("no lead with a phone number of its own in the first 50")


def _rate(call: Call, calls: int) -> float:
    """Calls per second of `calls` back-to-back calls (a few warm-up calls first)."""
    for _ in range(5):
        call()
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return calls / (time.perf_counter() - started)


class _Contenders:
    """Each contender's round: patch, time `calls` calls, unpatch; checked answers."""

    def __init__(self, interception: Any, form: dict[str, str], body: bytes, ctype: str) -> None:
        import httpx
        import requests

        self.interception = interception
        self.body = body
        self.ctype = ctype
        self.httpx = httpx.Client()
        self.requests_call: Call = lambda: requests.post(URL, data=form)
        self.httpx_call: Call = lambda: self.httpx.post(URL, data=form)

    def intercept(self, call: Call, calls: int) -> float:
        with self.interception:
            self._same_body(call)
            return _rate(call, calls)

    def responses_stub(self, calls: int) -> float:
        import responses

        with responses.RequestsMock() as stub:
            stub.add(responses.POST, URL, body=self.body, content_type=self.ctype)
            self._same_body(self.requests_call)
            return _rate(self.requests_call, calls)

    def respx_stub(self, calls: int) -> float:
        import httpx
        import respx

        answer = httpx.Response(200, content=self.body, headers={"Content-Type": self.ctype})
        with respx.mock() as stub:
            stub.post(URL).mock(return_value=answer)
            self._same_body(self.httpx_call)
            return _rate(self.httpx_call, calls)

    def _same_body(self, call: Call) -> None:
        if call().content != self.body:
            raise RuntimeError("a contender answered another body than the mock's")


def _ratio(mine: list[float], theirs: list[float]) -> tuple[float, str]:
    """Median of the per-round ratios, and how the report shows it (with each round's)."""
    ratios = [a / b for a, b in zip(mine, theirs, strict=True)]
    value = statistics.median(ratios)
    return value, f"{ratio(value)} (rounds {', '.join(f'{r:.2f}' for r in ratios)})"


def _app_split(interception: Any, call: Call, calls: int) -> tuple[float, float]:
    """(µs per call in all, µs of it inside app.wsgi_app) over `calls` intercepted calls."""
    app = interception.app
    inner = app.wsgi_app
    spent = [0.0]

    def timed(environ: dict[str, Any], start_response: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(environ, start_response)
        finally:
            spent[0] += time.perf_counter() - started

    app.wsgi_app = timed
    try:
        with interception:
            started = time.perf_counter()
            for _ in range(calls):
                call()
            total = time.perf_counter() - started
    finally:
        app.wsgi_app = inner
    return total / calls * 1e6, spent[0] / calls * 1e6


# What a user's suite looks like: the plugin's fixture and three calls per test. The
# phases' durations come from pytest's own reports (setup = the fixture's reset and
# interception start, call = the test body, teardown = interception stop).
_FIXTURE_TESTS = """
import pytest
import requests

V1 = "https://api.convoso.com/v1"


@pytest.mark.parametrize("n", range({tests}))
def test_three_calls(mockvoso_intercept, n):
    token = mockvoso_intercept.token
    phone = str(5305550000 + n)
    inserted = requests.post(
        f"{{V1}}/leads/insert",
        data={{"auth_token": token, "list_id": "2701", "phone_number": phone}},
    ).json()
    found = requests.post(
        f"{{V1}}/leads/search", data={{"auth_token": token, "phone_number": phone}}
    ).json()
    updated = requests.post(
        f"{{V1}}/leads/update",
        data={{"auth_token": token, "lead_id": str(inserted["data"]["lead_id"]), "status": "SALE"}},
    ).json()
    assert int(found["data"]["total"]) == 1 and updated["success"] is True


@pytest.mark.parametrize("n", range({tests}))
def test_empty(n):
    pass
"""

_FIXTURE_CONFTEST = """
import json
import os


def pytest_runtest_logreport(report):
    with open(os.environ["MOCKVOSO_BENCH_PHASES"], "a") as out:
        out.write(json.dumps([report.nodeid, report.when, report.duration, report.outcome]) + "\\n")
"""


def _fixture_phases(ctx: Context, tests: int) -> dict[str, dict[str, list[float]]]:
    """ms per phase of each test, by test function, from a real pytest run of the plugin."""
    folder = ctx.tmp() / "fixture-cost"
    folder.mkdir(exist_ok=True)
    (folder / "test_cost.py").write_text(textwrap.dedent(_FIXTURE_TESTS.format(tests=tests)))
    (folder / "conftest.py").write_text(_FIXTURE_CONFTEST)
    phases = folder / "phases.jsonl"
    phases.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    env = {**os.environ, "MOCKVOSO_BENCH_PHASES": str(phases)}
    done = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the fixture's pytest run failed:\n{done.stdout[-2000:]}")
    by_test: dict[str, dict[str, list[float]]] = {}
    for line in phases.read_text().splitlines():
        nodeid, when, seconds, outcome = json.loads(line)
        if outcome != "passed":
            raise RuntimeError(f"{nodeid} {when}: {outcome}")
        name = nodeid.split("::")[1].split("[")[0]
        by_test.setdefault(name, {}).setdefault(when, []).append(seconds * 1000)
    return by_test


def _fixture_rows(by_test: dict[str, dict[str, list[float]]]) -> list[list[str]]:
    rows = []
    for name, label in (
        ("test_three_calls", "pytest: mockvoso_intercept + 3 calls"),
        ("test_empty", "pytest: an empty test, no fixture"),
    ):
        # The first test's setup builds the session's world: reported on its own.
        first_setup = by_test[name]["setup"][0]
        phases = {when: times[1:] for when, times in by_test[name].items()}
        totals = [sum(parts) for parts in zip(*phases.values(), strict=True)]
        detail = " / ".join(
            f"{when} {statistics.median(phases[when]):.2f}"
            for when in ("setup", "call", "teardown")
        )
        rows.append(
            [
                label,
                "",
                f"{statistics.median(totals):.2f} ms per test",
                f"{detail} ms; first setup {first_setup:.0f} ms; {len(totals)} tests",
            ]
        )
    return rows


def run(ctx: Context) -> Section:
    from mockvoso.testing.intercept import Interception, build_test_app

    rounds, calls = (5, 150) if ctx.options.quick else (7, 400)
    # app= : starting the interception does not reset the world, as in the fixture.
    interception = Interception(app=build_test_app())
    with interception:
        form, body, ctype = _one_hit(interception)
    contenders = _Contenders(interception, form, body, ctype)
    rates: dict[str, list[float]] = {
        "requests → intercept": [],
        "requests → responses stub": [],
        "httpx → intercept": [],
        "httpx → respx stub": [],
    }
    for round_no in range(rounds):
        ctx.log(f"in-process round {round_no + 1}/{rounds}")
        rates["requests → intercept"].append(contenders.intercept(contenders.requests_call, calls))
        rates["requests → responses stub"].append(contenders.responses_stub(calls))
        rates["httpx → intercept"].append(contenders.intercept(contenders.httpx_call, calls))
        rates["httpx → respx stub"].append(contenders.respx_stub(calls))
    section = Section(
        "inprocess",
        "10. In process: intercept() vs static stubs, one-hit leads/search; the fixture's cost",
        ["client → answered by", "median", "per call / per test", "each round / phases"],
    )
    for name, values in rates.items():
        median = statistics.median(values)
        section.rows.append(
            [
                name,
                f"{median:,.0f} calls/s",
                f"{1e6 / median:.0f} µs",
                " / ".join(f"{v:,.0f}" for v in values),
            ]
        )
    value, shown = _ratio(rates["requests → intercept"], rates["requests → responses stub"])
    section.checks.append(
        Check("intercept / responses stub, requests", shown, f"≥ {TARGET:.2f}x", value >= TARGET)
    )
    section.notes.append(
        "httpx: intercept / respx static stub "
        f"{_ratio(rates['httpx → intercept'], rates['httpx → respx stub'])[1]}."
    )
    ctx.log("in-process: time inside app.wsgi_app")
    total_us, app_us = _app_split(interception, contenders.requests_call, calls)
    stub_us = 1e6 / statistics.median(rates["requests → responses stub"])
    budget = stub_us / TARGET - (total_us - app_us)  # what the app may take at the target
    section.notes.append(
        f"Split of an intercepted requests call (a separate pass): {total_us:.0f} µs in all, "
        f"{app_us:.0f} µs inside app.wsgi_app (the mock's pipeline), "
        f"{total_us - app_us:.0f} µs outside it (requests, responses, environ, response "
        f"adaptation); the whole static-stub call takes {stub_us:.0f} µs. At {TARGET:.2f}x "
        + (
            f"the app may take ≤ {budget:.0f} µs with the outside as it is."
            if budget > 0
            else "the outside alone is already too slow."
        )
    )
    ctx.log(f"in-process: the pytest fixture, {FIXTURE_TESTS} tests")
    by_test = _fixture_phases(ctx, FIXTURE_TESTS // (2 if ctx.options.quick else 1))
    section.rows += _fixture_rows(by_test)
    section.notes += [
        "pytest rows: a real pytest run of the plugin in a subprocess (default settings), "
        "phase durations from pytest's reports, medians over the tests after the first; "
        "setup = the fixture's reset + interception start, call = leads/insert + "
        "leads/search + leads/update through requests, teardown = interception stop.",
        f"Interleaved rounds of {calls} calls each (a few warm-up calls first), one process; "
        "the stubs answer the exact body the mock returned (checked each round).",
    ]
    contenders.httpx.close()
    return section
