"""Control-plane routes for the request journal and the data snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, request

from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError
from mockvoso.store.memory import release_free_memory
from mockvoso.store.state import paused_gc
from mockvoso.store.stream import (
    MEDIA_TYPE,
    SeedChunks,
    StreamError,
    dump_stream,
    load_stream,
    read_lines,
)

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
    kind = request.args.get("format", "json")
    if kind == "jsonl":
        # Streamed from copies of the states (taken under each office's lock), so a
        # 100k-lead office is never held as one document in memory.
        lines = dump_stream(mock().office_states(), _seeded(), _seed_chunks())
        return Response(lines, mimetype=MEDIA_TYPE)
    if kind != "json":
        raise ControlError(400, "format: must be json or jsonl", field="format")
    world = mock().world
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "offices": {acronym: store.snapshot() for acronym, store in world.offices.items()},
    }


@control.post("/snapshot")
def snapshot_restore() -> Any:
    """Restore every office in the document, or none: all are parsed before any swap.

    A jsonl stream (Content-Type application/x-ndjson) is read line by line; the body
    {"save": true} writes the state file instead."""
    if request.mimetype == MEDIA_TYPE:
        return _restore_stream()
    doc = json_body(request, required=True)
    if "save" in doc:
        return _save(doc)
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
    release_free_memory()
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


def _seeded() -> dict[str, Any]:
    return {acronym: store.seeded_state() for acronym, store in mock().world.offices.items()}


def _seed_chunks() -> SeedChunks:
    """This app's lines of seed records seen in snapshots (makes restoring them cheap)."""
    return current_app.extensions.setdefault("mockvoso.seed_chunks", SeedChunks())


def _restore_stream() -> Any:
    world = mock().world
    try:
        states = load_stream(read_lines(request.stream), _seeded(), _seed_chunks())
    except StreamError as exc:
        raise ControlError(400, f"invalid snapshot stream: {exc}", field="body") from None
    for acronym, state in states.items():
        world.offices[acronym].restore(state)
    release_free_memory()
    return {"restored": sorted(states)}


def _save(doc: dict[str, Any]) -> Any:
    if list(doc) != ["save"] or doc["save"] is not True:
        raise ControlError(400, 'save: the body must be exactly {"save": true}', field="save")
    try:
        saved = mock().save_state()
    except ValueError as exc:  # no --state-file
        raise ControlError(409, str(exc), field="save") from None
    except OSError as exc:
        raise ControlError(500, f"state file not written: {exc.strerror or exc}") from None
    return {"saved": True, **saved}
