"""Pages of 100 and 500 rows, this commit against the baseline commit, interleaved rounds."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from urllib.parse import urlencode

from bench import api, servers
from bench.context import Context
from bench.load import LoadResult, Request, run_load
from bench.report import Check, ms, rate, ratio

RATIO_TARGET = 3.0  # issue 15: pages of 100 at >= 3x the baseline's throughput
RATIO_CONNECTIONS = 32
P99_TARGET_MS = {100: 5.0, 500: 20.0}  # at 1 connection
CONNECTIONS = (1, 32)
# Every seeded call: log/retrieve's default window is today only (issue 12), far fewer
# rows than a page of 500 on the default data.
WHOLE_LOG = {"start_time": "2000-01-01 00:00:00", "end_time": "2099-12-31 23:59:59"}


@dataclass(frozen=True)
class Page:
    """One page request: its path, extra form fields, where the rows are and how many."""

    action: str
    rows: int
    extra: dict[str, str]
    rows_key: str  # data.<rows_key> holds the page's rows

    @property
    def label(self) -> str:
        return f"{self.action} page of {self.rows}"

    def request(self, token: str) -> Request:
        form = {"auth_token": token, "limit": str(self.rows), **self.extra}
        return Request(f"/v1/{self.action}", urlencode(form))


PAGES = [
    Page("leads/search", 100, {}, "entries"),
    Page("leads/search", 500, {}, "entries"),
    Page("log/retrieve", 100, WHOLE_LOG, "results"),
    Page("log/retrieve", 500, WHOLE_LOG, "results"),
]


@dataclass
class Contender:
    """One server measured on the pages: this commit or the baseline."""

    name: str
    server: servers.Server
    token: str


def rows_in(contender: Contender, page: Page) -> int:
    """How many rows the page really answers (a success envelope, else -1)."""
    req = page.request(contender.token)
    reply = api.call(contender.server.url, req.method, req.path, req.body, api.FORM)
    body = reply.json() if reply.status == 200 else {}
    if body.get("success") is not True:
        return -1
    return len(body["data"][page.rows_key])


def measure(
    ctx: Context, contenders: list[Contender], page: Page, conns: int
) -> dict[str, list[LoadResult]]:
    """A warm-up each, then rounds alternating the contenders (drifting load hits both)."""
    tool, seconds = ctx.tool, max(1.0, ctx.options.page_seconds)
    for c in contenders:
        run_load(c.server.url, page.request(c.token), conns, ctx.options.warmup, 0, tool)
    results: dict[str, list[LoadResult]] = {c.name: [] for c in contenders}
    for round_no in range(ctx.options.page_rounds):
        for c in contenders:
            ctx.log(f"{page.label} at {conns} conn(s), round {round_no + 1}: {c.name}")
            req = page.request(c.token)
            results[c.name].append(run_load(c.server.url, req, conns, seconds, 0, tool))
    return results


def ratios(mine: list[LoadResult], theirs: list[LoadResult]) -> list[float]:
    """Per-round req/s ratios, this commit over the baseline."""
    return [a.rps / b.rps for a, b in zip(mine, theirs, strict=True) if b.rps]


def _summary(runs: list[LoadResult]) -> tuple[float, float, float, float, int]:
    """Median req/s, p50 and p99 over rounds; the worst max; all errors."""
    return (
        statistics.median(r.rps for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(r.p99_ms for r in runs),
        max(r.max_ms for r in runs),
        sum(r.errors for r in runs),
    )


def run(ctx: Context, current: servers.Server) -> tuple[list[list[str]], list[Check], list[str]]:
    """Rows (throughput columns + baseline columns), checks and notes for the pages."""
    rows: list[list[str]] = []
    checks: list[Check] = []
    notes: list[str] = []
    contenders = [Contender("this commit", current, api.discover(current.url).token)]
    found = ctx.baseline_server()
    label = sha = None
    if found is not None:
        base, server = found
        label, sha = base.label, base.sha[:7]
        contenders.append(Contender(label, server, api.discover(server.url).token))
    for page in PAGES:
        counts = {c.name: rows_in(c, page) for c in contenders}
        short = {name: n for name, n in counts.items() if n != page.rows}
        if short:  # never measure an error or a short page as if it were the page
            said = ", ".join(f"{name}: {n if n >= 0 else 'an error'}" for name, n in short.items())
            rows.append([page.label, "", f"not measured: {said} rows", *[""] * 8])
            checks.append(Check(f"{page.label}", f"page not full ({said})", "", None))
            continue
        for conns in CONNECTIONS:
            results = measure(ctx, contenders, page, conns)
            mine = _summary(results["this commit"])
            row = [
                page.label,
                str(conns),
                rate(mine[0]),
                ms(mine[1]),
                ms(mine[2]),
                ms(mine[3]),
                str(mine[4]),
                ctx.tool,
            ]
            if label is not None:
                theirs = _summary(results[label])
                per_round = ratios(results["this commit"], results[label])
                value = statistics.median(per_round) if per_round else 0.0
                row += [rate(theirs[0]), ms(theirs[2]), ratio(value)]
                if page.rows == 100 and conns == RATIO_CONNECTIONS:
                    shown = f"{ratio(value)} (rounds {', '.join(f'{r:.2f}' for r in per_round)})"
                    checks.append(
                        Check(
                            f"{page.label}, {conns} conns, req/s vs {label}",
                            shown,
                            f"≥ {RATIO_TARGET:.1f}x",
                            value >= RATIO_TARGET,
                        )
                    )
            else:
                row += ["not run", "", ""]
            rows.append(row)
            if conns == 1:
                target = P99_TARGET_MS[page.rows]
                checks.append(
                    Check(
                        f"p99 at 1 connection, {page.label} (median of rounds)",
                        ms(mine[2]),
                        f"≤ {target:.0f} ms",
                        mine[2] <= target,
                    )
                )
    notes.append(
        f"Pages: each page's row count is checked on both servers before it is measured "
        f"(log/retrieve with start_time/end_time over every seeded call). A warm-up each, "
        f"then {ctx.options.page_rounds} rounds of {max(1.0, ctx.options.page_seconds):g} s "
        "alternating this commit and the baseline; req/s, p50 and p99 are medians over "
        "rounds, the ratio is the median of the per-round ratios."
    )
    if label is not None:
        notes.append(
            f"{label} = `git archive {sha}` served by this venv's Python with "
            "that tree first on PYTHONPATH and its own seed_data (checked: its server "
            "imports mockvoso from the extracted tree)."
        )
    return rows, checks, notes
