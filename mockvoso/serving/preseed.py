"""Parallel start-up: a forked helper generates the offices while the server imports Flask.

On two cores, importing Faker and drawing the seed data (~0.2 s for the default data)
overlaps with importing Flask, marshmallow and granian in the server process, which cuts
the cold start by that much. The helper hands the generated offices over a pipe
(pickled); above PARALLEL_MAX_LEADS pickling costs more than it saves, so large offices
are generated in the server process as before. Linux/fork only; anything unusual
(no fork, a failed helper) falls back to generating in the server process.
"""

from __future__ import annotations

import os
import pickle
import signal
from dataclasses import replace
from datetime import UTC, datetime

from mockvoso.config import Settings
from mockvoso.records import OfficeSeed
from mockvoso.serving.wsgi import APP_ENV, DEFAULT_APP

PARALLEL_MAX_LEADS = 20_000  # leads per office
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class PendingSeeds:
    """The read end of the helper's pipe; take() once, in the process that builds the app."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @property
    def waiting(self) -> bool:
        """True until take() or close(): the helper's offices are still to be read."""
        return self._fd is not None

    def close(self) -> None:
        """Drop the helper's offices unread; the helper then ends on a broken pipe."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def take(self) -> list[OfficeSeed] | None:
        """The helper's offices, or None if it failed (the caller then generates them)."""
        if self._fd is None:
            return None
        fd, self._fd = self._fd, None
        chunks = []
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        try:
            seeds = pickle.loads(b"".join(chunks))
        except Exception:
            return None
        return seeds if isinstance(seeds, list) else None


_pending: PendingSeeds | None = None
_pending_for: Settings | None = None  # the settings the pending helper seeds for


def pinned_clock(settings: Settings, now: datetime) -> Settings:
    """Fix the anchor so the helper and the server process seed the same data."""
    if settings.clock:
        return settings
    return replace(settings, clock=now.replace(microsecond=0).isoformat())


def begin(settings: Settings) -> Settings:
    """`mockvoso serve` on granian with its own app: pin the clock, fork the helper.

    Returns the settings to serve with (the pinned clock). The CLI calls this as soon as
    it has the settings, before it validates them and imports the server: the helper then
    starts ~0.1 s earlier (cli timeline, loaded 2-core machine); serve() calls it again
    and finds the helper already running for the same settings.
    """
    if settings.server != "granian" or os.environ.get(APP_ENV, DEFAULT_APP) != DEFAULT_APP:
        return settings
    settings = pinned_clock(settings, datetime.now(UTC))
    start(settings)
    return settings


def cancel() -> None:
    """Drop a helper that will not be used (the settings failed validation)."""
    if _pending is not None:
        _pending.close()


def start(settings: Settings) -> None:
    """Fork the helper (double fork: init reaps it) unless the data is too large, or a
    helper for these same settings is already running."""
    global _pending, _pending_for
    if _pending is not None and _pending.waiting and _pending_for == settings:
        return
    if settings.leads > PARALLEL_MAX_LEADS or not hasattr(os, "fork"):
        return
    read_fd, write_fd = os.pipe()
    # A stop signal during fork() would run `mockvoso serve`'s handler inside logging's
    # at-fork callback, where Python swallows its KeyboardInterrupt with an "Exception
    # ignored" message: hold SIGINT/SIGTERM until fork() has returned.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    pid = os.fork()
    if pid == 0:  # the short-lived middle process
        os.close(read_fd)
        if os.fork() != 0:
            os._exit(0)
        # The helper: a stop of the process group simply ends it, silently.
        for sig in _STOP_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        _generate_into(write_fd, settings)  # never returns
    signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a pending stop is handled here
    os.close(write_fd)
    os.waitpid(pid, 0)
    cancel()  # an earlier helper nobody took (settings changed): let it end
    _pending, _pending_for = PendingSeeds(read_fd), settings


def pending() -> bool:
    """True while a helper's offices are still to be taken in this process."""
    return _pending is not None and _pending.waiting


def take() -> list[OfficeSeed] | None:
    """The generated offices if a helper was started in this process's lineage."""
    return _pending.take() if _pending is not None else None


def _generate_into(fd: int, settings: Settings) -> None:
    code = 1
    try:
        from mockvoso.seed import load_offices
        from mockvoso.world import build_offices

        anchor = settings.anchor()
        assert anchor is not None  # pinned_clock() ran first
        seeds = build_offices(load_offices(settings.data), settings, anchor)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(seeds, protocol=pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)  # no atexit, no flushing of the parent's inherited buffers
