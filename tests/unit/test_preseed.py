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
