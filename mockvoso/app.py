"""create_app(): one Flask app, one fresh mock world, every route and error handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from mockvoso.config import Settings, load_settings
from mockvoso.jsonio import MockvosoJSON
from mockvoso.mock import Mock
from mockvoso.sockets import SocketFaults


class MockvosoFlask(Flask):
    """Flask, minus a per-call cost mockvoso never needs."""

    # Keeps Convoso's field order, compact; writes /v1 answers with orjson (jsonio.py).
    json_provider_class = MockvosoJSON
    json: MockvosoJSON

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # Flask asks inspect whether every hook, view and error handler is a coroutine
        # on every call (four times a request here). mockvoso defines no async ones.
        return func


def create_app(settings: Settings | dict[str, Any] | None = None, **mock_kwargs: Any) -> Flask:
    """A new app and world. `settings` may be Settings or overrides of the defaults.

    A plain dict is taken as overrides of the built-in defaults only (no environment),
    so tests get the same world on every machine.
    """
    from mockvoso.api.pipeline import register_pipeline
    from mockvoso.control import clock, dialer, faults, journal  # noqa: F401  (their routes)
    from mockvoso.control.recordings import recording_routes
    from mockvoso.control.routes import control
    from mockvoso.control.webhooks import sink_routes
    from mockvoso.dashboard import register_dashboard
    from mockvoso.docs import register_spec_routes
    from mockvoso.handlers import register_handlers

    if settings is None:
        settings = load_settings()
    elif isinstance(settings, dict):
        settings = Settings().with_overrides(settings)
    app = MockvosoFlask(
        "mockvoso", static_folder=None
    )  # no /static route: every route is in openapi.yaml
    register_pipeline(app)
    app.register_blueprint(control)
    app.register_blueprint(sink_routes)
    app.register_blueprint(recording_routes)
    register_spec_routes(app)
    register_dashboard(app)
    register_handlers(app)
    mock = Mock(settings, **mock_kwargs)
    app.extensions["mockvoso"] = mock
    # drop/hang faults need the connection itself: the middleware closes it unanswered
    # under waitress and granian, and raises DropConnection to an in-process caller.
    app.wsgi_app = SocketFaults(app.wsgi_app, sleep=mock.sleep)  # type: ignore[method-assign]
    return app
