"""Seeding one office: time (spawn to health minus a 0-lead start) and worker memory."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench import servers
from bench.context import Context
from bench.report import Check, Section, mib, secs

# Issue #15's targets: 100k leads in 3 s, 1M in 30 s and 1.2 GB of worker RSS.
TIME_TARGET_S = {100_000: 3.0, 1_000_000: 30.0}
RSS_TARGET = {1_000_000: 1_200_000_000}  # bytes (1.2 GB = 1,144 MiB)
SMALL = 10_000  # at or below this, seeding is near the start-up noise: 3 pairs, median


@dataclass(frozen=True)
class Start:
    """One server start: spawn→health seconds, worker and main process VmRSS."""

    server: servers.Server
    seconds: float
    worker_rss: int
    main_rss: int


def _start(ctx: Context, leads: int) -> Start:
    ctx.log(f"one office, {leads:,} leads")
    server = ctx.start_office_server(leads)
    worker = servers.rss_bytes(servers.worker_pid(server))
    return Start(server, server.ready_after, worker, servers.rss_bytes(servers.main_pid(server)))


def _paired(ctx: Context, leads: int, pairs: int) -> tuple[list[Start], list[Start]]:
    """pairs x (a 0-lead start, then a start with leads); the last big server kept running."""
    bases, runs = [], []
    for pair in range(pairs):
        base = _start(ctx, 0)
        servers.stop(base.server)
        bases.append(base)
        run = _start(ctx, leads)
        runs.append(run)
        if pair == pairs - 1 and leads in ctx.options.search_sizes:
            ctx.keep_office_server(leads, run.server)  # search runs on it next
        else:
            servers.stop(run.server)
    return bases, runs


def run(ctx: Context) -> Section:
    section = Section(
        "seeding",
        "5. Seeding one office (ACME.yaml alone, `--data DIR --leads N`)",
        [
            "leads",
            "spawn → health",
            "0-lead start (paired)",
            "seeding = difference",
            "worker RSS",
            "RSS per lead",
            "main process RSS",
        ],
    )
    all_bases: list[Start] = []
    rows = []
    for leads in ctx.options.seed_sizes:
        bases, runs = _paired(ctx, leads, 3 if leads <= SMALL else 1)
        all_bases += bases
        seeding = statistics.median(r.seconds - b.seconds for r, b in zip(runs, bases, strict=True))
        rss = statistics.median(r.worker_rss for r in runs)
        base_rss = statistics.median(b.worker_rss for b in bases)
        rows.append(
            [
                f"{leads:,}",
                secs(statistics.median(r.seconds for r in runs)),
                secs(statistics.median(b.seconds for b in bases)),
                secs(seeding),
                mib(rss),
                f"{(rss - base_rss) / leads:,.0f} B",
                mib(runs[-1].main_rss),
            ]
        )
        if leads in TIME_TARGET_S:
            limit = TIME_TARGET_S[leads]
            section.checks.append(
                Check(
                    f"seeding {leads:,} leads", secs(seeding), f"≤ {limit:.0f} s", seeding <= limit
                )
            )
        if leads in RSS_TARGET:
            limit_bytes = RSS_TARGET[leads]
            ok = rss <= limit_bytes
            target = f"≤ {limit_bytes / 10**9:.1f} GB"
            section.checks.append(Check(f"worker RSS at {leads:,} leads", mib(rss), target, ok))
    zero = [
        "0",
        secs(statistics.median(b.seconds for b in all_bases)),
        "",
        "(baseline)",
        mib(statistics.median(b.worker_rss for b in all_bases)),
        "",
        mib(all_bases[-1].main_rss),
    ]
    section.rows = [zero, *rows]
    for leads in TIME_TARGET_S:
        if leads not in ctx.options.seed_sizes:
            section.checks.append(Check(f"seeding {leads:,} leads", "not run", "", None))
    section.notes.append(
        "Seeding = spawn → first health 200 of `mockvoso serve --data DIR --leads N` minus a "
        "0-lead start made just before it (median of 3 pairs at ≤ 10k leads, else 1 pair). "
        "It covers Faker pools, records, call logs, recordings, indexes and the reset copy. "
        "RSS = VmRSS of granian's worker process once health is 200; per lead = (RSS - "
        "0-lead RSS) / N, call logs (≈ N/2) and recordings (≈ N/4) included."
    )
    return section
