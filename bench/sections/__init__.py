"""The measurements, in run order; each module's run(ctx) returns one report Section."""

from __future__ import annotations

from collections.abc import Callable

from bench.context import Context
from bench.report import Section
from bench.sections import (
    actions,
    coldstart,
    inprocess,
    latency,
    living,
    peers,
    reset,
    search,
    seeding,
    snapshot,
    throughput,
)

SECTIONS: dict[str, Callable[[Context], Section]] = {
    "throughput": throughput.run,
    "actions": actions.run,  # issue 15: every /v1 action at 1 connection
    "peers": peers.run,
    "coldstart": coldstart.run,
    "reset": reset.run,
    "snapshot": snapshot.run,  # issue 13: the compact stream at 2 x 100k leads
    "seeding": seeding.run,  # keeps its largest server running for search
    "search": search.run,
    "latency": latency.run,
    "living": living.run,  # issue 11: the dialer and webhook deliveries
    "inprocess": inprocess.run,  # issue 15: intercept() vs responses/respx, the fixture
}
