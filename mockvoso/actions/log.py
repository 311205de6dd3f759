"""log/retrieve and log/update (the call log): schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.records import CALL_LOG_FIELDS, CALL_TYPES
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import Choice, CommaList, ConvosoBool, Timestamp, WholeNumber
from mockvoso.schemas.replies import (
    DIGITS,
    TIMESTAMP,
    Ok,
    Reply,
    integer,
    nested,
    string,
    success,
    text,
)
from mockvoso.store import OfficeStore
from mockvoso.store.log import LOG_EXTRA_FIELDS

LOG_RETRIEVE_DEFAULT_LIMIT = 500
LOG_RETRIEVE_MAX_LIMIT = 500
# "To access data sets larger than 40000 items, use start_time and end_time" (walmat SDK).
LOG_RETRIEVE_MAX_OFFSET = 40_000

TAG = "Call log"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


class LogRetrieveArgs(ArgsSchema):
    id = CommaList(digits=True)
    lead_id = CommaList(digits=True)
    # Ids are numbers: a word here is a wrong type (HTTP 400), as on every other action;
    # a number that names nothing is Convoso's domain error (6002/6004/6006/6030).
    campaign_id = CommaList(digits=True)
    queue_id = CommaList(digits=True)
    list_id = CommaList(digits=True)
    user_id = CommaList(digits=True)
    status = CommaList()
    phone_number = CommaList()
    number_dialed = CommaList()
    first_name = CommaList()
    last_name = CommaList()
    called_count = CommaList(digits=True)
    call_type = CommaList(upper=True, validate=validate.ContainsOnly(CALL_TYPES))
    start_time = Timestamp(bound="start")
    end_time = Timestamp(bound="end")
    limit = WholeNumber()
    offset = WholeNumber(validate=validate.Range(max=LOG_RETRIEVE_MAX_OFFSET))  # else 7231
    order = Choice(("asc", "desc"))
    include_recordings = ConvosoBool()


# Convoso documents no length for the extra fields: our cap, which keeps a GET with both
# inside HTTP servers' request-line limits.
EXTRA_FIELD_MAX = 1000


class LogUpdateArgs(ArgsSchema):
    call_log_id = WholeNumber()
    extra_field_01 = fields.String(validate=validate.Length(max=EXTRA_FIELD_MAX))
    extra_field_02 = fields.String(validate=validate.Length(max=EXTRA_FIELD_MAX))


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

_EXTRA_NOTE = "Only on a row log/update wrote to; null for the field it never wrote."

CallLogRow = Reply.from_dict(
    {
        **{
            name: text(pattern=TIMESTAMP if name == "call_date" else None)
            for name in CALL_LOG_FIELDS
        },
        # Only with include_recordings=1.
        "recording": fields.Nested(LogRecording, many=True),
        # Only on a row log/update wrote to (null: the field it did not write).
        **{
            name: fields.String(allow_none=True, metadata={"description": _EXTRA_NOTE})
            for name in LOG_EXTRA_FIELDS
        },
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


def default_window(store: OfficeStore, filters: dict[str, Any]) -> None:
    """start_time / end_time not sent: today 00:00:00 / 23:59:59 in the office's zone.

    Each bound has its own default, as the SDK documents them; with log_window "all"
    (a setting) a missing bound leaves that side open, the whole log.
    """
    if store.log_window != "today":
        return
    today = store.now_local().strftime("%Y-%m-%d")
    filters.setdefault("start_time", f"{today} 00:00:00")
    filters.setdefault("end_time", f"{today} 23:59:59")


def log_retrieve(store: OfficeStore, filters: dict[str, Any]) -> dict[str, Any]:
    offset, limit = take_paging(filters, LOG_RETRIEVE_DEFAULT_LIMIT, LOG_RETRIEVE_MAX_LIMIT)
    default_window(store, filters)
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


def log_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    values = {name: args[name] for name in LOG_EXTRA_FIELDS if name in args}
    store.update_call_log(args.get("call_log_id"), values)
    return {"success": True}


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
(default and maximum 500; `offset` at most 40000, else 7231). `start_time` defaults to
today 00:00:00 and `end_time` to today 23:59:59, in the office's time zone (the server's
`log_window` setting `all` makes a missing bound open instead). With
`include_recordings=1` each row carries a `recording` array. Inbound calls carry the
queue's name in `queue` and the dialled office number in `inbound_number`; abandoned
calls belong to the "System User" (user ids 666666, 666667, 666671).

**Convoso quirk:** `data.total_found` is a **string**, the rows are in `data.results`, and
`data.entries` is the **integer count** of rows in this page — not the rows.
""",
        errors=(6002, 6004, 6006, 6030, 7230, 7231),
    ),
    Action(
        "log/update",
        view=log_update,
        args=LogUpdateArgs,
        result=Ok,
        summary="Write a call's extra fields",
        description="""\
Sets `extra_field_01` and/or `extra_field_02` on the call-log row `call_log_id` (6032
without it, 6033 if unknown, 6035 with neither field). From then on log/retrieve answers
that row with both keys (null for one never written); other rows keep their shape.
""",
        errors=(6032, 6033, 6035),
    ),
)
