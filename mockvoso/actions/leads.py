"""leads/insert, leads/update, leads/delete, leads/search and leads/get-recordings: schemas,
views and declarations."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, fields, post_load, validate

from mockvoso.actions.action import Action
from mockvoso.actions.users import Recording
from mockvoso.errors import ConvosoError
from mockvoso.records import LEAD_DERIVED, LEAD_STORED, LEAD_WRITABLE
from mockvoso.schemas.common import ArgsSchema, take_paging
from mockvoso.schemas.fields import Choice, CommaList, ConvosoBool, Timestamp, WholeNumber
from mockvoso.schemas.replies import DIGITS, Ok, Reply, integer, nested, string, success, text
from mockvoso.store import OfficeStore
from mockvoso.store.lead_history import GONE_PARAMS
from mockvoso.store.leads import normalize_phone, split_country_code

LEADS_SEARCH_DEFAULT_LIMIT = 10
LEADS_SEARCH_MAX_LIMIT = 2000
LEAD_RECORDINGS_DEFAULT_LIMIT = 10
LEAD_RECORDINGS_MAX_LIMIT = 100
# "In how many minutes hopper will be expired ... Max value: 300" (walmat SDK).
HOPPER_EXPIRES_MAX = 300

TAG = "Leads"  # the contract's group for this resource

# --------------------------------------------------------------------------- input
# Options of leads/insert that steer the insert and are not stored on the lead.
INSERT_OPTIONS: tuple[str, ...] = (
    "check_dup",
    "check_dup_archive",
    "check_dnc",
    "check_wireless",
    "hopper",
    "hopper_priority",
    "hopper_expires_in",
    "hopper_expire_in",
    "update_if_found",
    "search_list_id",
    "search_campaign_id",
    "update_order_by_last_called_time",
    "reject_by_carrier_type",
    "filter_phone_code",
    "blueinkdigital_token",
    "lead_id",
    "adaptor_id",
)
# Lead fields that are numbers on Convoso's side: digits only.
_NUMERIC = {"list_id", "user_id", "owner_id", "phone_code"}


class CheckDup(fields.Field):
    """check_dup: 0 none, 1 (or true) whole office, 2 the list, 3 the list's campaign,
    4 (on the 2025 insert page, its meaning cut off in every copy found: "4 = Check
    dupl…") checked office-wide, the widest scope, until its meaning is known."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = str(value).strip().lower()
        mapped = {"true": 1, "yes": 1, "y": 1, "false": 0, "no": 0, "n": 0}.get(text)
        if mapped is not None:
            return mapped
        if text in ("0", "1", "2", "3", "4"):
            return int(text)
        raise validate.ValidationError("Must be 0, 1, 2, 3 or 4 (or true/false).")

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/CheckDup"}


def _custom(
    data: dict[str, Any], original: dict[str, Any], known: frozenset[str]
) -> dict[str, str]:
    """The custom fields, in the order the request sent them.

    marshmallow hands unknown keys over in set order, which differs between processes;
    the request's own order keeps a lead's custom fields byte-identical run to run.
    """
    return {k: str(data[k]) for k in original if k in data and k not in known}


_KNOWN = frozenset(LEAD_WRITABLE) | frozenset(INSERT_OPTIONS)
_SERVER_OWNED = (frozenset(LEAD_STORED) | frozenset(LEAD_DERIVED)) - _KNOWN


def _lead_fields() -> dict[str, fields.Field]:
    return {
        name: WholeNumber()
        if name in _NUMERIC
        else fields.String(validate=validate.Length(max=65535))
        for name in LEAD_WRITABLE
    }


class _LeadFieldsSchema(ArgsSchema):
    """Lead fields plus custom fields: unknown keys are the account's own fields."""

    class Meta:
        unknown = INCLUDE

    @post_load(pass_original=True)
    def split_custom(
        self, data: dict[str, Any], original: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        out = {k: v for k, v in data.items() if k in _KNOWN}
        # Keys the server owns (id, created_at, directory_name, ...) are ignored rather
        # than kept as custom fields that would shadow the real ones in search results.
        out["custom"] = _custom(data, original, _KNOWN | _SERVER_OWNED)
        return out


LeadInsertArgs = _LeadFieldsSchema.from_dict(
    {
        **_lead_fields(),
        "check_dup": CheckDup(),
        "check_dup_archive": ConvosoBool(),
        "check_dnc": ConvosoBool(),
        "check_wireless": ConvosoBool(),
        "filter_phone_code": ConvosoBool(),
        "hopper": ConvosoBool(),
        "hopper_priority": WholeNumber(validate=validate.Range(min=0, max=99)),
        "hopper_expires_in": WholeNumber(validate=validate.Range(max=HOPPER_EXPIRES_MAX)),
        "hopper_expire_in": WholeNumber(validate=validate.Range(max=HOPPER_EXPIRES_MAX)),
        "update_if_found": ConvosoBool(),
        "search_list_id": WholeNumber(),
        "search_campaign_id": WholeNumber(),
        "update_order_by_last_called_time": Choice(("asc", "desc")),
        "reject_by_carrier_type": fields.String(),
        "blueinkdigital_token": fields.String(),
        "lead_id": WholeNumber(),
        "adaptor_id": fields.String(),
    },
    name="LeadInsertArgs",
)
# adaptor_id is on the official leads/update example URL; its meaning is undocumented.
LeadUpdateArgs = _LeadFieldsSchema.from_dict(
    {**_lead_fields(), "lead_id": WholeNumber(), "adaptor_id": fields.String()},
    name="LeadUpdateArgs",
)


class LeadDeleteArgs(ArgsSchema):
    lead_id = WholeNumber()


# leads/search: every stored field is a filter; ids and statuses take comma lists.
_SEARCH_TEXT = [
    name
    for name in LEAD_STORED
    if name not in ("id", "list_id", "status", "user_id", "owner_id", "created_at", "modified_at")
]


class _LeadSearchBase(ArgsSchema):
    """Filters of leads/search. Unknown keys are kept: they may name custom fields."""

    class Meta:
        unknown = INCLUDE

    lead_id = CommaList(digits=True)
    list_id = CommaList(digits=True)
    user_id = CommaList()
    owner_id = CommaList()
    status = CommaList()
    offset = WholeNumber()
    limit = WholeNumber()
    created_at_start_date = Timestamp(bound="start")
    created_at_end_date = Timestamp(bound="end")
    updated_at_start_date = Timestamp(bound="start")
    updated_at_end_date = Timestamp(bound="end")
    last_call_start_date = Timestamp(bound="start")
    last_call_end_date = Timestamp(bound="end")
    # Sent by the SDKs (walmat and thornebridge): deleted or archived leads only.
    deleted_at_start = Timestamp(bound="start")
    deleted_at_end = Timestamp(bound="end")
    archived_at_start = Timestamp(bound="start")
    archived_at_end = Timestamp(bound="end")
    # Sent by thornebridge/convoso-js; read as the modification time.
    changed_at_start_date = Timestamp(bound="start")
    changed_at_end_date = Timestamp(bound="end")

    @post_load(pass_original=True)
    def split_custom(
        self, data: dict[str, Any], original: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        known = frozenset(self.declared_fields)
        out = {k: v for k, v in data.items() if k in known}
        out["custom"] = _custom(data, original, known)
        return out


LeadSearchArgs = _LeadSearchBase.from_dict(
    {name: fields.String() for name in _SEARCH_TEXT}, name="LeadSearchArgs"
)


class LeadGetRecordingsArgs(ArgsSchema):
    lead_id = WholeNumber()
    start_time = Timestamp(bound="start")
    end_time = Timestamp(bound="end")
    offset = WholeNumber()
    limit = WholeNumber()


# --------------------------------------------------------------------------- output


class LeadInsertData(Reply):
    lead_id = integer("The new (or updated) lead's id.")


class LeadInsertResult(Reply):
    success = success()
    data = nested(LeadInsertData)


class LeadUpdateData(Reply):
    lead_id = string("The lead's id — a string here.", pattern=DIGITS)


class LeadUpdateResult(Reply):
    success = success()
    data = nested(LeadUpdateData)


_LEAD_NOTES = {
    "lead_id": "Same as `id`.",
    "directory_name": "The name of the lead's list.",
    "campaign_id": "The id of the list's campaign (digits).",
    "campaign_name": "The name of the list's campaign.",
    "status_name": "The name of the lead's disposition.",
    "user_name": "The owning agent's full name.",
    "directory_uid": "The list's uid: 32 lowercase hex characters.",
    "campaign_uid": "The campaign's uid: 32 lowercase hex characters.",
    "user_uid": "The owning agent's uid: 32 lowercase hex characters.",
    "source_uid": "The lead source's uid (null for API inserts, source_id 0).",
    "source_name": "The lead source's name (null for API inserts, source_id 0).",
}

Lead = Reply.from_dict(
    {name: text(_LEAD_NOTES.get(name)) for name in (*LEAD_STORED, *LEAD_DERIVED)},
    name="Lead",
)
Lead.OPENAPI = {
    "description": (
        "A lead as leads/search answers it: every value a string or null. The stored fields\n"
        "come first in this order, then the names of its list, campaign, disposition and\n"
        "agent. **Custom fields** (any key sent to leads/insert or leads/update that is not a\n"
        "lead field) follow, each a string: the one deliberate open part of this contract,\n"
        "since an account defines its own.\n"
    ),
    "additionalProperties": {
        "type": "string",
        "description": "A custom field, exactly as written (as a string).",
    },
}


class LeadSearchData(Reply):
    offset = integer(minimum=0)
    limit = integer(
        "The limit applied (a requested limit above 2000 is capped).", minimum=1, maximum=2000
    )
    total = string("How many leads match, as a **string**.", pattern=DIGITS)
    entries = nested(Lead, many=True)


class LeadSearchResult(Reply):
    success = success()
    data = nested(LeadSearchData)


class LeadRecordingsData(Reply):
    offset = integer(minimum=0)
    limit = integer("The limit applied (above 100 is capped).", minimum=1, maximum=100)
    total = integer("How many recordings match (an integer here).", minimum=0)
    entries = nested(Recording, many=True)


class LeadGetRecordingsResult(Reply):
    success = success()
    data = nested(LeadRecordingsData)


# --------------------------------------------------------------------------- views


def _written_fields(args: dict[str, Any]) -> dict[str, Any]:
    fields = {name: args[name] for name in LEAD_WRITABLE if name in args}
    fields["custom"] = args["custom"]
    return fields


def leads_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    options = {name: args[name] for name in INSERT_OPTIONS if name in args}
    fields = _written_fields(args)
    if options.get("filter_phone_code") and fields.get("phone_number"):
        fields.update(split_country_code(str(fields["phone_number"])))
    lead_id = store.insert_lead(fields, options)
    return {"success": True, "data": {"lead_id": lead_id}}  # an integer here...


def leads_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    lead_id = store.update_lead(args.get("lead_id"), _written_fields(args))
    return {"success": True, "data": {"lead_id": str(lead_id)}}  # ...and a string here


def leads_delete(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    store.delete_lead(args.get("lead_id"))
    return {"success": True}


def leads_search(store: OfficeStore, filters: dict[str, Any]) -> dict[str, Any]:
    offset, limit = take_paging(filters, LEADS_SEARCH_DEFAULT_LIMIT, LEADS_SEARCH_MAX_LIMIT)
    for name in ("phone_number", "alt_phone_1", "alt_phone_2"):
        if name in filters:
            filters[name] = normalize_phone(filters[name])
    if GONE_PARAMS & filters.keys():
        total, entries = store.search_gone_leads(filters, offset, limit)
    else:
        total, entries = store.search_leads(filters, offset, limit)
    # Convoso quirk: offset/limit are numbers but total is a string.
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": str(total), "entries": entries},
    }


def leads_get_recordings(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    if "lead_id" not in args:
        raise ConvosoError(6005)  # the code both SDKs list for this action
    offset, limit = take_paging(args, LEAD_RECORDINGS_DEFAULT_LIMIT, LEAD_RECORDINGS_MAX_LIMIT)
    total, entries = store.lead_recordings(
        args["lead_id"], args.get("start_time"), args.get("end_time"), offset, limit
    )
    return {
        "success": True,
        "data": {"offset": offset, "limit": limit, "total": total, "entries": entries},
    }


# --------------------------------------------------------------------------- declarations

ACTIONS = (
    Action(
        "leads/insert",
        view=leads_insert,
        args=LeadInsertArgs,
        result=LeadInsertResult,
        summary="Add a lead to a list",
        description="""\
Adds a lead to a list and answers its new id. `list_id` and `phone_number` are required
(6007). With `check_dup` a duplicate phone number is refused (6009: 1 or 4 office-wide,
2 the list, 3 its campaign); with `update_if_found` an existing lead is updated instead.
With `filter_phone_code=1` a leading country code moves from `phone_number` into
`phone_code` (`15551234567` → `1` + `5551234567`). `hopper_expires_in` is at most 300.
Any parameter that is not listed here is stored as a **custom field** of the lead and
answered verbatim (as a string) by leads/search.

**Convoso quirk:** `data.lead_id` is an **integer** here, but a string in leads/update.
""",
        errors=(6002, 6006, 6007, 6008, 6009, 6079),
    ),
    Action(
        "leads/update",
        view=leads_update,
        args=LeadUpdateArgs,
        result=LeadUpdateResult,
        summary="Change a lead's fields",
        description="""\
Changes the given fields of an existing lead; fields not sent keep their value. Unlisted
parameters are custom fields, merged into the lead's custom fields.

**Convoso quirk:** `data.lead_id` is a **string** here, but an integer in leads/insert.
""",
        errors=(6001, 6002, 6006, 6008, 6079),
    ),
    Action(
        "leads/delete",
        view=leads_delete,
        args=LeadDeleteArgs,
        result=Ok,
        summary="Delete a lead",
        description="Deletes a lead, and with it its call-log rows and recordings.\n",
        errors=(6001,),
    ),
    Action(
        "leads/search",
        view=leads_search,
        args=LeadSearchArgs,
        result=LeadSearchResult,
        summary="Search leads",
        description="""\
Leads matching every filter given, in ascending id order, one page at a time (default 10,
at most 2000). Text filters match exactly, case-insensitively; id and status filters take
comma-separated lists; dates take `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (a bare date is
the start of the day for a `_start_date` and its end for an `_end_date`). A parameter that
is not listed here filters on the custom field of that name.

Deleted leads leave every search, except one with `deleted_at_start` / `deleted_at_end`:
that one searches **only** the deleted leads, by when they were deleted (the other
filters still apply). `archived_at_start` / `archived_at_end` search the archived leads
the same way; nothing archives a lead in mockvoso, so they find none.
`changed_at_start_date` / `changed_at_end_date` bound the modification time like
`updated_at_*`.

**Convoso quirk:** `data.offset` and `data.limit` are integers but `data.total` is a
**string**, and every value of every entry is a string or null — ids and counters too.
""",
        errors=(6008, 7230, 7231),
    ),
    Action(
        "leads/get-recordings",
        view=leads_get_recordings,
        args=LeadGetRecordingsArgs,
        result=LeadGetRecordingsResult,
        summary="Recordings of a lead",
        description="""\
The call recordings of `lead_id` (required: 6005 without it), ascending recording id, one
page at a time (default 10, at most 100). `start_time`/`end_time` bound the recording's
start. A lead that is unknown or has no recordings answers an empty page. A recording
still processing has `end_time` `""` and `seconds` null.

**Convoso quirk:** `lead_id=0` answers the recordings of **every** lead (real client code
relies on it). `offset`, `limit` and `total` are integers here.
""",
        errors=(6005, 7230, 7231),
    ),
)
