"""callbacks/insert, /update, /delete and /search: schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import CommaList, Timestamp, UtcOffset, Vocabulary, WholeNumber
from mockvoso.schemas.replies import DIGITS, TIMESTAMP, Ok, Reply, nested, string, success, text
from mockvoso.store import OfficeStore

CALLBACKS_SEARCH_DEFAULT_LIMIT = 20
CALLBACKS_SEARCH_MAX_LIMIT = 5000  # both SDKs clamp here

TAG = "Callbacks"  # the contract's group for this resource

# Convoso's insert/update take system/personal, its search filter System/Personal, and
# its rows answer USERONLY (VICIdial's word): all of them are accepted everywhere.
RECIPIENTS = {
    "system": "ANYONE",
    "personal": "USERONLY",
    "anyone": "ANYONE",
    "useronly": "USERONLY",
}
# The filter's stages (official) plus the SDKs' spelling PAST_DUE.
STAGE_WORDS = {
    "pending": "PENDING",
    "pastdue": "PASTDUE",
    "past_due": "PASTDUE",
    "missed": "MISSED",
    "completed": "COMPLETED",
    "dismissed": "DISMISSED",
}
DISMISS = {"dismissed": "DISMISSED"}  # the only status callbacks/update documents

# --------------------------------------------------------------------------- input


# Convoso documents no length; VICIdial's callbacks table (its lineage, see RECIPIENTS)
# keeps 255 characters, and a short cap keeps GET URLs inside servers' line limits.
COMMENTS_MAX = 255


def _comments() -> fields.Field:
    return fields.String(validate=validate.Length(max=COMMENTS_MAX))


class CallbackInsertArgs(ArgsSchema):
    lead_id = WholeNumber()
    recipient = Vocabulary(RECIPIENTS)
    callback_time_zone = UtcOffset()
    callback_time = fields.String(validate=validate.Length(max=64))
    user_id = WholeNumber()
    comments = _comments()


class CallbackUpdateArgs(ArgsSchema):
    callback_id = WholeNumber()
    user_id = WholeNumber()
    recipient = Vocabulary(RECIPIENTS)
    comments = _comments()
    callback_time_zone = UtcOffset()
    callback_time = fields.String(validate=validate.Length(max=64))
    # The official table names callback_status; its example URL and walmat send status.
    callback_status = Vocabulary(DISMISS)
    status = Vocabulary(DISMISS)


class CallbackDeleteArgs(ArgsSchema):
    callback_id = WholeNumber()


class CallbacksSearchArgs(ArgsSchema):
    start_date = Timestamp(bound="start")
    end_date = Timestamp(bound="end")
    offset = WholeNumber()
    limit = WholeNumber()
    id = CommaList(digits=True)
    campaign_id = CommaList(digits=True)
    lead_id = CommaList(digits=True)
    list_id = CommaList(digits=True)
    user_id = CommaList(digits=True)
    comments = fields.String()
    account_id = WholeNumber()  # "if applicable": one account per office here, ignored
    recipient = Vocabulary(RECIPIENTS)
    stage = Vocabulary(STAGE_WORDS)


# --------------------------------------------------------------------------- output


class CallbackIdData(Reply):
    callback_id = string("The callback's id, as a **string**.", pattern=DIGITS)


class CallbackInsertResult(Reply):
    success = success()
    data = nested(CallbackIdData)


class CallbackUpdateResult(Reply):
    success = success()
    data = nested(CallbackIdData)


_EMPTY_OR_DIGITS = r"^[0-9]*$"


class Callback(Reply):
    id = string(pattern=DIGITS)
    lead_id = string(pattern=DIGITS)
    list_id = string("The lead's list now.", pattern=_EMPTY_OR_DIGITS)
    campaign_id = string("The campaign of the lead's list.", pattern=_EMPTY_OR_DIGITS)
    status = string("`ACTIVE`, `COMPLETED` or `DISMISSED`.", pattern=r"^[A-Z]+$")
    created_at = string(pattern=TIMESTAMP)
    callback_time = string("When it falls due, in the server clock's time.", pattern=TIMESTAMP)
    modified_at = string(pattern=TIMESTAMP)
    user = string('The assigned agent\'s user id; `""` for a system callback.')
    recipient = string("`USERONLY` (personal) or `ANYONE` (system).", pattern=r"^[A-Z]+$")
    comments = string()
    context = string('The call-log id it was set on (`"0"` without one).', pattern=DIGITS)
    callback_seen = text("When it was completed or dismissed; null before.", pattern=TIMESTAMP)
    stage = string("`Pending`, `Past Due`, `Missed`, `Completed` or `Dismissed`.")
    class_ = fields.String(  # "class" is a Python keyword: declared by its wire name
        required=True,
        data_key="class",
        metadata={"description": "The stage as a CSS class name, lower case."},
    )
    user_name = string('The assigned agent\'s full name (`""` for none).')
    directory_name = string("The name of the lead's list.")
    campaign_name = string()
    campaign_type = string()
    status_name = string("The name of the lead's disposition.")
    phone_number = string()


Callback.OPENAPI = {"description": "A callbacks/search row: every value a string."}


class CallbacksSearchData(Reply):
    offset = string("As a **string**.", pattern=DIGITS)
    limit = string("As a **string** (a limit above 5000 is capped).", pattern=DIGITS)
    total = string("How many callbacks match, as a **string**.", pattern=DIGITS)
    results = nested(Callback, many=True)


class CallbacksSearchResult(Reply):
    success = success()
    data = nested(CallbacksSearchData)


# --------------------------------------------------------------------------- views


def callbacks_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    callback_id = store.insert_callback(args)
    return {"success": True, "data": {"callback_id": str(callback_id)}}


def callbacks_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    status = args.pop("callback_status", None) or args.pop("status", None)
    if status is not None:
        args["status"] = status
    callback_id = store.update_callback(args)
    return {"success": True, "data": {"callback_id": str(callback_id)}}


def callbacks_delete(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    store.delete_callback(args.get("callback_id"))
    return {"success": True}


def callbacks_search(store: OfficeStore, filters: dict[str, Any]) -> dict[str, Any]:
    offset, limit = take_paging(filters, CALLBACKS_SEARCH_DEFAULT_LIMIT, CALLBACKS_SEARCH_MAX_LIMIT)
    total, rows = store.search_callbacks(filters, offset, limit)
    # Convoso quirk (official example): the three counts are strings here.
    return {
        "success": True,
        "data": {"offset": str(offset), "limit": str(limit), "total": str(total), "results": rows},
    }


# --------------------------------------------------------------------------- declarations

_TIME_PROSE = """\
`callback_time` is `YYYY-MM-DD hh:mm AM/PM` (Convoso's format; `YYYY-MM-DD HH:MM:SS` is
accepted too) in the zone `callback_time_zone`: hours from UTC (`-7.00`) or a tz name
(`America/Los_Angeles`). It is stored, and answered by callbacks/search, in the server
clock's time (UTC)."""

ACTIONS = (
    Action(
        "callbacks/insert",
        view=callbacks_insert,
        args=CallbackInsertArgs,
        result=CallbackInsertResult,
        summary="Schedule a callback",
        description=f"""\
Schedules a callback on a lead. `lead_id`, `recipient` (`system` or `personal`),
`callback_time_zone` and `callback_time` are required (6023); a personal callback also
needs the agent's `user_id` (6023). {_TIME_PROSE}

**Convoso quirk:** `data.callback_id` is a **string**.
""",
        errors=(6001, 6006, 6023, 7237),
    ),
    Action(
        "callbacks/update",
        view=callbacks_update,
        args=CallbackUpdateArgs,
        result=CallbackUpdateResult,
        summary="Change or dismiss a callback",
        description=f"""\
Changes the fields sent of `callback_id` (6038 if unknown). `callback_status=dismissed`
(or `status=dismissed`, as the official example and walmat/convoso-sdk send it) dismisses
it. A new `callback_time` needs its `callback_time_zone` (6023). {_TIME_PROSE}
""",
        errors=(6006, 6023, 6038, 7237),
    ),
    Action(
        "callbacks/delete",
        view=callbacks_delete,
        args=CallbackDeleteArgs,
        result=Ok,
        summary="Delete a callback",
        description="Removes `callback_id` for good: callbacks/search no longer finds it.\n",
        errors=(6023, 6038),
    ),
    Action(
        "callbacks/search",
        view=callbacks_search,
        args=CallbacksSearchArgs,
        result=CallbacksSearchResult,
        summary="Search callbacks",
        description="""\
Callbacks matching every filter, ascending id, one page at a time (default 20, at most
5000). `start_date`/`end_date` bound the callback time; `comments` matches a part of the
comments, any case; `recipient` takes `System`/`Personal`; `stage` takes `PENDING`,
`PASTDUE` (or `PAST_DUE`), `MISSED`, `COMPLETED`, `DISMISSED`. A search by `lead_id` or
`user_id` reads an index.

The stage is derived when the search runs: a dismissed or completed callback is
`Dismissed` / `Completed`; any other is `Pending` until its time, then `Past Due`, and
`Missed` once it is more than a day overdue.

**Convoso quirk:** `offset`, `limit` and `total` are **strings**, the rows are in
`data.results`, and every value of a row is a string.
""",
        errors=(7230, 7231),
    ),
)
