"""The /v1 request pipeline: params -> auth -> rate limit -> faults -> action -> journal."""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request

from mockvoso.api.auth import authenticate
from mockvoso.api.params import read_params
from mockvoso.store import OfficeStore

# Every Convoso action, "resource/action" -> view. Filled by the @action decorators of
# the resource modules; the URL map, the auth section and the journal all derive from it.
ACTIONS: dict[str, Callable[[OfficeStore, dict[str, str]], dict[str, Any]]] = {}

v1 = Blueprint("v1", __name__)


def action(name: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Register a view for /v1/<name>, answering GET and POST alike."""

    def register(view: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        ACTIONS[name] = view

        def endpoint() -> Response:
            ctx = g._get_current_object()  # type: ignore[attr-defined]
            return current_app.json.response(view(ctx.store, ctx.params))

        v1.add_url_rule(
            f"/v1/{name}", endpoint=view.__name__, view_func=endpoint, methods=["GET", "POST"]
        )
        return view

    return register


def action_name(path: str) -> str:
    """`/v1/leads/search` -> `leads/search`, the name fault rules and the journal use."""
    return path[4:] if path.startswith("/v1/") else path


def mock() -> Any:
    return current_app.extensions["mockvoso"]


@v1.before_request
def run_pipeline() -> None:
    """Hooks raise (MockvosoError, InjectedFault); they never return a response."""
    # The proxies (request, g) are resolved once: each access costs a context lookup.
    ctx = g._get_current_object()  # type: ignore[attr-defined]
    req = request._get_current_object()  # type: ignore[attr-defined]
    ctx.started = perf_counter()
    state = mock()
    params = ctx.params = read_params(req, state.settings.max_body_bytes)
    name = action_name(req.path)
    grant = authenticate(state.world, params, req.headers, name.split("/", 1)[0])
    ctx.grant = grant
    ctx.store = state.world.offices[grant.office.upper()]
    state.police(name, req.method, grant, req.headers, ctx)


def finish_request(response: Response) -> Response:
    """Rate-limit headers while a limit is set; every /v1 call into the journal."""
    req = request._get_current_object()  # type: ignore[attr-defined]
    if req.path.startswith("/v1/"):
        ctx = g._get_current_object()  # type: ignore[attr-defined]
        rate = ctx.get("rate")
        if rate is not None:
            response.headers.update(rate.headers())
        mock().record(req, response, ctx)
    return response


def register_pipeline(app: Flask) -> None:
    # Import the resource modules for their @action registrations.
    from mockvoso.api import calls, campaigns, leads, lists  # noqa: F401

    app.register_blueprint(v1)
    app.after_request(finish_request)
