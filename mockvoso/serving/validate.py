"""Check settings before a server starts, so a typo fails in the terminal, not in a worker."""

from __future__ import annotations

import ipaddress
import json

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
    if settings.webhooks:
        check_webhooks(settings.webhooks, [office.acronym.upper() for office in offices])
    if settings.state_save_interval < 0:
        raise ValueError("state_save_interval: must be >= 0 seconds")
    if settings.state_save_interval and not settings.state_file:
        raise ValueError("state_save_interval: needs --state-file")
    if settings.state_file:
        from mockvoso.persist import check_state_file

        check_state_file(settings.state_file, [office.acronym for office in offices])
    check_exposure(settings)


def check_webhooks(webhooks: str, offices: list[str]) -> None:
    """Every receiver of the config file's `webhooks:` list, checked as registering it would."""
    from mockvoso.webhooks.receivers import RegistrationError, parse_receiver

    for i, body in enumerate(json.loads(webhooks)):
        try:
            parse_receiver(body, receiver_id=f"w{i + 1}", offices=offices, startup=True)
        except RegistrationError as exc:
            raise ValueError(f"webhooks[{i}].{exc.message}") from None


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and "localhost"; a wildcard or any other address is not."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_exposure(settings: Settings) -> None:
    """Refuse an open control plane on a reachable address (SECURITY.md): anyone who can
    connect could then reset, restore or read every office's data and tokens."""
    if is_loopback(settings.host) or settings.admin_token or settings.allow_open_control:
        return
    raise ValueError(
        f"host: {settings.host} is reachable from other machines and the control plane "
        "/_mockvoso would be open to them: give --admin-token TOKEN, or --allow-open-control "
        "to accept that (see SECURITY.md)"
    )
