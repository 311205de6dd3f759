"""The compact snapshot stream at 2 offices x 100k leads: GET, restore x10, worker RSS."""

from __future__ import annotations

import statistics

from bench import api, servers
from bench.context import Context
from bench.report import Check, Section, mib, ms

RESTORES = 10
RESTORE_TARGET_MS = 2000.0  # issue 13: restore at 2 x 100k leads within 2 s
RSS_GROWTH_LIMIT = 0.10  # RSS after ten restores within 10 % of after one
STREAM = "application/x-ndjson"


def run(ctx: Context) -> Section:
    section = Section(
        "snapshot",
        "Compact snapshot stream (?format=jsonl): GET and restore, timed from the client",
        ["call", "calls", "median", "min", "max", "stream size", "worker RSS"],
    )
    leads = ctx.options.big_leads
    ctx.log(f"starting mockvoso with --leads {leads}")
    server = servers.start_mockvoso("--leads", str(leads), name="mockvoso-snapshot")
    section.notes.append(
        f"--leads {leads:,} (2 offices) server ready in {server.ready_after:.1f} s."
    )
    try:
        url = server.url
        gets = []
        stream = b""
        for _ in range(3):
            reply = api.ok(api.call(url, "GET", "/_mockvoso/snapshot?format=jsonl"), "stream GET")
            gets.append(reply.ms)
            stream = reply.body
        # A restart, then the stream once: a restore of lines this process never wrote or
        # read (a stream saved by an earlier run) takes the parsing path, which the
        # remembered seed lines (store/stream.py SeedChunks) skip in the ten that follow.
        servers.stop(server)
        ctx.log("restarting for a cold restore")
        server = servers.start_mockvoso("--leads", str(leads), name="mockvoso-snapshot")
        reply = api.call(server.url, "POST", "/_mockvoso/snapshot", stream, content_type=STREAM)
        cold = api.ok(reply, "cold stream restore").ms
        url = server.url
        restores: list[float] = []
        rss: list[int] = []
        for i in range(RESTORES):
            ctx.log(f"restore {i + 1}/{RESTORES}")
            reply = api.call(url, "POST", "/_mockvoso/snapshot", stream, content_type=STREAM)
            restores.append(api.ok(reply, "stream restore").ms)
            rss.append(servers.rss_bytes(servers.worker_pid(server)))
    finally:
        servers.stop(server)
    size = f"{len(stream) / 2**20:,.1f} MiB"
    for name, times, memory in (
        ("snapshot GET ?format=jsonl", gets, ""),
        ("restore POST after a restart (cold)", [cold], ""),
        ("restore POST (x-ndjson)", restores, f"{mib(rss[0])} after 1, {mib(rss[-1])} after 10"),
    ):
        row = [name, str(len(times)), ms(statistics.median(times)), ms(min(times)), ms(max(times))]
        section.rows.append([*row, size, memory])
    sized = leads == 100_000
    worst = max(restores)
    section.checks.append(
        Check(
            f"stream restore, 2 x {leads:,} leads (slowest of {RESTORES})",
            ms(worst),
            f"≤ {RESTORE_TARGET_MS:.0f} ms" + ("" if sized else " at 100,000"),
            worst <= RESTORE_TARGET_MS if sized else None,
        )
    )
    section.checks.append(
        Check(
            f"stream restore after a restart (cold), 2 x {leads:,} leads",
            ms(cold),
            f"≤ {RESTORE_TARGET_MS:.0f} ms" + ("" if sized else " at 100,000"),
            cold <= RESTORE_TARGET_MS if sized else None,
        )
    )
    growth = rss[-1] / rss[0] - 1 if rss[0] else 0.0
    section.checks.append(
        Check(
            "worker RSS after 10 restores vs after 1",
            f"{growth:+.1%}",
            f"≤ {RSS_GROWTH_LIMIT:.0%}",
            growth <= RSS_GROWTH_LIMIT,
        )
    )
    section.notes.append(
        "Each call on a fresh connection; every restore sends back the last stream the GET "
        "returned: first once into a restarted server (cold: no line of it seen before), "
        "then ten times. RSS is the granian worker's VmRSS after each of the ten."
    )
    return section
