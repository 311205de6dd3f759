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
# Seeded timestamps are anchored at the clock: two anchors give two worlds whose every
# record differs, as between a snapshot saved yesterday and a server started today.
ANCHOR, OTHER_ANCHOR = "2026-01-05T09:00:00", "2026-01-06T09:00:00"


def run(ctx: Context) -> Section:
    section = Section(
        "snapshot",
        "Compact snapshot stream (?format=jsonl): GET and restore, timed from the client",
        ["call", "calls", "median", "min", "max", "stream size", "worker RSS"],
    )
    leads = ctx.options.big_leads
    ctx.log(f"starting mockvoso with --leads {leads}")
    server = servers.start_mockvoso(
        "--leads", str(leads), "--clock", ANCHOR, name="mockvoso-snapshot"
    )
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
        restores: list[float] = []
        rss: list[int] = []
        for i in range(RESTORES):
            ctx.log(f"restore {i + 1}/{RESTORES}")
            reply = api.call(url, "POST", "/_mockvoso/snapshot", stream, content_type=STREAM)
            restores.append(api.ok(reply, "stream restore").ms)
            rss.append(servers.rss_bytes(servers.worker_pid(server)))
    finally:
        servers.stop(server)
    cold = _foreign_restore(ctx, leads, stream)
    size = f"{len(stream) / 2**20:,.1f} MiB"
    for name, times, memory in (
        ("snapshot GET ?format=jsonl", gets, ""),
        ("restore POST (x-ndjson)", restores, f"{mib(rss[0])} after 1, {mib(rss[-1])} after 10"),
        ("restore POST, another server's stream", [cold], ""),
    ):
        row = [name, str(len(times)), ms(statistics.median(times)), ms(min(times)), ms(max(times))]
        section.rows.append([*row, size, memory])
    sized = leads == 100_000
    for figure, value in (
        (f"stream restore, 2 x {leads:,} leads (slowest of {RESTORES})", max(restores)),
        (f"restore of another server's stream, 2 x {leads:,} leads", cold),
    ):
        section.checks.append(
            Check(
                figure,
                ms(value),
                f"≤ {RESTORE_TARGET_MS:.0f} ms" + ("" if sized else " at 100,000"),
                value <= RESTORE_TARGET_MS if sized else None,
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
        "returned. RSS is the granian worker's VmRSS after each restore. Then a second "
        f"server (seeded at --clock {OTHER_ANCHOR} instead of {ANCHOR}, so no record of the "
        "stream is its seed's: a snapshot or state file saved by a server started at "
        "another time) restores that stream once: the parsing path, every index rebuilt."
    )
    return section


def _foreign_restore(ctx: Context, leads: int, stream: bytes) -> float:
    """Milliseconds to restore `stream` into a server seeded at another anchor."""
    ctx.log("restore into a server seeded at another anchor")
    other = servers.start_mockvoso(
        "--leads", str(leads), "--clock", OTHER_ANCHOR, name="mockvoso-snapshot-other"
    )
    try:
        reply = api.call(other.url, "POST", "/_mockvoso/snapshot", stream, content_type=STREAM)
        return api.ok(reply, "restore of another server's stream").ms
    finally:
        servers.stop(other)
