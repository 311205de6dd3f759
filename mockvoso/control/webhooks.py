"""Control-plane routes of Convoso Connect receivers, their delivery journal, and the local sink."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError
from mockvoso.webhooks import RegistrationError

FLUSH_TIMEOUT_S = 10.0  # the longest POST /_mockvoso/webhooks/flush waits

# POST /convoso-webhook: a receiver on mockvoso itself, outside the control plane (a
# Connect entry may point at it without the admin token).
sink_routes = Blueprint("webhook_sink", __name__)


def _offices() -> list[str]:
    return list(mock().world.offices)


@control.post("/webhooks")
def webhooks_add() -> Any:
    try:
        receiver = mock().webhooks.register(json_body(request, required=True), _offices())
    except RegistrationError as exc:
        raise ControlError(400, exc.message, exc.field) from None
    return {"webhook": receiver.public()}, 201


@control.get("/webhooks")
def webhooks_list() -> Any:
    return {"webhooks": [r.public() for r in mock().webhooks.receivers()]}


@control.delete("/webhooks")
def webhooks_clear() -> Any:
    mock().webhooks.clear()
    return {"webhooks": []}


@control.delete("/webhooks/<webhook_id>")
def webhooks_remove(webhook_id: str) -> Any:
    if not mock().webhooks.remove(webhook_id):
        raise ControlError(404, f"no such webhook: {webhook_id!r}")
    return {"deleted": webhook_id}


@control.get("/webhooks/deliveries")
def webhooks_deliveries() -> Any:
    webhook = request.args.get("webhook") or None
    return {"deliveries": mock().webhooks.deliveries(webhook)}


@control.post("/webhooks/flush")
def webhooks_flush() -> Any:
    """Block until no delivery is pending (bounded), so a test asserts without sleeping."""
    body = json_body(request)
    timeout = body.get("timeout", FLUSH_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 <= timeout <= 60:
        raise ControlError(400, f"timeout: expected 0..60 seconds, got {timeout!r}", "timeout")
    return {"pending": mock().webhooks.flush(float(timeout))}


@control.get("/webhooks/received")
def webhooks_received() -> Any:
    return {"received": mock().sink.received()}


@sink_routes.post("/convoso-webhook")
def convoso_webhook() -> Any:
    entry = mock().sink.record(
        dict(request.headers),
        request.content_type or "",
        request.get_data(cache=False),
        request.query_string.decode("latin-1"),
        mock().world.clock.text(),
    )
    return {"received": True, "id": entry["id"]}
