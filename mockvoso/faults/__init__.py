"""Fault injection without Flask: rules, the engine, rate limiting and the request journal."""

from mockvoso.faults.engine import NO_FAULT, Decision, FaultEngine, startup_rules_from_settings
from mockvoso.faults.journal import MASK, Journal, mask_params
from mockvoso.faults.ratelimit import RateDecision, RateLimiter, parse_rate_limit
from mockvoso.faults.rules import (
    DEFAULT_HANG_MS,
    FAULT_HEADER,
    MAX_HANG_MS,
    MAX_LATENCY_MS,
    TERMINAL_FAULTS,
    FaultRule,
    RuleError,
    normalise_endpoint,
    parse_fault_header,
    parse_rule,
)

__all__ = [
    "DEFAULT_HANG_MS",
    "FAULT_HEADER",
    "MASK",
    "MAX_HANG_MS",
    "MAX_LATENCY_MS",
    "NO_FAULT",
    "TERMINAL_FAULTS",
    "Decision",
    "FaultEngine",
    "FaultRule",
    "Journal",
    "RateDecision",
    "RateLimiter",
    "RuleError",
    "mask_params",
    "normalise_endpoint",
    "parse_fault_header",
    "parse_rate_limit",
    "parse_rule",
    "startup_rules_from_settings",
]
