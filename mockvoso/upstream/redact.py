"""Redaction of upstream data before anything is written: personal values become same-shaped
placeholders (letters x/X, digits 0, punctuation kept), tokens disappear entirely."""

from __future__ import annotations

import re
from typing import Any

# Values kept as they are: ids, codes, flags, counts and timestamps describe the account's
# shape and identify no person. Every other string is replaced (an allowlist: a key this
# list does not know, such as an account's custom field, is redacted by default).
KEEP_KEYS: frozenset[str] = frozenset(
    {
        "success", "code", "offset", "limit", "total", "total_found", "entries", "status",
        "status_name", "final", "reached", "dnc", "callback", "contact", "voicemail",
        "custom_status", "hex_color", "workflow_dispositon_event_option", "id", "created_at",
        "modified_at", "last_called", "last_call_date", "last_called_at", "call_date",
        "start_time", "end_time", "call_length", "called_count", "called_count_inbound",
        "called_since_last_reset", "call_type", "term_reason", "object_type", "date",
        "timezone", "timezone_type", "user_level", "acl_access_profile", "queue_position",
        "queue_seconds", "seconds", "type", "state", "availability_code", "availability_name",
        "campaign_type", "connection_type", "queue_override", "stage", "recipient",
        "last_modified_by", "locale_gmt", "local_gmt", "event_sec", "event_epoch",
        "allow_queue_selection", "allow_callbacks", "callback_types_allowed",
        "allow_transfers", "default_blended_selection", "alter_custdata_override",
        "allow_blended_campaign", "notification", "insert_date", "country", "phone_code",
    }
)  # fmt: skip
# Names that are the account's own vocabulary (campaigns, lists, statuses), kept only in
# the answers that list them: elsewhere `name` is a person (agent reports).
KEEP_NAMES_IN: frozenset[str] = frozenset({"campaigns/search", "lists/search", "status/search"})
NAME_KEYS: frozenset[str] = frozenset({"name", "campaign", "campaign_name", "list_name"})
PROSE_KEYS: frozenset[str] = NAME_KEYS | {"text", "status_name"}
_ID_KEY = re.compile(r"(^|_)(id|ids|uid)$")
# Inside a kept value, anything that still looks like an e-mail or a phone number goes.
_EMAIL = re.compile(r"[^@\s\"',;<>]+@[^@\s\"',;<>]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_PERSONAL_NUMBER_KEY = re.compile(r"phone|number|dialed|caller_id|postal|zip|birth|ssn|ip_addr")


def shaped(text: str) -> str:
    """A placeholder of the same shape: letters x/X, digits 0, everything else kept."""
    return "".join(
        "0" if ch.isdigit() else ("X" if ch.isupper() else "x") if ch.isalpha() else ch
        for ch in text
    )


def scrub(text: str, tokens: tuple[str, ...] = (), *, prose: bool = True) -> str:
    """A kept string with any token or e-mail inside it shaped away; in prose (a name, an
    error text) phone-like digit runs too (not in ids and timestamps, which look alike)."""
    for token in tokens:
        if token:
            text = text.replace(token, "[token]")
    text = _EMAIL.sub(lambda m: shaped(m.group(0)), text)
    return _PHONE.sub(lambda m: shaped(m.group(0)), text) if prose else text


def _keeps(key: str, action: str) -> bool:
    key = key.lower()
    if key in NAME_KEYS:
        return action in KEEP_NAMES_IN or key in ("campaign", "campaign_name")
    return key in KEEP_KEYS or bool(_ID_KEY.search(key))


def redact(value: Any, action: str, tokens: tuple[str, ...] = (), key: str = "") -> Any:
    """A redacted copy of a decoded JSON document (or a request's parameters)."""
    if isinstance(value, dict):
        return {
            k: redact(v, action, tokens, str(k))
            for k, v in value.items()
            if str(k).lower() != "auth_token"
        }
    if isinstance(value, list):
        return [redact(item, action, tokens, key) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        if _PERSONAL_NUMBER_KEY.search(key.lower()):
            return int(shaped(str(int(value))).replace("0", "5") or 0)
        return value
    if not isinstance(value, str):
        return value
    if _keeps(key, action) and not _PERSONAL_NUMBER_KEY.search(key.lower()):
        return scrub(value, tokens, prose=key.lower() in PROSE_KEYS)
    return shaped(value)
