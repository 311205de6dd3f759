"""Input schemas of leads/insert, leads/update, leads/delete and leads/search."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, fields, post_load, validate

from mockvoso.records import LEAD_DERIVED, LEAD_STORED, LEAD_WRITABLE
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import Choice, CommaList, ConvosoBool, Timestamp, WholeNumber

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
    """check_dup: 0 none, 1 (or true) whole office, 2 the list, 3 the list's campaign."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = str(value).strip().lower()
        mapped = {"true": 1, "yes": 1, "y": 1, "false": 0, "no": 0, "n": 0}.get(text)
        if mapped is not None:
            return mapped
        if text in ("0", "1", "2", "3"):
            return int(text)
        raise validate.ValidationError("Must be 0, 1, 2 or 3 (or true/false).")


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

    @post_load
    def split_custom(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        out = {k: v for k, v in data.items() if k in _KNOWN}
        # Keys the server owns (id, created_at, directory_name, ...) are ignored rather
        # than kept as custom fields that would shadow the real ones in search results.
        out["custom"] = {k: str(v) for k, v in data.items() if k not in _KNOWN | _SERVER_OWNED}
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
        "hopper_expires_in": WholeNumber(),
        "hopper_expire_in": WholeNumber(),
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

    @post_load
    def split_custom(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        known = set(self.declared_fields)
        out = {k: v for k, v in data.items() if k in known}
        out["custom"] = {k: str(v) for k, v in data.items() if k not in known}
        return out


LeadSearchArgs = _LeadSearchBase.from_dict(
    {name: fields.String() for name in _SEARCH_TEXT}, name="LeadSearchArgs"
)
