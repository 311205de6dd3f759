"""users/recordings (agents' recordings): schema, view and declaration."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import CommaList, Paging, Timestamp, about
from mockvoso.schemas.replies import TIMESTAMP, Reply, integer, nested, string, success
from mockvoso.store import OfficeStore

USER_RECORDINGS_DEFAULT_LIMIT = 20
USER_RECORDINGS_MAX_LIMIT = 1000  # undocumented by Convoso: our own cap

TAG = "Users"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


class UserRecordingsArgs(ArgsSchema):
    user = CommaList(
        metadata=about(
            "Agent e-mail addresses (comma-separated). Required: missing is error 6005; an\n"
            "e-mail that is no agent of the office is 6006.",
            "jane.doe@acme.example",
        )
    )
    start_time = Timestamp(
        bound="start", metadata=about("Recordings started at or after this time.")
    )
    end_time = Timestamp(bound="end", metadata=about("Recordings started at or before this time."))
    limit = Paging(
        metadata=about(
            "Rows to answer: default 20, at most 1000 (mockvoso's own cap, Convoso documents\n"
            "none; a larger limit is capped and the capped value answered); 0 or non-numeric is\n"
            "error 7230.",
            5,
        )
    )
    offset = Paging(metadata=about("Rows to skip (default 0; non-numeric is error 7231)."))


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
)
