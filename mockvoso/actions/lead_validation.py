"""lead-validation/search ("Lead Ping": Accepted or Denied by a lead criteria): schema, view."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.replies import Reply, success
from mockvoso.store import OfficeStore
from mockvoso.store.lead_validation import DENIED_KEY

TAG = "Lead validation"  # the contract's group for lead-validation and lead-post-validation

# --------------------------------------------------------------------------- input


def short_text() -> fields.Field:
    return fields.String(validate=validate.Length(max=255))


class LeadValidationSearchArgs(ArgsSchema):
    criteria_key = short_text()
    phone_number = short_text()
    state = short_text()
    postal_code = short_text()


# --------------------------------------------------------------------------- output


class LeadValidationSearchResult(Reply):
    success = success()
    result = fields.String(
        required=True,
        validate=validate.OneOf(("Accepted", "Denied")),
        metadata={"description": "The verdict; `success` is true either way."},
    )


# --------------------------------------------------------------------------- view


def lead_validation_search(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    if "criteria_key" not in args or "phone_number" not in args:
        raise ConvosoError(6023)
    denied = store.validate_lead(
        args["criteria_key"], args["phone_number"], args.get("state"), args.get("postal_code")
    )
    if denied == DENIED_KEY:
        raise ConvosoError(6090)
    return {"success": True, "result": "Accepted" if denied is None else "Denied"}


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "lead-validation/search",
        view=lead_validation_search,
        args=LeadValidationSearchArgs,
        result=LeadValidationSearchResult,
        summary="Check a lead against a lead criteria (Lead Ping)",
        description="""\
Checks `phone_number` (with `state` and `postal_code`, else those of the number's newest
lead in the office) against the office's lead criteria `criteria_key` (seed key
`lead_criteria`): its states, postal-code prefixes and area codes, the DNC list, and, for
a number already in the office, the criteria's minimum lead age. `Accepted` or `Denied`;
no lead is created. `criteria_key` and `phone_number` are required (6023); an unknown
criteria key answers 6090.
""",
        errors=(6023, 6090),
    ),
)
