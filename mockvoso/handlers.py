"""The one place that turns every exception into a JSON response."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from mockvoso.errors import (
    DOMAIN_ERRORS,
    AuthError,
    ControlError,
    MockvosoError,
    http_text,
)
from mockvoso.mock import InjectedFault, RateLimited
from mockvoso.server import mark_drop

log = logging.getLogger("mockvoso")

FAULT_HEADER = "X-Mockvoso-Fault"
# What a "malformed" fault answers: a success body cut off mid-way.
MALFORMED_BODY = b'{"success": true, "data": {"offset": 0, "limit": 10, "total": "1", "entr'


def register_handlers(app: Flask) -> None:
    @app.errorhandler(MockvosoError)
    def mockvoso_error(exc: MockvosoError) -> Response:
        status = exc.http_status
        if (
            isinstance(exc, AuthError)
            and current_app.extensions["mockvoso"].settings.legacy_auth_status
        ):
            status = 200  # legacy clients expect every answer at HTTP 200
        response = current_app.json.response(exc.envelope())
        response.status_code = status
        if isinstance(exc, RateLimited):
            response.headers[FAULT_HEADER] = "rate-limit"
        return response

    @app.errorhandler(InjectedFault)
    def injected_fault(exc: InjectedFault) -> Response:
        decision = exc.decision
        if decision.status is not None:
            response = current_app.json.response(
                {"success": False, "code": decision.status, "text": http_text(decision.status)}
            )
            response.status_code = decision.status
        elif decision.error_code is not None:
            response = current_app.json.response(
                {
                    "success": False,
                    "code": decision.error_code,
                    "text": DOMAIN_ERRORS[decision.error_code],
                }
            )
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
        response = current_app.json.response(exc.body())
        response.status_code = exc.status
        return response

    @app.errorhandler(HTTPException)
    def http_exception(exc: HTTPException) -> Response:
        status = exc.code or 500
        text = http_text(status)
        if status == 413:
            text = f"{text} (limit {request.max_content_length} bytes)"
        response = current_app.json.response({"success": False, "code": status, "text": text})
        response.status_code = status
        for name in ("Allow",):
            if exc.get_response().headers.get(name):
                response.headers[name] = exc.get_response().headers[name]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        g.error = repr(exc)
        response = current_app.json.response(
            {"success": False, "code": 500, "text": http_text(500)}
        )
        response.status_code = 500
        return response
