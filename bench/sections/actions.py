"""Every /v1 action at one connection on the default data, each answer checked."""

from __future__ import annotations

from bench import actions, api
from bench.context import Context
from bench.report import Check, Section, ms, rate

P99_TARGET_MS = 5.0


def run(ctx: Context) -> Section:
    server = ctx.default_server()
    ids = actions.discover(server.url)
    section = Section(
        "actions",
        "1b. Every /v1 action at 1 connection (default data: 2 offices x 1,000 leads)",
        ["action", "kind", "since", "calls", "calls/s", "p50", "p99", "max", "not success"],
    )
    try:
        for case in actions.cases(ids):
            ctx.log(f"{case.label} at 1 connection")
            result = actions.run_case(
                server.url, case, ctx.options.action_seconds, ctx.options.action_warmup
            )
            if case.kind != "read":
                api.reset(server.url)  # the next action sees the default data again
            new = case.measured not in actions.FIRST_PASS
            since = "added since" if new else "first pass"
            if not result.measured or not result.latencies:
                failure = f"not measured: {result.first_failure or 'no answer'}"
                section.rows.append([case.label, case.kind, since, "0", "", "", "", "", failure])
                if new:
                    section.checks.append(
                        Check(f"p99 at 1 connection, {case.label}", "not measured", "", None)
                    )
                continue
            section.rows.append(
                [
                    case.label,
                    case.kind,
                    since,
                    str(len(result.latencies)),
                    rate(result.rps),
                    ms(result.p50),
                    ms(result.p99),
                    ms(max(result.latencies)),
                    str(result.failures),
                ]
            )
            if new:
                section.checks.append(
                    Check(
                        f"p99 at 1 connection, {case.label}",
                        ms(result.p99)
                        + (f", {result.failures} not success" if result.failures else ""),
                        f"≤ {P99_TARGET_MS:.0f} ms",
                        result.p99 <= P99_TARGET_MS and not result.failures,
                    )
                )
    finally:
        api.reset(server.url)
    section.notes.append(
        f"Each action: {ctx.options.action_warmup:g} s warm-up then "
        f"{ctx.options.action_seconds:g} s on one keep-alive connection (Python "
        "http.client: its own time is in the figures); every "
        "answer is checked for the success envelope, and a warm-up with any other answer "
        "is not measured at all. Inserts send unique phone numbers / status codes; updates "
        "change a real seeded record; deletes run as insert/delete pairs and only the delete "
        "is timed (calls/s are pairs/s). A reset after every write action. The p99 target "
        "applies to the actions added since the first pass (that pass, commit 3b68622, had "
        f"the {len(actions.FIRST_PASS)} marked 'first pass')."
    )
    return section
