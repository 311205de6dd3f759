"""lists/insert, lists/update, lists/delete and lists/search: schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.records import LIST_NAME_CHARS, LIST_NAME_MAX
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import CommaList, Text, WholeNumber, YesNo, about
from mockvoso.schemas.replies import TIMESTAMP, Ok, Reply, integer, nested, string, success, text
from mockvoso.store import OfficeStore

TAG = "Lists"  # the contract's group for this resource

# --------------------------------------------------------------------------- input


_DESCRIPTION = "Free text, at most 255 characters."


class ListInsertArgs(ArgsSchema):
    name = Text(
        validate=[
            validate.Length(max=LIST_NAME_MAX),
            validate.Regexp(
                LIST_NAME_CHARS,
                error="Only letters, digits, ':', '-', '_' and spaces are allowed.",
            ),
        ],
        metadata=about(
            "The list's name (required, else 6003): 10 to 30 letters, digits, `:`, `-`, `_` and\n"
            "spaces (shorter is 6046; longer or another character is a 400), unique in the\n"
            "office, case-insensitively (6081).",
            "Spring Promo Leads",
        ),
    )
    campaign_id = WholeNumber(
        metadata=about("The campaign the list belongs to (required; unknown is 6004).", 501)
    )
    description = Text(validate=validate.Length(max=255), metadata=about(_DESCRIPTION))
    # 1 active (default) / 0 inactive on input; "Y"/"N" on output.
    status = YesNo(
        metadata=about("`1` active (default) or `0` inactive; lists/search answers it as `Y`/`N`.")
    )


class ListUpdateArgs(ArgsSchema):
    name = Text(
        validate=[
            validate.Length(max=LIST_NAME_MAX),
            validate.Regexp(
                LIST_NAME_CHARS,
                error="Only letters, digits, ':', '-', '_' and spaces are allowed.",
            ),
        ],
        metadata=about(
            "A new name: 10 to 30 letters, digits, `:`, `-`, `_` and spaces (shorter is 6046;\n"
            "longer or another character is a 400), unique in the office (6081)."
        ),
    )
    campaign_id = WholeNumber(metadata=about("Move the list to this campaign (unknown is 6004)."))
    description = Text(
        validate=validate.Length(max=255),
        metadata=about(_DESCRIPTION, "Leads older than 90 days"),
    )
    status = YesNo(metadata=about("`1` active or `0` inactive."))
    list_id = WholeNumber(
        metadata=about("The list to change (required; unknown or missing is error 6002).", 2702)
    )


class ListDeleteArgs(ArgsSchema):
    list_id = WholeNumber(
        metadata=about(
            "The list to delete, with every lead in it (required; unknown or missing is 6002).",
            2706,
        )
    )


class ListSearchArgs(ArgsSchema):
    id = CommaList(
        digits=True,
        metadata=about(
            "Only these lists (comma-separated). When none of them exists the answer is error\n"
            "6002."
        ),
    )
    campaign_id = WholeNumber(metadata=about("Only the lists of this campaign.", 501))
    # Officially `status` is required; working clients omit it, so it is optional here.
    status = YesNo(
        metadata=about(
            "Only active (`1`) or inactive (`0`) lists. Convoso's documentation calls it\n"
            "required; working clients omit it, and so may you."
        )
    )


# --------------------------------------------------------------------------- output


class ListIdData(Reply):
    list_id = integer("The list's id.")


class ListInsertResult(Reply):
    success = success()
    data = nested(ListIdData)
    id = integer()


ListInsertResult.OPENAPI = {
    "description": "lists/insert success: the new id twice, in `data.list_id` and in `id`."
}


class ListUpdateResult(Reply):
    success = success()
    data = nested(ListIdData)


class YN(fields.String):
    """`"Y"` or `"N"`: how Convoso answers a status written as 1/0."""

    def __init__(self) -> None:
        super().__init__(required=True, validate=validate.OneOf(("Y", "N")))

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/YN"}


class List(Reply):
    id = integer()
    name = string()
    status = YN()
    campaign_id = integer()
    last_called_at = text(pattern=TIMESTAMP)


class ListSearchResult(Reply):
    success = success()
    data = nested(List, many=True)


# --------------------------------------------------------------------------- views


def lists_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    list_id = store.insert_list(args)
    # Convoso answers the new id twice: in data and at the top level.
    return {"success": True, "data": {"list_id": list_id}, "id": list_id}


def lists_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    list_id = store.update_list(args.pop("list_id", None), args)
    return {"success": True, "data": {"list_id": list_id}}


def lists_delete(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    store.delete_list(args.get("list_id"))
    return {"success": True}


def lists_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    ids = [int(i) for i in args["id"]] if "id" in args else None
    data = store.search_lists(ids, args.get("campaign_id"), args.get("status"))
    return {"success": True, "data": data}  # a bare array, no paging


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "lists/insert",
        view=lists_insert,
        args=ListInsertArgs,
        result=ListInsertResult,
        summary="Create a list",
        description="""\
Creates a list in a campaign and answers its id. A name is 10-30 characters of letters,
digits, `:`, `-`, `_` and spaces (shorter: 6046).

**Convoso quirk:** the new id is answered **twice**: as `data.list_id` and as a top-level
`id` (both integers).
""",
        errors=(6003, 6004, 6046, 6081),
    ),
    Action(
        "lists/update",
        view=lists_update,
        args=ListUpdateArgs,
        result=ListUpdateResult,
        summary="Change a list",
        description="Renames, re-describes, moves or (de)activates a list.\n",
        errors=(6002, 6004, 6046, 6081),
    ),
    Action(
        "lists/delete",
        view=lists_delete,
        args=ListDeleteArgs,
        result=Ok,
        summary="Delete a list and its leads",
        description="Deletes a list and every lead in it (with their call history).\n",
        errors=(6002,),
    ),
    Action(
        "lists/search",
        view=lists_search,
        args=ListSearchArgs,
        result=ListSearchResult,
        summary="Search lists",
        description="""\
The office's lists, ascending id, filtered by ids, campaign and status. No paging.

**Convoso quirk:** `data` is a **bare array** (no offset/limit/total), and `status` is
`Y`/`N` although it is written as 1/0. 6002 answers when `id` is given and none of the
ids exists.
""",
        errors=(6002,),
    ),
)
