"""The control plane's request and response bodies as marshmallow schemas (the contract's)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mockvoso.actions import SECTIONS, action_table
from mockvoso.actions.campaigns import Campaign
from mockvoso.actions.leads import Lead
from mockvoso.actions.lists import List
from mockvoso.actions.log import CallLogRow
from mockvoso.actions.users import Recording
from mockvoso.control.dialer import MAX_CALLS
from mockvoso.control.journal import SNAPSHOT_FORMAT, SNAPSHOT_VERSION
from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED
from mockvoso.schemas.fields import CALENDAR_DATE, CLOCK_TIME
from mockvoso.schemas.replies import DIGITS, TIMESTAMP, Reply
from mockvoso.webhooks.receivers import EVENTS, FORMATS, MAX_RETRIES, MAX_TIMEOUT_MS

# Like the action results, these describe what the routes answer (mockvoso/control/*.py
# build plain dicts; the suite validates every answer against the contract). The request
# bodies are read by the fault engine, the limiter and the snapshot loader, which answer
# a precise 400 naming the field; these schemas are those rules as the contract says them.

FAULTS = ("drop", "empty", "malformed", "hang")


def _doc(description: str | None) -> dict[str, Any]:
    return {"description": description} if description else {}


def req_str(description: str | None = None, **kwargs: Any) -> fields.Field:
    return fields.String(required=True, metadata=_doc(description), **kwargs)


def req_int(
    description: str | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_none: bool = False,
) -> fields.Field:
    bounds = (minimum, maximum) != (None, None)
    return fields.Integer(
        required=True,
        strict=True,
        allow_none=allow_none,
        validate=validate.Range(min=minimum, max=maximum) if bounds else None,
        metadata=_doc(description),
    )


def opt(description: str, schema: dict[str, Any]) -> fields.Field:
    """An optional input key whose schema is written out (null means not given)."""
    return fields.Raw(metadata={"description": description, "openapi": schema})


def exact(schema: dict[str, Any], description: str | None = None, **kwargs: Any) -> fields.Field:
    """A required key whose schema marshmallow's types cannot say (a const list, a union)."""
    return fields.Raw(required=True, metadata={**_doc(description), "openapi": schema}, **kwargs)


def _nullable(kind: str, **more: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **more}


# --------------------------------------------------------------------------- errors


class ControlError(Reply):
    error = req_str("What is wrong, naming the field.")
    field = fields.String(metadata=_doc("The offending field or parameter, when there is one."))


ControlError.OPENAPI = {
    "description": "A control-plane error: plain JSON, not the Convoso envelope."
}

# --------------------------------------------------------------------------- health, offices


class Health(Reply):
    status = fields.Constant("ok", required=True)
    version = fields.String(required=True, metadata={"examples": ["0.1.0"]})


Health.OPENAPI = {"description": "The server is up and its world is built."}


class OfficeToken(Reply):
    token = req_str("An `auth_token` value.")
    sections = fields.List(
        fields.String(validate=validate.OneOf(SECTIONS)),
        required=True,
        metadata=_doc("The API sections (`/v1/<section>/…`) it opens."),
    )


class OfficeUser(Reply):
    user_id = req_str(validate=validate.Regexp(DIGITS))
    email = req_str("What users/recordings takes as `user`.")
    first_name = req_str()
    last_name = req_str()


class Office(Reply):
    acronym = fields.String(required=True, metadata={"examples": ["ACME"]})
    name = req_str()
    tokens = fields.List(fields.Nested(OfficeToken), required=True)
    users = fields.List(fields.Nested(OfficeUser), required=True)


Office.OPENAPI = {"description": "One office."}


class Offices(Reply):
    offices = fields.List(fields.Nested(Office), required=True)


Offices.OPENAPI = {"description": "Every office (tenant) with its tokens and agents."}

# --------------------------------------------------------------------------- reset


class ResetRequest(Reply):
    office = opt("Reset only this office's data (acronym, any case).", _nullable("string"))


ResetRequest.OPENAPI = {
    "description": "Optional: without `office` (or with an empty body) every office is reset.",
    # Other keys are ignored: the route reads `office` only.
    "additionalProperties": True,
}


class ResetResult(Reply):
    reset = fields.Constant(True, required=True)
    office = fields.String(required=True, allow_none=True)


ResetResult.OPENAPI = {"description": "What was reset."}

# --------------------------------------------------------------------------- faults

_ENDPOINTS = ["*", *action_table()]
_ERROR_CODES = sorted(DOMAIN_ERRORS)


class FaultRuleInput(Reply):
    endpoint = opt(
        "`*` (default: every /v1 action) or an action: `leads/search`, `/v1/leads/search` and\n"
        "`v1/leads/search/` are the same.",
        _nullable("string", examples=_ENDPOINTS),
    )
    method = opt(
        "`GET`, `POST` or `*` (default: any), any case.",
        _nullable("string", examples=["GET", "POST", "*"]),
    )
    office = opt("An office acronym, or `*` (default: any).", _nullable("string", minLength=1))
    probability = opt(
        "Chance to fire, drawn from the seeded generator (default 1).",
        _nullable("number", minimum=0, maximum=1),
    )
    times = opt(
        "Fire on the next N matching requests, then expire.",
        _nullable("integer", minimum=1, maximum=2147483647),
    )
    latency_ms = opt(
        "Wait this long before answering.", _nullable("integer", minimum=0, maximum=600000)
    )
    jitter_ms = opt("± this much on the latency.", _nullable("integer", minimum=0, maximum=600000))
    status = opt(
        "Answer this HTTP status with the error envelope.",
        _nullable("integer", minimum=400, maximum=599),
    )
    error_code = opt(
        "Answer this Convoso domain error at HTTP 200.",
        _nullable("integer", enum=[*_ERROR_CODES, None]),
    )
    fault = opt(
        "`drop` closes the connection with no response; `empty` answers 200 with an empty\n"
        "body; `malformed` answers 200 with truncated JSON; `hang` holds the connection\n"
        "`hang_ms`, then closes it.",
        _nullable("string", enum=[*FAULTS, None]),
    )
    hang_ms = opt(
        "Only with `fault: hang` (default 30000).", _nullable("integer", minimum=0, maximum=120000)
    )


FaultRuleInput.OPENAPI = {
    "description": (
        "A fault rule. At most one of `status`, `error_code`, `fault`; a rule needs an effect\n"
        "(one of those, or `latency_ms`/`jitter_ms`). `null` means not given. Unknown keys are\n"
        "refused (400 naming the key).\n"
    )
}


class FaultRule(Reply):
    id = req_str("`f1`, `f2`, … at run time; `s1`, `s2`, … for start-up rules.")
    endpoint = req_str("`*` or an action name.")
    method = exact(_nullable("string", enum=["GET", "POST", None]))
    office = fields.String(required=True, allow_none=True)
    probability = exact({"type": "number", "minimum": 0, "maximum": 1})
    times = req_int(allow_none=True)
    remaining = req_int("How many of `times` are left.", allow_none=True)
    latency_ms = req_int(minimum=0)
    jitter_ms = req_int(minimum=0)
    status = req_int(minimum=400, maximum=599, allow_none=True)
    error_code = req_int(allow_none=True)
    fault = exact(_nullable("string", enum=[*FAULTS, None]))
    hang_ms = req_int(allow_none=True)
    source = req_str(validate=validate.OneOf(("startup", "runtime")))


FaultRule.OPENAPI = {"description": "A fault rule as the engine holds it."}


class FaultList(Reply):
    faults = fields.List(fields.Nested(FaultRule), required=True)


FaultList.OPENAPI = {"description": "The rules."}


class FaultsCleared(Reply):
    faults = exact({"type": "array", "maxItems": 0})


FaultsCleared.OPENAPI = {"description": "Every rule removed (start-up ones too)."}


class FaultCreated(Reply):
    fault = fields.Nested(FaultRule, required=True)


FaultCreated.OPENAPI = {"description": "The rule added."}


class FaultDeleted(Reply):
    deleted = req_str()


FaultDeleted.OPENAPI = {"description": "The id of the rule removed."}


class FaultRulePath(Reply):
    rule_id = req_str("A rule id from GET /_mockvoso/faults, e.g. `f1`.")


# --------------------------------------------------------------------------- rate limit


class RateLimitInput(Reply):
    requests = req_int(minimum=1)
    per_seconds = exact({"type": "number", "exclusiveMinimum": 0})
    scope = opt(
        "One bucket per token (default) or per office.",
        _nullable("string", enum=["token", "office", None]),
    )


RateLimitInput.OPENAPI = {
    "description": "A token bucket: `requests` per `per_seconds`, refilled continuously."
}


class RateLimit(Reply):
    requests = req_int(minimum=1)
    per_seconds = exact({"type": "number", "exclusiveMinimum": 0})
    scope = req_str(validate=validate.OneOf(("token", "office")))


RateLimit.OPENAPI = {"description": "The limit in force."}


class RateLimitState(Reply):
    rate_limit = fields.Nested(RateLimit, required=True, allow_none=True)


RateLimitState.OPENAPI = {"description": "The limit in force, or null when there is none."}

# --------------------------------------------------------------------------- journal

_DIGITS_OR_EMPTY = {"type": "string", "pattern": "^([0-9]{1,20})?$"}


class JournalQuery(Reply):
    endpoint = fields.String(metadata=_doc("Only this action, e.g. `leads/insert`."))
    office = fields.String(metadata=_doc("Only this office (any case)."))
    status = fields.Raw(
        metadata={
            "description": "Only answers with this HTTP status (digits; empty means any).",
            "openapi": _DIGITS_OR_EMPTY,
        }
    )
    limit = fields.Raw(
        metadata={
            "description": "Keep only the newest N (digits; 0 gives none; empty means all).",
            "openapi": _DIGITS_OR_EMPTY,
        }
    )


class JournalResponse(Reply):
    bytes = req_int(minimum=0, allow_none=True)
    body = req_str(validate=validate.Length(max=1024))
    truncated = fields.Boolean(required=True)


class JournalUpstream(Reply):
    verdict = req_str(validate=validate.OneOf(("match", "differs", "not in contract")))
    problems = fields.List(fields.String(), required=True)


class JournalEntry(Reply):
    id = req_int(minimum=1)
    time = req_str(
        "UTC, ISO 8601 with milliseconds, e.g. `2026-01-01T00:00:00.000Z`.",
        validate=validate.Regexp(
            r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$"
        ),
    )
    method = req_str()
    path = req_str()
    endpoint = req_str("The path after `/v1/`.")
    office = fields.String(
        required=True, allow_none=True, metadata=_doc("The token's office; null when auth failed.")
    )
    params = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata=_doc(
            "The merged parameters as the server read them (empty when the body could not be\n"
            "read); `auth_token` is masked to its first 4 characters + `****`."
        ),
    )
    status = req_int()
    fault = fields.String(
        required=True,
        allow_none=True,
        metadata=_doc("The fault rule(s) that fired, `header`, or `rate-limit`."),
    )
    duration_ms = exact(_nullable("number", minimum=0))
    response = fields.Nested(
        JournalResponse,
        required=True,
        metadata=_doc(
            "What the client got, for the dashboard: the body's length in bytes and its first\n"
            "1024 characters (`truncated` when there was more); API tokens in it are masked\n"
            "like `auth_token`. Empty for a dropped connection."
        ),
    )
    upstream = fields.Nested(
        JournalUpstream,
        metadata=_doc(
            "`mockvoso proxy` only: the contract's verdict on the upstream's answer (`match`,\n"
            "`differs` or `not in contract`) and the problems found, as JSON paths."
        ),
    )


JournalEntry.OPENAPI = {"description": "One /v1 request as the journal recorded it."}


class Journal(Reply):
    requests = fields.List(fields.Nested(JournalEntry), required=True)
    dropped = req_int("Entries evicted from the ring buffer since the last clear.", minimum=0)


Journal.OPENAPI = {"description": "The journal, oldest first."}

# --------------------------------------------------------------------------- snapshot

_YN = {"$ref": "#/components/schemas/YN"}
_STAMP_OR_NULL = _nullable("string", pattern=TIMESTAMP)


class SnapshotCampaign(Reply):
    id = req_int()
    name = req_str()
    status = exact(_YN)
    last_call_date = exact(_STAMP_OR_NULL)


class SnapshotList(Reply):
    id = req_int()
    name = req_str()
    campaign_id = req_int()
    description = req_str()
    status = exact(_YN)
    last_called_at = exact(_STAMP_OR_NULL)


def _rows(names: tuple[str, ...], what: str) -> dict[str, fields.Field]:
    return {
        "fields": exact(
            {"type": "array", "items": {"type": "string"}, "const": list(names)},
            f"The {what} fields, in the order of each row.",
        ),
        "rows": exact(
            {
                "type": "array",
                "items": {
                    "type": "array",
                    "items": {"type": ["string", "null"]},
                    "minItems": len(names),
                    "maxItems": len(names),
                },
            }
        ),
    }


SnapshotLeads = Reply.from_dict(_rows(LEAD_STORED, "lead"), name="SnapshotLeads")
SnapshotCallLogs = Reply.from_dict(_rows(CALL_LOG_FIELDS, "call-log"), name="SnapshotCallLogs")


class SnapshotRecording(Reply):
    recording_id = req_int()
    call_log_id = req_int()
    lead_id = req_int()
    user_id = req_str()
    start_time = req_str()
    end_time = req_str()
    seconds = req_int(allow_none=True)
    url = req_str()


class SnapshotCallback(Reply):
    id = req_int()
    lead_id = req_int()
    user_id = req_str('`""` for a system callback without an agent.')
    recipient = req_str()
    status = req_str()
    created_at = req_str()
    modified_at = req_str()
    callback_time = req_str()
    comments = req_str()
    callback_seen = fields.String(required=True, allow_none=True)
    context = req_str()


# Built from a dict: one of its keys, "return", is a Python keyword.
SnapshotLogExtra = Reply.from_dict(
    {name: fields.String() for name in ("extra_field_01", "extra_field_02", "revenue", "return")},
    name="SnapshotLogExtra",
)


class DeletedLead(Reply):
    lead = exact(
        {
            "type": "array",
            "items": {"type": ["string", "null"]},
            "minItems": len(LEAD_STORED),
            "maxItems": len(LEAD_STORED),
        }
    )
    custom = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    deleted_at = req_str()


DeletedLead.OPENAPI = {
    "description": (
        "A deleted lead: its row (in `leads.fields` order), its custom fields and when it was\n"
        "deleted.\n"
    )
}


class SnapshotStatus(Reply):
    status = req_str(validate=validate.Regexp(r"^[A-Za-z0-9]{2,6}$"))
    name = req_str()
    final = exact(_YN)
    reached = exact(_YN)
    success = exact(_YN)
    dnc = exact(_YN)
    callback = exact(_YN)
    contact = exact(_YN)
    voicemail = exact(_YN)
    custom = exact(_YN)
    hex_color = req_str(validate=validate.Regexp(r"^([0-9A-Fa-f]{6})?$"))


_SECOND = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"


class PhoneListEntrySnapshot(Reply):
    id = req_int()
    phone_number = req_str()
    phone_code = req_str()
    campaign_id = req_int(minimum=0)
    reason = req_str()
    purpose = req_str()
    insert_date = req_str(validate=validate.Regexp(_SECOND))


PhoneListEntrySnapshot.OPENAPI = {
    "description": "A DNC or SMS opt-out entry as a snapshot holds it."
}


class SnapshotAgentEvent(Reply):
    id = req_int()
    user_id = req_str()
    state = req_str(validate=validate.OneOf(("LOGIN", "READY", "PAUSED", "LOGOUT")))
    availability_code = req_str(validate=validate.Regexp(r"^[0-9]+$"))
    campaign_id = req_int()
    epoch = req_int("The event's instant (Unix seconds).")
    created_at = req_str(
        "That instant in the office's time zone.", validate=validate.Regexp(_SECOND)
    )
    ends = req_int("When the state ended; null while it lasts.", allow_none=True)
    ip_address = req_str()


class OfficeSnapshot(Reply):
    campaigns = fields.List(fields.Nested(SnapshotCampaign), required=True)
    lists = fields.List(fields.Nested(SnapshotList), required=True)
    leads = fields.Nested(SnapshotLeads, required=True)
    custom = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        required=True,
        metadata=_doc("Lead id → that lead's custom fields."),
    )
    call_logs = fields.Nested(SnapshotCallLogs, required=True)
    recordings = fields.List(fields.Nested(SnapshotRecording), required=True)
    next_lead_id = req_int(minimum=1)
    next_list_id = req_int(minimum=1)
    callbacks = fields.List(
        fields.Nested(SnapshotCallback),
        required=True,
        metadata=_doc("Scheduled callbacks, id order."),
    )
    next_callback_id = req_int(minimum=1)
    log_extra = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(SnapshotLogExtra),
        required=True,
        metadata=_doc("Call-log id → what log/update and revenue/update wrote to that row."),
    )
    deleted_leads = fields.List(
        fields.Nested(DeletedLead),
        required=True,
        metadata=_doc("Deleted leads (leads/search finds them by deleted_at_start/_end)."),
    )
    statuses = fields.List(
        fields.Nested(SnapshotStatus),
        required=True,
        metadata=_doc("The dispositions, built-in and custom (`custom` Y), in search order."),
    )
    dnc = fields.List(
        fields.Nested(PhoneListEntrySnapshot),
        required=True,
        metadata=_doc("The DNC entries (`campaign_id` 0 = office-wide), ascending id."),
    )
    next_dnc_id = req_int(minimum=1)
    sms_opt_outs = fields.List(
        fields.Nested(PhoneListEntrySnapshot),
        required=True,
        metadata=_doc("The SMS opt-outs, ascending id."),
    )
    next_sms_opt_out_id = req_int(minimum=1)
    agent_events = fields.List(
        fields.Nested(SnapshotAgentEvent),
        required=True,
        metadata=_doc("Agent state events in time order (agent-productivity/search rows)."),
    )


OfficeSnapshot.OPENAPI = {"description": "One office's data."}


class Snapshot(Reply):
    format = fields.Constant(SNAPSHOT_FORMAT, required=True)
    version = fields.Constant(SNAPSHOT_VERSION, required=True)
    offices = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(OfficeSnapshot),
        required=True,
        metadata={"description": "Office acronym → that office's data.", "minProperties": 1},
    )


Snapshot.OPENAPI = {
    "description": (
        "The whole data state. Restoring it gives back exactly this state (ids, counters,\n"
        "indexes, custom fields).\n"
    )
}


class SnapshotQuery(Reply):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(("json", "jsonl")),
        metadata=_doc("`json` one document (the default) or `jsonl` the compact stream."),
    )


class SnapshotSave(Reply):
    save = fields.Constant(True, required=True)


SnapshotSave.OPENAPI = {"description": "Write the state file now."}


class SnapshotSaved(Reply):
    saved = fields.Constant(True, required=True)
    path = req_str()
    bytes = req_int("Size of the stream written (before gzip, for a `.gz` path).")
    offices = fields.List(fields.String(), required=True)


SnapshotSaved.OPENAPI = {"description": "The state file written."}


class SnapshotRestored(Reply):
    restored = fields.List(fields.String(), required=True)


SnapshotRestored.OPENAPI = {"description": "The offices restored (acronyms, sorted)."}


# --------------------------------------------------------------------------- clock


def raw(schema: dict[str, Any], description: str | None = None, **kwargs: Any) -> fields.Field:
    """An optional input key whose schema is written out (not nullable)."""
    return fields.Raw(metadata={**_doc(description), "openapi": schema}, **kwargs)


class Clock(Reply):
    now = req_str(validate=validate.Regexp(TIMESTAMP))
    frozen = fields.Boolean(required=True)


Clock.OPENAPI = {"description": "The virtual clock: its time and whether it is frozen."}


class ClockMove(Reply):
    set = raw(
        {"type": "string", "pattern": f"^{CALENDAR_DATE}[ T]{CLOCK_TIME}$"},
        "Jump to this time (not before now; a real calendar date).",
    )
    advance = raw({"type": "number", "minimum": 0}, "Seconds forward.")
    freeze = raw(
        {"type": "boolean"}, "Stop (`true`) or restart (`false`) the clock where it stands."
    )
    dial = raw(
        {"type": "boolean"},
        "With `set` or `advance`: the simulated dialer works through the skipped time at\n"
        "`--dial-rate` calls per agent per hour.",
    )


ClockMove.OPENAPI = {"description": "Any of `set`, `advance` and `freeze`; other keys are refused."}

# --------------------------------------------------------------------------- simulated dialer


class SimulateInput(Reply):
    office = raw({"type": "string"}, "The office (default: the first).")
    calls = raw(
        {"type": "integer", "minimum": 1, "maximum": MAX_CALLS},
        "How many calls (default 1). Fewer are made when no lead is left to dial.",
    )


SimulateInput.OPENAPI = {"description": "Which office dials, and how many calls."}


class SimulateResult(Reply):
    office = req_str()
    calls = req_int("Calls made.", minimum=0)
    call_log_ids = fields.List(fields.String(validate=validate.Regexp(DIGITS)), required=True)
    dispositions = exact(
        {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "Calls per disposition code.",
    )
    recordings = req_int("Recordings written (answered calls).", minimum=0)


SimulateResult.OPENAPI = {"description": "What the calls did."}

# --------------------------------------------------------------------------- webhooks

_EVENTS = {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(EVENTS)}}
_TEXTS = {"type": "object", "additionalProperties": {"type": "string"}}


class WebhookFaults(Reply):
    delay_ms = raw({"type": "number", "minimum": 0, "maximum": MAX_TIMEOUT_MS})
    duplicate = raw({"type": "number", "minimum": 0, "maximum": 1})
    drop = raw({"type": "number", "minimum": 0, "maximum": 1})
    malformed = raw({"type": "number", "minimum": 0, "maximum": 1})


WebhookFaults.OPENAPI = {
    "description": "Delivery faults: a delay, and chances (0 to 1) to duplicate, drop or garble."
}


class WebhookInput(Reply):
    office = raw({"type": "string"}, "The office whose events fire it (default the first).")
    url = fields.String(
        required=True,
        validate=validate.Regexp(r"^https?://[^/?#@\[\]\s]"),
        metadata=_doc("The receiver: an http:// or https:// URL with a host."),
    )
    events = raw(_EVENTS, "The events that fire it (default every one).")
    format = raw({"type": "string", "enum": list(FORMATS)}, "`json`, or `form` (Convoso's RAW).")
    # data_key: a class attribute named `fields` would hide marshmallow's module here.
    mapping = raw(
        _TEXTS,
        "Sent name → catalogue field (`custom.<name>`: a lead's custom field).",
        data_key="fields",
    )
    defaults = raw(_TEXTS, "Sent name → the value sent when the field is empty.")
    headers = raw(_TEXTS, "Headers sent with every delivery.")
    query = raw({"type": "string"}, "A query string appended to the URL.")
    retries = raw({"type": "integer", "minimum": 0, "maximum": MAX_RETRIES})
    timeout_ms = raw({"type": "integer", "minimum": 0, "maximum": MAX_TIMEOUT_MS})
    faults = fields.Nested(WebhookFaults)


WebhookInput.OPENAPI = {"description": "A receiver to register: only `url` is required."}


class Webhook(Reply):
    id = req_str()
    office = req_str()
    url = req_str()
    events = exact(_EVENTS)
    format = req_str(validate=validate.OneOf(FORMATS))
    mapping = exact(_TEXTS, data_key="fields")
    defaults = exact(_TEXTS)
    headers = exact(_TEXTS)
    query = req_str()
    retries = req_int()
    timeout_ms = req_int()
    faults = fields.Nested(WebhookFaults, required=True)
    startup = fields.Boolean(
        required=True, metadata=_doc("Registered from the config file (kept by reset).")
    )


Webhook.OPENAPI = {"description": "A registered Convoso Connect receiver."}


class WebhookList(Reply):
    webhooks = fields.List(fields.Nested(Webhook), required=True)


class WebhookCreated(Reply):
    webhook = fields.Nested(Webhook, required=True)


class WebhookDeleted(Reply):
    deleted = req_str()


class WebhookPath(Reply):
    webhook_id = req_str("A receiver id from GET /_mockvoso/webhooks.")


class DeliveryQuery(Reply):
    webhook = fields.String(metadata=_doc("Only this receiver's deliveries."))


class Delivery(Reply):
    id = req_str()
    webhook = req_str()
    event = req_str()
    attempt = req_int(minimum=0)
    url = req_str()
    status = req_str(validate=validate.OneOf(("pending", "delivered", "failed", "dropped")))
    response_status = req_int(allow_none=True)
    body = req_str()
    sent_at = fields.String(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)
    fault = exact(_nullable("string", enum=["delay", "drop", "duplicate", "malformed", None]))


Delivery.OPENAPI = {"description": "One delivery attempt of an event to a receiver."}


class DeliveryList(Reply):
    deliveries = fields.List(fields.Nested(Delivery), required=True)


class FlushInput(Reply):
    timeout = raw({"type": "number", "minimum": 0, "maximum": 60}, "Seconds to wait at most.")


FlushInput.OPENAPI = {"additionalProperties": True}


class FlushResult(Reply):
    pending = req_int(minimum=0)


class Received(Reply):
    id = req_str()
    received_at = req_str()
    headers = exact(_TEXTS)
    query = req_str()
    body = req_str()
    parsed_as = req_str()
    parsed = exact({"type": "object", "additionalProperties": True}, data_key="fields")


class ReceivedList(Reply):
    received = fields.List(fields.Nested(Received), required=True)


class SinkReceived(Reply):
    received = fields.Constant(True, required=True)
    id = req_str()


# --------------------------------------------------------------------------- office data

DATA_RESOURCES = ("leads", "lists", "campaigns", "log", "recordings")


class DataOfficePath(Reply):
    office = fields.String(
        required=True,
        metadata={"description": "An office acronym (any case).", "examples": ["ACME"]},
    )


class DataPath(DataOfficePath):
    resource = req_str(validate=validate.OneOf(DATA_RESOURCES))


_LIMIT_500 = "[1-9]|[1-9][0-9]|[1-4][0-9]{2}|500"


class DataQuery(Reply):
    # At most 13 characters (leading zeros count): the route's own check.
    offset = raw(
        {"type": "string", "pattern": "^([0-9]{1,12}|0[0-9]{12}|1000000000000)?$"},
        "Rows to skip (digits, at most 10^12; default 0; empty means not given).",
    )
    # 1 to 500 is valid for every resource; leads, lists and campaigns take up to 2000 and
    # recordings up to 1000, which one pattern for all five resources cannot say.
    limit = raw(
        {"type": "string", "pattern": f"^(0{{0,10}}({_LIMIT_500}))?$"},
        "Rows per page (digits; default 25; 1 to 2000 for leads, lists and campaigns, 500 for\n"
        "log, 1000 for recordings; empty means not given). The pattern states 1 to 500, valid\n"
        "for every resource.",
    )


DataResourceCounts = Reply.from_dict(
    {name: req_int(minimum=0) for name in DATA_RESOURCES}, name="DataResourceCounts"
)


class DataCounts(Reply):
    office = req_str()
    resources = fields.Nested(DataResourceCounts, required=True)


DataCounts.OPENAPI = {"description": "How many records of each resource an office holds."}


def _data_page(resource: str, row: type[Reply]) -> type[Reply]:
    return Reply.from_dict(
        {
            "office": req_str(),
            "resource": fields.Constant(resource, required=True),
            "offset": req_int(minimum=0),
            "limit": req_int(minimum=1),
            "total": req_int(minimum=0),
            "filters": exact(_TEXTS, "The filters applied."),
            "entries": fields.List(fields.Nested(row), required=True),
        },
        name=f"DataPage{resource.capitalize()}",
    )


DATA_PAGES = {
    "leads": _data_page("leads", Lead),
    "lists": _data_page("lists", List),
    "campaigns": _data_page("campaigns", Campaign),
    "log": _data_page("log", CallLogRow),
    "recordings": _data_page("recordings", Recording),
}


# --------------------------------------------------------------------------- dashboard

DASHBOARD_ASSETS = ("dashboard.js", "dashboard.css", "uPlot.iife.min.js", "uPlot.min.css")


class DashboardAsset(Reply):
    asset = req_str(validate=validate.OneOf(DASHBOARD_ASSETS))
