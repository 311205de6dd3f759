"""Deterministic, fast fake leads, call logs and recordings for one office (Faker pools + Random).

Faker is slow when it is called per field per record (≈ 0.7 ms per lead, design.md §5),
and this runs at every server start. So each office draws small POOLS of Faker values
once (names, streets, cities with matching state/ZIP, note sentences, e-mail domains),
using Faker's own data tables and its seeded generator, and the records are then built
by combining pool entries with one seeded ``random.Random``. Phones, e-mails and ids are
derived from the record's index, which makes them unique without a "seen" set.

Determinism: the same seed + office + lead count + anchor gives byte-identical output on
any machine and any day. Nothing reads the wall clock, Python's salted ``hash()``, set
order or the machine's time zone: the naive anchor is taken as UTC, and every timestamp is
written in the office's own zone (its seed file's ``timezone``), as Convoso writes them.
The output does depend on the Faker version (its data tables and formats), so pin Faker
where byte-identity across installations matters.
"""

from __future__ import annotations

import calendar
import hashlib
import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from faker import Faker

from mockvoso.records import (
    CALL_TYPES,
    LEAD_STORED,
    SYSTEM_USER_IDS,
    SYSTEM_USER_NAME,
    OfficeSeed,
)
from mockvoso.seed.agent_events import make_agent_events
from mockvoso.seed.agents import fill_user_attributes
from mockvoso.seed.callbacks import make_callbacks

WINDOW_SECONDS = 30 * 86400  # seeded timestamps lie in the 30 days before the anchor
POOL_SIZE = 256  # entries per Faker pool: plenty of variety, ~10 ms to draw
MAX_LEADS = 10_000_000  # one office's lead-id block; also far past the memory budget
CALLBACK_BLOCK = 1_000_000  # one office's callback-id block

# The lead tuple below is written field by field in records.LEAD_STORED order;
# tests/unit/test_seed.py checks every field's values by name, so a reordering of
# LEAD_STORED fails there instead of silently shifting every value one column.
_POS = {name: i for i, name in enumerate(LEAD_STORED)}

# Share of each disposition among seeded leads; codes not listed get a weight from their
# flags (see _status_weight). NEW leads are the ones never dialled.
_LEAD_STATUS_WEIGHTS: dict[str, int] = {
    "NEW": 30,
    "NA": 14,
    "AA": 10,
    "NI": 9,
    "CALLBK": 7,
    "NOCONT": 6,
    "HU": 5,
    "SALE": 4,
    "DROP": 3,
    "DNC": 2,
}
_CALL_TYPE_WEIGHTS: dict[str, int] = {"OUTBOUND": 12, "INBOUND": 4, "MANUAL": 3, "3WAY": 1}
# Share of unanswered calls that were abandoned (logged as the System User, no agent).
_ABANDONED = 0.3
# Share of calls placed on the anchor's own day (office time), so log/retrieve's default
# window (today) answers rows; the rest spread over the 30-day window.
_TODAY = 0.1

# Names for an office's inbound queues and lead sources (Faker has no such provider).
_QUEUE_NAMES: tuple[str, ...] = (
    "Inbound Sales",
    "Customer Service",
    "Spanish Inbound",
    "Retention Line",
    "Billing Support",
    "After Hours",
)
_SOURCE_NAMES: tuple[str, ...] = (
    "Web Form",
    "Facebook Lead Ads",
    "Google Ads",
    "TV Campaign",
    "Purchased List",
    "Referral Partner",
    "Inbound Call",
)

# The only Faker providers the pools use (internet's domain_name needs company). Loading
# just these halves the cost of the first Faker() of the process (~45 ms → ~20 ms).
_FAKER_PROVIDERS: tuple[str, ...] = (
    "faker.providers.person",
    "faker.providers.address",
    "faker.providers.lorem",
    "faker.providers.company",
    "faker.providers.internet",
)

# Real US carriers as Convoso's phone lookup names them; Faker has no such provider.
_CARRIERS: tuple[str, ...] = (
    "Verizon Wireless",
    "AT&T Mobility",
    "T-Mobile USA",
    "Sprint Spectrum",
    "US Cellular",
    "Cricket Wireless",
    "Metro by T-Mobile",
    "Comcast Cable Communications",
    "Charter Communications",
    "CenturyLink",
    "Frontier Communications",
    "Bandwidth.com",
)

# Standard-time GMT offset of each state, for locale_gmt (Convoso sends e.g. "-5").
_ZONES: dict[str, str] = {
    "-5": "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV",
    "-6": "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
    "-7": "AZ CO ID MT NM UT WY",
    "-8": "CA NV OR WA",
    "-9": "AK",
    "-10": "HI",
}
_STATE_GMT: dict[str, str] = {st: gmt for gmt, states in _ZONES.items() for st in states.split()}

# Strings shared by every record instead of one copy per record (memory at 1M leads).
_SMALL_INTS: list[str] = [str(i) for i in range(3601)]
_QUEUE_SECONDS: list[str] = [f"{i / 10:.2f}" for i in range(1201)]
_NON_ALPHA = re.compile(r"[^a-z]")
# "HH:" and "MM:SS" texts for the timestamp tables (concatenation: f-strings with a format
# spec cost ~1 µs each, which adds up to milliseconds at start-up).
_TWO_DIGITS: list[str] = [str(i).rjust(2, "0") for i in range(100)]
_HOURS: list[str] = [h + ":" for h in _TWO_DIGITS[:24]]
_MINSEC: list[str] = [m + ":" + s for m in _TWO_DIGITS[:60] for s in _TWO_DIGITS[:60]]
_LINES: list[str] = [a + b for a in _TWO_DIGITS for b in _TWO_DIGITS]  # a phone's last four


def stable_hash(*parts: object) -> int:
    """A 64-bit hash that is the same in every process (unlike the salted built-in hash)."""
    text = "\x1f".join(repr(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def id_base(acronym: str, kind: str, block: int) -> int:
    """The first id of an office's id block for `kind` (leads, call logs, recordings).

    Blocks are picked from the acronym, not the seed, so ids stay put when the seed
    changes, and two offices almost never share a block (1 chance in 90).
    """
    return (stable_hash("id-block", acronym.upper(), kind) % 90 + 10) * block


# --- pools ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pools:
    """Faker values drawn once per office; records pick from these."""

    female: list[str]
    male: list[str]
    last: list[str]
    # lower-case, letters-only copies for e-mail local parts, same index as the names
    female_low: list[str]
    male_low: list[str]
    last_low: list[str]
    streets: list[str]
    secondary: list[str]
    localities: list[tuple[str, str, str, str]]  # city, state, ZIP, locale_gmt
    notes: list[str]
    domains: list[str]
    carriers: list[str | None]
    area_codes: list[str]
    exchanges: list[str]
    source_ids: list[str]
    source_names: list[str]
    office_numbers: list[str]
    queue_ids: list[str]
    queue_names: list[str]


def _provider_data(fake: Faker, name: str) -> Any:
    for provider in fake.providers:
        if hasattr(provider, name):
            return getattr(provider, name)
    return None


def _weighted(fake: Faker, data_name: str, method: str, size: int) -> list[str]:
    """`size` values from a Faker data table, with Faker's weights, in one call.

    One `random_choices` over the table costs what a single `fake.last_name()` costs,
    because Faker rebuilds the weight table on every per-value call.
    """
    data = _provider_data(fake, data_name)
    if not data:  # a Faker without that table: the slow, per-value way
        return [getattr(fake, method)() for _ in range(size)]
    return list(fake.random_choices(data, length=size))


def _nxx_codes(r: random.Random, count: int, *, area: bool) -> list[str]:
    """Distinct 3-digit codes that look real: [2-9]xx, never N11, 555, N9X (area codes)."""
    codes = []
    for n in range(200, 1000):
        text = str(n)
        if text[1:] == "11" or text == "555" or (area and text[1] == "9"):
            continue
        codes.append(text)
    return sorted(r.sample(codes, count), key=int)


def _draw_pools(fake: Faker, size: int) -> _Pools:
    r = fake.random  # Faker's own seeded Random: the pools follow the office seed
    female = _weighted(fake, "first_names_female", "first_name_female", size)
    male = _weighted(fake, "first_names_male", "first_name_male", size)
    last = _weighted(fake, "last_names", "last_name", size)
    suffixes = _weighted(fake, "street_suffixes", "street_suffix", size)
    # Faker's street and city formats, filled from the pools above instead of re-parsed
    # templates (fake.street_address() is ~100 µs a call).
    names = female + male + last
    streets = [
        f"{r.choice((r.randint(100, 9999), r.randint(10, 99999)))} "
        f"{names[r.randrange(len(names))]} {suffixes[k]}"
        for k in range(size)
    ]
    prefixes = _provider_data(fake, "city_prefixes") or ("North", "East", "West", "South")
    city_suffixes = _provider_data(fake, "city_suffixes") or ("ton", "ville", "land")
    states = [s for s in (_provider_data(fake, "states_abbr") or ()) if s in _STATE_GMT]
    if not states:
        states = sorted(_STATE_GMT)
    localities = []
    for _ in range(max(16, size // 2)):
        first = names[r.randrange(len(female) + len(male))]
        shape = r.randrange(4)
        if shape == 0:
            city = f"{r.choice(prefixes)} {first}{r.choice(city_suffixes)}"
        elif shape == 1:
            city = f"{r.choice(prefixes)} {first}"
        elif shape == 2:
            city = f"{first}{r.choice(city_suffixes)}"
        else:
            city = f"{last[r.randrange(len(last))]}{r.choice(city_suffixes)}"
        state = r.choice(states)
        try:  # a ZIP that really belongs to the state
            postal = fake.postcode_in_state(state)
        except Exception:  # an older Faker without it: any 5-digit ZIP will do
            postal = fake.postcode()[:5]
        localities.append((city, state, postal, _STATE_GMT[state]))
    free = list(_provider_data(fake, "free_email_domains") or ("gmail.com", "yahoo.com"))
    domains = [r.choice(free) for _ in range(12)] + [fake.domain_name() for _ in range(4)]
    carriers: list[str | None] = [r.choice(_CARRIERS) for _ in range(28)] + [None] * 4
    return _Pools(
        female=female,
        male=male,
        last=last,
        female_low=[_NON_ALPHA.sub("", n.lower()) or "x" for n in female],
        male_low=[_NON_ALPHA.sub("", n.lower()) or "x" for n in male],
        last_low=[_NON_ALPHA.sub("", n.lower()) or "x" for n in last],
        streets=streets,
        secondary=[fake.secondary_address() for _ in range(max(8, size // 8))],
        localities=localities,
        notes=[fake.sentence(nb_words=8) for _ in range(max(8, size // 4))],
        domains=domains,
        carriers=carriers,
        area_codes=_nxx_codes(r, _AREA_CODES, area=True),
        exchanges=_nxx_codes(r, _EXCHANGES, area=False),
        source_ids=[str(n) for n in r.sample(range(1000, 10000), 4)],
        source_names=r.sample(_SOURCE_NAMES, 4),
        office_numbers=[  # the office's own DIDs: number_dialed / caller id of calls
            code + exchange + _LINES[r.randrange(10_000)]
            for code, exchange in zip(
                _nxx_codes(r, 3, area=True), _nxx_codes(r, 3, area=False), strict=True
            )
        ],
        queue_ids=[str(n) for n in r.sample(range(10000, 100000), 3)],
        queue_names=r.sample(_QUEUE_NAMES, 3),
    )


# A lead's phone is an injective scramble of its index: index → (area, exchange, line).
_AREA_CODES = 32
_EXCHANGES = 128
_PHONE_SPACE = 10_000 * _EXCHANGES * _AREA_CODES  # 40,960,000 = 2**16 * 5**4
_PHONE_STRIDE = 7_654_321  # coprime with _PHONE_SPACE (odd, not a multiple of 5)


# --- time ---------------------------------------------------------------------------------


class _Clock:
    """Epoch seconds → "YYYY-MM-DD HH:MM:SS" in the office's zone, by table look-up
    (strftime and a zone conversion per value are slow).

    Two tables: one "YYYY-MM-DD HH:" per hour of the window (local, so daylight saving
    shifts are in it), one "MM:SS" per second of an hour; a timestamp is one entry of each.
    `base` is aligned to a local hour start, so `(epoch - base) % 3600` is the local
    minutes and seconds (zones that are off UTC by a half hour included).
    """

    def __init__(self, anchor: datetime, zone: str = "UTC") -> None:
        if anchor.tzinfo is not None:
            anchor = anchor.astimezone(UTC).replace(tzinfo=None)
        tz = ZoneInfo(zone)
        self.end = calendar.timegm(anchor.timetuple())  # the naive anchor read as UTC
        self.start = self.end - WINDOW_SECONDS
        local_anchor = anchor.replace(tzinfo=UTC).astimezone(tz)
        remainder = int(local_anchor.utcoffset().total_seconds()) % 3600  # type: ignore[union-attr]
        self.base = self.start - (self.start + remainder) % 3600 - 3600
        # Spare hours past the anchor, so a helper never indexes out of range.
        count = (self.end - self.base) // 3600 + 48
        self.hours = [
            datetime.fromtimestamp(self.base + h * 3600, tz).strftime("%Y-%m-%d %H:")
            for h in range(count)
        ]
        self.minsec = _MINSEC
        self._stamps: list[str | None] | None = None  # see stamp_table()
        self.anchor_day = local_anchor.date().toordinal()
        # The anchor's local day starts here (epoch): calls placed "today" start from it.
        midnight = local_anchor.replace(hour=0, minute=0, second=0, microsecond=0)
        self.today = max(self.start, int(midnight.timestamp()))

    def text(self, epoch: int) -> str:
        offset = epoch - self.base
        return self.hours[offset // 3600] + self.minsec[offset % 3600]

    def stamp_table(self) -> list[str | None]:
        """One slot per second of the window (offset = epoch - base): the record loops
        look a timestamp up here before building it, and store what they build, so every
        record stamped with the same second shares one string.

        Leads' created/modified/last-called times and calls' start/end times fall on the
        same seconds often enough that at 1M leads this saves ~110 B a lead (object
        sizes) and 132 MiB of worker RSS (1,649 -> 1,517 MiB, in-process). The table
        (8 B a second, ~22 MB) is made only when records are generated and lives as
        long as this clock.
        """
        if self._stamps is None:
            self._stamps = [None] * (len(self.hours) * 3600)
        return self._stamps


# --- statuses -----------------------------------------------------------------------------


def _status_weight(status: dict[str, Any]) -> int:
    code = status["status"].upper()
    if code in _LEAD_STATUS_WEIGHTS:
        return _LEAD_STATUS_WEIGHTS[code]
    if status.get("success") == "Y" or status.get("dnc") == "Y":
        return 2
    return 4


def _table(weights: list[int]) -> list[int]:
    """Indices repeated by weight: picking `table[int(random() * len)]` is a weighted draw."""
    return [i for i, w in enumerate(weights) for _ in range(w)]


# --- the generator ------------------------------------------------------------------------


def generate_office(office: OfficeSeed, *, seed: int, leads: int, anchor: datetime) -> OfficeSeed:
    """A copy of `office` with `leads` leads, ~leads/2 call logs and ~leads/4 recordings.

    Leads are tuples in records.LEAD_STORED order (strings or None), ascending ids from
    the office's id block. Call logs are dicts keyed by CALL_LOG_FIELDS, recordings dicts
    keyed by RECORDING_FIELDS. When leads > 0 every agent gets at least one call-log row
    with a recording. Campaigns' last_call_date and lists' last_called_at are set from the
    call logs.
    """
    if not 0 <= leads <= MAX_LEADS:
        raise ValueError(f"leads must be between 0 and {MAX_LEADS}, got {leads}")
    users = [dict(u) for u in office.users]
    statuses = [dict(s) for s in office.statuses]
    campaigns = [dict(c) for c in office.campaigns]
    lists = [dict(li) for li in office.lists]
    base = replace(
        office,
        tokens=list(office.tokens),
        users=users,
        statuses=statuses,
        campaigns=campaigns,
        lists=lists,
        leads=[],
        call_logs=[],
        recordings=[],
        callbacks=[],
        first_callback_id=id_base(office.acronym, "callbacks", CALLBACK_BLOCK) + 1,
        dnc=[],
        sms_opt_outs=[],
    )
    # Own random streams (issue 10): drawing them moves none of the records below.
    end = _anchor_epoch(anchor)
    user_rng = random.Random(stable_hash(seed, office.acronym, "users"))
    fill_user_attributes(users, user_rng, end, office.timezone)
    # Agent state events do not depend on the leads: every office gets them.
    base.agent_events = make_agent_events(
        office, seed=seed, anchor=anchor, id0=id_base(office.acronym, "agent_events", MAX_LEADS)
    )
    if leads == 0:
        _seed_phone_lists(base, seed, anchor)
        return base  # nothing to generate, and no need to pay for Faker
    missing = [name for name in ("users", "lists", "statuses") if not getattr(office, name)]
    if missing:  # the loader refuses such offices; this guards hand-built ones
        raise ValueError(f"office {office.acronym}: cannot generate leads without {missing}")

    fake = Faker("en_US", providers=list(_FAKER_PROVIDERS))
    fake.seed_instance(stable_hash(seed, office.acronym))
    rng = random.Random(stable_hash(seed, office.acronym, "records"))
    pools = _draw_pools(fake, min(POOL_SIZE, max(16, leads)))
    clock = _Clock(anchor, office.timezone)
    base.sources = dict(zip(pools.source_ids, pools.source_names, strict=True))
    base.queues = dict(zip(pools.queue_ids, pools.queue_names, strict=True))

    lead_rows, created, lead_list = _make_leads(
        office.acronym, leads, rng, pools, clock, users, statuses, lists
    )
    call_logs, recordings, last_call = _make_calls(
        office.acronym, lead_rows, created, lead_list, rng, pools, clock, users, statuses,
        lists, campaigns,
    )  # fmt: skip

    # lists/search and campaigns/search show when each was last dialled.
    by_campaign: dict[int, int] = {}
    for index, item in enumerate(lists):
        epoch = last_call[index]
        item["last_called_at"] = clock.text(epoch) if epoch else None
        if epoch > by_campaign.get(item["campaign_id"], 0):
            by_campaign[item["campaign_id"]] = epoch
    for camp in campaigns:
        epoch = by_campaign.get(camp["id"], 0)
        camp["last_call_date"] = clock.text(epoch) if epoch else None
    base.leads = lead_rows
    base.call_logs = call_logs
    base.recordings = recordings
    callback_rng = random.Random(stable_hash(seed, office.acronym, "callbacks"))
    base.callbacks = make_callbacks(
        lead_rows, created, call_logs, callback_rng, end, base.first_callback_id, users, statuses,
        office.timezone,
    )  # fmt: skip
    _seed_phone_lists(base, seed, anchor)
    if office.custom_fields:
        base.custom = _make_custom(seed, office.acronym, office.custom_fields, lead_rows)
    return base


def _make_custom(
    seed: int, acronym: str, names: list[str], lead_rows: list[tuple[str | None, ...]]
) -> dict[int, dict[str, str]]:
    """Each lead's values of the office's custom fields: short Faker words and numbers.

    Drawn from their own Faker and random streams, so declaring custom fields leaves
    every other seeded value byte-identical.
    """
    fake = Faker("en_US")
    fake.seed_instance(stable_hash(seed, acronym, "custom-fields"))
    rng = random.Random(stable_hash(seed, acronym, "custom-values"))
    pool = [fake.word() for _ in range(24)] + [
        str(n) for n in fake.random_elements(range(1, 100), 8)
    ]
    return {int(cast(str, row[0])): {name: rng.choice(pool) for name in names} for row in lead_rows}


def _anchor_epoch(anchor: datetime) -> int:
    """The anchor as epoch seconds, a naive anchor read as UTC (as _Clock reads it)."""
    if anchor.tzinfo is not None:
        anchor = anchor.astimezone(UTC).replace(tzinfo=None)
    return calendar.timegm(anchor.timetuple())


def _seed_phone_lists(office: OfficeSeed, seed: int, anchor: datetime) -> None:
    """DNC entries and SMS opt-outs, from their own random streams (seed/phone_lists.py)."""
    from mockvoso.seed.phone_lists import make_phone_lists  # it imports this module

    office.dnc, office.sms_opt_outs = make_phone_lists(office, seed=seed, anchor=anchor)


def _make_leads(
    acronym: str,
    count: int,
    rng: random.Random,
    pools: _Pools,
    clock: _Clock,
    users: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
    lists: list[dict[str, Any]],
) -> tuple[list[tuple[str | None, ...]], list[int], list[int]]:
    """The lead tuples, plus each lead's created_at epoch and list index (for calls)."""
    rnd = rng.random
    id0 = id_base(acronym, "leads", MAX_LEADS)
    female, male, last = pools.female, pools.male, pools.last
    female_low, male_low, last_low = pools.female_low, pools.male_low, pools.last_low
    n_female, n_male, n_last = len(female), len(male), len(last)
    streets, n_streets = pools.streets, len(pools.streets)
    secondary, n_secondary = pools.secondary, len(pools.secondary)
    localities, n_localities = pools.localities, len(pools.localities)
    notes, n_notes = pools.notes, len(pools.notes)
    domains, n_domains = pools.domains, len(pools.domains)
    carriers, n_carriers = pools.carriers, len(pools.carriers)
    # every area code + exchange, area-major: prefixes[q] for q < _AREA_CODES * _EXCHANGES
    prefixes = [area + exchange for area in pools.area_codes for exchange in pools.exchanges]
    n_prefixes = len(prefixes)
    lines = _LINES
    sources, n_sources = pools.source_ids, len(pools.source_ids)
    user_ids = [u["user_id"] for u in users]
    n_users = len(user_ids)
    list_ids = [str(item["id"]) for item in lists]
    n_lists = len(list_ids)
    codes = [s["status"] for s in statuses]
    status_table = _table([_status_weight(s) for s in statuses])
    n_status = len(status_table)
    small = _SMALL_INTS
    hours, minsec, t0, stamps = clock.hours, clock.minsec, clock.base, clock.stamp_table()
    start, end = clock.start, clock.end
    span = end - start + 1
    anchor_day = clock.anchor_day
    dob_text: dict[int, str] = {}
    # Scramble the index → phone mapping so consecutive leads get unrelated numbers.
    phone_offset = rng.randrange(_PHONE_SPACE)

    rows: list[tuple[str | None, ...]] = []
    created: list[int] = []
    lead_list: list[int] = []
    append_row, append_created, append_list = rows.append, created.append, lead_list.append
    for i in range(count):
        g = rnd()
        if g < 0.48:
            gender: str | None = "F"
            k = int(rnd() * n_female)
            first, first_low = female[k], female_low[k]
        elif g < 0.96:
            gender = "M"
            k = int(rnd() * n_male)
            first, first_low = male[k], male_low[k]
        else:
            gender = None
            k = int(rnd() * n_male)
            first, first_low = male[k], male_low[k]
        s = int(rnd() * n_last)
        surname, surname_low = last[s], last_low[s]

        # created <= last_called <= modified <= anchor, all inside the 30-day window
        c = start + int(rnd() * span)
        m = c + int(rnd() * (end - c + 1))
        # Timestamps: clock.text(epoch) written out (a call per value costs ~0.3 s at 1M)
        off = c - t0
        created_at = stamps[off]
        if created_at is None:
            created_at = stamps[off] = hours[off // 3600] + minsec[off % 3600]
        off = m - t0
        modified_at = stamps[off]
        if modified_at is None:
            modified_at = stamps[off] = hours[off // 3600] + minsec[off % 3600]

        status = codes[status_table[int(rnd() * n_status)]]
        if status == "NEW":  # never dialled
            last_called = None
            called, inbound, since_reset = "0", "0", "N"
        else:
            lc = c + int(rnd() * (m - c + 1))
            off = lc - t0
            last_called = stamps[off]
            if last_called is None:
                last_called = stamps[off] = hours[off // 3600] + minsec[off % 3600]
            called = small[1 + int(rnd() * rnd() * 12)]
            inbound = small[int(rnd() * rnd() * 3)]
            since_reset = "Y"

        j = (i * _PHONE_STRIDE + phone_offset) % _PHONE_SPACE
        q, line = divmod(j, 10_000)
        phone = prefixes[q] + lines[line]
        g = rnd()
        # alternate numbers need not be unique: any area + exchange + line
        alt1 = prefixes[int(rnd() * n_prefixes)] + lines[int(rnd() * 10_000)] if g < 0.35 else None
        alt2 = prefixes[int(rnd() * n_prefixes)] + lines[int(rnd() * 10_000)] if g < 0.12 else None

        city, state, postal, gmt = localities[int(rnd() * n_localities)]
        g = rnd()
        created_by = "API" if g < 0.55 else "System" if g < 0.75 else user_ids[int(rnd() * n_users)]
        g = rnd()
        modified_by = "System" if g < 0.4 else "API" if g < 0.6 else user_ids[int(rnd() * n_users)]
        day = anchor_day - 7670 - int(rnd() * 23_376)  # aged 21 to 85
        dob = dob_text.get(day)
        if dob is None:
            dob = dob_text[day] = date.fromordinal(day).isoformat()
        list_index = int(rnd() * n_lists)

        append_row(
            (
                str(id0 + 1 + i),
                created_at,
                modified_at,
                first,
                surname,
                f"{first_low}.{surname_low}.{i + 1}@{domains[int(rnd() * n_domains)]}",
                status,
                sources[int(rnd() * n_sources)],
                list_ids[list_index],
                gmt,
                since_reset,
                "1",
                phone,
                alt1,
                alt2,
                called,
                inbound,
                last_called,
                "lead",
                created_by,
                modified_by,
                carriers[int(rnd() * n_carriers)],
                user_ids[int(rnd() * n_users)],
                user_ids[int(rnd() * n_users)] if rnd() < 0.6 else None,
                streets[int(rnd() * n_streets)],
                secondary[int(rnd() * n_secondary)] if rnd() < 0.2 else None,
                city,
                state,
                None,  # province: US leads have a state, not a province
                postal,
                "US",
                gender,
                dob,
                notes[int(rnd() * n_notes)] if rnd() < 0.3 else None,
            )
        )
        append_created(c)
        append_list(list_index)
    return rows, created, lead_list


def _make_calls(
    acronym: str,
    lead_rows: list[tuple[str | None, ...]],
    created: list[int],
    lead_list: list[int],
    rng: random.Random,
    pools: _Pools,
    clock: _Clock,
    users: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
    lists: list[dict[str, Any]],
    campaigns: list[dict[str, Any]],
) -> tuple[list[tuple[str | None, ...]], list[dict[str, Any]], list[int]]:
    """Call-log rows (about one per two leads) and recordings (the answered calls).

    Also returns, per list index, the epoch of its latest call (0 = never dialled).
    """
    rnd = rng.random
    getrandbits = rng.getrandbits
    call_id0 = id_base(acronym, "call_logs", 100_000_000)
    rec_id0 = id_base(acronym, "recordings", MAX_LEADS)
    n_users = len(users)
    agent_ids = [u["user_id"] for u in users]
    agent_names = [f"{u['first_name']} {u['last_name']}" for u in users]
    campaign_names = {c["id"]: c["name"] for c in campaigns}
    # per list index: (list_id, campaign_id, campaign name), strings shared by every row
    list_info = [
        (str(li["id"]), str(li["campaign_id"]), campaign_names[li["campaign_id"]]) for li in lists
    ]
    last_call = [0] * len(lists)

    names = {s["status"]: s["name"] for s in statuses}
    dialled = [s for s in statuses if s["status"].upper() != "NEW"] or statuses
    answered_pool = [s for s in dialled if s["contact"] == "Y"] or dialled
    missed_pool = [s for s in dialled if s["contact"] != "Y"] or dialled
    answered_codes = [s["status"] for s in answered_pool]
    answered_table = _table([_status_weight(s) for s in answered_pool])
    missed_codes = [s["status"] for s in missed_pool]
    missed_table = _table([_status_weight(s) for s in missed_pool])
    n_answered, n_missed = len(answered_table), len(missed_table)
    type_table = [t for t in CALL_TYPES for _ in range(_CALL_TYPE_WEIGHTS.get(t, 1))]
    n_types = len(type_table)
    notes, n_notes = pools.notes, len(pools.notes)
    office_numbers = pools.office_numbers
    office_caller_ids = ["1" + number for number in office_numbers]  # shared, not per row
    queue_ids, queue_names = pools.queue_ids, pools.queue_names
    # Abandoned calls: the System User, and the office's "dropped" disposition if it has one.
    drop_code = next((s["status"] for s in dialled if s["status"].upper() == "DROP"), None)
    n_system = len(SYSTEM_USER_IDS)
    today = clock.today
    small, queue_seconds = _SMALL_INTS, _QUEUE_SECONDS
    hours, minsec, t0, end, stamps = (
        clock.hours,
        clock.minsec,
        clock.base,
        clock.end,
        clock.stamp_table(),
    )
    pos_id, pos_phone = _POS["id"], _POS["phone_number"]
    pos_first, pos_last = _POS["first_name"], _POS["last_name"]

    # Calls go to leads that were dialled (status other than NEW) on lists an active
    # campaign dials; looser pools only when an office has no such lead.
    new_codes = {s["status"] for s in statuses if s["status"].upper() == "NEW"}
    active = {c["id"] for c in campaigns if c["status"] == "Y"}
    dialable = [li["status"] == "Y" and li["campaign_id"] in active for li in lists]
    pos_status = _POS["status"]
    dialled_leads = [i for i, row in enumerate(lead_rows) if row[pos_status] not in new_codes]
    called = [i for i in dialled_leads if dialable[lead_list[i]]]
    if not called:
        called = dialled_leads or list(range(len(lead_rows)))
    n_called = len(called)
    count = max(len(lead_rows) // 2, n_users)

    logs: list[tuple[str | None, ...]] = []
    recs: list[dict[str, Any]] = []
    for j in range(count):
        if j < n_users:
            agent = j  # the first rows give every agent a call with a recording
            answered = True
        else:
            agent = int(rnd() * n_users)
            answered = rnd() < 0.5
        li = called[int(rnd() * n_called)]
        lead = lead_rows[li]
        list_index = lead_list[li]
        list_id, campaign_id, campaign = list_info[list_index]
        call_type = type_table[int(rnd() * n_types)]
        if answered:
            status = answered_codes[answered_table[int(rnd() * n_answered)]]
            seconds = 20 + int(rnd() * rnd() * 1780)
            term = "AGENT" if rnd() < 0.55 else "CALLER"
        else:
            status = missed_codes[missed_table[int(rnd() * n_missed)]]
            seconds = int(rnd() * 45)
            term = "ABANDON" if rnd() < _ABANDONED else "NONE"
        c = created[li]
        # Every agent's first call, and a share of the rest, falls on the anchor's own day.
        if j < n_users or rnd() < _TODAY:
            c = max(c, today)
        call_at = c + int(rnd() * (end - c + 1))
        if call_at + seconds > end:  # a call that ended before the anchor
            seconds = end - call_at
        if call_at > last_call[list_index]:
            last_call[list_index] = call_at
        off = call_at - t0  # clock.text(call_at) written out, as in _make_leads
        call_date = stamps[off]
        if call_date is None:
            call_date = stamps[off] = hours[off // 3600] + minsec[off % 3600]
        phone = cast(str, lead[pos_phone])  # a generated lead always has a phone
        queue: str | None = None
        inbound_number: str | None = None
        if call_type == "INBOUND":
            number_dialed = office_numbers[j % 3]
            inbound_number = number_dialed  # the office number the caller dialled
            caller_id = "1" + phone
            k = int(rnd() * 3)
            queue_id: str | None = queue_ids[k]
            queue = queue_names[k]
            queue_position = small[1 + int(rnd() * 4)]
            waited = queue_seconds[int(rnd() * rnd() * 1200)]
        else:
            number_dialed = phone
            caller_id = office_caller_ids[j % 3]
            queue_id, queue_position, waited = None, "0", "0.00"
        if term == "ABANDON":  # nobody took it: logged as the System User
            user_name, user_id = SYSTEM_USER_NAME, SYSTEM_USER_IDS[int(rnd() * n_system)]
            status = drop_code or status
        else:
            user_name, user_id = agent_names[agent], agent_ids[agent]
        call_id = call_id0 + 1 + j
        logs.append(
            (  # in records.CALL_LOG_FIELDS order
                str(call_id),  # id
                lead[pos_id],  # lead_id
                list_id,  # list_id
                campaign_id,  # campaign_id
                campaign,  # campaign
                user_name,  # user
                user_id,  # user_id
                phone,  # phone_number
                number_dialed,  # number_dialed
                lead[pos_first],  # first_name
                lead[pos_last],  # last_name
                status,  # status
                names[status],  # status_name
                small[seconds],  # call_length
                call_date,  # call_date
                notes[int(rnd() * n_notes)] if rnd() < 0.15 else None,  # agent_comment
                queue_id,  # queue_id
                small[1 + int(rnd() * rnd() * 12)],  # called_count
                caller_id,  # caller_id_displayed
                term,  # term_reason
                call_type,  # call_type
                queue_position,  # queue_position
                waited,  # queue_seconds
                agent_ids[int(rnd() * n_users)] if call_type == "3WAY" else None,  # originating
                # session_id: 32 hex digits; to_bytes().hex() is f"{n:032x}" ~3x faster
                getrandbits(128).to_bytes(16, "big").hex(),
                queue,  # queue
                inbound_number,  # inbound_number
            )
        )
        if answered:
            rec_id = rec_id0 + 1 + len(recs)
            processing = rnd() < 0.03  # a few recordings not finished: no end, no length
            off += seconds
            ended = "" if processing else stamps[off]
            if ended is None:
                ended = stamps[off] = hours[off // 3600] + minsec[off % 3600]
            recs.append(
                {
                    "recording_id": rec_id,
                    "call_log_id": call_id,
                    "lead_id": int(cast(str, lead[pos_id])),
                    "user_id": agent_ids[agent],
                    "start_time": call_date,
                    "end_time": ended,
                    "seconds": None if processing else seconds,
                    "url": f"convoso_{phone}_{rec_id}_{call_at}-all.wav",
                }
            )
    return logs, recs, last_call
