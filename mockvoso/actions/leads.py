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
from mockvoso.schemas.fields import (
    Choice,
    CommaList,
    ConvosoBool,
    JsonList,
    Paging,
    Text,
    Timestamp,
    WholeNumber,
    about,
)
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
        if type(value) is JsonList:
            raise validate.ValidationError("Must be one value, not an array.")
        text = str(value).lower()
        mapped = {"true": 1, "yes": 1, "y": 1, "false": 0, "no": 0, "n": 0}.get(text)
        if mapped is not None:
            return mapped
        if text in ("0", "1", "2", "3", "4"):
            return int(text)
        raise validate.ValidationError("Must be 0, 1, 2, 3 or 4 (or true/false).")

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/CheckDup"}

    def openapi_json(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/CheckDupJson"}


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


_PHONE_RULES = (
    "Formatting characters (spaces, `()`, `.`, `-`, `+`) are dropped;\n"
    "7 to 15 digits must remain, else 6008."
)
# The lead fields as leads/insert and leads/update take them (the contract's prose).
_LEAD_FIELD_DOCS: dict[str, str] = {
    "list_id": "The list the lead belongs to (must exist in the office, else 6002).",
    "phone_code": "Country calling code (default 1).",
    "phone_number": f"The lead's phone number. {_PHONE_RULES}",
    "status": "Disposition code, e.g. `NEW` (the default), `SALE`, `CALLBK`.",
    "user_id": "The agent who owns the lead: a user id of the office (else 6006).",
    "owner_id": "Owner agent's user id (else 6006).",
    "created_by": "Free text (default `API`).",
    "email": "E-mail address (a malformed one is error 6079).",
    "alt_phone_1": "Alternate phone number (same rules as `phone_number`).",
    "alt_phone_2": "Second alternate phone number (same rules as `phone_number`).",
    "date_of_birth": "Free text; Convoso uses `YYYY-MM-DD`.",
}
_COMPAT = "Accepted for compatibility; no effect in mockvoso."


def _lead_fields(examples: dict[str, Any]) -> dict[str, fields.Field]:
    out: dict[str, fields.Field] = {}
    for name in LEAD_WRITABLE:
        meta = about(_LEAD_FIELD_DOCS.get(name, "Free text."), *examples.get(name, ()))
        out[name] = (
            WholeNumber(metadata=meta)
            if name in _NUMERIC
            else Text(validate=validate.Length(max=65535), metadata=meta)
        )
    return out


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


_INSERT_EXAMPLES = {
    "list_id": [2701],
    "phone_number": ["5305550123"],
    "first_name": ["Ada"],
    "last_name": ["Lovelace"],
    "email": ["ada.lovelace@example.com"],
}
LeadInsertArgs = _LeadFieldsSchema.from_dict(
    {
        **_lead_fields(_INSERT_EXAMPLES),
        "check_dup": CheckDup(
            metadata=about(
                "Refuse a duplicate phone number (error 6009): `0` no check (default), `1` (or\n"
                "`true`) in the whole office, `2` in the target list, `3` in the target list's\n"
                "campaign."
            )
        ),
        "check_dup_archive": ConvosoBool(metadata=about(_COMPAT)),
        "check_dnc": ConvosoBool(metadata=about(_COMPAT)),
        "check_wireless": ConvosoBool(metadata=about(_COMPAT)),
        "filter_phone_code": ConvosoBool(
            metadata=about(
                "When true a leading country code moves from `phone_number` into `phone_code`\n"
                "(`15551234567` becomes `1` + `5551234567`)."
            )
        ),
        "hopper": ConvosoBool(metadata=about(_COMPAT)),
        "hopper_priority": WholeNumber(
            validate=validate.Range(min=0, max=99), metadata=about(f"{_COMPAT} 0 to 99.")
        ),
        "hopper_expires_in": WholeNumber(
            validate=validate.Range(max=HOPPER_EXPIRES_MAX),
            metadata=about(f"{_COMPAT} At most 300 (minutes)."),
        ),
        "hopper_expire_in": WholeNumber(
            validate=validate.Range(max=HOPPER_EXPIRES_MAX),
            metadata=about(f"{_COMPAT} At most 300. (An alias spelling some clients use.)"),
        ),
        "update_if_found": ConvosoBool(
            metadata=about(
                "When true and a lead with this phone number exists (in `search_list_id`, else\n"
                "`search_campaign_id`, else anywhere in the office) — or `lead_id` names an\n"
                "existing lead — that lead is updated instead and its id answered."
            )
        ),
        "search_list_id": WholeNumber(
            metadata=about("With `update_if_found`: look for the phone number in this list.")
        ),
        "search_campaign_id": WholeNumber(
            metadata=about(
                "With `update_if_found`: look for the phone number in this campaign's lists."
            )
        ),
        "update_order_by_last_called_time": Choice(("asc", "desc"), metadata=about(_COMPAT)),
        "reject_by_carrier_type": Text(metadata=about(_COMPAT)),
        "blueinkdigital_token": Text(metadata=about(_COMPAT)),
        "lead_id": WholeNumber(
            metadata=about("With `update_if_found`: the lead to update when it exists.")
        ),
        "adaptor_id": Text(metadata=about(_COMPAT)),
    },
    name="LeadInsertArgs",
)
# adaptor_id is on the official leads/update example URL; its meaning is undocumented.
LeadUpdateArgs = _LeadFieldsSchema.from_dict(
    {
        **_lead_fields({"status": ["CALLBK"]}),
        "lead_id": WholeNumber(
            metadata=about(
                "The lead to change (required; unknown or missing is error 6001).", 900000001
            )
        ),
        "adaptor_id": Text(metadata=about(_COMPAT)),
    },
    name="LeadUpdateArgs",
)
LeadInsertArgs.OTHER_KEYS = (
    "Any other parameter is a custom field of the lead: stored and answered verbatim, as a\n"
    "string, by leads/search."
)
LeadUpdateArgs.OTHER_KEYS = (
    "Any other parameter is a custom field, merged into the lead's custom fields."
)


class LeadDeleteArgs(ArgsSchema):
    lead_id = WholeNumber(
        metadata=about(
            "The lead to delete (required; unknown or missing is error 6001).", 900000002
        )
    )


# leads/search: every stored field is a filter; ids and statuses take comma lists.
_SEARCH_TEXT = [
    name
    for name in LEAD_STORED
    if name not in ("id", "list_id", "status", "user_id", "owner_id", "created_at", "modified_at")
]


_EXACT = "Exact match, case-insensitive."


class _LeadSearchBase(ArgsSchema):
    """Filters of leads/search. Unknown keys are kept: they may name custom fields."""

    class Meta:
        unknown = INCLUDE

    lead_id = CommaList(digits=True, metadata=about("Lead ids (comma-separated)."))
    list_id = CommaList(digits=True, metadata=about("List ids (comma-separated).", "2701"))
    user_id = CommaList(metadata=about("Agent user ids (comma-separated)."))
    owner_id = CommaList(metadata=about("Owner user ids (comma-separated)."))
    status = CommaList(
        metadata=about("Disposition codes (comma-separated, case-insensitive).", "NEW")
    )
    offset = Paging(
        metadata=about("Rows to skip (default 0; negative or non-numeric is error 7231).")
    )
    limit = Paging(
        metadata=about(
            "Rows to answer: default 10, at most 2000 — a larger limit is capped and the capped\n"
            "value answered in `data.limit`; 0, negative or non-numeric is error 7230.",
            5,
        )
    )
    created_at_start_date = Timestamp(
        bound="start", metadata=about("Leads created at or after this time.")
    )
    created_at_end_date = Timestamp(
        bound="end", metadata=about("Leads created at or before this time.")
    )
    updated_at_start_date = Timestamp(
        bound="start", metadata=about("Leads modified at or after this time.")
    )
    updated_at_end_date = Timestamp(
        bound="end", metadata=about("Leads modified at or before this time.")
    )
    last_call_start_date = Timestamp(
        bound="start", metadata=about("Leads last called at or after this time.")
    )
    last_call_end_date = Timestamp(
        bound="end", metadata=about("Leads last called at or before this time.")
    )
    # Sent by the SDKs (walmat and thornebridge): deleted or archived leads only.
    deleted_at_start = Timestamp(
        bound="start", metadata=about("Only deleted leads, deleted at or after this time.")
    )
    deleted_at_end = Timestamp(
        bound="end", metadata=about("Only deleted leads, deleted at or before this time.")
    )
    archived_at_start = Timestamp(
        bound="start", metadata=about("Only archived leads, archived at or after this time.")
    )
    archived_at_end = Timestamp(
        bound="end", metadata=about("Only archived leads, archived at or before this time.")
    )
    # Sent by thornebridge/convoso-js; read as the modification time.
    changed_at_start_date = Timestamp(
        bound="start", metadata=about("Read as `updated_at_start_date` (an SDK's spelling).")
    )
    changed_at_end_date = Timestamp(
        bound="end", metadata=about("Read as `updated_at_end_date` (an SDK's spelling).")
    )

    @post_load(pass_original=True)
    def split_custom(
        self, data: dict[str, Any], original: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        known = frozenset(self.declared_fields)
        out = {k: v for k, v in data.items() if k in known}
        out["custom"] = _custom(data, original, known)
        return out


_PHONE_FILTER = (
    "Exact match on the digits of the number (formatting is ignored; an impossible number\n"
    "is error 6008)."
)
_LeadSearchBase.OTHER_KEYS = (
    "Any other parameter filters on the custom field of that name (exact match,\ncase-insensitive)."
)
LeadSearchArgs = _LeadSearchBase.from_dict(
    {
        name: Text(
            metadata=about(_PHONE_FILTER if "phone" in name and name != "phone_code" else _EXACT)
        )
        for name in _SEARCH_TEXT
    },
    name="LeadSearchArgs",
)


class LeadGetRecordingsArgs(ArgsSchema):
    lead_id = WholeNumber(metadata=about("The lead (required, else 6005)."))
    start_time = Timestamp(
        bound="start", metadata=about("Recordings started at or after this time.")
    )
    end_time = Timestamp(bound="end", metadata=about("Recordings started at or before this time."))
    offset = Paging(metadata=about("Rows to skip (default 0; non-numeric is error 7231)."))
    limit = Paging(
        metadata=about(
            "Rows to answer: default 10, at most 100 (a larger limit is capped); 0 or\n"
            "non-numeric is error 7230."
        )
    )


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
