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


@dataclass(frozen=True)
class TokenSpec:
    token: str
    sections: tuple[str, ...]  # a subset of mockvoso.actions.SECTIONS


@dataclass
class OfficeSeed:
    """One office (tenant) as seeded: the YAML part plus what Faker generated.

    users:      {"user_id": str, "email", "first_name", "last_name"}
    campaigns:  {"id": int, "name", "status": "Y"|"N", "last_call_date": str|None}
    lists:      {"id": int, "name", "campaign_id": int, "description", "status": "Y"|"N",
                 "last_called_at": str|None}
    statuses:   {"status": code, "name", "final", "reached", "success", "dnc",
                 "callback", "contact", "voicemail"} (flags "Y"/"N")
    leads:      tuples in LEAD_STORED order (strings/None): tuples, not dicts, so a
                million leads fit in memory
    call_logs:  tuples in CALL_LOG_FIELDS order (strings/None)
    recordings: dicts keyed by RECORDING_FIELDS
    timezone:   the IANA zone every timestamp of the office is written in
    sources:    lead source id -> name (leads' source_id; source_name in leads/search)
    queues:     queue id -> name (call logs' queue_id; `queue` in log/retrieve)
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
    timezone: str = DEFAULT_TIMEZONE
    sources: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)
    # The account's own lead fields (seed key custom_fields) and, once generated, each
    # lead's values of them: lead id -> {field: value}.
    custom_fields: list[str] = field(default_factory=list)
    custom: dict[int, dict[str, str]] = field(default_factory=dict)
