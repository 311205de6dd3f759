"""Typed settings: defaults, then MOCKVOSO_* environment, then a config file, then flags."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mockvoso.wire import FALSE_WORDS, TRUE_WORDS

ENV_PREFIX = "MOCKVOSO_"
LOG_WINDOWS: tuple[str, ...] = ("today", "all")
BAD_VALUE_STATUSES: tuple[int, ...] = (400, 200)


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a mockvoso world. Read once by create_app()."""

    host: str = "127.0.0.1"
    port: int = 8000
    seed: int = 1234
    leads: int = 1000  # leads per office
    data: str | None = None  # a user's seed folder; None = the bundled seed_data
    tokens: tuple[str, ...] = ()  # extra full-access tokens for the first office
    clock: str | None = None  # anchor of seeded timestamps, ISO 8601; None = start time
    require_office: bool = False  # officeAcronym must be sent
    legacy_auth_status: bool = False  # answer 401/403 at HTTP 200 (older clients)
    # log/retrieve without start_time/end_time: "today" (the office's day, as an SDK
    # documents) or "all" (the whole log, mockvoso's behaviour before issue 12).
    log_window: str = "today"
    # HTTP status of a wrong-type value: 400 (default) or 200 with success:false.
    bad_value_status: int = 400
    max_body_bytes: int = 1024 * 1024
    max_leads: int = 2_000_000  # leads per office; leads/insert past it answers 507
    threads: int = 32
    server: str = "granian"  # or "waitress"
    # Faults (issue 3); given at start, they survive a reset.
    latency: int = 0
    jitter: int = 0
    error_rate: float = 0.0
    rate_limit: str | None = None  # "N/S", per token
    faults: str | None = None  # a YAML or JSON file of rules
    journal_size: int = 1000
    admin_token: str | None = None
    public_url: str | None = None  # base of recording links; None = each request's origin
    # Start a non-loopback --host without --admin-token anyway (see SECURITY.md).
    allow_open_control: bool = False
    # The simulated dialer's pace when the clock advances with "dial": calls per active
    # agent per hour (an outbound agent makes 10-20 calls an hour).
    dial_rate: float = 12.0
    # Convoso Connect receivers registered at start: a JSON list of registrations (the
    # config file's `webhooks:` list is stored as its JSON text, so it travels to a server
    # worker in the environment like every other setting). Reset keeps them.
    webhooks: str | None = None
    fault_headers: bool = True
    # Issue 13: the data survives a restart. Loaded at start when it exists, saved at a
    # graceful shutdown, on POST /_mockvoso/snapshot {"save": true}, and every
    # state_save_interval seconds (0: never on a timer).
    state_file: str | None = None
    state_save_interval: int = 0
    quiet: bool = False

    def anchor(self) -> datetime | None:
        """The fixed seed anchor, or None when it is the server's start time."""
        return parse_clock(self.clock) if self.clock else None

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        return replace(self, **coerce(overrides))


FIELD_TYPES: dict[str, Any] = {f.name: f.type for f in fields(Settings)}
# An empty environment variable (MOCKVOSO_QUIET=) switches the setting off.
_FALSE = FALSE_WORDS | {""}


def parse_clock(value: str) -> datetime:
    """ISO 8601 (`2026-01-01T00:00:00`, `2026-01-01 00:00:00` or `2026-01-01`) as naive UTC.

    The server clock is UTC (each office writes its own time zone); an anchor with an
    offset (`2026-01-01T00:00:00-08:00`) is converted, one without is taken as UTC.
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"clock: not an ISO 8601 date-time: {value!r}") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.replace(tzinfo=None)


def _coerce_one(name: str, value: Any) -> Any:
    kind = FIELD_TYPES[name]
    if value is None:
        return None
    if "bool" in kind:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{name}: not a boolean: {value!r}")
    if name == "webhooks":
        text = value if isinstance(value, str) else json.dumps(value)
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"webhooks: not JSON: {exc}") from None
        if not isinstance(parsed, list) or not all(isinstance(w, dict) for w in parsed):
            raise ValueError("webhooks: must be a list of receiver objects")
        return json.dumps(parsed)
    if "tuple" in kind:
        if isinstance(value, str):
            return tuple(t for t in (p.strip() for p in value.split(",")) if t)
        return tuple(str(v) for v in value)
    try:
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("float"):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not a number: {value!r}") from exc
    return str(value)


def coerce(raw: dict[str, Any]) -> dict[str, Any]:
    """Turn loose values (env strings, YAML) into the Settings field types."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_").lower()
        if name not in FIELD_TYPES:
            raise ValueError(f"unknown setting: {key}")
        out[name] = _coerce_one(name, value)
    if out.get("clock"):
        parse_clock(out["clock"])  # fail early on a bad anchor
    # Closed choices fail here, whatever the source (create_app in a test included).
    if "log_window" in out and out["log_window"] not in LOG_WINDOWS:
        raise ValueError(
            f"log_window: must be {' or '.join(LOG_WINDOWS)}, not {out['log_window']!r}"
        )
    if "bad_value_status" in out and out["bad_value_status"] not in BAD_VALUE_STATUSES:
        raise ValueError(f"bad_value_status: must be 400 or 200, not {out['bad_value_status']}")
    return out


def from_env(environ: dict[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if environ is None else environ
    raw = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in env.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in FIELD_TYPES
    }
    return coerce(raw)


def _parse_problem(exc: Exception) -> str:
    """A parser's complaint on one line: PyYAML's message spans several."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return " ".join(str(exc).split()) or type(exc).__name__


def from_file(path: str | Path) -> dict[str, Any]:
    import yaml  # only a config file needs it

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        # One line that names the setting and the file, not Python's "[Errno 2] …".
        raise ValueError(f"config: cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"config: {path} is not UTF-8 text") from None
    try:
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"config: {path} is not valid YAML/JSON: {_parse_problem(exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a config file must hold a mapping of settings")
    return coerce(data)


def load_settings(
    cli: dict[str, Any] | None = None,
    *,
    config_file: str | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Defaults < MOCKVOSO_* env < config file < CLI flags (None means 'not given')."""
    env = from_env(environ)
    config_file = config_file or (environ if environ is not None else os.environ).get(
        ENV_PREFIX + "CONFIG"
    )
    merged: dict[str, Any] = dict(env)
    if config_file:
        merged.update(from_file(config_file))
    merged.update(coerce({k: v for k, v in (cli or {}).items() if v is not None}))
    return Settings().with_overrides(merged)


def settings_to_env(settings: Settings) -> dict[str, str]:
    """Settings as MOCKVOSO_* variables, to hand a world to a server's worker process."""
    env: dict[str, str] = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        env[ENV_PREFIX + f.name.upper()] = str(value)
    return env


__all__ = ["Settings", "load_settings", "parse_clock", "settings_to_env"]
