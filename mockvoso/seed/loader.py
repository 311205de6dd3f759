"""Read office seed files (one YAML file per office) into records.OfficeSeed, strictly checked.

Seed folder format
==================

A seed folder holds one YAML file per office (tenant). Every ``*.yaml`` / ``*.yml`` file
in the folder is loaded, in file-name order; the bundled folder names each file after
its office's acronym (``ACME.yaml``, ``BRAVO.yaml``). ``mockvoso serve --data DIR``
loads DIR instead of the bundled folder; copy ``seed_data/`` as a template.

.. code-block:: yaml

    acronym: ACME                      # required; letters, digits, "-" or "_"; unique
    name: Acme Health Insurance        # required
    timezone: America/Los_Angeles      # optional IANA zone of its timestamps (this default)
    tokens:                            # required, at least one; unique across offices
      - token: acmefull5f3c9a1e7b2d4f6a8c0e1b3d
        sections: all                  # "all", or a list drawn from:
      - token: acmeleads0c4e8a2f6b1d3e5a7c9f0b
        sections: [leads, lists]       #   leads, lists, campaigns, log, users,
                                       #   callbacks, revenue, dnc, sms-opt-out, status
    users:                             # the agents; at least one
      - {user_id: "1000001", email: jane.doe@acme.example, first_name: Jane, last_name: Doe,
         user_level: 8, acl_access_profile: 2, status: Y, local_gmt: "-8.00",
         connection_type: BROWSER, extension: [313777],
         last_login: "2025-12-30 08:00:00"}    # users/search attributes: all optional
    campaigns:                         # at least one
      - {id: 501, name: "Medicare Outbound", status: Y}     # status optional, default Y
    lists:                             # at least one; name >= 10 characters, unique
      - {id: 2701, name: "Medicare Leads Jan", campaign_id: 501,
         description: "January web leads", status: Y}       # description/status optional
    statuses:                          # dispositions; at least one
      - {status: SALE, name: Sale Made, final: Y, reached: Y, success: Y, dnc: N,
         callback: N, contact: Y, voicemail: N}             # flags optional, default N
      - {status: XFER, name: Transferred, contact: Y,
         custom: Y, hex_color: 6711d1}  # custom: made by the account (status/update may
                                        # change it), default N; hex_color optional
    lead_criteria:                     # optional: lead-validation/search, lead-post-validation
      - key: 0f6c1d2e3a4b5c6d7e8f90a1b2c3d4e5   # 8-64 letters/digits, unique across offices
        name: Medicare Southeast       # required
        list_id: 2701                  # required: a list of this office (where posts go)
        states: [FL, GA]               # optional; absent or [] = any state
        postal_prefixes: ["32", "33"]  # optional; the ZIP must start with one of them
        area_codes: ["305", "813"]     # optional; the phone's area code must be one of them
        check_dnc: Y                   # optional, default Y: a number on DNC is Denied
        min_lead_age_days: 30          # optional, default 0: a number already in the
                                       #   office is Accepted only once its lead is this old
    custom_fields: [roof_age, utility_provider]             # optional: the account's own
                                       # lead fields; every seeded lead gets a value

Rules the loader enforces (a broken rule raises ``SeedError`` naming the file and key):

* the file holds one mapping with exactly the keys above (unknown keys are refused, so a
  typo such as ``campain_id`` cannot pass silently), and no key appears twice;
* ``acronym`` (case-insensitively) and every ``token`` are unique across all offices;
* campaign ids, list ids and user ids are positive integers (user ids are kept as strings)
  unique across all offices, because Convoso ids are global and this keeps a cross-office
  request from ever finding another office's record by accident;
* user e-mails are unique in the office (``users/recordings`` looks agents up by e-mail);
* every list's ``campaign_id`` names a campaign of the same office; list names are at
  10-30 letters, digits, ``:``, ``-``, ``_`` or spaces and unique in the office (as
  lists/insert requires: errors 6046 / 6081);
* lead criteria keys are unique across offices, their ``list_id`` is a list of the same
  office, states are 2 letters, postal prefixes 1-5 digits and area codes 3 digits;
* status codes are 2-6 letters or digits, unique in the office (case-insensitively);
* custom field names are 1-64 letters, digits or ``_`` (a letter first), unique, and
  not a lead field or auth parameter of mockvoso's;
* ``status``, the disposition flags and ``custom`` take ``Y``/``N``, ``1``/``0`` or
  ``true``/``false`` and are stored as ``"Y"``/``"N"``; ``hex_color`` is 6 hex digits
  without ``#``.
  Quote values that YAML would read as booleans (``status: "ON"``, a code ``"NO"``).

* a user's optional ``user_level`` is 1-9, ``acl_access_profile`` a positive integer,
  ``status`` a Y/N flag, ``local_gmt`` like ``"-8.00"``, ``extension`` an integer or a
  list of them, ``last_login`` ``YYYY-MM-DD HH:MM:SS`` or null; the generator fills the
  attributes a file leaves out (``mockvoso.seed.agents``).

Leads, call logs, recordings, callbacks, DNC entries and SMS opt-outs are never read from
the files: the generator makes them (see ``mockvoso.seed.generator`` and
``mockvoso.seed.phone_lists``).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from mockvoso.actions import SECTIONS
from mockvoso.records import (
    DEFAULT_TIMEZONE,
    LEAD_DERIVED,
    LEAD_STORED,
    LEAD_WRITABLE,
    LIST_NAME_CHARS,
    LIST_NAME_MAX,
    LIST_NAME_MIN,
    OfficeSeed,
    TokenSpec,
)
from mockvoso.wire import FALSE_WORDS, TRUE_WORDS

SEED_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
OFFICE_KEYS: tuple[str, ...] = (
    "acronym",
    "name",
    "timezone",
    "tokens",
    "users",
    "campaigns",
    "lists",
    "statuses",
    "lead_criteria",
    "custom_fields",
)
STATUS_FLAGS: tuple[str, ...] = (
    "final",
    "reached",
    "success",
    "dnc",
    "callback",
    "contact",
    "voicemail",
)
_LIST_NAME_RE = re.compile(LIST_NAME_CHARS)

_ACRONYM_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Tokens travel in query strings and Bearer headers: keep them URL-safe so a seed file
# cannot define a token no client could send unescaped.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9._~-]{8,128}$")
_USER_ID_RE = re.compile(r"^[0-9]{1,20}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_STATUS_RE = re.compile(r"^[A-Za-z0-9]{2,6}$")
_HEX_RE = re.compile(r"^([0-9A-Fa-f]{6})?$")  # or "" (no color)
CUSTOM_FIELD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# A custom field may not shadow a lead field or a parameter the API reads itself.
NOT_CUSTOM = frozenset(
    {*LEAD_STORED, *LEAD_DERIVED, *LEAD_WRITABLE, "auth_token", "officeAcronym", "limit",
     "offset", "lead_id", "list_id", "check_dup", "hopper"}
)  # fmt: skip


class SeedError(ValueError):
    """A seed file that cannot be read or breaks a rule; the text names the file and key."""

    def __init__(self, path: str | Path, key: str | None, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


# --- YAML reading -----------------------------------------------------------------------

# libyaml's parser is several times faster than the pure-Python one, and seed files are
# read at every server start; fall back quietly where PyYAML was built without it.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):
    """A safe loader that refuses a mapping key given twice (PyYAML keeps the last one)."""


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        # Merge keys (`<<: *anchor`) legitimately repeat keys they merge in; skip them.
        if key_node.tag.endswith(":merge"):
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: let the normal constructor report it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(path, None, f"cannot read the file: {exc}") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no tags run code
    except yaml.YAMLError as exc:
        raise SeedError(path, None, f"not valid YAML: {exc}") from exc


# --- value checks -----------------------------------------------------------------------


def _bool_hint(value: Any) -> str:
    # YAML 1.1 reads yes/no/on/off as booleans: say so, or the error is baffling.
    return " (YAML read it as a boolean: quote it)" if isinstance(value, bool) else ""


def _text(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SeedError(path, key, f"must be a non-empty string, got {value!r}{_bool_hint(value)}")
    return value.strip()


def _positive_int(path: Path, key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise SeedError(path, key, f"must be a positive integer, got {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise SeedError(path, key, f"must be a positive integer, got {value!r}")
    return value


def _flag(path: Path, key: str, value: Any) -> str:
    text = str(value).strip().lower() if isinstance(value, (str, int, bool)) else None
    if isinstance(value, bool):
        text = "true" if value else "false"
    if text in TRUE_WORDS:
        return "Y"
    if text in FALSE_WORDS:
        return "N"
    raise SeedError(path, key, f"must be Y/N, 1/0 or true/false, got {value!r}")


def _mapping(path: Path, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedError(path, key, f"must be a mapping, got {type(value).__name__}")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise SeedError(
            path, f"{key}.{unknown[0]}", f"unknown key (expected one of: {', '.join(allowed)})"
        )
    return value


def _require(path: Path, key: str, item: dict[str, Any], name: str) -> Any:
    if item.get(name) is None:
        raise SeedError(path, f"{key}.{name}", "is required")
    return item[name]


def _items(path: Path, doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    if value is None:
        raise SeedError(path, key, "is required (a list with at least one entry)")
    if not isinstance(value, list):
        raise SeedError(path, key, f"must be a list, got {type(value).__name__}")
    if not value:
        raise SeedError(path, key, "must hold at least one entry")
    return value


# --- sections of an office file ---------------------------------------------------------


def _tokens(path: Path, doc: dict[str, Any]) -> list[TokenSpec]:
    out: list[TokenSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(_items(path, doc, "tokens")):
        key = f"tokens[{i}]"
        item = _mapping(path, key, raw, ("token", "sections"))
        token = _text(path, f"{key}.token", _require(path, key, item, "token"))
        if not _TOKEN_RE.match(token):
            raise SeedError(
                path, f"{key}.token", "must be 8-128 characters of letters, digits, . _ ~ -"
            )
        if token in seen:
            raise SeedError(path, f"{key}.token", f"duplicate token {token!r}")
        seen.add(token)
        out.append(TokenSpec(token=token, sections=_sections(path, key, item)))
    return out


def _sections(path: Path, key: str, item: dict[str, Any]) -> tuple[str, ...]:
    raw = _require(path, key, item, "sections")
    if isinstance(raw, str) and raw.strip().lower() == "all":
        return SECTIONS
    if not isinstance(raw, list):
        raise SeedError(path, f"{key}.sections", f'must be "all" or a list, got {raw!r}')
    chosen: set[str] = set()
    for j, section in enumerate(raw):
        name = section.strip().lower() if isinstance(section, str) else section
        if name not in SECTIONS:
            raise SeedError(
                path,
                f"{key}.sections[{j}]",
                f"unknown section {section!r} (expected one of: {', '.join(SECTIONS)})",
            )
        if name in chosen:
            raise SeedError(path, f"{key}.sections[{j}]", f"duplicate section {name!r}")
        chosen.add(name)
    # SECTIONS order, so the same grant always compares equal whatever the YAML order.
    return tuple(s for s in SECTIONS if s in chosen)


def _users(path: Path, doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ids: set[str] = set()
    emails: set[str] = set()
    for i, raw in enumerate(_items(path, doc, "users")):
        key = f"users[{i}]"
        item = _mapping(
            path, key, raw, ("user_id", "email", "first_name", "last_name", *USER_SEED_KEYS)
        )
        user_id = _require(path, key, item, "user_id")
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            user_id = str(user_id)  # Convoso answers user ids as strings
        if not isinstance(user_id, str) or not _USER_ID_RE.match(user_id):
            raise SeedError(path, f"{key}.user_id", f"must be digits, got {user_id!r}")
        if user_id in ids:
            raise SeedError(path, f"{key}.user_id", f"duplicate user_id {user_id}")
        email = _text(path, f"{key}.email", _require(path, key, item, "email"))
        if not _EMAIL_RE.match(email):
            raise SeedError(path, f"{key}.email", f"not an e-mail address: {email!r}")
        if email.casefold() in emails:
            raise SeedError(path, f"{key}.email", f"duplicate e-mail {email!r}")
        ids.add(user_id)
        emails.add(email.casefold())
        out.append(
            {
                "user_id": user_id,
                "email": email,
                "first_name": _text(
                    path, f"{key}.first_name", _require(path, key, item, "first_name")
                ),
                "last_name": _text(
                    path, f"{key}.last_name", _require(path, key, item, "last_name")
                ),
                **_user_attributes(path, key, item),
            }
        )
    return out


# Optional users/search attributes a seed file may set per user; the generator fills
# the rest (mockvoso.seed.agents).
USER_SEED_KEYS: tuple[str, ...] = (
    "user_level",
    "acl_access_profile",
    "status",
    "local_gmt",
    "connection_type",
    "extension",
    "last_login",
)
_GMT_RE = re.compile(r"^[+-]?[0-9]{1,2}\.[0-9]{2}$")
_LOGIN_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")


def _user_attributes(path: Path, key: str, item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if item.get("user_level") is not None:
        level = _positive_int(path, f"{key}.user_level", item["user_level"])
        if level > 9:
            raise SeedError(path, f"{key}.user_level", f"must be 1-9, got {level}")
        out["user_level"] = level
    if item.get("acl_access_profile") is not None:
        out["acl_access_profile"] = _positive_int(
            path, f"{key}.acl_access_profile", item["acl_access_profile"]
        )
    if item.get("status") is not None:
        out["status"] = _flag(path, f"{key}.status", item["status"])
    if item.get("local_gmt") is not None:
        gmt = str(item["local_gmt"]).strip()
        if not _GMT_RE.match(gmt):
            raise SeedError(path, f"{key}.local_gmt", f'must look like "-8.00", got {gmt!r}')
        out["local_gmt"] = gmt
    if item.get("connection_type") is not None:
        out["connection_type"] = _text(path, f"{key}.connection_type", item["connection_type"])
    if item.get("extension") is not None:
        raw = item["extension"]
        values = raw if isinstance(raw, list) else [raw]
        out["extension"] = [_positive_int(path, f"{key}.extension", v) for v in values]
    if "last_login" in item:  # null is a value here: the agent never logged in
        login = item["last_login"]
        if login is not None and (not isinstance(login, str) or not _LOGIN_RE.match(login)):
            raise SeedError(
                path, f"{key}.last_login", f"must be YYYY-MM-DD HH:MM:SS or null, got {login!r}"
            )
        out["last_login"] = login
    return out


def _campaigns(path: Path, doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ids: set[int] = set()
    names: set[str] = set()
    for i, raw in enumerate(_items(path, doc, "campaigns")):
        key = f"campaigns[{i}]"
        item = _mapping(path, key, raw, ("id", "name", "status"))
        cid = _positive_int(path, f"{key}.id", _require(path, key, item, "id"))
        if cid in ids:
            raise SeedError(path, f"{key}.id", f"duplicate campaign id {cid}")
        name = _text(path, f"{key}.name", _require(path, key, item, "name"))
        if name.casefold() in names:
            raise SeedError(path, f"{key}.name", f"duplicate campaign name {name!r}")
        ids.add(cid)
        names.add(name.casefold())
        status = _flag(path, f"{key}.status", item.get("status", "Y"))
        # last_call_date is filled by the generator from the seeded call logs.
        out.append({"id": cid, "name": name, "status": status, "last_call_date": None})
    return out


def _lists(
    path: Path, doc: dict[str, Any], campaigns: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    campaign_ids = {c["id"] for c in campaigns}
    out: list[dict[str, Any]] = []
    ids: set[int] = set()
    names: set[str] = set()
    for i, raw in enumerate(_items(path, doc, "lists")):
        key = f"lists[{i}]"
        item = _mapping(path, key, raw, ("id", "name", "campaign_id", "description", "status"))
        list_id = _positive_int(path, f"{key}.id", _require(path, key, item, "id"))
        if list_id in ids:
            raise SeedError(path, f"{key}.id", f"duplicate list id {list_id}")
        name = _text(path, f"{key}.name", _require(path, key, item, "name"))
        if not LIST_NAME_MIN <= len(name) <= LIST_NAME_MAX or not _LIST_NAME_RE.match(name):
            raise SeedError(
                path,
                f"{key}.name",
                f"must be {LIST_NAME_MIN}-{LIST_NAME_MAX} letters, digits, ':', '-', '_' or"
                f" spaces (as lists/insert requires): {name!r}",
            )
        # Convoso refuses a second list of the same name (6081); compare like its
        # case-insensitive collation would, so the API can never disagree with the seed.
        if name.casefold() in names:
            raise SeedError(path, f"{key}.name", f"duplicate list name {name!r}")
        campaign_id = _positive_int(
            path, f"{key}.campaign_id", _require(path, key, item, "campaign_id")
        )
        if campaign_id not in campaign_ids:
            raise SeedError(
                path, f"{key}.campaign_id", f"no campaign with id {campaign_id} in this office"
            )
        description = item.get("description", "")
        if description is None:
            description = ""
        if not isinstance(description, str) or len(description) > 255:
            raise SeedError(path, f"{key}.description", "must be a string of 0-255 characters")
        ids.add(list_id)
        names.add(name.casefold())
        out.append(
            {
                "id": list_id,
                "name": name,
                "campaign_id": campaign_id,
                "description": description,
                "status": _flag(path, f"{key}.status", item.get("status", "Y")),
                "last_called_at": None,  # filled by the generator from the call logs
            }
        )
    return out


def _statuses(path: Path, doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    codes: set[str] = set()
    for i, raw in enumerate(_items(path, doc, "statuses")):
        key = f"statuses[{i}]"
        item = _mapping(path, key, raw, ("status", "name", *STATUS_FLAGS, "custom", "hex_color"))
        code = _require(path, key, item, "status")
        if not isinstance(code, str) or not _STATUS_RE.match(code):
            raise SeedError(
                path,
                f"{key}.status",
                f"must be 2-6 letters or digits, got {code!r}{_bool_hint(code)}",
            )
        if code.upper() in codes:
            raise SeedError(path, f"{key}.status", f"duplicate status {code!r}")
        codes.add(code.upper())
        entry: dict[str, Any] = {
            "status": code,
            "name": _text(path, f"{key}.name", _require(path, key, item, "name")),
        }
        for flag in STATUS_FLAGS:
            entry[flag] = _flag(path, f"{key}.{flag}", item.get(flag, "N"))
        entry["custom"] = _flag(path, f"{key}.custom", item.get("custom", "N"))
        color = item.get("hex_color", "")
        if isinstance(color, int) and not isinstance(color, bool):
            color = str(color)  # YAML reads 123456 as a number
        if not isinstance(color, str) or not _HEX_RE.match(color):
            raise SeedError(
                path, f"{key}.hex_color", f"must be 6 hex digits without #, got {color!r}"
            )
        entry["hex_color"] = color.lower()
        out.append(entry)
    return out


def _custom_fields(path: Path, doc: dict[str, Any]) -> list[str]:
    raw = doc.get("custom_fields")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SeedError(path, "custom_fields", f"must be a list, got {type(raw).__name__}")
    out: list[str] = []
    for i, name in enumerate(raw):
        key = f"custom_fields[{i}]"
        if not isinstance(name, str) or not CUSTOM_FIELD_RE.match(name):
            raise SeedError(
                path, key, f"must be 1-64 letters, digits or _ (a letter first): {name!r}"
            )
        if name in NOT_CUSTOM:
            raise SeedError(
                path, key, f"{name!r} is a lead field or API parameter, not a custom one"
            )
        if name in out:
            raise SeedError(path, key, f"duplicate custom field {name!r}")
        out.append(name)
    return out


_ZIP = "1-5 digits"
_CRITERIA_KEY_RE = re.compile(r"^[A-Za-z0-9]{8,64}$")
_CRITERIA_KEYS: tuple[str, ...] = (
    "key",
    "name",
    "list_id",
    "states",
    "postal_prefixes",
    "area_codes",
    "check_dnc",
    "min_lead_age_days",
)


def _codes(path: Path, key: str, value: Any, pattern: str, what: str) -> list[str]:
    """A list of short codes (states, ZIP prefixes, area codes), each matching pattern."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise SeedError(path, key, f"must be a list, got {type(value).__name__}")
    out = []
    for j, item in enumerate(value):
        text = str(item).strip().upper() if isinstance(item, (str, int)) else None
        if isinstance(item, bool) or text is None or not re.fullmatch(pattern, text):
            raise SeedError(path, f"{key}[{j}]", f"must be {what}, got {item!r}{_bool_hint(item)}")
        out.append(text)
    return out


def _lead_criteria(
    path: Path, doc: dict[str, Any], lists: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    raw_items = doc.get("lead_criteria")
    if raw_items is None:
        return []
    if not isinstance(raw_items, list):
        raise SeedError(path, "lead_criteria", f"must be a list, got {type(raw_items).__name__}")
    list_ids = {item["id"] for item in lists}
    out: list[dict[str, Any]] = []
    keys: set[str] = set()
    for i, raw in enumerate(raw_items):
        key = f"lead_criteria[{i}]"
        item = _mapping(path, key, raw, _CRITERIA_KEYS)
        criteria_key = _require(path, key, item, "key")
        if not isinstance(criteria_key, str) or not _CRITERIA_KEY_RE.match(criteria_key):
            raise SeedError(path, f"{key}.key", f"must be 8-64 letters or digits: {criteria_key!r}")
        if criteria_key in keys:
            raise SeedError(path, f"{key}.key", f"duplicate criteria key {criteria_key!r}")
        keys.add(criteria_key)
        list_id = _positive_int(path, f"{key}.list_id", _require(path, key, item, "list_id"))
        if list_id not in list_ids:
            raise SeedError(path, f"{key}.list_id", f"no list with id {list_id} in this office")
        age = item.get("min_lead_age_days", 0)
        if isinstance(age, bool) or not isinstance(age, int) or age < 0:
            raise SeedError(path, f"{key}.min_lead_age_days", f"must be 0 or more, got {age!r}")
        out.append(
            {
                "key": criteria_key,
                "name": _text(path, f"{key}.name", _require(path, key, item, "name")),
                "list_id": list_id,
                "states": _codes(
                    path, f"{key}.states", item.get("states"), "[A-Z]{2}", "2 letters"
                ),
                "postal_prefixes": _codes(
                    path, f"{key}.postal_prefixes", item.get("postal_prefixes"), "[0-9]{1,5}", _ZIP
                ),
                "area_codes": _codes(
                    path, f"{key}.area_codes", item.get("area_codes"), "[0-9]{3}", "3 digits"
                ),
                "check_dnc": _flag(path, f"{key}.check_dnc", item.get("check_dnc", "Y")) == "Y",
                "min_lead_age_days": age,
            }
        )
    return out


def load_office_file(path: str | Path) -> OfficeSeed:
    """One office file → OfficeSeed (leads, call logs and recordings left empty)."""
    path = Path(path)
    doc = _read_yaml(path)
    if doc is None:
        raise SeedError(path, None, "the file is empty (expected a mapping: acronym, name, ...)")
    if not isinstance(doc, dict):
        raise SeedError(path, None, f"must hold a mapping, got {type(doc).__name__}")
    for key in doc:
        if key not in OFFICE_KEYS:
            raise SeedError(
                path, str(key), f"unknown key (expected one of: {', '.join(OFFICE_KEYS)})"
            )
    if doc.get("acronym") is None:
        raise SeedError(path, "acronym", "is required")
    acronym = _text(path, "acronym", doc["acronym"])
    if not _ACRONYM_RE.match(acronym):
        raise SeedError(path, "acronym", f"must be 1-32 letters, digits, - or _: {acronym!r}")
    if doc.get("name") is None:
        raise SeedError(path, "name", "is required")
    campaigns = _campaigns(path, doc)
    lists = _lists(path, doc, campaigns)
    return OfficeSeed(
        acronym=acronym,
        name=_text(path, "name", doc["name"]),
        tokens=_tokens(path, doc),
        users=_users(path, doc),
        campaigns=campaigns,
        lists=lists,
        statuses=_statuses(path, doc),
        timezone=_timezone(path, doc),
        lead_criteria=_lead_criteria(path, doc, lists),
        custom_fields=_custom_fields(path, doc),
    )


def _timezone(path: Path, doc: dict[str, Any]) -> str:
    """The office's IANA zone (default America/Los_Angeles, Convoso's own)."""
    raw = doc.get("timezone")
    if raw is None:
        return DEFAULT_TIMEZONE
    zone = _text(path, "timezone", raw)
    try:
        ZoneInfo(zone)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        raise SeedError(
            path, "timezone", f"not a known IANA time zone: {zone!r} (e.g. America/New_York)"
        ) from None
    return zone


def _check_across(offices: list[tuple[Path, OfficeSeed]]) -> None:
    """Acronyms, tokens and ids must be unique across every office of the folder."""
    owners: dict[tuple[str, Any], Path] = {}

    def claim(kind: str, value: Any, path: Path, key: str, label: str) -> None:
        other = owners.setdefault((kind, value), path)
        if other != path:
            raise SeedError(path, key, f"{label} is already used by {other}")

    for path, office in offices:
        claim("acronym", office.acronym.upper(), path, "acronym", f"acronym {office.acronym!r}")
        for i, spec in enumerate(office.tokens):
            claim("token", spec.token, path, f"tokens[{i}].token", f"token {spec.token!r}")
        for i, user in enumerate(office.users):
            claim(
                "user", user["user_id"], path, f"users[{i}].user_id", f"user_id {user['user_id']}"
            )
        for i, camp in enumerate(office.campaigns):
            claim("campaign", camp["id"], path, f"campaigns[{i}].id", f"campaign id {camp['id']}")
        for i, item in enumerate(office.lists):
            claim("list", item["id"], path, f"lists[{i}].id", f"list id {item['id']}")
        for i, crit in enumerate(office.lead_criteria):
            claim("criteria", crit["key"], path, f"lead_criteria[{i}].key", "criteria key")


def bundled_data_dir() -> Path:
    """The seed folder shipped with mockvoso (installed as the package mockvoso.seed_data)."""
    try:
        found = resources.files("mockvoso.seed_data")
    except ModuleNotFoundError:
        # A source checkout that was never pip-installed has no mockvoso.seed_data
        # package: seed_data/ sits beside mockvoso/ at the top of the repo.
        found = None
    if isinstance(found, Path) and found.is_dir():
        return found
    return Path(__file__).resolve().parents[2] / "seed_data"


def load_offices(data_dir: str | Path | None = None) -> list[OfficeSeed]:
    """Every office of a seed folder (default: the bundled one), in file-name order."""
    folder = Path(data_dir) if data_dir is not None else bundled_data_dir()
    if not folder.is_dir():
        raise SeedError(folder, None, "not a directory")
    files = sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in SEED_SUFFIXES and p.is_file()),
        key=lambda p: p.name,
    )
    if not files:
        raise SeedError(folder, None, "holds no *.yaml or *.yml office files")
    loaded = [(path, load_office_file(path)) for path in files]
    _check_across(loaded)
    return [office for _, office in loaded]
