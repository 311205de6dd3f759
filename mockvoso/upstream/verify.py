"""`mockvoso verify`: the read battery against an upstream, checked against the contract and
compared key by key with an in-process mockvoso; a table, and a value-free JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from mockvoso import __version__
from mockvoso.upstream import contract
from mockvoso.upstream.battery import BATTERY, Context, Probe, yesterday
from mockvoso.upstream.client import Answer, Upstream, UpstreamError, is_auth_failure
from mockvoso.upstream.shape import Difference, compare, shape_of, shape_report

MATCH, DIFFERS, ERROR, UNCOVERED = "match", "differs", "error", "not in contract"
EXIT_MATCH, EXIT_DIFFERS, EXIT_ERROR = 0, 1, 2
AUTH_MESSAGE = (
    "the upstream refused the token (401): check --token (and the URL); verify stopped"
    " before sending anything else"
)


@dataclass
class Verdict:
    """One action's outcome. `note` is always mockvoso's own text, never upstream data."""

    action: str
    verdict: str
    http_status: int | None = None
    json_body: bool = False
    note: str = ""
    violations: list[contract.Violation] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    upstream_shape: list[dict[str, Any]] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "verdict": self.verdict,
            "http_status": self.http_status,
            "json": self.json_body,
            "note": self.note,
            "contract": [v.as_dict() for v in self.violations],
            "differences": [d.as_dict() for d in self.differences],
            "upstream_shape": self.upstream_shape,
        }


class InProcessMock:
    """A mockvoso built in this process, called through Flask's test client (no socket)."""

    def __init__(self, leads: int = 50, seed: int = 1234) -> None:
        from mockvoso.app import create_app
        from mockvoso.config import Settings

        self.app = create_app(Settings(leads=leads, seed=seed, quiet=True))
        self.client = self.app.test_client()
        world = self.app.extensions["mockvoso"].world
        # The token that opens the most sections of the first office.
        grants = sorted(world.tokens.values(), key=lambda g: -len(g.sections))
        self.token = grants[0].token
        users = world.offices[grants[0].office.upper()].users
        self.user_email: str | None = str(users[0]["email"]) if users else None
        self.actions: set[str] = {
            rule.rule[len("/v1/") :]
            for rule in self.app.url_map.iter_rules()
            if rule.rule.startswith("/v1/")
        }

    def has(self, action: str) -> bool:
        return action in self.actions

    def call(self, action: str, params: dict[str, Any]) -> Any:
        form = {"auth_token": self.token, **{k: str(v) for k, v in params.items()}}
        response = self.client.post(f"/v1/{action}", data=form)
        return response.get_json(silent=True)


def judge(
    probe_action: str, answer: Answer, mock_doc: Any | None, mock_has_action: bool
) -> Verdict:
    """The verdict on one upstream answer (the mock's answer, when it has the action)."""
    verdict = Verdict(probe_action, MATCH, answer.status, answer.is_json)
    if answer.status == 429:
        verdict.verdict, verdict.note = ERROR, "rate limited by the upstream (HTTP 429)"
        return verdict
    if answer.status >= 500:  # the upstream failed: nothing about its shapes to learn
        verdict.verdict, verdict.note = ERROR, f"upstream error (HTTP {answer.status})"
        return verdict
    if not answer.is_json:
        kind = answer.content_type.split(";")[0].strip() or "no content type"
        problem = f"not JSON ({kind}, {len(answer.body)} bytes)"
        verdict.verdict = DIFFERS
        verdict.violations = [contract.Violation("$", problem)]
        return verdict
    document = answer.document
    verdict.upstream_shape = shape_report(shape_of(document))
    if not contract.has_action(probe_action):
        verdict.verdict = UNCOVERED
        verdict.note = "mockvoso's contract does not describe this action yet"
        return verdict
    found = contract.check(probe_action, answer.status, document)
    if found is None:
        verdict.violations = [
            contract.Violation("$", f"the contract has no answer at HTTP {answer.status}")
        ]
    else:
        verdict.violations = found
    if answer.status == 404 and mock_has_action:
        # The error envelope conforms, but the upstream lacks an action mockvoso answers:
        # that is a difference, not a match.
        verdict.verdict = DIFFERS
        verdict.note = "the upstream has no such action (HTTP 404); mockvoso answers it"
        return verdict
    if mock_has_action and mock_doc is not None:
        up_ok = isinstance(document, dict) and document.get("success") is not False
        mock_ok = isinstance(mock_doc, dict) and mock_doc.get("success") is not False
        if up_ok == mock_ok:
            verdict.differences = compare(shape_of(document), shape_of(mock_doc))
        else:
            verdict.note = (
                "upstream answered an error, mockvoso a success: shapes not compared"
                if mock_ok
                else "mockvoso answered an error, the upstream a success: shapes not compared"
            )
    if verdict.violations or verdict.differences:
        verdict.verdict = DIFFERS
    return verdict


@dataclass
class Run:
    """The whole battery's outcome."""

    verdicts: list[Verdict]
    stopped: str | None = None  # why the battery stopped early (a 401)

    @property
    def exit_code(self) -> int:
        if self.stopped or any(v.verdict == ERROR for v in self.verdicts):
            return EXIT_ERROR
        if any(v.verdict == DIFFERS for v in self.verdicts):
            return EXIT_DIFFERS
        return EXIT_MATCH

    def report(self) -> dict[str, Any]:
        counts: dict[str, int] = {MATCH: 0, DIFFERS: 0, ERROR: 0, UNCOVERED: 0}
        for v in self.verdicts:
            counts[v.verdict] += 1
        return {
            "tool": "mockvoso verify",
            "mockvoso": __version__,
            "stopped": self.stopped,
            "summary": counts,
            "actions": [v.as_report() for v in self.verdicts],
        }


def run_battery(
    upstream: Upstream,
    token: str,
    *,
    mock: InProcessMock | None = None,
    probes: tuple[Probe, ...] = BATTERY,
    today: datetime | None = None,
    on_answer: Callable[[str, dict[str, Any], Answer], None] | None = None,
) -> Run:
    """Call every probe upstream (and in the mock); stop at the first 401."""
    day = yesterday((today or datetime.now(UTC)).date())
    mock = mock or InProcessMock()
    up_ctx, mock_ctx = Context(day, {}), Context(day, {})
    verdicts: list[Verdict] = []
    for probe in probes:
        params = probe.params(up_ctx)
        try:
            answer = upstream.call(probe.action, params, token)
        except UpstreamError as exc:
            verdicts.append(Verdict(probe.action, ERROR, note=str(exc)))
            continue
        if is_auth_failure(answer):
            return Run(verdicts, stopped=AUTH_MESSAGE)
        if on_answer is not None:
            on_answer(probe.action, params, answer)
        up_ctx.answers[probe.action] = answer.document
        mock_doc = None
        if mock.has(probe.action):
            # Ask mockvoso the same kind of question: for one of its own users only when
            # the upstream call named one of the upstream's.
            mock_ctx.fallback_email = mock.user_email if up_ctx.first_user_email() else None
            mock_doc = mock.call(probe.action, probe.params(mock_ctx))
            mock_ctx.answers[probe.action] = mock_doc
        verdicts.append(judge(probe.action, answer, mock_doc, mock.has(probe.action)))
    return Run(verdicts)


def print_table(run: Run, out: TextIO) -> None:
    """One line per action, then its contract problems and key differences."""
    width = max((len(v.action) for v in run.verdicts), default=10)
    for v in run.verdicts:
        status = "-" if v.http_status is None else str(v.http_status)
        line = f"{v.action:<{width}}  {v.verdict:<15}  HTTP {status:<4}"
        print(f"{line}  {v.note}".rstrip(), file=out)
        for violation in v.violations:
            print(f"    contract  {violation.path}: {violation.problem}", file=out)
        for d in v.differences:
            print(f"    {d.kind:<12}  {d.path}  upstream {d.upstream}, mockvoso {d.mock}", file=out)
    counts = run.report()["summary"]
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    print(f"\n{summary}", file=out)
    if run.stopped:
        print(f"mockvoso verify: {run.stopped}", file=out)


def write_report(run: Run, path: str | Path) -> None:
    Path(path).write_text(json.dumps(run.report(), indent=2) + "\n", encoding="utf-8")
