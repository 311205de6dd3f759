"""The /v1 request pipeline: params -> auth -> rate limit -> faults -> load -> action -> journal."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.sansio.response import Response as BaseResponse

from mockvoso.actions import Action, action_table
from mockvoso.api.auth import authenticate
from mockvoso.api.params import read_params
from mockvoso.limits import check_query_length
from mockvoso.schemas.common import load_args
from mockvoso.wire import endpoint_name


def mock() -> Any:
    return current_app.extensions["mockvoso"]


def _endpoint(action: Action) -> Any:
    """The Flask view of one action: load its arguments, run it, answer its body."""
    view, schema = action.view, action.schema()

    # json.response is typed with werkzeug's base Response (it returns the app's class).
    def endpoint() -> BaseResponse:
        ctx = g._get_current_object()
        args = load_args(schema, ctx.params, ctx.blanks)
        return current_app.json.reply(view(ctx.store, args))  # type: ignore[attr-defined]

    endpoint.__name__ = view.__name__
    return endpoint


def build_blueprint() -> Blueprint:
    """Every action of the table at /v1/<name>, GET and POST, behind one pipeline hook."""
    v1 = Blueprint("v1", __name__)
    table = action_table()
    # The rule a request matched names its action: no path parsing per request.
    by_rule: dict[str, tuple[str, str]] = {}
    for action in table.values():
        rule = f"/v1/{action.name}"
        by_rule[rule] = (endpoint_name(rule), action.section)
        v1.add_url_rule(
            rule,
            endpoint=action.view.__name__,
            view_func=_endpoint(action),
            methods=["GET", "POST"],
        )

    @v1.before_request
    def run_pipeline() -> None:
        """Hooks raise (MockvosoError, InjectedFault); they never return a response."""
        # The proxies (request, g) are resolved once: each access costs a context lookup.
        ctx = g._get_current_object()
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx.started = perf_counter()
        environ = req.environ
        name, section = by_rule[req.url_rule.rule]
        # Before anything reads it: an oversized query string is a 414 (limits.py).
        # (PEP 3333's latin-1 text: one character per byte.)
        check_query_length(req.path, len(environ.get("QUERY_STRING", "")))
        state = mock()
        ctx.blanks = set()
        params = ctx.params = read_params(req, state.settings.max_body_bytes, ctx.blanks)
        headers = req.headers
        grant = authenticate(state.world, params, headers, section)
        ctx.grant = grant
        ctx.store = state.world.offices[grant.office.upper()]
        state.police(name, environ["REQUEST_METHOD"], grant, headers, ctx)

    return v1


def finish_request(response: Response) -> Response:
    """Rate-limit headers while a limit is set; every /v1 call into the journal."""
    req = request._get_current_object()  # type: ignore[attr-defined]
    if req.path.startswith("/v1/"):
        ctx = g._get_current_object()
        rate = ctx.get("rate")
        if rate is not None:
            response.headers.update(rate.headers())
        mock().record(req, response, ctx)
    return response


def register_pipeline(app: Flask) -> None:
    app.register_blueprint(build_blueprint())
    app.after_request(finish_request)
