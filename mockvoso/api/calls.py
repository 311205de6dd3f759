"""Views of log/retrieve (the call log) and users/recordings."""

from __future__ import annotations

from typing import Any

from mockvoso.api.pipeline import action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.calls import LogRetrieveArgs, UserRecordingsArgs
from mockvoso.schemas.common import load_args, take_paging
from mockvoso.store import OfficeStore

LOG_RETRIEVE_DEFAULT_LIMIT = 500
LOG_RETRIEVE_MAX_LIMIT = 500
USER_RECORDINGS_DEFAULT_LIMIT = 20
USER_RECORDINGS_MAX_LIMIT = 1000  # undocumented by Convoso: our own cap

_log_args = LogRetrieveArgs()
_recordings_args = UserRecordingsArgs()


@action("log/retrieve")
def log_retrieve(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    filters = load_args(_log_args, params)
    offset, limit = take_paging(filters, LOG_RETRIEVE_DEFAULT_LIMIT, LOG_RETRIEVE_MAX_LIMIT)
    newest_first = filters.pop("order", "desc") == "desc"
    include_recordings = filters.pop("include_recordings", False)
    total, rows = store.retrieve_call_log(filters, offset, limit, newest_first, include_recordings)
    # Convoso quirks: total_found is a string and `entries` is the COUNT of rows.
    return {
        "success": True,
        "data": {
            "offset": offset,
            "limit": limit,
            "total_found": str(total),
            "entries": len(rows),
            "results": rows,
        },
    }


@action("users/recordings")
def users_recordings(store: OfficeStore, params: dict[str, str]) -> dict[str, Any]:
    args = load_args(_recordings_args, params)
    if "user" not in args:
        raise ConvosoError(6005)
    offset, limit = take_paging(args, USER_RECORDINGS_DEFAULT_LIMIT, USER_RECORDINGS_MAX_LIMIT)
    total, entries = store.user_recordings(
        args["user"], args.get("start_time"), args.get("end_time"), offset, limit
    )
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": total, "entries": entries},
    }
