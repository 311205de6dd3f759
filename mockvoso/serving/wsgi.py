"""WSGI entry point: granian imports app_factory() here and builds the world in its worker."""

from __future__ import annotations

import gc
import importlib
import os
from typing import TYPE_CHECKING, Protocol

from mockvoso.config import Settings, load_settings
from mockvoso.sockets import with_socket_faults

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

    from mockvoso.records import OfficeSeed

# "module:callable" of a create_app(settings) -> WSGI app. A seam for tests (a stand-in
# app) and for embedding; mockvoso itself always uses the default.
APP_ENV = "MOCKVOSO_APP"
DEFAULT_APP = "mockvoso.app:create_app"


class AppFactory(Protocol):
    """create_app's shape. `seeds` (offices a helper process generated) is passed only
    when there are some, and the helper runs only for the default factory: a stand-in
    may take settings alone."""

    def __call__(
        self, settings: Settings, *, seeds: list[OfficeSeed] | None = None
    ) -> WSGIApplication: ...


if TYPE_CHECKING:
    from mockvoso.app import create_app

    _DEFAULT_FITS: AppFactory = create_app  # mypy checks that create_app has that shape


def load_factory(target: str | None = None) -> AppFactory:
    """Import the app factory named by target, MOCKVOSO_APP, or mockvoso.app:create_app."""
    spec = target or os.environ.get(APP_ENV) or DEFAULT_APP
    module_name, _, attr = spec.partition(":")
    # Imported only when called: granian imports this module in the worker, and
    # mockvoso.app pulls in Flask, marshmallow and Faker.
    module = importlib.import_module(module_name)
    factory: AppFactory = getattr(module, attr or "create_app")
    return factory


# What create_app imports only when called (mockvoso.app keeps them out of its module
# import). The worker imports them while the seeding helper still works.
# tests/unit/test_wsgi_build.py fails when create_app imports a module missing here.
PRELOAD = (
    "mockvoso.api.pipeline",
    "mockvoso.control.clock",
    "mockvoso.control.dialer",
    "mockvoso.control.faults",
    "mockvoso.control.journal",
    "mockvoso.control.recordings",
    "mockvoso.control.routes",
    "mockvoso.control.webhooks",
    "mockvoso.dashboard",
    "mockvoso.docs",
    "mockvoso.handlers",
    "mockvoso.store.memory",
)


def preload() -> None:
    """Import create_app's own modules and build the action table (cached): work the
    app needs anyway, done in the time the worker would otherwise wait for the helper."""
    for name in PRELOAD:
        importlib.import_module(name)
    from mockvoso.actions import action_table

    action_table()


def build_app(settings: Settings) -> WSGIApplication:
    """The app for these settings, with drop/hang socket faults working on any server."""
    from mockvoso.serving import preseed

    # Import the app first, then take the helper's offices: the import (Flask, marshmallow,
    # the actions) overlaps the helper's seeding. Taking them first made the worker wait
    # for the helper and only then import, end to end: ~0.3 s of a 1.2 s cold start
    # (per-process timeline of `mockvoso serve`, default data, loaded 2-core machine).
    factory = load_factory()
    if preseed.pending():
        preload()
    seeds = preseed.take()  # offices a helper process generated meanwhile, if any
    app = factory(settings) if seeds is None else factory(settings, seeds=seeds)
    # The seeded records live as long as the server: out of the collector's sight, a
    # full collection no longer walks them (shorter pauses, i.e. a lower p99).
    gc.freeze()
    return with_socket_faults(app)


def app_factory() -> WSGIApplication:
    """granian's factory target (`mockvoso.serving.wsgi:app_factory`, factory=True).

    Settings arrive as MOCKVOSO_* variables (config.settings_to_env), set by serve()
    before granian forks or spawns the worker; load_settings() reads them back.
    """
    return build_app(load_settings())
