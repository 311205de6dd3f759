"""log/retrieve (the call log): schema, view and declaration."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.records import CALL_LOG_FIELDS, CALL_TYPES
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import Choice, CommaList, ConvosoBool, Paging, Timestamp, about
from mockvoso.schemas.replies import (
    DIGITS,
    TIMESTAMP,
    Reply,
    integer,
    nested,
    string,
    success,
    text,
)
from mockvoso.store import OfficeStore

LOG_RETRIEVE_DEFAULT_LIMIT = 500
LOG_RETRIEVE_MAX_LIMIT = 500

TAG = "Call log"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


class LogRetrieveArgs(ArgsSchema):
    id = CommaList(digits=True, metadata=about("Call-log row ids (comma-separated)."))
    lead_id = CommaList(digits=True, metadata=about("Lead ids (comma-separated)."))
    campaign_id = CommaList(
        metadata=about("Campaign ids (comma-separated; an unknown one is 6004).", "501")
    )
    queue_id = CommaList(
        metadata=about("Inbound queue ids (comma-separated; an unknown one is 6030).")
    )
    list_id = CommaList(metadata=about("List ids (comma-separated; an unknown one is 6002)."))
    user_id = CommaList(metadata=about("Agent user ids (comma-separated; an unknown one is 6006)."))
    status = CommaList(metadata=about("Disposition codes (comma-separated)."))
    phone_number = CommaList(metadata=about("The lead's phone numbers (comma-separated)."))
    number_dialed = CommaList(metadata=about("Numbers dialled (comma-separated)."))
    first_name = CommaList(metadata=about("First names (comma-separated, case-insensitive)."))
    last_name = CommaList(metadata=about("Last names (comma-separated, case-insensitive)."))
    called_count = CommaList(
        digits=True, metadata=about("Values of the row's called_count (comma-separated).")
    )
    call_type = CommaList(
        upper=True,
        validate=validate.ContainsOnly(CALL_TYPES),
        metadata=about("Call types (comma-separated, any case)."),
    )
    start_time = Timestamp(
        bound="start",
        metadata=about("Calls at or after this time (`call_date`). No default window."),
    )
    end_time = Timestamp(bound="end", metadata=about("Calls at or before this time (`call_date`)."))
    limit = Paging(
        metadata=about(
            "Rows to answer: default 500, at most 500 (a larger limit is capped and the capped\n"
            "value answered); 0, negative or non-numeric is error 7230.",
            5,
        )
    )
    offset = Paging(
        metadata=about("Rows to skip (default 0; negative or non-numeric is error 7231).")
    )
    order = Choice(
        ("asc", "desc"),
        metadata=about("`desc` newest first (default) or `asc` oldest first; any case."),
    )
    include_recordings = ConvosoBool(
        metadata=about("When true every row carries a `recording` array (default false).")
    )


# --------------------------------------------------------------------------- output


class LogRecording(Reply):
    src = string("The recording's URL.")
    type = string()
    recording_id = string(pattern=DIGITS)
    filename = string()
    public_url = string()


LogRecording.OPENAPI = {
    "description": "A recording in log/retrieve's `recording` array (ids as strings)."
}

CallLogRow = Reply.from_dict(
    {
        **{
            name: text(pattern=TIMESTAMP if name == "call_date" else None)
            for name in CALL_LOG_FIELDS
        },
        # Only with include_recordings=1.
        "recording": fields.Nested(LogRecording, many=True),
    },
    name="CallLogRow",
)
CallLogRow.OPENAPI = {"description": "A call-log row: every value a string or null."}


class LogRetrieveData(Reply):
    offset = integer(minimum=0)
    limit = integer(minimum=1, maximum=LOG_RETRIEVE_MAX_LIMIT)
    total_found = string("How many rows match, as a **string**.", pattern=DIGITS)
    entries = integer(
        "The **count** of rows in `results` (not the rows).",
        minimum=0,
        maximum=LOG_RETRIEVE_MAX_LIMIT,
    )
    results = nested(CallLogRow, many=True)


class LogRetrieveResult(Reply):
    success = success()
    data = nested(LogRetrieveData)


# --------------------------------------------------------------------------- view


def log_retrieve(store: OfficeStore, filters: dict[str, Any]) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "log/retrieve",
        view=log_retrieve,
        args=LogRetrieveArgs,
        result=LogRetrieveResult,
        summary="Retrieve the call log",
        description="""\
Call-log rows matching every filter, newest first unless `order=asc`, one page at a time
(default and maximum 500). Without `start_time`/`end_time` no date window applies (real
Convoso may default to today). With `include_recordings=1` each row carries a `recording`
array.

**Convoso quirk:** `data.total_found` is a **string**, the rows are in `data.results`, and
`data.entries` is the **integer count** of rows in this page — not the rows.
""",
        errors=(6002, 6004, 6006, 6030, 7230, 7231),
    ),
)
