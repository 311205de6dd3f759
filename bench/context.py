"""What every section shares: the run's options, the load tool and the servers kept alive."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench import servers
from bench.load import LoadResult, Request, run_load, run_python, wrk_available

SEED_OFFICE = servers.REPO / "seed_data" / "ACME.yaml"


@dataclass(frozen=True)
class Options:
    """Durations and sizes of one run (full or --quick)."""

    quick: bool = False
    duration: float = 5.0  # seconds measured per load point
    warmup: float = 1.0  # seconds of discarded load before each point
    tool: str = "auto"  # wrk when installed, else python
    peer_rounds: int = 5  # mockvoso / bare / Prism, interleaved
    cold_runs: int = 5
    reset_calls: int = 10
    snapshot_calls: int = 3
    big_leads: int = 100_000  # leads per office for the reset/snapshot "big" case
    seed_sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    search_sizes: tuple[int, ...] = (1_000, 100_000, 1_000_000)
    latency_requests: int = 200
    latency_batches: int = 3

    @classmethod
    def for_run(cls, quick: bool, duration: float | None, tool: str) -> Options:
        if quick:
            base = cls(
                quick=True,
                duration=2.0,
                warmup=0.5,
                peer_rounds=2,
                cold_runs=3,
                reset_calls=5,
                snapshot_calls=1,
                big_leads=20_000,
                seed_sizes=(10_000, 100_000),
                search_sizes=(1_000, 100_000),
                latency_requests=100,
                latency_batches=1,
            )
        else:
            base = cls()
        if duration is not None:
            base = replace(base, duration=duration)
        return replace(base, tool=tool)


@dataclass
class Context:
    """Options plus the servers sections share; close() stops whatever is still running."""

    options: Options
    _default: servers.Server | None = None
    _bare: servers.Server | None = None
    _offices: dict[int, servers.Server] = field(default_factory=dict)  # leads → server
    _tmp: Path | None = None
    notes: list[str] = field(default_factory=list)
    prism_version: str | None = None

    @property
    def tool(self) -> str:
        if self.options.tool == "auto":
            return "wrk" if wrk_available() else "python"
        return self.options.tool

    def log(self, message: str) -> None:
        print(f"  · {message}", file=sys.stderr, flush=True)

    def load(
        self, url: str, req: Request, connections: int, seconds: float | None = None
    ) -> LoadResult:
        """A measured load point with the run's tool, warm-up and duration."""
        return run_load(
            url,
            req,
            connections,
            seconds or self.options.duration,
            self.options.warmup,
            self.tool,
        )

    def load_count(self, url: str, req: Request, connections: int, count: int) -> LoadResult:
        """Exactly count requests over connections (the Python client: wrk cannot count)."""
        return run_python(url, req, connections, seconds=120.0, count=count)

    def tmp(self) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="mockvoso-bench-"))
        return self._tmp

    def one_office_dir(self) -> Path:
        """A --data folder holding one office: a copy of seed_data/ACME.yaml."""
        folder = self.tmp() / "one-office"
        if not folder.exists():
            folder.mkdir()
            shutil.copy(SEED_OFFICE, folder / SEED_OFFICE.name)
        return folder

    def default_server(self) -> servers.Server:
        """mockvoso serve on the default data (two offices, 1,000 leads each), shared."""
        if self._default is None:
            self._default = servers.start_mockvoso(name="mockvoso-default")
        return self._default

    def bare_server(self) -> servers.Server:
        """The bare Flask app on mockvoso serve's granian (bench/bare_app.py), shared."""
        if self._bare is None:
            self.log("starting the bare Flask app on mockvoso serve's granian")
            self._bare = servers.start_bare()
        return self._bare

    def start_office_server(self, leads: int) -> servers.Server:
        """A fresh one-office server with this many leads (not cached)."""
        return servers.start_mockvoso(
            "--data", str(self.one_office_dir()), "--leads", str(leads), name=f"office-{leads}"
        )

    def keep_office_server(self, leads: int, server: servers.Server) -> None:
        """Keep this one-office server running for a later section (search)."""
        previous = self._offices.pop(leads, None)
        if previous is not None and previous is not server:
            servers.stop(previous)
        self._offices[leads] = server

    def office_server(self, leads: int) -> servers.Server:
        """The kept one-office server with this many leads, else a fresh one (then kept)."""
        if leads not in self._offices:
            self._offices[leads] = self.start_office_server(leads)
        return self._offices[leads]

    def close(self) -> None:
        for server in self._offices.values():
            servers.stop(server)
        self._offices.clear()
        for server in (self._default, self._bare):
            if server is not None:
                servers.stop(server)
        self._default = self._bare = None
        servers.stop_all()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
