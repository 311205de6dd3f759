"""users/recordings (agents' recordings) and users/search: schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import CommaList, Timestamp, WholeNumber
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

USER_RECORDINGS_DEFAULT_LIMIT = 20
USER_RECORDINGS_MAX_LIMIT = 1000  # undocumented by Convoso: our own cap
USERS_SEARCH_DEFAULT_LIMIT = 20
USERS_SEARCH_MAX_LIMIT = 1000  # walmat/convoso-sdk clamps here; Convoso documents none

TAG = "Users"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


class UserRecordingsArgs(ArgsSchema):
    user = CommaList()
    start_time = Timestamp(bound="start")
    end_time = Timestamp(bound="end")
    limit = WholeNumber()
    offset = WholeNumber()


class UsersSearchArgs(ArgsSchema):
    user = CommaList()
    offset = WholeNumber()
    limit = WholeNumber()


# --------------------------------------------------------------------------- output


class Recording(Reply):
    recording_id = integer()
    lead_id = integer()
    start_time = string(pattern=TIMESTAMP)
    end_time = string(
        '`""` while the recording is still processing.',
        pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2})?$",
    )
    seconds = fields.Integer(
        required=True,
        strict=True,
        allow_none=True,
        validate=validate.Range(min=0),
        metadata={"description": "Length; null while processing."},
    )
    url = string("The recording's file name.")


class UserRecordingsData(Reply):
    offset = integer(minimum=0)
    limit = integer(minimum=1, maximum=USER_RECORDINGS_MAX_LIMIT)
    total = integer("How many recordings match (an integer here).", minimum=0)
    entries = nested(Recording, many=True)


class UserRecordingsResult(Reply):
    success = success()
    data = nested(UserRecordingsData)


_FLAG_01 = r"^[01]$"


class User(Reply):
    id = integer("The user id, an **integer** (the key of the entry is its string).")
    acl_access_profile = integer(minimum=0)
    email = string()
    first_name = string()
    last_name = string()
    user_level = integer(minimum=1, maximum=9)
    queue_override = string()
    allow_queue_selection = string(pattern=_FLAG_01)
    allow_callbacks = string(pattern=_FLAG_01)
    callback_types_allowed = string()
    allow_transfers = string(pattern=_FLAG_01)
    default_blended_selection = string(pattern=_FLAG_01)
    alter_custdata_override = string(pattern=r"^[YN]$")
    status = string("`Y` active, `N` disabled.", pattern=r"^[YN]$")
    local_gmt = string("Hours from GMT, e.g. `-8.00`.", pattern=r"^[+-]?[0-9]{1,2}\.[0-9]{2}$")
    allow_blended_campaign = string(pattern=_FLAG_01)
    notification = string(pattern=_FLAG_01)
    created_at = string(
        "ISO-8601 with an offset, unlike every other timestamp.",
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4}$",
    )
    connection_type = string()
    extension = fields.List(
        fields.Integer(strict=True), required=True, metadata={"description": "Integers."}
    )
    last_login = text("Null for an agent who never logged in.", pattern=TIMESTAMP)


class UsersSearchData(Reply):
    offset = integer("An **integer** here...", minimum=0)
    limit = string("...but a **string** here (a limit above 1000 is capped).", pattern=DIGITS)
    total = string("How many users match, as a **string**.", pattern=DIGITS)
    results = fields.Dict(
        keys=fields.String(validate=validate.Regexp(DIGITS)),
        values=fields.Nested(User),
        required=True,
        metadata={"description": "An **object** keyed by user id (not an array)."},
    )


class UsersSearchResult(Reply):
    success = success()
    data = nested(UsersSearchData)


# --------------------------------------------------------------------------- view


def users_recordings(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
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


def users_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    offset, limit = take_paging(args, USERS_SEARCH_DEFAULT_LIMIT, USERS_SEARCH_MAX_LIMIT)
    total, users = store.search_users(args.get("user"), offset, limit)
    # Convoso quirks (official example): offset a number, limit and total strings, and
    # the users an object keyed by their id.
    return {
        "success": True,
        "data": {
            "offset": offset,
            "limit": str(limit),
            "total": str(total),
            "results": {str(user["id"]): user for user in users},
        },
    }


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "users/recordings",
        view=users_recordings,
        args=UserRecordingsArgs,
        result=UserRecordingsResult,
        summary="Recordings of agents",
        description="""\
The call recordings of the agents named by e-mail, ascending recording id, one page at a
time (default 20). A recording still processing has `end_time` `""` and `seconds` null.

**Convoso quirk:** unlike leads/search, `data.total` is an **integer** here, and the rows
are in `data.entries`.
""",
        errors=(6005, 6006, 7230, 7231),
    ),
    Action(
        "users/search",
        view=users_search,
        args=UsersSearchArgs,
        result=UsersSearchResult,
        summary="Search users (agents)",
        description="""\
The office's users, in seed order, one page at a time (default 20, at most 1000). `user`
(a comma list) keeps the users whose e-mail, first name or last name equals one of its
terms, in any case; without it every user is answered (Convoso marks `user` required,
but real clients omit it and get every user). No match answers an empty `results`.

**Convoso quirk:** `data.results` is an **object keyed by user id**, not an array;
`offset` is an integer while `limit` and `total` are strings; each user's `id`,
`acl_access_profile` and `user_level` are integers and `extension` an array of
integers, the rest strings.
""",
        errors=(7230, 7231),
    ),
)
