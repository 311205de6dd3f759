"""Read-only control routes that browse an office's data through the /v1 actions' own code."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, request

from mockvoso.actions import action_table
from mockvoso.control.routes import check_admin_token
from mockvoso.errors import ControlError, ConvosoError, HTTPError, MockvosoError
from mockvoso.schemas.common import load_args
from mockvoso.store import OfficeStore

# A blueprint of its own (not `control`): it can then be registered by any create_app()
# without having to be imported before the control blueprint is. Same admin check.
data_routes = Blueprint("control_data", __name__, url_prefix="/_mockvoso")
data_routes.before_request(check_admin_token)

DEFAULT_LIMIT = 25
# lists/search and campaigns/search answer everything at once; the browser pages them here.
UNPAGED_MAX_LIMIT = 2000


@dataclass(frozen=True)
class Resource:
    """One browsable resource: the /v1 action that searches it and how it answers."""

    action: str
    rows: str | None  # key of the rows in the action's `data`; None: `data` is the rows
    total: str | None  # key of the total in `data`; None: count the rows
    max_limit: int


RESOURCES: dict[str, Resource] = {
    "leads": Resource("leads/search", "entries", "total", 2000),
    "lists": Resource("lists/search", None, None, UNPAGED_MAX_LIMIT),
    "campaigns": Resource("campaigns/search", None, None, UNPAGED_MAX_LIMIT),
    "log": Resource("log/retrieve", "results", "total_found", 500),
    "recordings": Resource("users/recordings", "entries", "total", 1000),
}
# The field a Convoso domain error is about, for the page to show it next to that input.
_ERROR_FIELDS: dict[int, tuple[str, ...]] = {
    6002: ("list_id", "id"),
    6004: ("campaign_id",),
    6006: ("user_id", "user"),
    6008: ("phone_number", "alt_phone_1", "alt_phone_2"),
    6030: ("queue_id",),
    6079: ("email",),
    7230: ("limit",),
    7231: ("offset",),
}
_INVALID_PARAMETER = re.compile(r"^Invalid parameter ([^:\s]+):")


def _store(office: str) -> OfficeStore:
    store: OfficeStore | None = current_app.extensions["mockvoso"].world.office(office)
    if store is None:
        raise ControlError(404, f"no such office: {office!r}", field="office")
    return store


def _query_params() -> dict[str, str]:
    """The query string as /v1 reads it: a repeated key is a comma list, empty = not supplied.

    Only the query: a GET body is no part of this route (and never worth a 413 here).
    """
    out: dict[str, str] = {}
    for key in request.args:
        values = [value for value in request.args.getlist(key) if value != ""]
        if values:
            out[key] = ",".join(values)
    return out


def _paging(params: dict[str, str], max_limit: int) -> tuple[int, int]:
    """offset and limit, popped from params: whole numbers, limit 1..max_limit."""
    values = {}
    for name, default, low, high in (
        ("offset", 0, 0, 10**12),
        ("limit", DEFAULT_LIMIT, 1, max_limit),
    ):
        text = params.pop(name, None)
        if text is None:
            values[name] = default
            continue
        if not (text.isascii() and text.isdigit() and len(text) <= 13 and low <= int(text) <= high):
            raise ControlError(400, f"{name}: must be a whole number {low}..{high}", field=name)
        values[name] = int(text)
    return values["offset"], values["limit"]


def _filter_error(exc: MockvosoError, params: Container[str]) -> ControlError:
    """The action's own complaint about a filter, as a control-plane 400 naming the field."""
    field = None
    if isinstance(exc, HTTPError):
        match = _INVALID_PARAMETER.match(exc.text)
        field = match.group(1) if match else None
        return ControlError(400, exc.text, field=field)
    if isinstance(exc, ConvosoError):
        field = next((f for f in _ERROR_FIELDS.get(exc.code, ()) if f in params), None)
        return ControlError(400, f"{exc.text} (Convoso error {exc.code})", field=field)
    return ControlError(400, exc.text)


def _run_action(name: str, store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    """The /v1 action's own view, parsing and search: the one seam to the action table."""
    action = action_table()[name]
    return action.view(store, load_args(action.schema(), params))


@data_routes.get("/offices/<office>/data")
def data_counts(office: str) -> Any:
    """How many records of each resource the office holds."""
    store = _store(office)
    counts = store.counts()
    return {
        "office": store.acronym,
        "resources": {
            "leads": counts["leads"],
            "lists": counts["lists"],
            "campaigns": counts["campaigns"],
            "log": counts["call_logs"],
            "recordings": counts["recordings"],
        },
    }


@data_routes.get("/offices/<office>/data/<resource>")
def data_search(office: str, resource: str) -> Any:
    """One page of a resource, filtered exactly as its /v1 search action filters it."""
    store = _store(office)
    spec = RESOURCES.get(resource)
    if spec is None:
        known = ", ".join(RESOURCES)
        raise ControlError(
            404, f"no such resource: {resource!r} (one of {known})", field="resource"
        )
    params = _query_params()
    offset, limit = _paging(params, spec.max_limit)
    filters = dict(params)
    if spec.rows is not None:  # the action pages itself, with its own codes and caps
        params["offset"], params["limit"] = str(offset), str(limit)
    if resource == "recordings" and "user" not in params:
        # users/recordings needs agents; "every agent of the office" is what a browser means.
        params["user"] = ",".join(str(user["email"]) for user in store.users)
    try:
        answer = _run_action(spec.action, store, params)
    except MockvosoError as exc:
        raise _filter_error(exc, {*filters, "offset", "limit"}) from None
    data = answer["data"]
    if spec.rows is None:
        total = len(data)
        rows = data[offset : offset + limit]
    else:
        total = int(data[spec.total])
        rows = data[spec.rows]
    return {
        "office": store.acronym,
        "resource": resource,
        "offset": offset,
        "limit": limit,
        "total": total,
        "filters": filters,
        "entries": rows,
    }
