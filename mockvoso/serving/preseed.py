"""Parallel start-up: a forked helper generates the offices while the server imports Flask.

On two cores, importing Faker and drawing the seed data (~0.2 s for the default data)
overlaps with importing Flask, marshmallow and granian in the server process, which cuts
the cold start by that much. The helper hands the generated offices over in an
in-memory file (pickled); above PARALLEL_MAX_LEADS pickling costs more than it saves,
so large offices are generated in the server process as before. Linux only (fork,
memfd); anything unusual (a failed helper) falls back to generating in the server
process.
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
DONE = b"done"  # the helper's last word on its pipe: the in-memory file is complete
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class PendingSeeds:
    """What the helper leaves: a pipe it closes when done, and the in-memory file it fills.

    The pickled offices (~1.2 MB for the default data) go into an unnamed in-memory
    file (memfd), not through the pipe: the worker reads only after its own imports
    (wsgi.build_app), and through a 64 KiB pipe the helper blocked after its first chunk
    and each further chunk cost a process switch: take() took 0.1-0.2 s, now 0.05-0.09 s
    (unpickling included; per-process timelines, machine load ~6). take() once, in the
    process that builds the app.
    """

    def __init__(self, done_fd: int, data_fd: int) -> None:
        self._fds: tuple[int, int] | None = (done_fd, data_fd)

    @property
    def waiting(self) -> bool:
        """True until take() or close(): the helper's offices are still to be read."""
        return self._fds is not None

    def close(self) -> None:
        """Drop the helper's offices unread (and the memory holding them)."""
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
            self._fds = None

    def take(self) -> list[OfficeSeed] | None:
        """The helper's offices, or None if it failed (the caller then generates them)."""
        if self._fds is None:
            return None
        done_fd, data_fd = self._fds
        self._fds = None
        with os.fdopen(done_fd, "rb") as pipe:
            status = pipe.read()  # EOF once the helper has exited
        with os.fdopen(data_fd, "rb") as data:
            if status != DONE:
                return None
            data.seek(0)  # the helper's writes moved the shared offset to the end
            try:
                seeds = pickle.loads(data.read())  # one read: load(file) reads piecemeal
            except Exception:
                return None
        return seeds if isinstance(seeds, list) else None


_pending: PendingSeeds | None = None


def pinned_clock(settings: Settings, now: datetime) -> Settings:
    """Fix the anchor so the helper and the server process seed the same data."""
    if settings.clock:
        return settings
    return replace(settings, clock=now.replace(microsecond=0).isoformat())


def begin(settings: Settings) -> Settings:
    """`mockvoso serve` on granian with its own app: pin the clock, fork the helper.

    Returns the settings to serve with (the pinned clock). Called once the settings are
    validated: forking before that (measured) made the helper import YAML and the seed
    loader itself, work the validation had already done in the process it forks from.
    """
    if settings.server != "granian" or os.environ.get(APP_ENV, DEFAULT_APP) != DEFAULT_APP:
        return settings
    settings = pinned_clock(settings, datetime.now(UTC))
    start(settings)
    return settings


def cancel() -> None:
    """Drop the helper's offices in this process: they will not be used here (granian's
    main process, once its worker is forked)."""
    if _pending is not None:
        _pending.close()


def start(settings: Settings) -> None:
    """Fork the helper (double fork: init reaps it) unless the data is too large."""
    global _pending
    if settings.leads > PARALLEL_MAX_LEADS or not hasattr(os, "memfd_create"):
        return  # memfd_create: Linux, where fork is too
    read_fd, write_fd = os.pipe()
    data_fd = os.memfd_create("mockvoso-seeds", os.MFD_CLOEXEC)
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
        _generate_into(write_fd, data_fd, settings)  # never returns
    signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a pending stop is handled here
    os.close(write_fd)
    os.waitpid(pid, 0)
    cancel()  # an earlier helper's offices nobody took: free their memory
    _pending = PendingSeeds(read_fd, data_fd)


def pending() -> bool:
    """True while a helper's offices are still to be taken in this process."""
    return _pending is not None and _pending.waiting


def take() -> list[OfficeSeed] | None:
    """The generated offices if a helper was started in this process's lineage."""
    return _pending.take() if _pending is not None else None


def _generate_into(done_fd: int, data_fd: int, settings: Settings) -> None:
    code = 1
    try:
        from mockvoso.seed import load_offices
        from mockvoso.world import build_offices

        anchor = settings.anchor()
        assert anchor is not None  # pinned_clock() ran first
        seeds = build_offices(load_offices(settings.data), settings, anchor)
        with os.fdopen(data_fd, "wb") as data:
            pickle.dump(seeds, data, protocol=pickle.HIGHEST_PROTOCOL)
        os.write(done_fd, DONE)
        code = 0
    finally:
        os._exit(code)  # no atexit, no flushing of the parent's inherited buffers
