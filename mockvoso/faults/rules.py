"""Fault rules: the rule model, its strict validation and the per-request header parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.wire import FAULT_HEADER
from mockvoso.wire import endpoint_name as normalise_endpoint

DEFAULT_HANG_MS = 30_000
MAX_HANG_MS = 120_000
MAX_LATENCY_MS = 600_000
TERMINAL_FAULTS = ("drop", "empty", "malformed", "hang")
METHODS = ("GET", "POST")

# The keys a client may send; `id`, `source` and `remaining` are deliberately absent
# because the engine owns them (a client echoing a listed rule back gets a clear error).
RULE_KEYS: tuple[str, ...] = (
    "endpoint",
    "method",
    "office",
    "probability",
    "times",
    "latency_ms",
    "jitter_ms",
    "status",
    "error_code",
    "fault",
    "hang_ms",
)
# One terminal effect per rule; checked in this order so the error names the later field.
_TERMINAL_FIELDS = ("status", "error_code", "fault")
# `leads/search`, `users/recordings`, `agent-performance/search`, ...
_ENDPOINT_FORM = re.compile(r"[a-z0-9_-]+/[a-z0-9_-]+")


class RuleError(ValueError):
    """A bad fault rule (or header, or rate limit): names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FaultRule:
    """One validated rule. Immutable: the engine keeps the `times` countdown beside it."""

    id: str
    endpoint: str = "*"
    method: str | None = None
    office: str | None = None
    probability: float = 1.0
    times: int | None = None
    latency_ms: int = 0
    jitter_ms: int = 0
    status: int | None = None
    error_code: int | None = None
    fault: str | None = None
    hang_ms: int | None = None
    source: str = "runtime"

    @property
    def terminal(self) -> bool:
        """True when the rule answers instead of the endpoint (status, domain error, fault)."""
        return self.status is not None or self.error_code is not None or self.fault is not None

    def matches(self, endpoint: str, method: str, office: str | None) -> bool:
        """Does this rule apply to a request? None/`*` on the rule side matches anything."""
        # Cheap exact comparisons first: the app already passes normalised values, so
        # normalising again is only a fallback for callers that pass a raw path.
        if (
            self.endpoint != "*"
            and self.endpoint != endpoint
            and self.endpoint != normalise_endpoint(endpoint)
        ):
            return False
        if self.method is not None and self.method != method.upper():
            return False
        return self.office is None or (
            office is not None and self.office.casefold() == office.casefold()
        )

    def to_dict(self, remaining: int | None = None) -> dict[str, Any]:
        """JSON-ready view. `remaining` is the engine's countdown (defaults to `times`)."""
        return {
            "id": self.id,
            "endpoint": self.endpoint,
            "method": self.method,
            "office": self.office,
            "probability": self.probability,
            "times": self.times,
            "remaining": self.times if remaining is None else remaining,
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "status": self.status,
            "error_code": self.error_code,
            "fault": self.fault,
            "hang_ms": self.hang_ms,
            "source": self.source,
        }


def _describe(value: object) -> str:
    """A short type name for error messages (JSON vocabulary, since clients send JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check_int(field: str, value: object, lo: int, hi: int, what: str = "an integer") -> int:
    """An int within [lo, hi]. bool is rejected (it is an int subclass) and so is 2.0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(field, f"must be {what} {lo}..{hi}, got {_describe(value)}")
    if not lo <= value <= hi:
        raise RuleError(field, f"must be {what} {lo}..{hi}, got {value}")
    return value


def check_error_code(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(field, f"must be an integer Convoso error code, got {_describe(value)}")
    if value not in DOMAIN_ERRORS:
        known = ", ".join(str(code) for code in DOMAIN_ERRORS)
        raise RuleError(field, f"unknown Convoso error code {value} (known: {known})")
    return value


def check_fault(field: str, value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in TERMINAL_FAULTS:
        shown = repr(value) if isinstance(value, str) else _describe(value)
        raise RuleError(field, f"must be one of {', '.join(TERMINAL_FAULTS)}, got {shown}")
    return text


def _check_probability(value: object) -> float:
    message = "must be a number between 0 and 1"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError("probability", f"{message}, got {_describe(value)}")
    # `not 0 <= x <= 1` also rejects NaN, which compares false with everything.
    if not 0 <= value <= 1:
        raise RuleError("probability", f"{message}, got {value}")
    return float(value)


def _check_endpoint(value: object, known_endpoints: frozenset[str] | None) -> str:
    if not isinstance(value, str):
        raise RuleError("endpoint", f"must be a string, got {_describe(value)}")
    endpoint = normalise_endpoint(value)
    if endpoint == "*":
        return endpoint
    if known_endpoints is not None:
        if endpoint not in known_endpoints:
            known = ", ".join(sorted(known_endpoints))
            raise RuleError("endpoint", f"unknown endpoint {value!r} (use '*' or one of: {known})")
    elif not _ENDPOINT_FORM.fullmatch(endpoint):
        raise RuleError("endpoint", f"must be '*' or like 'leads/search', got {value!r}")
    return endpoint


def _check_method(value: object) -> str | None:
    if not isinstance(value, str):
        raise RuleError("method", f"must be a string, got {_describe(value)}")
    method = value.strip().upper()
    if method == "*":  # explicit "any method", same as leaving it out
        return None
    if method not in METHODS:
        raise RuleError("method", f"must be GET or POST, got {value!r}")
    return method


def _check_office(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        raise RuleError("office", f"must be a non-empty string, got {_describe(value)}")
    office = value.strip()
    return None if office == "*" else office


def parse_rule(
    data: object,
    *,
    rule_id: str,
    source: str = "runtime",
    known_endpoints: frozenset[str] | None = None,
) -> FaultRule:
    """Validate a rule object (JSON/YAML) strictly; every RuleError names its field."""
    if not isinstance(data, dict):
        raise RuleError("body", f"a fault rule must be a JSON object, got {_describe(data)}")
    unknown = [str(key) for key in data if key not in RULE_KEYS]
    if unknown:
        also = f" (also unknown: {', '.join(unknown[1:])})" if len(unknown) > 1 else ""
        raise RuleError(unknown[0], f"unknown field{also}; allowed fields: {', '.join(RULE_KEYS)}")
    # null means "not supplied" (design §2), so drop it before validating.
    given = {key: value for key, value in data.items() if value is not None}

    fields: dict[str, Any] = {}
    if "endpoint" in given:
        fields["endpoint"] = _check_endpoint(given["endpoint"], known_endpoints)
    if "method" in given:
        fields["method"] = _check_method(given["method"])
    if "office" in given:
        fields["office"] = _check_office(given["office"])
    if "probability" in given:
        fields["probability"] = _check_probability(given["probability"])
    if "times" in given:
        fields["times"] = check_int("times", given["times"], 1, 2**31 - 1)
    if "latency_ms" in given:
        fields["latency_ms"] = check_int("latency_ms", given["latency_ms"], 0, MAX_LATENCY_MS)
    if "jitter_ms" in given:
        fields["jitter_ms"] = check_int("jitter_ms", given["jitter_ms"], 0, MAX_LATENCY_MS)

    terminal_seen: str | None = None
    for name in _TERMINAL_FIELDS:
        if name not in given:
            continue
        if terminal_seen is not None:
            raise RuleError(
                name,
                f"conflicts with {terminal_seen}: a rule has at most one of "
                f"{', '.join(_TERMINAL_FIELDS)}",
            )
        terminal_seen = name
        if name == "status":
            fields["status"] = check_int("status", given["status"], 400, 599, "an HTTP status")
        elif name == "error_code":
            fields["error_code"] = check_error_code("error_code", given["error_code"])
        else:
            fields["fault"] = check_fault("fault", given["fault"])

    if "hang_ms" in given:
        if fields.get("fault") != "hang":
            raise RuleError("hang_ms", "only allowed with fault=hang")
        fields["hang_ms"] = check_int("hang_ms", given["hang_ms"], 0, MAX_HANG_MS)
    elif fields.get("fault") == "hang":
        fields["hang_ms"] = DEFAULT_HANG_MS

    # jitter alone is an effect (latency uniform in [0, jitter] after clamping at 0).
    if terminal_seen is None and not fields.get("latency_ms") and not fields.get("jitter_ms"):
        raise RuleError(
            "rule", "has no effect: give latency_ms, jitter_ms, status, error_code or fault"
        )
    return FaultRule(id=rule_id, source=source, **fields)


# Header keys -> rule fields. Short names because clients type them into a header.
_HEADER_KEYS = {
    "status": "status",
    "error": "error_code",
    "latency": "latency_ms",
    "fault": "fault",
    "hang": "hang_ms",
}


def _header_int(key: str, item: str, text: str) -> int:
    # Only plain digits: int() would also take "+5", " 5", "5_000", which no client means.
    if not text.isdigit() or not text.isascii():
        raise RuleError(key, f"bad item {item!r}: value must be a whole number")
    return int(text)


def parse_fault_header(value: str) -> dict[str, Any]:
    """Parse `status=503, latency=300` into rule fields; RuleError names the bad item.

    Returns a dict with any of status, error_code, latency_ms, fault, hang_ms (hang_ms
    filled with DEFAULT_HANG_MS for fault=hang). An empty header gives {}.
    """
    result: dict[str, Any] = {}
    terminal_seen: str | None = None
    for raw in value.split(","):
        item = raw.strip()
        if not item:  # tolerate "status=503," and stray spaces
            continue
        key, sep, text = item.partition("=")
        key, text = key.strip().lower(), text.strip()
        if not sep or not key or not text:
            raise RuleError(item, f"bad item {item!r}: expected key=value")
        if key not in _HEADER_KEYS:
            raise RuleError(key, f"bad item {item!r}: unknown key (use {', '.join(_HEADER_KEYS)})")
        field = _HEADER_KEYS[key]
        if field in result:
            raise RuleError(key, f"bad item {item!r}: given twice")
        if field in _TERMINAL_FIELDS:
            if terminal_seen is not None:
                raise RuleError(key, f"bad item {item!r}: conflicts with {terminal_seen}")
            terminal_seen = key
        try:
            if field == "status":
                result[field] = check_int(key, _header_int(key, item, text), 400, 599, "a status")
            elif field == "error_code":
                result[field] = check_error_code(key, _header_int(key, item, text))
            elif field == "latency_ms":
                result[field] = check_int(key, _header_int(key, item, text), 0, MAX_LATENCY_MS)
            elif field == "hang_ms":
                result[field] = check_int(key, _header_int(key, item, text), 0, MAX_HANG_MS)
            else:
                result[field] = check_fault(key, text)
        except RuleError as exc:
            if exc.message.startswith("bad item "):
                raise
            raise RuleError(key, f"bad item {item!r}: {exc.message}") from None
    if "hang_ms" in result and result.get("fault") != "hang":
        raise RuleError("hang", "only allowed with fault=hang")
    if result.get("fault") == "hang":
        result.setdefault("hang_ms", DEFAULT_HANG_MS)
    return result


__all__ = [
    "DEFAULT_HANG_MS",
    "FAULT_HEADER",
    "MAX_HANG_MS",
    "MAX_LATENCY_MS",
    "RULE_KEYS",
    "TERMINAL_FAULTS",
    "FaultRule",
    "RuleError",
    "normalise_endpoint",
    "parse_fault_header",
    "parse_rule",
]
