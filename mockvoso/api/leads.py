"""Views of leads/insert, leads/update, leads/delete and leads/search."""

from __future__ import annotations

from typing import Any

from mockvoso.api.pipeline import action
from mockvoso.records import LEAD_WRITABLE
from mockvoso.schemas.common import load_args, take_paging
from mockvoso.schemas.leads import (
    INSERT_OPTIONS,
    LeadDeleteArgs,
    LeadInsertArgs,
    LeadSearchArgs,
    LeadUpdateArgs,
)
from mockvoso.store import OfficeStore
from mockvoso.store.leads import normalize_phone

LEADS_SEARCH_DEFAULT_LIMIT = 10
LEADS_SEARCH_MAX_LIMIT = 2000

_insert_args = LeadInsertArgs()
_update_args = LeadUpdateArgs()
_delete_args = LeadDeleteArgs()
_search_args = LeadSearchArgs()


def _lead_fields(args: dict[str, Any]) -> dict[str, Any]:
    fields = {name: args[name] for name in LEAD_WRITABLE if name in args}
    fields["custom"] = args["custom"]
    return fields


@action("leads/insert")
def leads_insert(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_insert_args, params)
    options = {name: args[name] for name in INSERT_OPTIONS if name in args}
    lead_id = store.insert_lead(_lead_fields(args), options)
    return {"success": True, "data": {"lead_id": lead_id}}  # an integer here...


@action("leads/update")
def leads_update(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_update_args, params)
    lead_id = store.update_lead(args.get("lead_id"), _lead_fields(args))
    return {"success": True, "data": {"lead_id": str(lead_id)}}  # ...and a string here


@action("leads/delete")
def leads_delete(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_delete_args, params)
    store.delete_lead(args.get("lead_id"))
    return {"success": True}


@action("leads/search")
def leads_search(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    filters = load_args(_search_args, params)
    offset, limit = take_paging(filters, LEADS_SEARCH_DEFAULT_LIMIT, LEADS_SEARCH_MAX_LIMIT)
    for name in ("phone_number", "alt_phone_1", "alt_phone_2"):
        if name in filters:
            filters[name] = normalize_phone(filters[name])
    total, entries = store.search_leads(filters, offset, limit)
    # Convoso quirk: offset/limit are numbers but total is a string.
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": str(total), "entries": entries},
    }
