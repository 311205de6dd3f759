"""Reset, snapshot (GET) and restore (POST) times at the default data and at 100k leads."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from bench import api, servers
from bench.context import Context
from bench.report import Check, Section, mib, ms

RESET_TARGET_MS = {"default": 10.0, "big": 200.0}
TARGET_LEADS = 100_000  # leads per office of the "big" target


@dataclass(frozen=True)
class Timings:
    """Client-side milliseconds of each call kind, the snapshot size and the RSS after."""

    calls: dict[str, list[float]]
    snapshot_bytes: int
    rss_before: int
    rss: int


def _timed(what: str, calls: int, call: Callable[[], api.Reply]) -> list[float]:
    return [api.ok(call(), what).ms for _ in range(calls)]


def _measure(ctx: Context, server: servers.Server, label: str, snapshots: int) -> Timings:
    url = server.url
    rss_before = servers.rss_bytes(servers.worker_pid(server))
    ctx.log(f"{label}: reset x{ctx.options.reset_calls}")
    resets = _timed(
        "reset", ctx.options.reset_calls, lambda: api.call(url, "POST", "/_mockvoso/reset")
    )
    ctx.log(f"{label}: snapshot GET and restore POST x{snapshots}")
    document = api.ok(api.call(url, "GET", "/_mockvoso/snapshot"), "snapshot").body
    gets = _timed("snapshot", snapshots, lambda: api.call(url, "GET", "/_mockvoso/snapshot"))
    posts = _timed(
        "restore", snapshots, lambda: api.call(url, "POST", "/_mockvoso/snapshot", document)
    )
    rss = servers.rss_bytes(servers.worker_pid(server))
    calls = {"reset": resets, "snapshot GET": gets, "restore POST": posts}
    return Timings(calls, len(document), rss_before, rss)


def _rows(label: str, timings: Timings) -> list[list[str]]:
    rows = []
    for name, times in timings.calls.items():
        size = f"{timings.snapshot_bytes / 2**20:,.1f} MiB" if name != "reset" else ""
        rows.append(
            [
                label,
                name,
                str(len(times)),
                ms(statistics.median(times)),
                ms(min(times)),
                ms(max(times)),
                size,
                mib(timings.rss_before) if name == "reset" else "",
                mib(timings.rss) if name == "restore POST" else "",
            ]
        )
    return rows


def run(ctx: Context) -> Section:
    section = Section(
        "reset",
        "4. Reset and snapshot / restore, timed from the client",
        [
            "data",
            "call",
            "calls",
            "median",
            "min",
            "max",
            "snapshot size",
            "worker RSS before",
            "worker RSS after",
        ],
    )
    big = ctx.options.big_leads
    cases = [
        ("default", "2 offices x 1,000 leads", None),
        ("big", f"2 offices x {big:,} leads", big),
    ]
    for key, label, leads in cases:
        if leads is None:
            server = ctx.default_server()
            snapshots = max(3, ctx.options.snapshot_calls)
        else:
            ctx.log(f"starting mockvoso with --leads {leads}")
            server = servers.start_mockvoso("--leads", str(leads), name="mockvoso-big")
            snapshots = ctx.options.snapshot_calls
            section.notes.append(f"--leads {leads:,} server ready in {server.ready_after:.1f} s.")
        try:
            timings = _measure(ctx, server, label, snapshots)
        finally:
            if leads is not None:
                servers.stop(server)
        section.rows += _rows(label, timings)
        median_reset = statistics.median(timings.calls["reset"])
        limit = RESET_TARGET_MS[key]
        sized = leads in (None, TARGET_LEADS)  # the big target is set at 100k leads
        section.checks.append(
            Check(
                f"reset, {label}",
                ms(median_reset),
                f"≤ {limit:.0f} ms" + ("" if sized else f" at {TARGET_LEADS:,}"),
                median_reset <= limit if sized else None,
            )
        )
    section.notes.append(
        "Each call on a fresh connection; restore sends back the document the GET returned. "
        "RSS is the granian worker's VmRSS before the resets and after the restores."
    )
    return section
