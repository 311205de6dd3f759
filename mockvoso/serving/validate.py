"""Check settings before a server starts, so a typo fails in the terminal, not in a worker."""

from __future__ import annotations

from mockvoso.config import Settings
from mockvoso.faults import parse_rate_limit, startup_rules_from_settings
from mockvoso.seed.loader import load_offices  # not mockvoso.seed: that imports Faker


def validate_settings(settings: Settings) -> None:
    """Raise ValueError (or OSError) naming what is wrong."""
    if not 0 <= settings.port <= 65535:
        raise ValueError(f"port: must be 0..65535, not {settings.port}")
    if settings.leads < 0:
        raise ValueError("leads: must be >= 0")
    if settings.max_leads < 0:
        raise ValueError("max_leads: must be >= 0")
    if settings.leads > settings.max_leads:
        raise ValueError(
            f"leads: {settings.leads} per office is over max_leads ({settings.max_leads})"
        )
    if settings.threads < 1:
        raise ValueError("threads: must be >= 1")
    if not 0 <= settings.error_rate <= 1:
        raise ValueError("error_rate: must be between 0 and 1")
    if settings.max_body_bytes < 1:
        # 0 would answer 413 to every /v1 request, even a GET with no body.
        raise ValueError(f"max_body_bytes: must be >= 1, not {settings.max_body_bytes}")
    if settings.journal_size < 1:
        raise ValueError("journal_size: must be >= 1")
    if settings.server not in ("granian", "waitress"):
        raise ValueError("server: must be granian or waitress")
    settings.anchor()
    if settings.rate_limit:
        parse_rate_limit(settings.rate_limit)
    startup_rules_from_settings(
        settings.latency, settings.jitter, settings.error_rate, settings.faults
    )
    offices = load_offices(settings.data)
    if not offices:
        raise ValueError("data: no office files (*.yaml) found")
