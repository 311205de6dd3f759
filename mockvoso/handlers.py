"""The one place that turns every exception into a JSON response."""

from __future__ import annotations

import logging
from typing import Any, cast

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from mockvoso.errors import (
    DOMAIN_ERRORS,
    AuthError,
    BadValue,
    ControlError,
    MockvosoError,
    http_text,
)
from mockvoso.mock import InjectedFault, RateLimited
from mockvoso.sockets import mark_drop
from mockvoso.wire import CONTROL_PREFIX, FAULT_HEADER

log = logging.getLogger("mockvoso")

# What a "malformed" fault answers: a success body cut off mid-way.
MALFORMED_BODY = b'{"success": true, "data": {"offset": 0, "limit": 10, "total": "1", "entr'


def envelope(code: int, text: str, status: int = 200) -> Response:
    """Convoso's error envelope at the given HTTP status."""
    response = json_response({"success": False, "code": code, "text": text})
    response.status_code = status
    return response


def json_response(data: Any) -> Response:
    """current_app.json.response, typed as what it returns: the app's response_class
    (Flask declares werkzeug's base class there)."""
    return cast(Response, current_app.json.response(data))


def _control_http_error(exc: HTTPException, status: int) -> ControlError:
    """A routing or protocol error on /_mockvoso/*, said the control plane's way."""
    if status == 404:
        return ControlError(404, f"no control route {request.path}")
    if status == 405:
        # Sorted: werkzeug builds Allow from a set, whose order changes between runs.
        allowed = sorted(m.strip() for m in exc.get_response().headers.get("Allow", "").split(","))
        return ControlError(
            405,
            f"{request.method} is not allowed on {request.path} (allowed: {', '.join(allowed)})",
        )
    return ControlError(status, http_text(status))


def register_handlers(app: Flask) -> None:
    @app.errorhandler(MockvosoError)
    def mockvoso_error(exc: MockvosoError) -> Response:
        status, code = exc.http_status, exc.code
        settings = current_app.extensions["mockvoso"].settings
        if isinstance(exc, AuthError) and settings.legacy_auth_status:
            # legacy clients expect every answer at HTTP 200, with Convoso's code
            status, code = 200, exc.legacy_code
        elif isinstance(exc, BadValue):
            status = settings.bad_value_status  # 200: a success:false body SDKs can read
        response = envelope(code, exc.text, status)
        if isinstance(exc, RateLimited):
            response.headers[FAULT_HEADER] = "rate-limit"
        return response

    @app.errorhandler(InjectedFault)
    def injected_fault(exc: InjectedFault) -> Response:
        decision = exc.decision
        if decision.status is not None:
            response = envelope(decision.status, http_text(decision.status), decision.status)
            if decision.status == 429:
                # Clients back off by Retry-After; an injected 429 must be usable the same way.
                response.headers["Retry-After"] = "1"
        elif decision.error_code is not None:
            response = envelope(decision.error_code, DOMAIN_ERRORS[decision.error_code])
        elif decision.fault == "empty":
            response = Response(b"", status=200, mimetype="application/json")
        elif decision.fault == "malformed":
            response = Response(MALFORMED_BODY, status=200, mimetype="application/json")
        else:  # drop or hang: SocketFaults (around the app) closes the connection unanswered
            mark_drop(request.environ, decision.hang_ms or 0)
            response = Response(b"", status=500, mimetype="application/json")
        response.headers[FAULT_HEADER] = decision.rule_id or ""
        return response

    @app.errorhandler(ControlError)
    def control_error(exc: ControlError) -> Response:
        response = json_response(exc.body())
        response.status_code = exc.status
        return response

    @app.errorhandler(HTTPException)
    def http_exception(exc: HTTPException) -> Response:
        status = exc.code or 500
        if request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + "/"):
            # The control plane answers plain {"error": …}, even for a route it lacks.
            response = control_error(_control_http_error(exc, status))
        else:
            text = http_text(status)
            if status == 413:
                text = f"{text} (limit {request.max_content_length} bytes)"
            response = envelope(status, text, status)
        allow = exc.get_response().headers.get("Allow")  # 405 names the methods that work
        if allow:
            # werkzeug joins a set: sorted, the header is the same in every process.
            response.headers["Allow"] = ", ".join(sorted(m.strip() for m in allow.split(",")))
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if request.path.startswith(CONTROL_PREFIX + "/"):
            return control_error(ControlError(500, "internal error (see the server's log)"))
        return envelope(500, http_text(500), 500)
