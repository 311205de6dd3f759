"""Seeded DNC entries and SMS opt-outs for one office, consistent with its leads and calls.

Each list draws from its own ``random.Random`` (seed, office, list name), so adding them
left the seeded leads, lists and call log byte-identical. What the DNC list holds:

* every number whose lead or call-log row carries a status flagged ``dnc: Y``, on the
  campaign of that lead's list (or of that call): what the disposition would have done;
* about 1 lead in 100 on the office-wide list and 1 in 200 on its campaign's list, with
  reasons and purposes drawn from the vocabularies (some left empty);
* four office-wide numbers that belong to no lead (555-01xx, which no seeded lead has).

A number's ``insert_date`` is never before its last seeded call, so the call log never
dials a number after it went on a list.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mockvoso.records import (
    CALL_LOG_FIELDS,
    LEAD_STORED,
    OFFICE_WIDE,
    PURPOSES,
    REASONS,
    OfficeSeed,
)
from mockvoso.seed.generator import _Clock, id_base, stable_hash

_TIMESTAMP = "%Y-%m-%d %H:%M:%S"
_LEAD = {name: i for i, name in enumerate(LEAD_STORED)}
_LOG = {name: i for i, name in enumerate(CALL_LOG_FIELDS)}
ID_BLOCK = 1_000_000  # one office's id block per list


def make_phone_lists(
    office: OfficeSeed, *, seed: int, anchor: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(DNC entries, SMS opt-outs) for a generated office, ascending ids by insert date."""
    clock = _Clock(anchor, office.timezone)  # the generator's: office-local timestamps
    campaign_of_list = {str(item["id"]): item["campaign_id"] for item in office.lists}

    def campaign_of(lead: tuple[str | None, ...]) -> int:
        return int(campaign_of_list[str(lead[_LEAD["list_id"]])])

    dnc_codes = {s["status"].upper() for s in office.statuses if s.get("dnc") == "Y"}

    rng = random.Random(stable_hash(seed, office.acronym, "dnc"))
    wanted: dict[tuple[str, str, int], tuple[str, str]] = {}  # triple -> (reason, purpose)
    # Statuses are matched as written and upper-cased (as leads/search matches them).
    dnc_codes |= {code.lower() for code in dnc_codes} | {
        s["status"] for s in office.statuses if s["status"].upper() in dnc_codes
    }
    status_pos = _LEAD["status"]  # a local: these loops run once per lead and call
    for lead in office.leads:
        if lead[status_pos] in dnc_codes:
            wanted.setdefault(_triple(lead, campaign_of(lead)), ("DNC", ""))
    status_pos, phone_pos, campaign_pos = _LOG["status"], _LOG["phone_number"], _LOG["campaign_id"]
    for row in office.call_logs:
        if row[status_pos] in dnc_codes:
            triple = (row[phone_pos] or "", "1", int(row[campaign_pos] or 0))
            wanted.setdefault(triple, ("DNC", ""))
    leads = office.leads
    for i in _sample(rng, len(leads), max(3, len(leads) // 100)):
        wanted.setdefault(_triple(leads[i], OFFICE_WIDE), _words(rng))
    for i in _sample(rng, len(leads), max(2, len(leads) // 200)):
        lead = leads[i]
        wanted.setdefault(_triple(lead, campaign_of(lead)), _words(rng))
    for number in _spare_numbers(rng, 4):
        wanted.setdefault((number, "1", OFFICE_WIDE), _words(rng))

    sms_rng = random.Random(stable_hash(seed, office.acronym, "sms-opt-out"))
    sms_wanted: dict[tuple[str, str, int], tuple[str, str]] = {}
    for i in _sample(sms_rng, len(leads), max(3, len(leads) // 150)):
        lead = leads[i]
        campaign_id = OFFICE_WIDE if sms_rng.random() < 0.5 else campaign_of(lead)
        sms_wanted.setdefault(_triple(lead, campaign_id), _words(sms_rng))
    for number in _spare_numbers(sms_rng, 2):
        sms_wanted.setdefault((number, "1", OFFICE_WIDE), _words(sms_rng))

    # One pass over the calls and leads serves both lists.
    last_call = _last_calls(office, {phone for phone, _, _ in (*wanted, *sms_wanted)})
    dnc = _entries(office, "dnc", wanted, rng, clock, last_call)
    sms = _entries(office, "sms_opt_outs", sms_wanted, sms_rng, clock, last_call)
    return dnc, sms


def _triple(lead: tuple[str | None, ...], campaign_id: int) -> tuple[str, str, int]:
    return (lead[_LEAD["phone_number"]] or "", lead[_LEAD["phone_code"]] or "1", campaign_id)


def _sample(rng: random.Random, population: int, count: int) -> list[int]:
    return sorted(rng.sample(range(population), min(count, population)))


def _words(rng: random.Random) -> tuple[str, str]:
    """A (reason, purpose) pair; about one in five of each left empty."""
    reason = rng.choice(REASONS) if rng.random() < 0.8 else ""
    purpose = rng.choice(PURPOSES) if rng.random() < 0.8 else ""
    return reason, purpose


def _spare_numbers(rng: random.Random, count: int) -> list[str]:
    """Numbers no seeded lead has: the 555-0100..0199 block (leads never use 555)."""
    return [f"{rng.randint(201, 989)}55501{rng.randint(0, 99):02d}" for _ in range(count)]


def _entries(
    office: OfficeSeed,
    kind: str,
    wanted: dict[tuple[str, str, int], tuple[str, str]],
    rng: random.Random,
    clock: _Clock,
    last_call: dict[str, str],
) -> list[dict[str, Any]]:
    """Entries for the wanted triples, each inserted after its number's last call.

    Seeded timestamps are office-local texts; the draw is in epoch seconds and the text
    is never before the last call's text (a daylight-saving hour cannot reorder them).
    """
    zone = ZoneInfo(office.timezone)
    start, end = clock.start, clock.end
    dated = []
    for (phone, code, campaign_id), (reason, purpose) in wanted.items():
        floor_text = last_call.get(phone, "")
        floor = start
        if floor_text:
            local = _local_time(floor_text, zone)
            floor = min(end, max(start, int(local.timestamp())))
        epoch = floor + int(rng.random() * (end - floor + 1))
        dated.append(
            (max(clock.text(epoch), floor_text), phone, code, campaign_id, reason, purpose)
        )
    dated.sort()
    first_id = id_base(office.acronym, kind, ID_BLOCK)
    return [
        {
            "id": first_id + 1 + n,
            "phone_number": phone,
            "phone_code": code,
            "campaign_id": campaign_id,
            "reason": reason,
            "purpose": purpose,
            "insert_date": text,
        }
        for n, (text, phone, code, campaign_id, reason, purpose) in enumerate(dated)
    ]


def _local_time(text: str, zone: ZoneInfo) -> datetime:
    """ "YYYY-MM-DD HH:MM:SS" in the zone (by slicing: strptime is ~100 µs a call)."""
    return datetime(
        int(text[0:4]),
        int(text[5:7]),
        int(text[8:10]),
        int(text[11:13]),
        int(text[14:16]),
        int(text[17:19]),
        tzinfo=zone,
    )


def _last_calls(office: OfficeSeed, phones: set[str]) -> dict[str, str]:
    """Each number's latest seeded call (or lead activity) time, for those phones."""
    latest: dict[str, str] = {}
    phone_pos, date_pos = _LOG["phone_number"], _LOG["call_date"]
    for row in office.call_logs:
        phone = row[phone_pos]
        if phone in phones and (row[date_pos] or "") > latest.get(phone, ""):
            latest[phone] = row[date_pos] or ""
    # A lead's last_called and modified_at count too: its disposition came after them.
    lead_phone = _LEAD["phone_number"]
    dates = (_LEAD["last_called"], _LEAD["modified_at"])
    for lead in office.leads:
        phone = lead[lead_phone]
        if phone in phones:
            for pos in dates:
                value = lead[pos] or ""
                if value > latest.get(phone, ""):
                    latest[phone] = value
    return latest
