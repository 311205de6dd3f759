"""status/search, status/insert and status/update (dispositions): schemas, views, declarations."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.replies import Reply, integer, nested, string, success
from mockvoso.store import OfficeStore
from mockvoso.store.phone_lists import STATUS_FLAGS, hex_color

TAG = "Statuses"  # the contract's group for this resource

_CODE = re.compile(r"^[A-Za-z0-9]{2,6}$")
# Each flag's code when missing or not Y/N (insert), and when sent empty (update).
FLAG_CODES: dict[str, int] = {flag: 6062 + i for i, flag in enumerate(STATUS_FLAGS)}
EMPTY_FLAG_CODES: dict[str, int] = {flag: 6071 + i for i, flag in enumerate(STATUS_FLAGS)}
# Convoso's example answers 1 for every status; what other values mean is undocumented.
WORKFLOW_EVENT_OPTION = 1

# --------------------------------------------------------------------------- input

_FLAG_HELP = {
    "final": "Y: the lead is done with.",
    "reached": "Y: a person was reached.",
    "success": "Y: a successful outcome.",
    "dnc": "Y: a lead given this status goes on its campaign's DNC list.",
    "callback": "Y: a callback status.",
    "contact": "Y: a contact was made.",
    "voicemail": "Y: a voicemail was left.",
}


def _flag_fields() -> dict[str, fields.Field]:
    return {
        flag: fields.String(metadata={"description": f"`Y` or `N`. {_FLAG_HELP[flag]}"})
        for flag in STATUS_FLAGS
    }


class StatusSearchArgs(ArgsSchema):
    query = fields.String(
        metadata={"description": "Part of a code or name, any case; empty: every status."}
    )


_CODE_HELP = "The status code: 2-6 letters or digits."
_HEX_HELP = "A color as 6 hex digits **without** `#`, e.g. `6711d1`."
StatusInsertArgs = ArgsSchema.from_dict(
    {
        "status": fields.String(metadata={"description": _CODE_HELP, "examples": ["C001"]}),
        "name": fields.String(metadata={"description": "The status's name (required)."}),
        "hex_color": fields.String(metadata={"description": _HEX_HELP}),
        **_flag_fields(),
    },
    name="StatusInsertArgs",
)


class _StatusUpdateBase(ArgsSchema):
    # A flag sent empty answers 6071-6077 instead of counting as "not supplied".
    KEEP_BLANK: ClassVar[frozenset[str]] = frozenset(STATUS_FLAGS)


StatusUpdateArgs = _StatusUpdateBase.from_dict(
    {
        "status": fields.String(metadata={"description": "A custom status's code."}),
        "name": fields.String(metadata={"description": "A new name; empty keeps the old one."}),
        "hex_color": fields.String(metadata={"description": _HEX_HELP}),
        **_flag_fields(),
    },
    name="StatusUpdateArgs",
)

# --------------------------------------------------------------------------- output

_YN = validate.OneOf(("Y", "N"))


def _yes_no(description: str | None = None) -> fields.Field:
    return fields.String(
        required=True,
        validate=_YN,
        metadata={"description": description} if description else {},
    )


StatusRow = Reply.from_dict(
    {
        "status": string(pattern=r"^[A-Za-z0-9]{2,6}$"),
        "name": string(),
        **{flag: _yes_no() for flag in STATUS_FLAGS},
        # Spelt as Convoso's example spells it (its field table says "disposition").
        "workflow_dispositon_event_option": integer("Always 1 here (undocumented values)."),
        "custom_status": _yes_no("`Y` for a status the account made (editable), `N` built in."),
        "hex_color": string(
            'Its color: 6 hex digits without `#`, or `""`.', pattern=r"^([0-9A-Fa-f]{6})?$"
        ),
    },
    name="StatusRow",
)
StatusRow.OPENAPI = {"description": "A status (disposition) as status/search answers it."}


class StatusSearchResult(Reply):
    success = success()
    code = fields.Constant(200, required=True)
    data = nested(StatusRow, many=True)


class StatusInsertData(Reply):
    new = fields.String(
        required=True,
        validate=validate.OneOf(("0", "1")),
        metadata={"description": '`"1"` when the code is new, `"0"` when it existed.'},
    )
    status = string(pattern=r"^[A-Za-z0-9]{2,6}$")


class StatusInsertResult(Reply):
    success = success()
    code = fields.Constant(200, required=True)
    data = nested(StatusInsertData)


class StatusUpdateData(Reply):
    status = string(pattern=r"^[A-Za-z0-9]{2,6}$")


class StatusUpdateResult(Reply):
    success = success()
    data = nested(StatusUpdateData)


# --------------------------------------------------------------------------- views


def status_row(status: dict[str, Any]) -> dict[str, Any]:
    row = {"status": status["status"], "name": status["name"]}
    row.update((flag, status[flag]) for flag in STATUS_FLAGS)
    row["workflow_dispositon_event_option"] = WORKFLOW_EVENT_OPTION
    row["custom_status"] = status["custom"]
    row["hex_color"] = status["hex_color"]
    return row


def status_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    rows = store.search_statuses(args.get("query"))
    return {"success": True, "code": 200, "data": [status_row(row) for row in rows]}


def _yes_no_value(raw: str) -> str | None:
    text = raw.strip().upper()
    return text if text in ("Y", "N") else None


def status_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    if not str(args.get("name", "")).strip():
        raise ConvosoError(6060)
    code = str(args.get("status", "")).strip()
    if not _CODE.match(code):
        raise ConvosoError(6061)
    values = {"status": code, "name": str(args["name"]).strip()}
    for flag in STATUS_FLAGS:
        value = _yes_no_value(str(args.get(flag, "")))
        if value is None:
            raise ConvosoError(FLAG_CODES[flag])
        values[flag] = value
    if "hex_color" in args:
        color = hex_color(str(args["hex_color"]).strip())
        if color is None:
            raise ConvosoError(6078)
        values["hex_color"] = color.lower()
    new = store.insert_status(values)
    return {"success": True, "code": 200, "data": {"new": "1" if new else "0", "status": code}}


def status_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    code = str(args.get("status", "")).strip()
    if not _CODE.match(code):
        raise ConvosoError(6069)
    changes: dict[str, str] = {}
    if "name" in args and str(args["name"]).strip():
        changes["name"] = str(args["name"]).strip()
    for flag in STATUS_FLAGS:
        if flag not in args:
            continue
        if args[flag] == "":
            raise ConvosoError(EMPTY_FLAG_CODES[flag])
        value = _yes_no_value(str(args[flag]))
        if value is None:  # undocumented: insert's "Missing or Invalid ... option" code
            raise ConvosoError(FLAG_CODES[flag])
        changes[flag] = value
    if "hex_color" in args:
        color = hex_color(str(args["hex_color"]).strip())
        if color is None:
            raise ConvosoError(6078)
        changes["hex_color"] = color.lower()
    stored = store.update_status(code, changes)
    return {"success": True, "data": {"status": stored}}


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "status/search",
        view=status_search,
        args=StatusSearchArgs,
        result=StatusSearchResult,
        summary="Search statuses (dispositions)",
        description="""\
The statuses whose code or name contains `query` (any case); without one (Convoso's own
example sends `query=`), every status, built-in ones first, then the account's own in the
order they were made.

**Convoso quirk:** the answer carries `"code": 200`, `data` is a bare array, and the key
`workflow_dispositon_event_option` is misspelt as in Convoso's example (an integer).
""",
    ),
    Action(
        "status/insert",
        view=status_insert,
        args=StatusInsertArgs,
        result=StatusInsertResult,
        summary="Make a custom status",
        description="""\
A new custom status: `status` (2-6 letters or digits), `name` and the seven flags `final`,
`reached`, `success`, `dnc`, `callback`, `contact`, `voicemail` (each `Y` or `N`) are
required; `hex_color` is optional. Usable at once: leads/update takes it and leads/search
shows its name. A code that exists already answers `new` `"0"` and changes nothing
(status/update changes a custom one).

**Convoso quirk:** the answer carries `"code": 200` and `new` is a string.
""",
        errors=(6060, 6061, 6062, 6063, 6064, 6065, 6066, 6067, 6068, 6078),
    ),
    Action(
        "status/update",
        view=status_update,
        args=StatusUpdateArgs,
        result=StatusUpdateResult,
        summary="Change a custom status",
        description="""\
Changes the given fields of a custom status; a built-in (system) status or an unknown
code answers 6069. An empty `name` keeps the old one, but a flag sent **empty** is an
error (6071-6077: Final, Reached, Success, DNC, Callback, Contact, Voicemail); a flag
other than `Y`/`N` answers status/insert's code for it (6062-6068).

**Convoso quirk:** unlike status/insert, the answer has no `code`.
""",
        errors=(*range(6062, 6070), *range(6071, 6079)),
    ),
)
