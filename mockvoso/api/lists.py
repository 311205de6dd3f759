"""Views of lists/insert, lists/update, lists/delete and lists/search."""

from __future__ import annotations

from typing import Any

from mockvoso.api.pipeline import action
from mockvoso.schemas.common import load_args
from mockvoso.schemas.lists import ListDeleteArgs, ListInsertArgs, ListSearchArgs, ListUpdateArgs
from mockvoso.store import OfficeStore

_insert_args = ListInsertArgs()
_update_args = ListUpdateArgs()
_delete_args = ListDeleteArgs()
_search_args = ListSearchArgs()


@action("lists/insert")
def lists_insert(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    list_id = store.insert_list(load_args(_insert_args, params))
    # Convoso answers the new id twice: in data and at the top level.
    return {"success": True, "data": {"list_id": list_id}, "id": list_id}


@action("lists/update")
def lists_update(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_update_args, params)
    list_id = store.update_list(args.pop("list_id", None), args)
    return {"success": True, "data": {"list_id": list_id}}


@action("lists/delete")
def lists_delete(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    store.delete_list(load_args(_delete_args, params).get("list_id"))
    return {"success": True}


@action("lists/search")
def lists_search(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_search_args, params)
    ids = [int(i) for i in args["id"]] if "id" in args else None
    data = store.search_lists(ids, args.get("campaign_id"), args.get("status"))
    return {"success": True, "data": data}  # a bare array, no paging
