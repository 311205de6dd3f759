"""build_app's start-up order: import the app, preload, only then wait for the helper."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mockvoso.config import Settings
from mockvoso.serving import preseed, wsgi


class Steps:
    """What build_app did, in order; `helper` says whether a seeding helper is pending."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.helper = True


@pytest.fixture
def steps(monkeypatch) -> Steps:
    record = Steps()

    def app(environ, start_response):  # pragma: no cover - never called
        return []

    def factory(settings, **kwargs):
        record.done.append("build with seeds" if "seeds" in kwargs else "build")
        return app

    def load_factory():
        record.done.append("import")
        return factory

    def take():
        record.done.append("take")
        return [] if record.helper else None

    monkeypatch.setattr(wsgi, "load_factory", load_factory)
    monkeypatch.setattr(wsgi, "preload", lambda: record.done.append("preload"))
    monkeypatch.setattr(preseed, "pending", lambda: record.helper)
    monkeypatch.setattr(preseed, "take", take)
    monkeypatch.setattr(wsgi.gc, "freeze", lambda: None)
    return record


def test_with_a_helper_the_worker_imports_and_preloads_before_it_waits(steps):
    wsgi.build_app(Settings())
    assert steps.done == ["import", "preload", "take", "build with seeds"]


def test_without_a_helper_nothing_is_preloaded(steps):
    steps.helper = False
    wsgi.build_app(Settings())
    assert steps.done == ["import", "take", "build"]


PROBE = """
import json, sys
from mockvoso.config import Settings
from mockvoso.seed import load_offices
from mockvoso.serving import wsgi
from mockvoso.world import build_offices
settings = Settings(leads=5, clock="2026-01-01T00:00:00")
seeds = build_offices(load_offices(), settings, settings.anchor())  # the helper's part
factory = wsgi.load_factory()
wsgi.preload()
before = set(sys.modules)
factory(settings, seeds=seeds)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("mockvoso") and m not in before)))
"""


def test_after_preload_create_app_imports_no_mockvoso_module():
    # A fresh interpreter: the suite's own imports must not hide a module preload misses.
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
