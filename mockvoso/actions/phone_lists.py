"""What dnc/* and sms-opt-out/* share: input fields, value checks, error wording, rows.

Not a resource (it is not in RESOURCES): the two resource modules import it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from marshmallow import fields

from mockvoso.actions.action import View
from mockvoso.errors import ConvosoError
from mockvoso.records import PURPOSES, REASONS
from mockvoso.schemas.fields import Checked, DayOrTimestamp, Paging
from mockvoso.schemas.replies import DIGITS, TIMESTAMP, string
from mockvoso.store import OfficeStore
from mockvoso.store.phone_lists import (
    BLANK,
    NOT_BLANK,
    country_code,
    phone_digits,
    vocabulary_word,
    whole,
)

SEARCH_DEFAULT_LIMIT = 100  # dnc/search and sms-opt-out/search (official pages)
SEARCH_MAX_LIMIT = 1000

_VOCABULARY = f"`{'`, `'.join(PURPOSES)}`"
PURPOSE_HELP = f"One of {_VOCABULARY} (any case), or `-BLANK-`."
REASON_HELP = "`DNC`, `DNCT` or `ConsentRevoked` (any case), or `-BLANK-`."


def phone_field(
    help_text: str = "Digits only (spaces, dots, dashes and brackets are dropped).",
) -> Checked:
    return Checked(metadata={"description": help_text, "examples": ["5305550101"]})


def code_field() -> Checked:
    return Checked(metadata={"description": "Country code, e.g. `1`.", "examples": ["1"]})


def campaign_field(extra: str = "") -> Checked:
    return Checked(
        metadata={"description": f"`0` = the office-wide list, else a campaign's id.{extra}"}
    )


def text_field(help_text: str) -> Checked:
    return Checked(metadata={"description": help_text})


def search_fields() -> dict[str, fields.Field]:
    """The filters and paging both searches take (each adds its own reason/purpose)."""
    return {
        "id": Checked(metadata={"description": "An entry's id."}),
        "campaign_id": campaign_field(" Only that list's entries."),
        "phone_number": phone_field("Exact number (digits)."),
        "phone_code": code_field(),
        "insert_date": DayOrTimestamp(),
        "offset": Paging(),
        "limit": Paging(metadata={"description": "Default 100; a larger one is capped at 1000."}),
    }


def worded(texts: dict[int, str]) -> Callable[[View], View]:
    """Answer the view's domain errors with this action's own texts for those codes."""

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def worded_view(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
            try:
                return view(store, args)
            except ConvosoError as exc:
                text = texts.get(exc.code)
                if text is None:
                    raise
                raise ConvosoError(exc.code, text) from None

        return worded_view

    return wrap


def parsed(args: dict[str, Any], name: str, parse: Callable[[str], Any], code: int) -> Any:
    """args[name] through parse, ConvosoError(code) when missing or unparseable."""
    if name not in args:
        raise ConvosoError(code)
    value = parse(str(args[name]))
    if value is None:
        raise ConvosoError(code)
    return value


def stored_word(raw: str, words: Sequence[str], code: int) -> str:
    """A reason/purpose to store: a vocabulary word, or "" for -BLANK-."""
    if raw.strip().casefold() == BLANK.casefold():
        return ""
    word = vocabulary_word(raw, words)
    if word is None:
        raise ConvosoError(code)
    return word


def wanted_word(raw: str, words: Sequence[str], code: int) -> str:
    """A reason/purpose filter: a vocabulary word, -BLANK- or -NOTBLANK-."""
    for reserved in (BLANK, NOT_BLANK):
        if raw.strip().casefold() == reserved.casefold():
            return reserved
    word = vocabulary_word(raw, words)
    if word is None:
        raise ConvosoError(code)
    return word


def entry_fields(args: dict[str, Any], *, bad_phone: int, bad_campaign: int) -> dict[str, Any]:
    """The optional entry fields an update sends, parsed (each bad one: its code)."""
    changes: dict[str, Any] = {}
    if "phone_number" in args:
        changes["phone_number"] = parsed(args, "phone_number", phone_digits, bad_phone)
    if "phone_code" in args:
        changes["phone_code"] = parsed(args, "phone_code", country_code, 6026)
    if "campaign_id" in args:
        changes["campaign_id"] = parsed(args, "campaign_id", whole, bad_campaign)
    if "reason" in args:
        changes["reason"] = stored_word(args["reason"], REASONS, 6058)
    if "purpose" in args:
        changes["purpose"] = stored_word(args["purpose"], PURPOSES, 6057)
    return changes


def search_filters(
    args: dict[str, Any], *, bad_id: int | None, reason: str | None, purpose: str | None
) -> dict[str, Any]:
    """The checked filters of a search. `bad_id`: the code for an id that is no number
    (None: such an id matches nothing)."""
    filters: dict[str, Any] = {}
    if "id" in args:
        entry_id = whole(str(args["id"]))
        if entry_id is None and bad_id is not None:
            raise ConvosoError(bad_id)
        filters["id"] = entry_id if entry_id is not None else -1
    if "campaign_id" in args:
        filters["campaign_id"] = parsed(args, "campaign_id", whole, 6006)
    if "phone_number" in args:
        filters["phone_number"] = parsed(args, "phone_number", phone_digits, 6008)
    if "phone_code" in args:
        filters["phone_code"] = parsed(args, "phone_code", country_code, 6026)
    if "insert_date" in args:
        filters["insert_date"] = args["insert_date"]
    if reason is not None:
        filters["reason"] = wanted_word(reason, REASONS, 6058)
    if purpose is not None:
        filters["purpose"] = wanted_word(purpose, PURPOSES, 6057)
    return filters


# --------------------------------------------------------------------------- output fields

CAMPAIGN_UID = r"^([0-9a-f]{32})?$"


def entry_id_text() -> fields.Field:
    return string("The entry's id, as a string.", pattern=DIGITS)


def entry_row_fields() -> dict[str, fields.Field]:
    """The keys both searches answer for an entry (every value a string)."""
    return {
        "id": entry_id_text(),
        "phone_number": string(pattern=DIGITS),
        "campaign_id": string("`0` for the office-wide list.", pattern=DIGITS),
        "insert_date": string(pattern=TIMESTAMP),
        "phone_code": string(pattern=DIGITS),
        "campaign_uid": string('The campaign\'s uid; `""` office-wide.', pattern=CAMPAIGN_UID),
        "campaign_name": string('The campaign\'s name; `""` office-wide.'),
        "reason": string('A reason word, or `""`.', pattern=r"^(DNC|DNCT|ConsentRevoked)?$"),
        "purpose": string('A purpose word, or `""`.', pattern=f"^({'|'.join(PURPOSES)})?$"),
    }


def new_entry(args: dict[str, Any]) -> tuple[str, str, int, str, str]:
    """(phone, code, campaign id, reason, purpose) of a dnc/ or sms-opt-out/insert, each
    checked with its documented code (the two pages share them)."""
    phone = parsed(args, "phone_number", phone_digits, 6007)
    code = parsed(args, "phone_code", country_code, 6026)
    campaign_id = parsed(args, "campaign_id", whole, 6006)
    reason = stored_word(args["reason"], REASONS, 6058) if "reason" in args else ""
    purpose = stored_word(args["purpose"], PURPOSES, 6057) if "purpose" in args else ""
    return phone, code, campaign_id, reason, purpose
