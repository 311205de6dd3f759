"""What every section shares: the run's options, the load tool and the servers kept alive."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench import baseline as baselines  # not `baseline`: an Options field
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
    baseline: str | None = baselines.DEFAULT_REV  # the page rows' older commit; None: skip
    page_rounds: int = 5  # pages: this commit / the baseline, interleaved
    page_seconds: float = 2.0  # per page point and round
    action_seconds: float = 2.0  # per action at 1 connection
    action_warmup: float = 0.5  # discarded before each action

    @classmethod
    def for_run(
        cls,
        quick: bool,
        duration: float | None,
        tool: str,
        baseline_rev: str | None = baselines.DEFAULT_REV,
    ) -> Options:
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
                page_rounds=2,
                page_seconds=1.0,
                action_seconds=0.5,
                action_warmup=0.2,
            )
        else:
            base = cls()
        if duration is not None:
            base = replace(base, duration=duration)
        return replace(base, tool=tool, baseline=baseline_rev)


@dataclass
class Context:
    """Options plus the servers sections share; close() stops whatever is still running."""

    options: Options
    _default: servers.Server | None = None
    _bare: servers.Server | None = None
    _offices: dict[int, servers.Server] = field(default_factory=dict)  # leads → server
    _baseline: tuple[baselines.Baseline, servers.Server] | None = None
    _baseline_failed: bool = False
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

    def baseline_server(self) -> tuple[baselines.Baseline, servers.Server] | None:
        """The --baseline commit's server on its default data, shared; None when skipped
        (--baseline none) or when it cannot run (said in the notes)."""
        rev = self.options.baseline
        if rev is None or self._baseline_failed:
            return None
        if self._baseline is None:
            self.log(f"extracting and starting the baseline commit {rev}")
            try:
                extracted = baselines.extract(rev, self.tmp() / f"baseline-{rev}")
                self._baseline = (extracted, baselines.start(extracted))
            except (baselines.BaselineError, servers.ServerError) as exc:
                self._baseline_failed = True
                self.notes.append(f"Baseline {rev} not measured: {exc}")
                return None
        return self._baseline

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
        kept = self._baseline[1] if self._baseline is not None else None
        for shared in (self._default, self._bare, kept):
            if shared is not None:
                servers.stop(shared)
        self._default = self._bare = self._baseline = None
        servers.stop_all()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
