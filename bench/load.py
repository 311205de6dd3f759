"""Concurrent keep-alive HTTP load: wrk (with bench/wrk.lua) when installed, else Python."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class Request:
    """One request shape: a form POST (or GET) to path; unique=True adds a fresh phone."""

    path: str
    body: str = ""
    method: str = "POST"
    unique: bool = False


@dataclass(frozen=True)
class LoadResult:
    """What one run measured; latencies in milliseconds."""

    tool: str
    connections: int
    requests: int
    errors: int  # non-2xx answers, connect/read/write errors and timeouts
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of values (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _unique_prefix() -> str:
    # 3 digits per run + thread digit + 7-digit counter = 11-digit phones, new every run.
    return f"7{random.randrange(10, 100)}"


def run_wrk(base_url: str, req: Request, connections: int, seconds: float) -> LoadResult:
    """wrk -c connections for seconds (threads = min(2, connections)), latency kept."""
    env = dict(os.environ, BENCH_METHOD=req.method, BENCH_PATH=req.path, BENCH_BODY=req.body)
    if req.unique:
        env["BENCH_UNIQUE"] = _unique_prefix()
    argv = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
    ]
    done = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(
        "wrk",
        connections,
        int(data["requests"]),
        int(errors),
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["max_us"] / 1000,
    )


class _Worker(threading.Thread):
    """One keep-alive connection sending req until the deadline or the shared budget ends."""

    def __init__(
        self,
        host: str,
        port: int,
        req: Request,
        deadline: float,
        budget: itertools.count[int] | None,
        limit: int,
        phones: itertools.count[int],
    ) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.req = host, port, req
        self.deadline, self.budget, self.limit, self.phones = deadline, budget, limit, phones
        self.latencies: list[float] = []
        self.errors = 0

    def _body(self) -> bytes:
        body = self.req.body
        if self.req.unique:
            body += f"&phone_number={next(self.phones)}"
        return body.encode()

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        while time.perf_counter() < self.deadline:
            if self.budget is not None and next(self.budget) >= self.limit:
                break
            body = self._body() if self.req.method == "POST" else None
            started = time.perf_counter()
            try:
                conn.request(self.req.method, self.req.path, body=body, headers=FORM)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.errors += not ok
        conn.close()


def run_python(
    base_url: str,
    req: Request,
    connections: int,
    seconds: float,
    count: int | None = None,
) -> LoadResult:
    """Threads + http.client keep-alive: for seconds, or until count requests were sent."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    started = time.perf_counter()
    deadline = started + seconds
    budget = itertools.count() if count is not None else None
    phones = itertools.count(int(_unique_prefix()) * 10**8)
    workers = [
        _Worker(host, port, req, deadline, budget, count or 0, phones) for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 15)
    elapsed = time.perf_counter() - started
    latencies = [ms for w in workers for ms in w.latencies]
    return LoadResult(
        "python",
        connections,
        len(latencies),
        sum(w.errors for w in workers),
        elapsed,
        statistics.median(latencies) if latencies else 0.0,
        percentile(latencies, 99),
        max(latencies, default=0.0),
    )


def run_load(
    base_url: str,
    req: Request,
    connections: int,
    seconds: float,
    warmup: float = 0.0,
    tool: str = "auto",
) -> LoadResult:
    """Warm up (discarded), then measure for seconds with wrk or the Python client."""
    use_wrk = tool == "wrk" or (tool == "auto" and wrk_available())
    runner = run_wrk if use_wrk else run_python
    if warmup > 0:
        runner(base_url, req, connections, warmup)
    return runner(base_url, req, connections, seconds)
