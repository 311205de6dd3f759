"""sms-opt-out/insert, sms-opt-out/update and sms-opt-out/search: schemas, views, declarations."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import fields

from mockvoso.actions.action import Action
from mockvoso.actions.phone_lists import (
    PURPOSE_HELP,
    REASON_HELP,
    SEARCH_DEFAULT_LIMIT,
    SEARCH_MAX_LIMIT,
    campaign_field,
    code_field,
    entry_fields,
    entry_id_text,
    entry_row_fields,
    new_entry,
    parsed,
    phone_field,
    search_fields,
    search_filters,
    text_field,
    worded,
)
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import Checked
from mockvoso.schemas.replies import Ok, Reply, integer, nested, success
from mockvoso.store import OfficeStore
from mockvoso.store.phone_lists import (
    numeric,
    whole,
)

TAG = "SMS opt-out"  # the contract's group for this resource

SEARCH_MAX_OFFSET = 1_000_000  # the official search page's maximum
# The official SMS pages' own texts (convoso-api-more.md §13: 6058 reads "Purpose" on
# the insert and search pages, sic).
INSERT_TEXTS = {
    6006: "Invalid Campaign ID",
    6007: "Invalid Phone Number",
    6008: "The phone number already exists",
    6026: "Missing or Invalid Country Code",
    6058: "Invalid Purpose Provided",
}
UPDATE_TEXTS = {
    6008: "The phone number is invalid.",
    6026: "Missing or Invalid Country Code",
    6056: "Missing or Invalid value for ID",
}
SEARCH_TEXTS = {
    6006: "Invalid Campaign ID",
    6008: "The phone number already exists",
    6026: "Missing or Invalid Country Code",
    6058: "Invalid Purpose Provided",
}
_ENTRY_KEYS = ("phone_number", "phone_code", "campaign_id")

# --------------------------------------------------------------------------- input


class SmsOptOutInsertArgs(ArgsSchema):
    phone_number = phone_field()
    phone_code = code_field()
    campaign_id = campaign_field()
    reason = text_field(REASON_HELP)
    purpose = text_field(PURPOSE_HELP)


class SmsOptOutUpdateArgs(ArgsSchema):
    # Sent empty, these answer 4001 rather than being "not supplied".
    KEEP_BLANK: ClassVar[frozenset[str]] = frozenset(_ENTRY_KEYS)

    id = Checked(metadata={"description": "The entry's id (see sms-opt-out/search)."})
    phone_number = phone_field()
    phone_code = code_field()
    campaign_id = campaign_field()
    reason = text_field(REASON_HELP + " `-BLANK-` empties it.")
    purpose = text_field(PURPOSE_HELP + " `-BLANK-` empties it.")


_MATCH = " `-BLANK-` finds empty ones, `-NOTBLANK-` the others."
_REASON = text_field(REASON_HELP.replace(", or `-BLANK-`", "") + _MATCH)
_PURPOSE = text_field(PURPOSE_HELP.replace(", or `-BLANK-`", "") + _MATCH)
SmsOptOutSearchArgs = ArgsSchema.from_dict(
    {
        **search_fields(),
        "reason": _REASON,
        "purpose": _PURPOSE,
        # walmat/convoso-sdk sends them capitalised; the official page does not.
        "Reason": text_field("Same as `reason`."),
        "Purpose": text_field("Same as `purpose`."),
    },
    name="SmsOptOutSearchArgs",
)


# --------------------------------------------------------------------------- output


class SmsOptOutUpdateData(Reply):
    id = entry_id_text()


class SmsOptOutUpdateResult(Reply):
    success = success()
    data = nested(SmsOptOutUpdateData)


_ROW = entry_row_fields()
SmsOptOutEntry = Reply.from_dict(
    {
        "id": _ROW["id"],
        "phone_number": _ROW["phone_number"],
        "campaign_id": _ROW["campaign_id"],
        "reason": _ROW["reason"],
        "Purpose": fields.String(
            required=True,
            validate=_ROW["purpose"].validators,
            metadata={"description": 'A purpose word, or `""` (the key is capitalised).'},
        ),
        "insert_date": _ROW["insert_date"],
        "phone_code": _ROW["phone_code"],
        "campaign_uid": _ROW["campaign_uid"],
        "campaign_name": _ROW["campaign_name"],
    },
    name="SmsOptOutEntry",
)
SmsOptOutEntry.OPENAPI = {
    "description": "An SMS opt-out as sms-opt-out/search answers it: every value a string."
}


class SmsOptOutSearchData(Reply):
    offset = integer(minimum=0, maximum=SEARCH_MAX_OFFSET)
    limit = integer(minimum=1, maximum=SEARCH_MAX_LIMIT)
    total = integer("How many entries match (an integer here).", minimum=0)
    entries = nested(SmsOptOutEntry, many=True)


class SmsOptOutSearchResult(Reply):
    success = success()
    data = nested(SmsOptOutSearchData)


# --------------------------------------------------------------------------- views


@worded(INSERT_TEXTS)
def sms_opt_out_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    store.insert_sms_opt_out(*new_entry(args))
    return {"success": True}  # no id: the official page stresses it


@worded(UPDATE_TEXTS)
def sms_opt_out_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    entry_id = parsed(args, "id", whole, 6056)
    for name in _ENTRY_KEYS:
        if name in args and args[name] == "":
            raise ConvosoError(4001)
        if name in args and not numeric(args[name]):
            raise ConvosoError(4002)
    changes = entry_fields(args, bad_phone=6008, bad_campaign=6004)
    store.update_sms_opt_out(entry_id, changes)
    return {"success": True, "data": {"id": str(entry_id)}}  # a string, inside data


@worded(SEARCH_TEXTS)
def sms_opt_out_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("offset", 0) > SEARCH_MAX_OFFSET:
        raise ConvosoError(7231)
    offset, limit = take_paging(args, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT)
    filters = search_filters(
        args,
        bad_id=None,  # `id` is a string on the official page: a non-number matches nothing
        reason=args.get("reason", args.get("Reason")),
        purpose=args.get("purpose", args.get("Purpose")),
    )
    total, entries = store.search_sms_opt_outs(filters, offset, limit)
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": total, "entries": entries},
    }


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "sms-opt-out/insert",
        view=sms_opt_out_insert,
        args=SmsOptOutInsertArgs,
        result=Ok,
        summary="Opt a number out of SMS",
        description="""\
Adds `(phone_number, phone_code, campaign_id)` to the SMS opt-out list (`campaign_id` `0`
= office-wide): a list of its own, apart from DNC, with the same model, vocabularies
(`reason`, `purpose`) and checks as dnc/insert. All three are required.

**Convoso quirk:** the answer is a bare `{"success": true}` — no id, unlike dnc/insert.
""",
        errors=(6006, 6007, 6008, 6026, 6057, 6058),
        error_texts=INSERT_TEXTS,
    ),
    Action(
        "sms-opt-out/update",
        view=sms_opt_out_update,
        args=SmsOptOutUpdateArgs,
        result=SmsOptOutUpdateResult,
        summary="Change an SMS opt-out",
        description="""\
Changes the given fields of the entry `id` (6056 when missing or unknown). `phone_number`,
`phone_code` or `campaign_id` sent **empty** answers 4001, and one that is not a number
4002 (checked before 6008 / 6026 / 6004). `-BLANK-` empties `reason` or `purpose`.

**Convoso quirk:** the id comes back as a **string** inside `data`, unlike dnc/update's
top-level integer.
""",
        errors=(4001, 4002, 6004, 6008, 6026, 6056, 6057, 6058, 6059),
        error_texts=UPDATE_TEXTS,
    ),
    Action(
        "sms-opt-out/search",
        view=sms_opt_out_search,
        args=SmsOptOutSearchArgs,
        result=SmsOptOutSearchResult,
        summary="Search the SMS opt-outs",
        description="""\
Entries matching every filter, ascending id, one page at a time (default 100, at most
1000; `offset` at most 1,000,000, else 7231). Filters as dnc/search's; `Reason` and
`Purpose` (capitalised, as walmat/convoso-sdk sends them) are read like `reason` and
`purpose`.

**Convoso quirk:** an entry's purpose is under the key **`Purpose`** (capitalised) while
`reason` is lower-case, and there is no `campaign_type`.
""",
        errors=(6006, 6008, 6026, 6057, 6058, 7230, 7231),
        error_texts=SEARCH_TEXTS,
    ),
)
