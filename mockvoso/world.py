"""The whole mock's state: offices, tokens, clock; built once per create_app()."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mockvoso.actions import SECTIONS
from mockvoso.clock import VirtualClock
from mockvoso.config import Settings
from mockvoso.records import OfficeSeed, TokenSpec
from mockvoso.seed import load_offices
from mockvoso.store import OfficeStore
from mockvoso.store.state import paused_gc


@dataclass(frozen=True)
class TokenGrant:
    """What a token opens: one office, some API sections."""

    token: str
    office: str  # the office's acronym
    sections: frozenset[str]


def start_anchor(settings: Settings) -> datetime:
    fixed = settings.anchor()
    if fixed is not None:
        return fixed
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def build_offices(
    seeds: list[OfficeSeed], settings: Settings, anchor: datetime
) -> list[OfficeSeed]:
    # Imported here: the generator pulls in Faker, which a server handed ready-made
    # offices (preseed.py) never needs.
    from mockvoso.seed.generator import generate_office

    return [
        generate_office(seed, seed=settings.seed, leads=settings.leads, anchor=anchor)
        for seed in seeds
    ]


class World:
    """Offices by acronym and tokens by value. No Flask: the app keeps one in extensions."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: VirtualClock | None = None,
        seeds: list[OfficeSeed] | None = None,
    ) -> None:
        """seeds: offices already generated for these settings (see preseed.py)."""
        self.settings = settings
        self.clock = clock or VirtualClock(start_anchor(settings))
        with paused_gc():
            self._build(settings, seeds)
        if clock is None:
            # "Now" starts at the anchor once the offices exist: seeding time is not time
            # the mock has run (an injected clock is the caller's to drive).
            self.clock.reset()

    def _build(self, settings: Settings, seeds: list[OfficeSeed] | None) -> None:
        if seeds is None:
            seeds = build_offices(load_offices(settings.data), settings, self.clock.anchor)
        if settings.tokens and seeds:
            # --token adds full-access tokens to the first office, so a client's
            # existing configuration works unchanged.
            seeds[0].tokens.extend(TokenSpec(t, SECTIONS) for t in settings.tokens)
        self.offices: dict[str, OfficeStore] = {
            seed.acronym.upper(): OfficeStore(seed, now=self.clock, log_window=settings.log_window)
            for seed in seeds
        }
        for store in self.offices.values():
            store.max_leads = settings.max_leads
        self.tokens: dict[str, TokenGrant] = {
            spec.token: TokenGrant(spec.token, store.acronym, frozenset(spec.sections))
            for store in self.offices.values()
            for spec in store.tokens
        }

    def office(self, acronym: str) -> OfficeStore | None:
        return self.offices.get(acronym.upper())

    def reset(self, acronym: str | None = None) -> None:
        stores = [self.offices[acronym.upper()]] if acronym else list(self.offices.values())
        for store in stores:
            store.reset()
