"""The measurements, in run order; each module's run(ctx) returns one report Section."""

from __future__ import annotations

from collections.abc import Callable

from bench.context import Context
from bench.report import Section
from bench.sections import coldstart, latency, peers, reset, search, seeding, throughput

SECTIONS: dict[str, Callable[[Context], Section]] = {
    "throughput": throughput.run,
    "peers": peers.run,
    "coldstart": coldstart.run,
    "reset": reset.run,
    "seeding": seeding.run,  # keeps its largest server running for search
    "search": search.run,
    "latency": latency.run,
}
