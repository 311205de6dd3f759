"""The DNC and SMS opt-out lists' shared model: entries, phone index, vocabularies, search."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from mockvoso.records import PHONE_LIST_FIELDS
from mockvoso.store.index import SortedIndex

# Reserved words: on insert/update -BLANK- empties the field; on search -BLANK- finds
# empty fields and -NOTBLANK- non-empty ones.
BLANK = "-BLANK-"
NOT_BLANK = "-NOTBLANK-"

# Formatting a client may leave in a number (as leads/insert accepts it).
_PHONE_JUNK = re.compile(r"[\s().+-]")
_HEX_COLOR = re.compile(r"^[0-9A-Fa-f]{6}$")


def is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def phone_digits(raw: str) -> str | None:
    """The digits of a phone number (7-15 of them), or None if it cannot be one."""
    digits = _PHONE_JUNK.sub("", raw)
    return digits if is_digits(digits) and 7 <= len(digits) <= 15 else None


def numeric(raw: str) -> bool:
    """Digits once formatting (spaces, dots, dashes, brackets, a plus) is dropped."""
    return is_digits(_PHONE_JUNK.sub("", raw))


def country_code(raw: str) -> str | None:
    """A country code of 1-4 digits ("+1" is read as "1"), or None."""
    text = raw.strip().removeprefix("+")
    return text if is_digits(text) and 1 <= len(text) <= 4 else None


def whole(raw: str) -> int | None:
    """A non-negative id given as (at most 18) digits, or None."""
    text = raw.strip()
    return int(text) if is_digits(text) and len(text) <= 18 else None


def vocabulary_word(raw: str, words: Sequence[str]) -> str | None:
    """The vocabulary's own spelling of raw (any case), or None if it is not one."""
    folded = raw.strip().casefold()
    return next((word for word in words if word.casefold() == folded), None)


def hex_color(raw: str) -> str | None:
    return raw if _HEX_COLOR.match(raw) else None


def index_by_phone(entries: dict[int, dict[str, Any]]) -> SortedIndex:
    """phone_number -> entry ids, ascending."""
    return SortedIndex.build((entries[i]["phone_number"], i) for i in sorted(entries))


def find_entry(
    entries: dict[int, dict[str, Any]],
    by_phone: SortedIndex,
    phone: str,
    code: str,
    campaign_id: int,
) -> int | None:
    """The id of the entry with this (phone, code, campaign) triple: it is unique."""
    for entry_id in by_phone.get(phone):
        entry = entries[entry_id]
        if entry["phone_code"] == code and entry["campaign_id"] == campaign_id:
            return entry_id
    return None


def put_entry(
    entries: dict[int, dict[str, Any]], by_phone: SortedIndex, entry: dict[str, Any]
) -> None:
    """Add or replace an entry (a new dict: entries are never changed in place)."""
    old = entries.get(entry["id"])
    if old is not None and old["phone_number"] != entry["phone_number"]:
        by_phone.remove(old["phone_number"], entry["id"])
    if old is None or old["phone_number"] != entry["phone_number"]:
        by_phone.add(entry["phone_number"], entry["id"])
    entries[entry["id"]] = entry


def drop_entry(entries: dict[int, dict[str, Any]], by_phone: SortedIndex, entry_id: int) -> None:
    entry = entries.pop(entry_id)
    by_phone.remove(entry["phone_number"], entry_id)


def matching_ids(
    entries: dict[int, dict[str, Any]], by_phone: SortedIndex, filters: dict[str, Any]
) -> list[int]:
    """Ids (ascending) of the entries matching every filter (values already checked).

    id and phone_number are keys (a dict look-up, the phone index); the other filters
    are checked on those candidates, or on the whole list when neither is given.
    """
    candidates: Iterable[int]
    if "id" in filters:
        candidates = [filters["id"]] if filters["id"] in entries else []
        if "phone_number" in filters:
            candidates = [
                i for i in candidates if entries[i]["phone_number"] == filters["phone_number"]
            ]
    elif "phone_number" in filters:
        candidates = by_phone.get(filters["phone_number"])
    else:
        candidates = sorted(entries)
    checks: list[tuple[str, Any]] = [
        (name, filters[name]) for name in ("phone_code", "campaign_id") if name in filters
    ]
    day = filters.get("insert_date")
    texts = [(name, filters[name]) for name in ("reason", "purpose") if name in filters]
    out = []
    for entry_id in candidates:
        entry = entries[entry_id]
        if any(entry[name] != value for name, value in checks):
            continue
        if day is not None and not _same_time(entry["insert_date"], day):
            continue
        if any(not _text_matches(entry[name], wanted) for name, wanted in texts):
            continue
        out.append(entry_id)
    return out


def _same_time(stamp: str, wanted: str) -> bool:
    """A bare date matches the whole day; a full timestamp matches that second."""
    return stamp.startswith(wanted) if len(wanted) == 10 else stamp == wanted


def _text_matches(value: str, wanted: str) -> bool:
    if wanted == BLANK:
        return value == ""
    if wanted == NOT_BLANK:
        return value != ""
    return value == wanted


# --------------------------------------------------------------------------- snapshot


def dump_entries(entries: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    return [entries[i] for i in sorted(entries)]


def load_entries(rows: Any, what: str) -> dict[int, dict[str, Any]]:
    """Entries from a snapshot, every field checked (a bad row would break searches)."""
    if not isinstance(rows, list):
        raise TypeError(f"{what}: must be a list of objects")
    entries: dict[int, dict[str, Any]] = {}
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(PHONE_LIST_FIELDS):
            raise ValueError(
                f"{what} row must have the keys {list(PHONE_LIST_FIELDS)}: {row!r:.80}"
            )
        entry = {name: row[name] for name in PHONE_LIST_FIELDS}
        for name in ("id", "campaign_id"):
            if isinstance(entry[name], bool) or not isinstance(entry[name], int):
                raise ValueError(f"{what} row: {name} must be an integer: {row!r:.80}")
        for name in PHONE_LIST_FIELDS[1:]:
            if name != "campaign_id" and not isinstance(entry[name], str):
                raise ValueError(f"{what} row: {name} must be a string: {row!r:.80}")
        entries[entry["id"]] = entry
    return entries


STATUS_KEYS: tuple[str, ...] = (
    "status",
    "name",
    "final",
    "reached",
    "success",
    "dnc",
    "callback",
    "contact",
    "voicemail",
    "custom",
    "hex_color",
)
STATUS_FLAGS: tuple[str, ...] = STATUS_KEYS[2:9]


def dump_statuses(statuses: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(statuses.values())


def load_statuses(rows: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(rows, list):
        raise TypeError("statuses: must be a list of objects")
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(STATUS_KEYS):
            raise ValueError(f"statuses row must have the keys {list(STATUS_KEYS)}: {row!r:.80}")
        if not all(isinstance(row[key], str) for key in STATUS_KEYS):
            raise ValueError(f"statuses row: every value must be a string: {row!r:.80}")
        if any(row[flag] not in ("Y", "N") for flag in (*STATUS_FLAGS, "custom")):
            raise ValueError(f"statuses row: flags must be Y or N: {row!r:.80}")
        out[row["status"].upper()] = {key: row[key] for key in STATUS_KEYS}
    return out


def statuses_from_seed(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Seeded statuses by upper-case code; a seed without `custom`/`hex_color` (an office
    built by hand) gets a system status ("N") without a color."""
    defaults = {"custom": "N", "hex_color": ""}
    return {
        row["status"].upper(): {key: row.get(key, defaults.get(key, "N")) for key in STATUS_KEYS}
        for row in rows
    }
