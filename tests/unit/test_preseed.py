"""preseed: offices generated in a forked helper are exactly those generated in-process."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from mockvoso.config import Settings
from mockvoso.seed import load_offices
from mockvoso.serving import preseed
from mockvoso.world import build_offices


@pytest.fixture(autouse=True)
def no_pending(monkeypatch):
    monkeypatch.setattr(preseed, "_pending", None)


def test_helper_seeds_equal_in_process_seeds():
    settings = preseed.pinned_clock(Settings(leads=150), datetime(2026, 3, 4, 5, 6, 7, 890))
    assert settings.clock == "2026-03-04T05:06:07"
    preseed.start(settings)
    from_helper = preseed.take()
    assert from_helper is not None
    expected = build_offices(load_offices(), settings, datetime(2026, 3, 4, 5, 6, 7))
    assert from_helper == expected
    assert preseed.take() is None  # taken once


def test_a_fixed_clock_is_kept():
    settings = Settings(clock="2026-01-01T00:00:00")
    assert preseed.pinned_clock(settings, datetime(2030, 1, 1)) is settings


def test_large_offices_are_not_sent_through_the_pipe():
    preseed.start(Settings(leads=preseed.PARALLEL_MAX_LEADS + 1, clock="2026-01-01T00:00:00"))
    assert preseed.take() is None


def test_a_failed_helper_means_none(tmp_path):
    # An empty data folder makes the helper fail; the server then seeds by itself.
    settings = Settings(leads=10, clock="2026-01-01T00:00:00", data=str(tmp_path))
    preseed.start(settings)
    assert preseed.take() is None


def test_begin_pins_the_clock_and_forks_the_helper(monkeypatch):
    monkeypatch.delenv("MOCKVOSO_APP", raising=False)
    settings = preseed.begin(Settings(leads=20))
    assert settings.clock is not None  # pinned: helper and server seed the same data
    assert preseed.pending()
    seeds = preseed.take()
    assert seeds == build_offices(load_offices(), settings, settings.anchor())
    assert not preseed.pending()


def test_begin_does_nothing_for_waitress_or_a_stand_in_app(monkeypatch):
    waitress = Settings(leads=20, server="waitress")
    assert preseed.begin(waitress) is waitress and preseed._pending is None
    monkeypatch.setenv("MOCKVOSO_APP", "bench.bare_app:create_app")
    granian = Settings(leads=20)
    assert preseed.begin(granian) is granian and preseed._pending is None


def test_cancel_drops_the_helper_unread():
    preseed.start(Settings(leads=20, clock="2026-01-01T00:00:00"))
    pending = preseed._pending
    assert pending is not None and pending.waiting
    preseed.cancel()
    assert not pending.waiting
    assert preseed.take() is None


def test_the_helper_finishes_without_a_reader():
    # 2 x 2,000 leads pickle to ~2.4 MB, far over a pipe's 64 KiB: through a pipe the
    # helper would block until the worker read. It must say "done" and exit on its own,
    # with every byte already in the in-memory file.
    import pickle
    import select

    settings = Settings(leads=2000, clock="2026-01-01T00:00:00")
    preseed.start(settings)
    pending = preseed._pending
    assert pending is not None and pending._fds is not None
    done_fd, data_fd = pending._fds
    readable, _, _ = select.select([done_fd], [], [], 120)
    assert readable == [done_fd]
    assert os.read(done_fd, 100) == preseed.DONE
    assert os.read(done_fd, 100) == b""  # EOF: the helper has exited
    size = os.fstat(data_fd).st_size
    seeds = pickle.loads(os.pread(data_fd, size, 0))
    assert seeds == build_offices(load_offices(), settings, settings.anchor())
    pending.close()
