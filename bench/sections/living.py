"""The living call centre (issue 11): simulating calls, delivering webhooks, their cost to /v1."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench import api, servers
from bench.context import Context
from bench.report import Check, Section, ms, rate

SIMULATE_CALLS = 10_000
SIMULATE_LEADS = 30_000  # one office: enough dialable leads for 10,000 calls
SIMULATE_TARGET_S = 2.0
DELIVERIES = 3_000
DELIVERY_TARGET = 500.0  # deliveries per second to a local receiver
P99_SLACK = 1.20  # /v1 p99 while deliveries drain, against idle
RECEIVERS = 10
WRITE_SLOWDOWN_MS = 1.0
SEARCH_CALLS = 400
INSERT_CALLS = 300


@contextmanager
def receiver() -> Iterator[str]:
    """A local HTTP receiver that answers 200 at once (in this process, on 127.0.0.1)."""

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def _searches(url: str, token: str, phone: str) -> list[float]:
    form = {"auth_token": token, "phone_number": phone}
    return [
        api.ok(api.call(url, "POST", "/v1/leads/search", form, api.FORM), "search").ms
        for _ in range(SEARCH_CALLS)
    ]


def _inserts(url: str, token: str, list_id: str, first: int) -> list[float]:
    times = []
    for i in range(INSERT_CALLS):
        form = {"auth_token": token, "list_id": list_id, "phone_number": f"53{first + i:08d}"}
        times.append(api.ok(api.call(url, "POST", "/v1/leads/insert", form, api.FORM), "ins").ms)
    return times


def _simulate(ctx: Context) -> tuple[list[float], int]:
    server = ctx.start_office_server(SIMULATE_LEADS)
    try:
        times, made = [], 0
        for round_no in range(3):
            ctx.log(f"simulate {SIMULATE_CALLS:,} calls, round {round_no + 1}/3")
            api.ok(api.call(server.url, "POST", "/_mockvoso/reset"), "reset")
            reply = api.ok(
                api.call(server.url, "POST", "/_mockvoso/simulate", {"calls": SIMULATE_CALLS}),
                "simulate",
            )
            times.append(reply.ms / 1000)
            made = reply.json()["calls"]
        return times, made
    finally:
        servers.stop(server)


def run(ctx: Context) -> Section:
    sim_times, made = _simulate(ctx)
    url = ctx.default_server().url
    target = api.discover(url)
    api.ok(api.call(url, "POST", "/_mockvoso/reset"), "reset")
    with receiver() as hook:
        ctx.log("writes with no receiver, then with ten")
        plain = _inserts(url, target.token, target.list_id, 10_000_000)
        for _ in range(RECEIVERS):
            api.ok(api.call(url, "POST", "/_mockvoso/webhooks", {"url": hook}), "register")
        hooked = _inserts(url, target.token, target.list_id, 20_000_000)
        api.ok(api.call(url, "POST", "/_mockvoso/webhooks/flush", {"timeout": 60}), "flush")
        api.ok(api.call(url, "DELETE", "/_mockvoso/webhooks"), "clear")
        api.ok(api.call(url, "POST", "/_mockvoso/webhooks", {"url": hook}), "register one")
        ctx.log("searches idle")
        idle = _searches(url, target.token, target.phone)
        ctx.log(f"{DELIVERIES:,} deliveries, and searches while they drain")
        started = time.perf_counter()
        _inserts_fast(url, target, DELIVERIES)
        busy = _searches(url, target.token, target.phone)
        api.ok(api.call(url, "POST", "/_mockvoso/webhooks/flush", {"timeout": 60}), "flush")
        drained = time.perf_counter() - started
        deliveries = api.ok(api.call(url, "GET", "/_mockvoso/webhooks/deliveries"), "d").json()
        delivered = sum(1 for d in deliveries["deliveries"] if d["status"] == "delivered")
    api.ok(api.call(url, "POST", "/_mockvoso/reset"), "reset")
    per_second = DELIVERIES / drained
    slowdown = statistics.median(hooked) - statistics.median(plain)
    sim_median = statistics.median(sim_times)
    return Section(
        "living",
        "9. Living call centre: dialer, webhooks (issue 11)",
        ["figure", "value"],
        rows=[
            [
                f"simulate {SIMULATE_CALLS:,} calls ({made:,} made), median of 3",
                f"{sim_median:.2f} s",
            ],
            [f"deliveries/s ({DELIVERIES:,} lead inserts, one receiver)", rate(per_second)],
            ["delivered (of the journal's last entries)", str(delivered)],
            ["leads/search p99, idle", ms(_p99(idle))],
            ["leads/search p99, while deliveries drain", ms(_p99(busy))],
            ["leads/insert median, no receiver", ms(statistics.median(plain))],
            [f"leads/insert median, {RECEIVERS} receivers", ms(statistics.median(hooked))],
        ],
        checks=[
            Check(
                f"simulate {SIMULATE_CALLS:,} calls",
                f"{sim_median:.2f} s",
                f"≤ {SIMULATE_TARGET_S} s",
                sim_median <= SIMULATE_TARGET_S and made == SIMULATE_CALLS,
            ),
            Check(
                "webhook deliveries",
                rate(per_second),
                f"≥ {DELIVERY_TARGET:.0f}/s",
                per_second >= DELIVERY_TARGET,
            ),
            Check(
                "/v1 p99 while deliveries drain",
                f"{_p99(busy) / _p99(idle):.2f}x idle",
                f"≤ {P99_SLACK:.2f}x",
                _p99(busy) <= P99_SLACK * _p99(idle),
            ),
            Check(
                f"insert slowdown with {RECEIVERS} receivers",
                ms(slowdown),
                f"≤ {WRITE_SLOWDOWN_MS} ms",
                slowdown <= WRITE_SLOWDOWN_MS,
            ),
        ],
        notes=[
            f"simulate: one office of {SIMULATE_LEADS:,} leads, a fresh reset before each round.",
            "deliveries: the receiver is a ThreadingHTTPServer in the bench process on 127.0.0.1;"
            " the rate counts from the first insert to the flush that empties the queue.",
        ],
    )


def _inserts_fast(url: str, target: api.Target, count: int) -> None:
    """count lead inserts over four threads: a burst of write events."""

    def worker(start: int) -> None:
        for i in range(start, count, 4):
            form = {
                "auth_token": target.token,
                "list_id": target.list_id,
                "phone_number": f"54{i:08d}",
            }
            api.ok(api.call(url, "POST", "/v1/leads/insert", form, api.FORM), "insert")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
