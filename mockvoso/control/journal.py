"""Control-plane routes for the request journal and the data snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import request

from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError
from mockvoso.store.state import paused_gc

SNAPSHOT_FORMAT = "mockvoso-snapshot"
SNAPSHOT_VERSION = 1


def _whole_number(name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    # isascii: "²".isdigit() is true but int("²") raises; 20 digits is far past any status
    # or journal size, and int() refuses strings of thousands of digits.
    if not (value.isascii() and value.isdigit() and len(value) <= 20):
        raise ControlError(400, f"{name}: must be a whole number", field=name)
    return int(value)


@control.get("/requests")
def requests_list() -> Any:
    journal = mock().journal
    entries = journal.list(
        endpoint=request.args.get("endpoint") or None,
        office=request.args.get("office") or None,
        status=_whole_number("status"),
        limit=_whole_number("limit"),
    )
    for entry in entries:
        entry["time"] = iso_time(entry["time"])
    return {"requests": entries, "dropped": journal.dropped}


def iso_time(epoch: float) -> str:
    """`2026-01-01T12:00:00.123Z`: when the request arrived, in UTC."""
    stamp = datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


@control.delete("/requests")
def requests_clear() -> Any:
    mock().journal.clear()
    return {"requests": [], "dropped": 0}


@control.get("/snapshot")
def snapshot_get() -> Any:
    world = mock().world
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "offices": {acronym: store.snapshot() for acronym, store in world.offices.items()},
    }


@control.post("/snapshot")
def snapshot_restore() -> Any:
    """Restore every office in the document, or none: all are parsed before any swap."""
    doc = json_body(request, required=True)
    if doc.get("format") != SNAPSHOT_FORMAT or doc.get("version") != SNAPSHOT_VERSION:
        raise ControlError(
            400, f"not a {SNAPSHOT_FORMAT} version {SNAPSHOT_VERSION} document", field="format"
        )
    offices = doc.get("offices")
    if not isinstance(offices, dict) or not offices:
        raise ControlError(400, "offices: must be an object of office snapshots", field="offices")
    with paused_gc():  # building the states allocates millions of records
        parsed = _parse_offices(mock().world, offices)
    for store, state in parsed.values():
        store.restore(state)
    return {"restored": sorted(parsed)}


def _parse_offices(world: Any, offices: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every office's new state, parsed before any is swapped in (all or none)."""
    parsed = {}
    for acronym, office_doc in offices.items():
        store = world.office(acronym)
        if store is None:
            raise ControlError(400, f"offices: no such office: {acronym}", field="offices")
        try:
            parsed[acronym] = (store, store.parse_snapshot(office_doc))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ControlError(
                400, f"offices.{acronym}: invalid snapshot: {exc}", field="offices"
            ) from None
    return parsed
