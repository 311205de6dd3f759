"""The Convoso Connect field catalogue, a receiver's mapping of it, and its RAW/JSON encoding."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mockvoso.records import LEAD_DERIVED, LEAD_STORED

if TYPE_CHECKING:
    from mockvoso.webhooks.receivers import Receiver

# What an adaptor can map (convoso-api.md §14): lead fields, call-log info, extra fields.
LEAD_FIELDS: tuple[str, ...] = (*LEAD_STORED, "remote_id", "last_reached_at", "final_reached_at")
CALL_LOG_INFO: tuple[str, ...] = (
    "call_log_id",
    "lead_id",
    "list_name",
    "originating_agent_id",
    "campaign_id",
    "campaign_name",
    "queue_id",
    "queue_name",
    "queue_seconds",
    "queue_position",
    "length_in_sec",
    "call_date",
    "agent_comment",
    "call_type",
    "term_reason",
    "recording",
    "caller_id",
    "inbound_number",
)
EXTRA_FIELDS: tuple[str, ...] = (
    "agent_full_name",
    "agent_email",
    *(f"custom_field_{i}" for i in range(1, 11)),
)
# mockvoso's own, for callback.due (Convoso's catalogue names no callback fields).
CALLBACK_FIELDS: tuple[str, ...] = (
    "callback_id",
    "callback_time",
    "callback_recipient",
    "callback_comments",
)
CATALOGUE: tuple[str, ...] = tuple(
    dict.fromkeys((*LEAD_FIELDS, *CALL_LOG_INFO, *EXTRA_FIELDS, *CALLBACK_FIELDS))
)
# A lead's own custom fields are mapped as `custom.<name>` (an account defines its own).
CUSTOM_PREFIX = "custom."


def lead_catalogue(lead: dict[str, Any]) -> dict[str, Any]:
    """The catalogue for a lead event, from a lead as leads/search answers it (plus the
    store's `agent_email`)."""
    lead = dict(lead)
    agent_email = lead.pop("agent_email", None)
    callback = {name: lead.pop(name) for name in CALLBACK_FIELDS if name in lead}
    # Every catalogue field is present: a lead event has no call, so call-log info is null.
    out: dict[str, Any] = dict.fromkeys(CATALOGUE)
    out.update({name: lead.get(name) for name in LEAD_FIELDS})
    out.update(
        lead_id=lead.get("id"),
        list_name=lead.get("directory_name"),
        campaign_id=lead.get("campaign_id"),
        campaign_name=lead.get("campaign_name"),
        agent_full_name=lead.get("user_name"),
        agent_email=agent_email,
    )
    known = {*LEAD_STORED, *LEAD_DERIVED}
    custom = {k: v for k, v in lead.items() if k not in known}
    for i, value in enumerate(custom.values(), start=1):
        if i <= 10:
            out[f"custom_field_{i}"] = value
    out.update({f"{CUSTOM_PREFIX}{k}": v for k, v in custom.items()})
    out.update(callback)
    return out


def shape(receiver: Receiver, catalogue: dict[str, Any]) -> dict[str, Any]:
    """What the receiver is sent: the whole catalogue (lead custom fields under their own
    names), or with `fields` only the mapped ones under the mapped names, `defaults`
    filling the empty ones."""
    if not receiver.fields:
        out = {k: v for k, v in catalogue.items() if not k.startswith(CUSTOM_PREFIX)}
        out.update(
            {
                k[len(CUSTOM_PREFIX) :]: v
                for k, v in catalogue.items()
                if k.startswith(CUSTOM_PREFIX)
            }
        )
    else:
        out = {sent: catalogue.get(name) for sent, name in receiver.fields.items()}
    for sent, value in receiver.defaults.items():
        if out.get(sent) in (None, ""):
            out[sent] = value
    return out


def encode(receiver: Receiver, payload: dict[str, Any]) -> tuple[bytes, str]:
    """(body, content type): a JSON object, or Convoso's RAW post (URL-encoded form)."""
    if receiver.format == "form":
        pairs = [(k, "" if v is None else str(v)) for k, v in payload.items()]
        return urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    return json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json"


def call_catalogue(
    lead: dict[str, Any], row: dict[str, Any], recording: str | None
) -> dict[str, Any]:
    """The catalogue for call.completed: the lead's fields, then the call-log info of the
    call (a call-log row as log/retrieve answers it) under Convoso Connect's names."""
    out = lead_catalogue(lead)
    out.update(
        call_log_id=row["id"],
        lead_id=row["lead_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        list_id=row["list_id"],
        user_id=row["user_id"],
        originating_agent_id=row["originating_agent_id"],
        campaign_id=row["campaign_id"],
        campaign_name=row["campaign"],
        queue_id=row["queue_id"],
        queue_name=row["queue"],
        queue_seconds=row["queue_seconds"],
        queue_position=row["queue_position"],
        phone_number=row["phone_number"],
        status=row["status"],  # the disposition's code, as Connect sends it
        length_in_sec=row["call_length"],
        call_date=row["call_date"],
        agent_comment=row["agent_comment"],
        call_type=row["call_type"],
        term_reason=row["term_reason"],
        recording=recording,
        caller_id=row["caller_id_displayed"],
        inbound_number=row["inbound_number"],
        agent_full_name=row["user"],
    )
    return out
