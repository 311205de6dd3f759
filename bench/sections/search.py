"""Search scaling: leads/search by phone, list and status at growing office sizes."""

from __future__ import annotations

import statistics

from bench import api
from bench.context import Context
from bench.load import LoadResult, Request
from bench.report import Check, Section, ms, rate, ratio

FLAT_TARGET = 1.5  # p50 at the largest size within 1.5 x the smallest
KINDS = ("phone", "list", "status")
ROUNDS = 2  # interleaved rounds over every size


def _body(kind: str, target: api.Target) -> tuple[str, str]:
    """(label, form body) of one query on this office's first lead."""
    auth = f"auth_token={target.token}"
    if kind == "phone":
        return "by phone (one hit)", f"{auth}&phone_number={target.phone}"
    if kind == "list":
        return f"by list {target.list_id}, page of 10", f"{auth}&list_id={target.list_id}&limit=10"
    return f"by status {target.status}, page of 10", f"{auth}&status={target.status}&limit=10"


def run(ctx: Context) -> Section:
    sizes = sorted(ctx.options.search_sizes)
    office = {leads: ctx.office_server(leads) for leads in sorted(sizes, reverse=True)}
    targets = {leads: api.discover(server.url) for leads, server in office.items()}
    rounds = 1 if ctx.options.quick else ROUNDS
    seconds = max(2.0, ctx.options.duration * 0.6)
    runs: dict[tuple[str, int], list[LoadResult]] = {}
    for round_no in range(rounds):
        for kind in KINDS:
            for leads in sizes:  # interleaved, so drifting machine load hits every size
                ctx.log(f"round {round_no + 1}: by {kind} at {leads:,} leads")
                _, body = _body(kind, targets[leads])
                req = Request("/v1/leads/search", body)
                result = ctx.load(office[leads].url, req, 1, seconds)
                runs.setdefault((kind, leads), []).append(result)
    section = Section(
        "search",
        "6. Search scaling, one office, 1 connection",
        ["query", "leads", "matches", "req/s", "p50", "p99", "errors"],
    )
    p50: dict[tuple[str, int], float] = {}
    p99: dict[tuple[str, int], float] = {}
    for kind in KINDS:
        for leads in sizes:
            label, body = _body(kind, targets[leads])
            found = api.call(office[leads].url, "POST", "/v1/leads/search", body, api.FORM)
            points = runs[(kind, leads)]
            p50[(kind, leads)] = statistics.median(r.p50_ms for r in points)
            p99[(kind, leads)] = statistics.median(r.p99_ms for r in points)
            section.rows.append(
                [
                    label,
                    f"{leads:,}",
                    found.json()["data"]["total"],
                    rate(statistics.median(r.rps for r in points)),
                    ms(p50[(kind, leads)]),
                    ms(p99[(kind, leads)]),
                    str(sum(r.errors for r in points)),
                ]
            )
    small, large = sizes[0], sizes[-1]
    for kind in KINDS:
        growth = p50[(kind, large)] / p50[(kind, small)]
        growth99 = p99[(kind, large)] / p99[(kind, small)]
        section.checks.append(
            Check(
                f"search by {kind}, p50 at {large:,} / at {small:,}",
                f"{ratio(growth)} (p99 {ratio(growth99)})",
                f"≤ {FLAT_TARGET}x",
                growth <= FLAT_TARGET,
            )
        )
    section.notes.append(
        f"{rounds} interleaved rounds of {seconds:g} s per point (medians shown); all sizes "
        "served at once by separate servers. Phone, list and status are those of each "
        "office's first lead; the check compares medians (p99 ratios in brackets)."
    )
    return section
