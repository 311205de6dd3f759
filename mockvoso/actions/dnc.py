"""dnc/insert, dnc/update, dnc/search and dnc/delete: schemas, views and declarations."""

from __future__ import annotations

from typing import Any

from mockvoso.actions.action import Action
from mockvoso.actions.phone_lists import (
    PURPOSE_HELP,
    REASON_HELP,
    SEARCH_DEFAULT_LIMIT,
    SEARCH_MAX_LIMIT,
    campaign_field,
    code_field,
    entry_fields,
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
from mockvoso.schemas.fields import Checked, ConvosoBool
from mockvoso.schemas.replies import Ok, Reply, integer, nested, string, success
from mockvoso.store import OfficeStore
from mockvoso.store.phone_lists import country_code, phone_digits, whole

TAG = "DNC"  # the contract's group for this resource

# The texts Convoso's DNC pages give codes it words otherwise elsewhere (convoso-api-more.md
# §2.1, §2.3 official; §2.4 walmat/convoso-sdk src/types/dnc.ts).
INSERT_TEXTS = {
    6006: "Invalid Campaign ID",
    6007: "Invalid Phone Number",
    6008: "The phone number already exists.",
}
SEARCH_TEXTS = {6006: "Invalid Campaign ID", 6008: "The phone number already exists."}
DELETE_TEXTS = {
    6000: "Missing Phone Code",
    6001: "Missing Campaign ID",
    6002: "Missing Phone Number",
    6003: "Phone Number Not Found",
    6004: "Invalid Lead status",
    6005: "Missing Lead status",
}

# --------------------------------------------------------------------------- input


class DncInsertArgs(ArgsSchema):
    phone_number = phone_field()
    phone_code = code_field()
    campaign_id = campaign_field()
    reason = text_field(REASON_HELP)
    purpose = text_field(PURPOSE_HELP)


class DncUpdateArgs(ArgsSchema):
    id = Checked(metadata={"description": "The entry's id (dnc/insert's `id`)."})
    phone_number = phone_field()
    phone_code = code_field()
    campaign_id = campaign_field()
    reason = text_field(REASON_HELP + " `-BLANK-` empties it.")
    purpose = text_field(PURPOSE_HELP + " `-BLANK-` empties it.")


_MATCH = " `-BLANK-` finds empty ones, `-NOTBLANK-` the others."
DncSearchArgs = ArgsSchema.from_dict(
    {
        **search_fields(),
        "reason": text_field(REASON_HELP.replace(", or `-BLANK-`", "") + _MATCH),
        "purpose": text_field(PURPOSE_HELP.replace(", or `-BLANK-`", "") + _MATCH),
    },
    name="DncSearchArgs",
)


class DncDeleteArgs(ArgsSchema):
    phone_number = phone_field()
    phone_code = code_field()
    campaign_id = campaign_field()
    update_lead_status = ConvosoBool(
        metadata={"description": "With a true value, the number's leads get `lead_status`."}
    )
    lead_status = Checked(metadata={"description": "An existing status code."})


# --------------------------------------------------------------------------- output


class DncInsertResult(Reply):
    success = success()
    id = integer("The new entry's id (an integer here).", minimum=1)


class DncUpdateResult(Reply):
    success = success()
    id = integer("The entry's id (an integer), as sent.", minimum=0)


_ROW = entry_row_fields()
DncEntry = Reply.from_dict(
    {
        **{k: v for k, v in _ROW.items() if k not in ("reason", "purpose")},
        "campaign_type": string('`Normal`; `""` office-wide.', pattern=r"^(Normal)?$"),
        "purpose": _ROW["purpose"],
        "reason": _ROW["reason"],
    },
    name="DncEntry",
)
DncEntry.OPENAPI = {"description": "A DNC entry as dnc/search answers it: every value a string."}


class DncSearchData(Reply):
    offset = integer(minimum=0)
    limit = integer(minimum=1, maximum=SEARCH_MAX_LIMIT)
    total = integer("How many entries match (an integer here).", minimum=0)
    entries = nested(DncEntry, many=True)


class DncSearchResult(Reply):
    success = success()
    data = nested(DncSearchData)


# --------------------------------------------------------------------------- views


@worded(INSERT_TEXTS)
def dnc_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    entry_id = store.insert_dnc(*new_entry(args))
    return {"success": True, "id": entry_id}


def dnc_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    entry_id = parsed(args, "id", whole, 6056)
    changes = entry_fields(args, bad_phone=6008, bad_campaign=6004)
    store.update_dnc(entry_id, changes)
    return {"success": True, "id": entry_id}


@worded(SEARCH_TEXTS)
def dnc_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    offset, limit = take_paging(args, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT)
    filters = search_filters(
        args, bad_id=6056, reason=args.get("reason"), purpose=args.get("purpose")
    )
    total, entries = store.search_dnc(filters, offset, limit)
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": total, "entries": entries},
    }


@worded(DELETE_TEXTS)
def dnc_delete(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    for name, code in (("phone_number", 6002), ("phone_code", 6000), ("campaign_id", 6001)):
        if name not in args:
            raise ConvosoError(code)
    # A value that cannot be a number, code or campaign is on no list: not found.
    phone = parsed(args, "phone_number", phone_digits, 6003)
    code = parsed(args, "phone_code", country_code, 6003)
    campaign_id = parsed(args, "campaign_id", whole, 6003)
    lead_status = None
    if args.get("update_lead_status"):
        if "lead_status" not in args:
            raise ConvosoError(6005)
        lead_status = args["lead_status"]
    store.delete_dnc(phone, code, campaign_id, lead_status)
    return {"success": True}


# --------------------------------------------------------------------------- declarations

_WORDS = """\
`reason` is one of `DNC`, `DNCT`, `ConsentRevoked`; `purpose` one of `COLLECT`,
`COMMNOTM`, `CONFIRM`, `ESIGN`, `HIPAA`, `INFORM`, `NONCOMM`, `NONPROF`, `NOTFOUND`,
`NOTIFY`, `TELEMKT`, `VERIFY` (any case; stored in this spelling). Other words are
refused (6058 / 6057).
"""

ACTIONS = (
    Action(
        "dnc/insert",
        view=dnc_insert,
        args=DncInsertArgs,
        result=DncInsertResult,
        summary="Put a number on a DNC list",
        description=f"""\
Adds `(phone_number, phone_code, campaign_id)` to the DNC list: `campaign_id` `0` is the
office-wide list, any other the campaign's own. The triple is unique (6008); the same
number may sit on the office-wide list and on campaign lists as separate entries. All
three are required. {_WORDS}
**Convoso quirk:** unlike sms-opt-out/insert, the answer carries the new entry's `id`
(an integer, at the top level).
""",
        errors=(6006, 6007, 6008, 6026, 6057, 6058),
        error_texts=INSERT_TEXTS,
    ),
    Action(
        "dnc/update",
        view=dnc_update,
        args=DncUpdateArgs,
        result=DncUpdateResult,
        summary="Change a DNC entry",
        description=f"""\
Changes the given fields of the entry `id` (6056 when missing or unknown); `-BLANK-`
empties `reason` or `purpose`. Moving it onto a triple another entry holds answers 6059.
{_WORDS}
**Convoso quirk:** the codes differ from dnc/insert's: an unknown campaign is 6004 here
(6006 there) and a bad number 6008 here (6007 there).
""",
        errors=(6004, 6008, 6026, 6056, 6057, 6058, 6059),
    ),
    Action(
        "dnc/search",
        view=dnc_search,
        args=DncSearchArgs,
        result=DncSearchResult,
        summary="Search the DNC lists",
        description="""\
Entries matching every filter, ascending id, one page at a time (default 100, at most
1000). `campaign_id=0` gives the office-wide entries only; `insert_date` a day
(`YYYY-MM-DD`) or one second; `reason`/`purpose` a word, `-BLANK-` (empty) or
`-NOTBLANK-`. No filter: every entry of the office.

**Convoso quirk:** `offset`, `limit` and `total` are integers but every value of an entry
is a string; and a bad `phone_number` filter answers 6008 with the insert's text
(`The phone number already exists.`), as Convoso's page lists it.
""",
        errors=(6006, 6008, 6026, 6056, 6057, 6058, 7230, 7231),
        error_texts=SEARCH_TEXTS,
    ),
    Action(
        "dnc/delete",
        view=dnc_delete,
        args=DncDeleteArgs,
        result=Ok,
        summary="Take a number off a DNC list",
        description="""\
Removes the entry `(phone_number, phone_code, campaign_id)` (all three required: 6002,
6000, 6001; 6003 when there is none). With `update_lead_status` true, `lead_status`
(6005 when missing, 6004 when no such status) becomes the status of every lead with that
number — on the campaign's lists, or in the whole office for the office-wide list.
""",
        errors=(6000, 6001, 6002, 6003, 6004, 6005),
        error_texts=DELETE_TEXTS,
    ),
)
