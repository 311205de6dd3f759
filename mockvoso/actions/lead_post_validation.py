"""lead-post-validation/insert ("Lead Post": validate, then insert): schema, view, declaration."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, fields, post_load, validate

from mockvoso.actions.action import Action
from mockvoso.errors import ConvosoError
from mockvoso.records import LEAD_DERIVED, LEAD_STORED, LEAD_WRITABLE
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import WholeNumber
from mockvoso.schemas.replies import DIGITS, Reply, string
from mockvoso.store import OfficeStore

TAG = "Lead validation"

# The lead fields a post may carry: all of leads/insert's but the list (the criteria's).
POST_LEAD_FIELDS: tuple[str, ...] = tuple(name for name in LEAD_WRITABLE if name != "list_id")
_NUMERIC = {"user_id", "owner_id", "phone_code"}

# --------------------------------------------------------------------------- input


class _LeadPostSchema(ArgsSchema):
    """Lead fields plus the account's own (custom) fields, as leads/insert takes them."""

    class Meta:
        unknown = INCLUDE

    @post_load
    def split_custom(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        known = type(self)._declared_fields.keys()
        out = {k: v for k, v in data.items() if k in known}
        # Keys the server owns (id, created_at, list_id, ...) are dropped, not kept as
        # custom fields that would shadow the real ones in leads/search.
        owned = set(LEAD_STORED) | set(LEAD_DERIVED)
        out["custom"] = {k: str(v) for k, v in data.items() if k not in known and k not in owned}
        return out


LeadPostValidationInsertArgs = _LeadPostSchema.from_dict(
    {
        "criteria_key": fields.String(validate=validate.Length(max=255)),
        **{
            name: WholeNumber()
            if name in _NUMERIC
            else fields.String(validate=validate.Length(max=65535))
            for name in POST_LEAD_FIELDS
        },
    },
    name="LeadPostValidationInsertArgs",
)


# --------------------------------------------------------------------------- output


class LeadPostValidationInsertData(Reply):
    lead_id = string("The new lead's id (as at the top level).", pattern=DIGITS)


class LeadPostValidationInsertResult(Reply):
    success = fields.Boolean(
        required=True, metadata={"description": "Mirrors `result` (mockvoso's addition)."}
    )
    result = fields.Boolean(required=True, metadata={"description": "Accepted and inserted?"})
    lead_id = fields.String(
        validate=validate.Regexp(DIGITS), metadata={"description": "The new lead's id."}
    )
    error_description = fields.String(metadata={"description": "Why the lead was rejected."})
    data = fields.Nested(
        LeadPostValidationInsertData,
        metadata={"description": "walmat/convoso-sdk's place for the new lead's id."},
    )


LeadPostValidationInsertResult.OPENAPI = {
    "description": "Accepted: `lead_id`; rejected: `error_description`.",
    "oneOf": [
        {
            "required": ["lead_id", "data"],
            "properties": {"success": {"const": True}, "result": {"const": True}},
        },
        {
            "required": ["error_description"],
            "properties": {"success": {"const": False}, "result": {"const": False}},
            "not": {"required": ["data"]},
        },
    ],
}


# --------------------------------------------------------------------------- view


def lead_post_validation_insert(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    if "criteria_key" not in args or "phone_number" not in args:
        raise ConvosoError(6023)
    criteria_key = args.pop("criteria_key")
    lead_id, denied = store.post_validated_lead(criteria_key, args)
    if lead_id is None:
        return {"success": False, "result": False, "error_description": denied}
    lead = str(lead_id)
    return {"success": True, "result": True, "lead_id": lead, "data": {"lead_id": lead}}


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "lead-post-validation/insert",
        view=lead_post_validation_insert,
        args=LeadPostValidationInsertArgs,
        result=LeadPostValidationInsertResult,
        summary="Validate a lead against a lead criteria, then insert it (Lead Post)",
        description="""\
Runs lead-validation/search's check for `criteria_key` and `phone_number` and, when the
lead is accepted, inserts it with the lead fields sent (custom fields too) into the
criteria's list, all under one lock. Answers `{"success": true, "result": true,
"lead_id": "<id>", "data": {"lead_id": "<id>"}}`, or `{"success": false, "result":
false, "error_description": "<why>"}` with one of `Invalid criteria key`, `Invalid
phone number`, `Lead does not meet criteria`, `Number in DNC list`, `Lead does not meet
age criteria` (nothing inserted).
`criteria_key` and `phone_number` are required (6023); a bad lead field answers
leads/insert's code (6006, 6008, 6079) and inserts nothing.

**Shape:** Convoso publishes no page for this action and the two SDKs disagree. The
`result` / `lead_id` / `error_description` keys are thornebridge/convoso-js's
(docs/lead-post.md), the only source that shows a rejection; an accepted post also
carries walmat/convoso-sdk's `data.lead_id` (src/types/lead-post.ts), so both SDKs read
the id where their types put it. `success` (mirroring `result`) is added so clients that
branch on `success`, as for every other action, see a rejection as a failure.
""",
        errors=(6006, 6008, 6023, 6079),
    ),
)
