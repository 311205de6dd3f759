"""create_app(): one Flask app, one fresh mock world, every route and error handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from werkzeug.routing import MapAdapter

from mockvoso.config import Settings, load_settings
from mockvoso.jsonio import MockvosoJSON
from mockvoso.mock import Mock
from mockvoso.sockets import SocketFaults


class MockvosoFlask(Flask):
    """Flask, minus a per-call cost mockvoso never needs."""

    # Keeps Convoso's field order, compact; writes /v1 answers with orjson (jsonio.py).
    json_provider_class = MockvosoJSON
    json: MockvosoJSON

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # create_url_adapter's host parts, by the environ values they depend on.
        self._url_hosts: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # Flask asks inspect whether every hook, view and error handler is a coroutine
        # on every call (four times a request here). mockvoso defines no async ones.
        return func

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Flask's URL adapter, with the host part of it worked out once per Host.

        Hot-path trick: on every request Flask validates the Host header, reads the
        host from the environ twice and IDNA-encodes it, although the outcome depends
        only on the environ values of _HOST_KEYS. It is kept for each distinct set of
        them (a few; bounded, as clients choose the Host) and only the request's own
        part (path, method, query) is bound anew. Measured with callgrind (one-hit
        leads/search, whole WSGI call): 672k -> 633k instructions (-6 %). Any setting
        that makes the host matter (SERVER_NAME, TRUSTED_HOSTS, subdomain or host
        matching) leaves it all to Flask.
        """
        if (
            request is None
            or self.config["SERVER_NAME"] is not None
            or self.config["TRUSTED_HOSTS"] is not None
            or self.subdomain_matching
            or self.url_map.host_matching
        ):
            return super().create_url_adapter(request)
        environ = request.environ
        key = tuple(environ.get(name) for name in _HOST_KEYS)
        known = self._url_hosts.get(key)
        if known is None:
            adapter = super().create_url_adapter(request)  # sets request.host
            if adapter is not None and len(self._url_hosts) < _HOST_CACHE:
                self._url_hosts[key] = (
                    request.host,
                    adapter.server_name,
                    adapter.script_name,
                    adapter.subdomain,
                    adapter.url_scheme,
                )
            return adapter
        host, server_name, script_name, subdomain, url_scheme = known
        request.host = host  # as Flask sets it here
        path = environ.get("PATH_INFO")
        return MapAdapter(
            self.url_map,
            server_name,
            script_name,
            subdomain,
            url_scheme,
            # werkzeug's bind_to_environ: PEP 3333's latin-1 text of UTF-8 bytes.
            path.encode("latin1").decode("utf-8", "replace") if path is not None else "/",
            environ["REQUEST_METHOD"],
            environ.get("QUERY_STRING", ""),
        )


# The environ values Flask's URL adapter's host part depends on (get_host, bind_to_environ).
_HOST_KEYS = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
    "HTTP_CONNECTION",
    "HTTP_UPGRADE",
    "SCRIPT_NAME",
)
_HOST_CACHE = 64


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
