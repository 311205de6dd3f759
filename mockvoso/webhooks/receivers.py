"""A Convoso Connect entry as mockvoso models it, and the checks on registering one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mockvoso.webhooks.payload import CATALOGUE, CUSTOM_PREFIX

# Events mockvoso fires (Convoso's own are Workflow Automation triggers: these are the
# ones a mock can observe: API writes, the dialer and the clock).
EVENTS: tuple[str, ...] = (
    "lead.inserted",
    "lead.updated",
    "lead.deleted",
    "call.completed",
    "callback.due",
)
FORMATS = ("json", "form")  # JSON object, or Convoso's "RAW" (URL-encoded form)
MAX_RETRIES = 10
MAX_TIMEOUT_MS = 60_000
FAULT_KEYS = ("delay_ms", "duplicate", "drop", "malformed")
_KEYS = (
    "office",
    "url",
    "events",
    "format",
    "fields",
    "defaults",
    "headers",
    "query",
    "retries",
    "timeout_ms",
    "faults",
)


class RegistrationError(ValueError):
    """A bad registration: the field it is about and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = f"{field}: {message}"


@dataclass(frozen=True)
class Receiver:
    """One registered receiver (a Convoso Connect entry pointed at the user's URL)."""

    id: str
    office: str
    url: str
    events: tuple[str, ...] = EVENTS
    format: str = "json"
    fields: dict[str, str] = field(default_factory=dict)  # sent name -> catalogue field
    defaults: dict[str, str] = field(default_factory=dict)  # sent name -> value when empty
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""
    retries: int = 3
    timeout_ms: int = 2000
    faults: dict[str, float] = field(default_factory=dict)
    startup: bool = False  # from the config file: kept by reset

    def public(self) -> dict[str, Any]:
        out = asdict(self)
        out["events"] = list(self.events)
        out["faults"] = {k: self.faults.get(k, 0) for k in FAULT_KEYS}
        return out

    def target(self) -> str:
        """The URL posted to: `query` (Api Authentication) appended."""
        if not self.query:
            return self.url
        return f"{self.url}{'&' if urlsplit(self.url).query else '?'}{self.query}"


def _text_map(name: str, raw: Any, *, values_from: tuple[str, ...] | None = None) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RegistrationError(name, f"expected an object of strings, got {raw!r}")
    out: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise RegistrationError(f"{name}.{key}", f"expected a string, got {value!r}")
        if (
            values_from is not None
            and value not in values_from
            and not value.startswith(CUSTOM_PREFIX)
        ):
            raise RegistrationError(f"{name}.{key}", f"unknown catalogue field {value!r}")
        if name == "headers" and ("\r" in key + value or "\n" in key + value or ":" in key):
            raise RegistrationError(
                f"{name}.{key}", "a header name or value cannot hold CR, LF or ':'"
            )
        out[key] = value
    return out


def _whole(name: str, raw: Any, default: int, maximum: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= maximum:
        raise RegistrationError(name, f"expected a whole number 0..{maximum}, got {raw!r}")
    return raw


def _faults(raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RegistrationError("faults", f"expected an object, got {raw!r}")
    out: dict[str, float] = {}
    for key, value in raw.items():
        if key not in FAULT_KEYS:
            raise RegistrationError(
                f"faults.{key}", f"unknown fault; expected: {', '.join(FAULT_KEYS)}"
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RegistrationError(f"faults.{key}", f"expected a number, got {value!r}")
        if key == "delay_ms":
            if not 0 <= value <= MAX_TIMEOUT_MS:
                raise RegistrationError(
                    "faults.delay_ms", f"expected 0..{MAX_TIMEOUT_MS}, got {value!r}"
                )
        elif not 0 <= value <= 1:
            raise RegistrationError(f"faults.{key}", f"expected a probability 0..1, got {value!r}")
        out[key] = float(value)
    return out


def parse_receiver(
    body: dict[str, Any], *, receiver_id: str, offices: list[str], startup: bool = False
) -> Receiver:
    """A Receiver from a registration body, or RegistrationError naming the field."""
    unknown = sorted(set(body) - set(_KEYS))
    if unknown:
        raise RegistrationError(unknown[0], f"unknown key; expected: {', '.join(_KEYS)}")
    url = body.get("url")
    if not isinstance(url, str) or not url:
        raise RegistrationError("url", "required: the receiver's http:// or https:// URL")
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # urlsplit refuses some (a stray "]": "Invalid IPv6 URL")
        valid = False
    if not valid:
        raise RegistrationError("url", f"expected an http:// or https:// URL, got {url!r}")
    office = body.get("office", offices[0] if offices else None)
    if not isinstance(office, str) or office.upper() not in offices:
        raise RegistrationError("office", f"no such office: {office!r}")
    events = body.get("events", list(EVENTS))
    if isinstance(events, str):
        events = [events]
    if not isinstance(events, list) or not events:
        raise RegistrationError("events", f"expected a non-empty list of: {', '.join(EVENTS)}")
    for event in events:
        if event not in EVENTS:
            raise RegistrationError(
                "events", f"unknown event {event!r}; expected: {', '.join(EVENTS)}"
            )
    fmt = body.get("format", "json")
    if fmt not in FORMATS:
        raise RegistrationError("format", f"expected json or form, got {fmt!r}")
    query = body.get("query", "")
    if not isinstance(query, str) or any(c in query for c in " \r\n#"):
        raise RegistrationError("query", f"expected a query string like api_key=..., got {query!r}")
    return Receiver(
        id=receiver_id,
        office=office.upper(),
        url=url,
        events=tuple(dict.fromkeys(events)),
        format=fmt,
        fields=_text_map("fields", body.get("fields"), values_from=CATALOGUE),
        defaults=_text_map("defaults", body.get("defaults")),
        headers=_text_map("headers", body.get("headers")),
        query=query.lstrip("?"),
        retries=_whole("retries", body.get("retries"), 3, MAX_RETRIES),
        timeout_ms=_whole("timeout_ms", body.get("timeout_ms"), 2000, MAX_TIMEOUT_MS) or 2000,
        faults=_faults(body.get("faults")),
        startup=startup,
    )
