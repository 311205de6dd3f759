"""The users/search attributes of seeded agents (level, ACL profile, status, last login, ...)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mockvoso.records import USER_ATTRIBUTES

DAY = 86400
# Agents' own time zones (Convoso's decimal GMT offsets, standard time).
_GMT_OFFSETS: tuple[str, ...] = ("-5.00", "-6.00", "-7.00", "-8.00")


def fill_user_attributes(
    users: list[dict[str, Any]], rng: random.Random, end: int, zone: str = "UTC"
) -> None:
    """Give every user the users/search attributes a seed file left out, in place.

    `rng` is the office's own "users" stream and `end` the anchor (epoch seconds), so the
    values are deterministic and drawing them moves no other seeded record. The first
    agent is the office's manager (user level 8, ACL profile 2); with five or more agents
    the last one is disabled (status N, last login weeks ago); one active agent in ten
    has never logged in (last_login null). Times are in the office's `zone`, as
    Convoso writes them; created_at carries that zone's offset, as the official example
    does ("2016-11-17T10:54:21-0800").
    """
    tz = ZoneInfo(zone)

    def _text(epoch: int) -> str:
        return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M:%S")

    def _iso(epoch: int) -> str:
        return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%dT%H:%M:%S%z")

    disabled = len(users) - 1 if len(users) >= 5 else -1
    for index, user in enumerate(users):
        # Every draw happens whatever the seed file set, so a value written in one
        # user's entry does not shift the values generated for the others.
        manager = index == 0
        level = 8 if manager else 1
        profile = 2 if manager else 1
        status = "N" if index == disabled else "Y"
        gmt = _GMT_OFFSETS[rng.randrange(len(_GMT_OFFSETS))]
        created = end - (90 + rng.randrange(1400)) * DAY - rng.randrange(DAY)
        extension = [300000 + rng.randrange(700000)]
        browser = rng.random() < 0.85
        never = rng.random() < 0.1
        if status == "N":
            login: str | None = _text(end - (30 + rng.randrange(150)) * DAY - rng.randrange(DAY))
        elif never and not manager:
            login = None
        else:
            login = _text(end - rng.randrange(3 * DAY))
        callbacks = "0" if rng.random() < 0.1 and not manager else "1"
        generated: dict[str, Any] = {
            "acl_access_profile": profile,
            "user_level": level,
            "queue_override": "USE_CAMPAIGN",
            "allow_queue_selection": "1" if manager or rng.random() < 0.5 else "0",
            "allow_callbacks": callbacks,
            "callback_types_allowed": callbacks,
            "allow_transfers": "1",
            "default_blended_selection": "0",
            "alter_custdata_override": "Y" if manager else "N",
            "status": status,
            "local_gmt": gmt,
            "allow_blended_campaign": "1",
            "notification": "0",
            "created_at": _iso(created),
            "connection_type": "BROWSER" if browser else "SIP",
            "extension": extension,
            "last_login": login,
        }
        for name in USER_ATTRIBUTES:
            if name not in user:
                user[name] = generated[name]
