"""Fail the stateful run of .ci/schemathesis.sh unless its links really chained calls.

Reads schemathesis's output (the "API Links: N covered" line) and its HAR report (every
request and answer of the run), and requires: at least one link followed, and the
chains the contract's links exist for, each step answered `success: true`:
  leads/insert -> leads/search, leads/update and leads/delete of the lead it inserted;
  lists/insert -> leads/insert into the list it inserted.

Usage: python .ci/stateful_chains.py OUTPUT.log REPORT.har   (exit 1 when one is missing)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

LINKS_LINE = re.compile(r"API Links:\s+(\d+) covered / (\d+) selected")
LEAD_STEPS = ("search", "update", "delete")


@dataclass(frozen=True)
class Call:
    """One request of the run: its /v1 action, query parameters and JSON answer."""

    action: str
    query: dict[str, str]
    answer: Any

    @property
    def succeeded(self) -> bool:
        return isinstance(self.answer, dict) and self.answer.get("success") is True


@dataclass
class Chains:
    """What the run did with the records its own inserts made."""

    links_covered: int = 0
    links_selected: int = 0
    # inserted lead id -> the steps on it, in order ("update", or "update!" when refused)
    leads: dict[str, list[str]] = field(default_factory=dict)
    # inserted list id -> the lead inserts into it ("insert", or "insert!")
    lists: dict[str, list[str]] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """What the run did not show, as sentences; empty when every chain ran."""
        out = []
        if self.links_covered == 0:
            out.append("no link was followed (API Links: 0 covered)")
        for step in LEAD_STEPS:
            if not any(step in steps for steps in self.leads.values()):
                out.append(f"no leads/insert -> leads/{step} of the inserted lead succeeded")
        if not any("insert" in inserts for inserts in self.lists.values()):
            out.append("no lists/insert -> leads/insert into the inserted list succeeded")
        return out

    def full_lead_chains(self) -> list[str]:
        """Leads that were searched, updated and deleted, in that order, all successfully."""
        return [lead for lead, steps in self.leads.items() if _in_order(steps, LEAD_STEPS)]


def _in_order(steps: list[str], wanted: tuple[str, ...]) -> bool:
    remaining = iter(steps)
    return all(any(step == want for step in remaining) for want in wanted)


def links_covered(output: str) -> tuple[int, int]:
    """(covered, selected) from schemathesis's summary; (0, 0) when the line is absent."""
    match = LINKS_LINE.search(output)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def har_calls(har: dict[str, Any]) -> Iterator[Call]:
    """The run's /v1 calls in the order they were made."""
    for entry in har["log"]["entries"]:
        url = urlsplit(entry["request"]["url"])
        if not url.path.startswith("/v1/"):
            continue
        try:
            answer = json.loads(entry["response"]["content"].get("text") or "null")
        except ValueError:
            answer = None
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        yield Call(url.path.removeprefix("/v1/"), query, answer)


def chains(calls: Iterable[Call], output: str = "") -> Chains:
    found = Chains(*links_covered(output))
    for call in calls:
        mark = "" if call.succeeded else "!"
        if call.action == "lists/insert" and call.succeeded:
            found.lists.setdefault(str(call.answer["data"]["list_id"]), [])
        if call.action == "leads/insert" and call.query.get("list_id") in found.lists:
            found.lists[call.query["list_id"]].append("insert" + mark)
        if call.action == "leads/insert" and call.succeeded:
            found.leads.setdefault(str(call.answer["data"]["lead_id"]), [])
        elif call.action in ("leads/search", "leads/update", "leads/delete"):
            steps = found.leads.get(call.query.get("lead_id", ""))
            if steps is not None:
                steps.append(call.action.removeprefix("leads/") + mark)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8", errors="replace") as log:
        output = log.read()
    with open(argv[2], encoding="utf-8") as report:
        found = chains(har_calls(json.load(report)), output)
    steps = {step: sum(step in s for s in found.leads.values()) for step in LEAD_STEPS}
    print(
        f"stateful_chains.py: {found.links_covered} of {found.links_selected} links followed; "
        f"{len(found.leads)} leads inserted, of them searched {steps['search']}, updated "
        f"{steps['update']}, deleted {steps['delete']} (all three in order: "
        f"{len(found.full_lead_chains())}); {len(found.lists)} lists inserted, "
        f"{sum('insert' in s for s in found.lists.values())} with a lead inserted into them"
    )
    missing = found.missing()
    for sentence in missing:
        print(f"stateful_chains.py: {sentence}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
