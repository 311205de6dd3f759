"""Control-plane routes: health, offices and reset (faults, limits, journal: see faults.py)."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, current_app, request

from mockvoso import __version__
from mockvoso.control.body import json_body
from mockvoso.errors import ControlError
from mockvoso.wire import ADMIN_HEADER, CONTROL_PREFIX

control = Blueprint("control", __name__, url_prefix=CONTROL_PREFIX)


def mock() -> Any:
    return current_app.extensions["mockvoso"]


@control.before_request
def check_admin_token() -> None:
    """With --admin-token, every control route but health needs the header."""
    expected = mock().settings.admin_token
    if not expected or request.endpoint == "control.health":
        return
    given = request.headers.get(ADMIN_HEADER, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ControlError(401, f"missing or wrong {ADMIN_HEADER} header")


@control.get("/health")
def health() -> Any:
    return {"status": "ok", "version": __version__}


@control.get("/offices")
def offices() -> Any:
    return {
        "offices": [
            {
                "acronym": store.acronym,
                "name": store.name,
                "tokens": [
                    {"token": spec.token, "sections": list(spec.sections)} for spec in store.tokens
                ],
                "users": [
                    {
                        "user_id": str(user["user_id"]),
                        "email": user["email"],
                        "first_name": user["first_name"],
                        "last_name": user["last_name"],
                    }
                    for user in store.users
                ],
            }
            for store in mock().world.offices.values()
        ]
    }


@control.post("/reset")
def reset() -> Any:
    body = json_body(request)
    office = body.get("office")
    if office is not None and not isinstance(office, str):
        raise ControlError(
            400, f"office: must be an office acronym (a string), not {office!r}", field="office"
        )
    if office is not None and mock().world.office(office) is None:
        raise ControlError(404, f"no such office: {office!r}", field="office")
    mock().reset(office)
    return {"reset": True, "office": office}
