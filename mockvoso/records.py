"""The shapes of the records every layer shares: field names in wire order, seed containers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Lead fields a client may write on leads/insert and leads/update (convoso-api.md §2-3).
LEAD_WRITABLE: tuple[str, ...] = (
    "list_id",
    "phone_code",
    "phone_number",
    "status",
    "user_id",
    "owner_id",
    "created_by",
    "last_modified_by",
    "first_name",
    "last_name",
    "email",
    "alt_phone_1",
    "alt_phone_2",
    "address1",
    "address2",
    "city",
    "state",
    "province",
    "postal_code",
    "country",
    "gender",
    "date_of_birth",
    "notes",
)

# Every key of a stored lead, in the order leads/search answers them. Values are
# strings or None: Convoso sends ids and counters as strings in search results.
LEAD_STORED: tuple[str, ...] = (
    "id",
    "created_at",
    "modified_at",
    "first_name",
    "last_name",
    "email",
    "status",
    "source_id",
    "list_id",
    "locale_gmt",
    "called_since_last_reset",
    "phone_code",
    "phone_number",
    "alt_phone_1",
    "alt_phone_2",
    "called_count",
    "called_count_inbound",
    "last_called",
    "object_type",
    "created_by",
    "last_modified_by",
    "carrier_name",
    "user_id",
    "owner_id",
    "address1",
    "address2",
    "city",
    "state",
    "province",
    "postal_code",
    "country",
    "gender",
    "date_of_birth",
    "notes",
)

# Keys leads/search adds from the lead's relations when it answers (so a renamed
# list shows its new name at once): names of the list, campaign, status and user, and
# their 32-character uids (the `*_uid` keys of the real lead record, convoso-api.md §5).
LEAD_DERIVED: tuple[str, ...] = (
    "lead_id",
    "directory_uid",
    "directory_name",
    "campaign_id",
    "campaign_uid",
    "campaign_name",
    "status_name",
    "user_uid",
    "user_name",
    "source_uid",
    "source_name",
)

# A call-log row as log/retrieve answers it (all strings or None).
CALL_LOG_FIELDS: tuple[str, ...] = (
    "id",
    "lead_id",
    "list_id",
    "campaign_id",
    "campaign",
    "user",
    "user_id",
    "phone_number",
    "number_dialed",
    "first_name",
    "last_name",
    "status",
    "status_name",
    "call_length",
    "call_date",
    "agent_comment",
    "queue_id",
    "called_count",
    "caller_id_displayed",
    "term_reason",
    "call_type",
    "queue_position",
    "queue_seconds",
    "originating_agent_id",
    "session_id",
    # Inbound calls only (null otherwise): the queue's name and the office number the
    # caller dialled; production clients read both (convoso-api.md §12, issue 12).
    "queue",
    "inbound_number",
)

# List names (walmat SDK, from Convoso's in-app API page): 10-30 characters of letters,
# digits, ':', '-', '_' and space, on lists/insert and update and in seeds. Shorter is
# the documented domain error 6046 (the store's check); longer or another character has
# no documented code: a bad value (HTTP 400).
LIST_NAME_MIN = 10
LIST_NAME_MAX = 30
LIST_NAME_CHARS = r"^[A-Za-z0-9:_ -]*$"

CALL_TYPES: tuple[str, ...] = ("INBOUND", "OUTBOUND", "MANUAL", "3WAY")

# The "System User" real call logs show on abandoned and dropped calls: no agent took
# them, and reporting code filters these ids out (convoso-api.md §12, [SU]).
SYSTEM_USER_IDS: tuple[str, ...] = ("666666", "666667", "666671")
SYSTEM_USER_NAME = "System User"

# An office's time zone when its seed file names none: Convoso's default (real clients
# parse its timestamps as America/Los_Angeles; convoso-api-more.md §1).
DEFAULT_TIMEZONE = "America/Los_Angeles"

# A stored recording. users/recordings answers recording_id, lead_id, start_time,
# end_time, seconds, url; log/retrieve's `recording` array answers src, type,
# recording_id, filename, public_url.
RECORDING_FIELDS: tuple[str, ...] = (
    "recording_id",  # int
    "call_log_id",  # int
    "lead_id",  # int
    "user_id",  # str, the agent's user_id
    "start_time",  # "YYYY-MM-DD HH:MM:SS"
    "end_time",  # "YYYY-MM-DD HH:MM:SS" or ""
    "seconds",  # int or None
    "url",  # file name, e.g. convoso_<phone>_<n>_<epoch>-all.wav
)


# A stored agent state event (agent-productivity/search rows, agent-monitor's state).
AGENT_EVENT_FIELDS: tuple[str, ...] = (
    "id",  # int, ascending with time
    "user_id",  # str
    "state",  # LOGIN, READY, PAUSED, LOGOUT
    "availability_code",  # str, a numeric id (records.AVAILABILITY)
    "campaign_id",  # int, the campaign the agent is logged into
    "epoch",  # int, the event's instant (Unix seconds)
    "created_at",  # "YYYY-MM-DD HH:MM:SS", that instant in the office's zone
    "ends",  # int epoch the state ended, or None while it lasts (the session is open)
    "ip_address",  # str
)


# What users/search answers per user besides id, email and names (convoso-api-more.md
# §4), in its order. The generator fills what a seed file leaves out.
USER_ATTRIBUTES: tuple[str, ...] = (
    "acl_access_profile",  # int
    "user_level",  # int
    "queue_override",
    "allow_queue_selection",
    "allow_callbacks",
    "callback_types_allowed",
    "allow_transfers",
    "default_blended_selection",
    "alter_custdata_override",
    "status",  # "Y" active, "N" disabled
    "local_gmt",  # "-8.00"
    "allow_blended_campaign",
    "notification",
    "created_at",  # ISO-8601 with offset: "2016-11-17T10:54:21+0000"
    "connection_type",
    "extension",  # list of ints
    "last_login",  # "YYYY-MM-DD HH:MM:SS" or None
)

OFFICE_WIDE = 0  # campaign_id 0: the office-wide ("global") list

# Purpose and reason vocabularies (convoso-api-more.md §2.0, from walmat/convoso-sdk
# src/types/dnc.ts; shared by the SMS opt-out list per its sms-opt-out.ts).
PURPOSES: tuple[str, ...] = (
    "COLLECT",
    "COMMNOTM",
    "CONFIRM",
    "ESIGN",
    "HIPAA",
    "INFORM",
    "NONCOMM",
    "NONPROF",
    "NOTFOUND",
    "NOTIFY",
    "TELEMKT",
    "VERIFY",
)
REASONS: tuple[str, ...] = ("DNC", "DNCT", "ConsentRevoked")

# An entry of the DNC or SMS opt-out list: id and campaign_id ints (0 = office-wide),
# the rest strings ("" for an empty reason or purpose).
PHONE_LIST_FIELDS: tuple[str, ...] = (
    "id",
    "phone_number",
    "phone_code",
    "campaign_id",
    "reason",
    "purpose",
    "insert_date",
)


@dataclass(frozen=True)
class TokenSpec:
    token: str
    sections: tuple[str, ...]  # a subset of mockvoso.actions.SECTIONS


@dataclass
class OfficeSeed:
    """One office (tenant) as seeded: the YAML part plus what Faker generated.

    users:      {"user_id": str, "email", "first_name", "last_name"} plus, once generated,
                the users/search attributes (USER_ATTRIBUTES)
    campaigns:  {"id": int, "name", "status": "Y"|"N", "last_call_date": str|None}
    lists:      {"id": int, "name", "campaign_id": int, "description", "status": "Y"|"N",
                 "last_called_at": str|None}
    statuses:   {"status": code, "name", "final", "reached", "success", "dnc",
                 "callback", "contact", "voicemail"} (flags "Y"/"N")
    leads:      tuples in LEAD_STORED order (strings/None): tuples, not dicts, so a
                million leads fit in memory
    call_logs:  tuples in CALL_LOG_FIELDS order (strings/None)
    recordings: dicts keyed by RECORDING_FIELDS
    callbacks:  dicts keyed by store.state.CALLBACK_KEYS (ids int, the rest strings;
                callback_seen may be None); first_callback_id numbers the next one
    timezone:   the IANA zone every timestamp of the office is written in
    sources:    lead source id -> name (leads' source_id; source_name in leads/search)
    queues:     queue id -> name (call logs' queue_id; `queue` in log/retrieve)
    statuses also carry "custom" ("Y" = made by the account, editable by status/update)
                and "hex_color" (6 hex digits or "")
    dnc, sms_opt_outs: dicts keyed by PHONE_LIST_FIELDS (campaign_id 0 = office-wide)
    agent_events: dicts keyed by AGENT_EVENT_FIELDS, in time order (agent reports)
    lead_criteria: {"key", "name", "list_id": int, "states", "postal_prefixes",
                 "area_codes", "check_dnc": bool, "min_lead_age_days": int}
    custom_fields / custom: custom lead field names, and the generated values per lead
    """

    acronym: str
    name: str
    tokens: list[TokenSpec]
    users: list[dict[str, Any]]
    campaigns: list[dict[str, Any]]
    lists: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    leads: list[tuple[str | None, ...]] = field(default_factory=list)
    call_logs: list[tuple[str | None, ...]] = field(default_factory=list)
    recordings: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    first_callback_id: int = 1
    timezone: str = DEFAULT_TIMEZONE
    sources: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)
    dnc: list[dict[str, Any]] = field(default_factory=list)
    sms_opt_outs: list[dict[str, Any]] = field(default_factory=list)
    agent_events: list[dict[str, Any]] = field(default_factory=list)
    lead_criteria: list[dict[str, Any]] = field(default_factory=list)
    # The account's own lead fields (seed key custom_fields) and, once generated, each
    # lead's values of them: lead id -> {field: value}.
    custom_fields: list[str] = field(default_factory=list)
    custom: dict[int, dict[str, str]] = field(default_factory=dict)


# Agent availability codes: code -> (state, availability_name, availability_code_name).
# Convoso's example shows a login as code "1", name "Login", empty code name; pause codes
# carry their own name (convoso-api-more.md §9). The other codes are mockvoso's own.
AVAILABILITY: dict[str, tuple[str, str, str]] = {
    "0": ("LOGOUT", "Logout", ""),
    "1": ("LOGIN", "Login", ""),
    "2": ("READY", "Ready", ""),
    "3": ("PAUSED", "Paused", "Break"),
    "4": ("PAUSED", "Paused", "Lunch"),
    "5": ("PAUSED", "Paused", "Training"),
    "6": ("PAUSED", "Paused", "Meeting"),
}
