"""preseed: offices generated in a forked helper are exactly those generated in-process."""

from __future__ import annotations

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


def test_begin_pins_the_clock_and_serve_reuses_the_cli_helper(monkeypatch):
    monkeypatch.delenv("MOCKVOSO_APP", raising=False)
    settings = preseed.begin(Settings(leads=20))
    assert settings.clock is not None  # pinned: helper and server seed the same data
    first = preseed._pending
    assert first is not None and first.waiting
    assert preseed.begin(settings) == settings  # serve() after the CLI: same helper
    assert preseed._pending is first
    seeds = preseed.take()
    assert seeds == build_offices(load_offices(), settings, settings.anchor())


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
