"""Throughput and latency of the measured actions at 1 and 32 keep-alive connections."""

from __future__ import annotations

from bench import api, pages
from bench.bare_app import one_hit_body
from bench.context import Context
from bench.load import LoadResult, Request
from bench.report import Check, Section, ms, rate

P99_TARGET_MS = 5.0
COLUMNS = ["action", "conns", "req/s", "p50", "p99", "max", "errors", "tool"]
CONNECTIONS = (1, 32)
# The bundled first office's (seed_data/ACME.yaml) first agent and lead criteria.
AGENT = "1000001"
CRITERIA_KEY = "acmemedicare7c1e4b9a2d8f3c6e0b5a"


def requests(target: api.Target) -> list[tuple[str, Request]]:
    """The measured requests, leads/insert last (it adds leads; the section resets after)."""
    auth = f"auth_token={target.token}"
    return [
        (
            "leads/search by phone (one hit)",
            Request("/v1/leads/search", f"{auth}&phone_number={target.phone}"),
        ),
        ("leads/search page of 10", Request("/v1/leads/search", f"{auth}&limit=10")),
        ("campaigns/search", Request("/v1/campaigns/search", auth)),
        # Issue 10 searches by key: each reads an index (lead or user), not the office.
        (
            "callbacks/search by lead",
            Request("/v1/callbacks/search", f"{auth}&lead_id={target.lead_id}"),
        ),
        (
            "leads/get-recordings by lead",
            Request("/v1/leads/get-recordings", f"{auth}&lead_id={target.lead_id}"),
        ),
        ("users/search", Request("/v1/users/search", auth)),
        # Key searches of issue 10: a number's DNC and SMS opt-out entries (phone index).
        (
            "dnc/search by phone",
            Request("/v1/dnc/search", f"{auth}&phone_number={target.phone}"),
        ),
        (
            "sms-opt-out/search by phone",
            Request("/v1/sms-opt-out/search", f"{auth}&phone_number={target.phone}"),
        ),
        ("status/search", Request("/v1/status/search", auth)),
        # Agent reports and lead validation (issue 10), read-only: today's window by default.
        ("agent-performance/search today", Request("/v1/agent-performance/search", auth)),
        (
            "agent-performance/search one agent",
            Request("/v1/agent-performance/search", f"{auth}&user_ids={AGENT}"),
        ),
        (
            "agent-productivity/search page of 100",
            Request("/v1/agent-productivity/search", f"{auth}&limit=100"),
        ),
        ("agent-monitor/search", Request("/v1/agent-monitor/search", auth)),
        ("user-activity/search", Request("/v1/user-activity/search", auth)),
        (
            "lead-validation/search",
            Request(
                "/v1/lead-validation/search",
                f"{auth}&criteria_key={CRITERIA_KEY}&phone_number={target.phone}&state=FL",
            ),
        ),
        (
            "leads/insert (unique phones)",
            Request(
                "/v1/leads/insert", f"{auth}&list_id={target.list_id}&first_name=Bench", unique=True
            ),
        ),
    ]


def run(ctx: Context) -> Section:
    server = ctx.default_server()
    target = api.discover(server.url)
    section = Section(
        "throughput",
        "1. Throughput and latency (default data: 2 offices x 1,000 leads)",
        [*COLUMNS, "baseline req/s", "baseline p99", "x baseline"],
    )
    for label, req in requests(target):
        for conns in CONNECTIONS:
            ctx.log(f"{label} at {conns} connection(s)")
            result = ctx.load(server.url, req, conns)
            section.rows.append(_row(label, conns, result))
            if conns == 1:
                section.checks.append(
                    Check(
                        f"p99 at 1 connection, {label}",
                        ms(result.p99_ms),
                        f"≤ {P99_TARGET_MS:.0f} ms",
                        result.p99_ms <= P99_TARGET_MS,
                    )
                )
    api.reset(server.url)  # drop the inserted leads for the next sections
    page_rows, page_checks, page_notes = pages.run(ctx, server)
    section.rows += page_rows
    section.checks += page_checks
    section.notes += page_notes
    _control(ctx, target, section)
    # Name the generator that ran: without wrk installed the Python client drives the load.
    generator = (
        "wrk -t min(2, conns)"
        if ctx.tool == "wrk"
        else "the Python load generator (threads, http.client keep-alive)"
    )
    section.notes.append(
        f"{ctx.options.warmup:g} s warm-up then {ctx.options.duration:g} s per point; form "
        f"POST bodies; {generator} runs on the same cores as the server."
    )
    return section


def _control(ctx: Context, target: api.Target, section: Section) -> None:
    """The bare Flask app at 1 connection: the floor this machine allows right now."""
    bare = ctx.bare_server()
    phone = one_hit_body()["data"]["entries"][0]["phone_number"]
    req = Request("/v1/leads/search", f"auth_token={target.token}&phone_number={phone}")
    ctx.log("control: bare Flask app at 1 connection")
    result = ctx.load(bare.url, req, 1)
    section.rows.append(_row("control: bare Flask one-hit (no mockvoso)", 1, result))
    section.notes.append(
        "The control row is bench/bare_app.py on the same granian: a p99 above 5 ms there "
        "is the machine's (shared cores, scheduler), not mockvoso's."
    )


def _row(label: str, conns: int, result: LoadResult) -> list[str]:
    """One table row: the action, its connections and the load result's figures."""
    return [
        label,
        str(conns),
        rate(result.rps),
        ms(result.p50_ms),
        ms(result.p99_ms),
        ms(result.max_ms),
        str(result.errors),
        result.tool,
        "",  # the baseline columns: page rows only (bench/pages.py)
        "",
        "",
    ]
