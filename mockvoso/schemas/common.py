"""Loading request parameters through a schema, with Convoso's error codes for paging."""

from __future__ import annotations

from collections.abc import Set
from functools import lru_cache
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, missing

from mockvoso.errors import BadValue, ConvosoError

# Parameters the auth step reads; no action sees them (nor stores them as custom fields).
AUTH_PARAMS = frozenset({"auth_token", "officeAcronym"})

# Paging parameters have their own Convoso codes; every other bad value is an HTTP 400.
_PAGING_CODES = {"limit": 7230, "offset": 7231}


class ArgsSchema(Schema):
    """Base of the input schemas: parameters an action does not know are ignored,
    as Convoso ignores them (clients send limit/offset to campaigns/search).

    KEEP_BLANK names the parameters whose empty value the action answers differently
    from an absent one (status/update's 6071-6077): they are loaded as "" when sent empty.
    """

    KEEP_BLANK: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        unknown = EXCLUDE


def first_error(messages: dict[str, Any]) -> tuple[str, str]:
    """The first (field, message) of a marshmallow error dict, in field order."""
    field, detail = next(iter(messages.items()))
    while isinstance(detail, dict):
        detail = next(iter(detail.values()))
    if isinstance(detail, list):
        detail = detail[0]
    return field, str(detail)


@lru_cache(maxsize=1024)
def _narrowed(schema_class: type[Schema], keys: frozenset[str]) -> Schema:
    """The schema limited to the fields a request sent, plus those marshmallow must see.

    marshmallow visits every declared field on load; leads/search declares ~40 and a
    request sends one or two, so narrowing with `only` is most of the parse cost saved.
    Fields that are required or have a load_default stay in, so both keep the meaning
    marshmallow documents (a missing required field is an error; a default is filled).
    Keys come from clients, hence the bounded cache.
    """
    declared = schema_class._declared_fields
    return schema_class(only=tuple(sorted((keys & declared.keys()) | _always(schema_class))))


@lru_cache(maxsize=256)
def _always(schema_class: type[Schema]) -> frozenset[str]:
    return frozenset(
        name
        for name, field in schema_class._declared_fields.items()
        if field.required or field.load_default is not missing
    )


def load_args(
    schema: Schema, params: dict[str, str], blanks: Set[str] = frozenset()
) -> dict[str, Any]:
    """Validate params; raise the Convoso domain error or a precise HTTP 400.

    `blanks`: keys the request sent empty; kept as "" for the schema's KEEP_BLANK.
    """
    data = {k: v for k, v in params.items() if k not in AUTH_PARAMS}
    if blanks:
        for key in blanks & getattr(schema, "KEEP_BLANK", frozenset()):
            data[key] = ""
    try:
        return _narrowed(type(schema), frozenset(data)).load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        for field, code in _PAGING_CODES.items():
            if field in messages:
                raise ConvosoError(code) from None
        field, detail = first_error(messages)
        raise BadValue(f"Invalid parameter {field}: {detail}") from None


def clamp_limit(limit: int | None, default: int, maximum: int | None) -> int:
    """A missing limit takes the default; one above the maximum is capped (and echoed)."""
    if limit is None:
        return default
    if limit == 0:
        raise ConvosoError(7230)
    return min(limit, maximum) if maximum is not None else limit


def take_paging(args: dict[str, Any], default: int, maximum: int | None) -> tuple[int, int]:
    """Pop (offset, limit) from loaded args, with the action's default and cap."""
    return args.pop("offset", 0), clamp_limit(args.pop("limit", None), default, maximum)
