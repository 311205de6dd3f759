"""The fault engine: decides, per request, which rules fire and what the answer becomes."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mockvoso.faults.rules import FaultRule, RuleError, parse_fault_header, parse_rule


@dataclass(frozen=True)
class Decision:
    """What the app must do to one request: wait, then maybe answer with a fault."""

    latency_ms: float = 0.0
    rule_id: str | None = None
    status: int | None = None
    error_code: int | None = None
    fault: str | None = None
    hang_ms: int | None = None
    fired: tuple[str, ...] = ()

    @property
    def terminal(self) -> bool:
        """True when the endpoint must not run: answer with status/error_code/fault."""
        return self.status is not None or self.error_code is not None or self.fault is not None


NO_FAULT = Decision()
# Rules the engine holds at once (startup and run-time): each one is checked on every
# /v1 request, so an unbounded list would slow every call of a long-lived server.
MAX_FAULT_RULES = 100


class _Slot:
    """A rule plus its mutable countdown; FaultRule itself stays immutable."""

    __slots__ = ("remaining", "rule")

    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.remaining = rule.times


class FaultEngine:
    """Ordered fault rules, one seeded random generator, one lock.

    Random draws, in rule order, for each matching rule that is allowed to fire:
    one `random()` for the probability only when probability < 1 (so p=1 rules consume
    no draws and adding one does not shift the outcomes of the others), then one
    `uniform()` for the jitter only when jitter_ms > 0. Same seed + same request
    sequence therefore gives the same outcomes, and reset() restarts the sequence.
    """

    def __init__(
        self,
        *,
        seed: int,
        startup_rules: Iterable[dict] = (),
        known_endpoints: frozenset[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """clock: the clock of the `since` stamps wait() is given (the pipeline's
        perf_counter); None when there is none (an injected fake sleep): plain durations."""
        self._seed = seed
        self._known = known_endpoints
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        startup: list[FaultRule] = []
        for index, data in enumerate(startup_rules):
            try:
                startup.append(
                    parse_rule(
                        data,
                        rule_id=f"s{index + 1}",
                        source="startup",
                        known_endpoints=known_endpoints,
                    )
                )
            except RuleError as exc:
                raise RuleError(exc.field, f"{exc.message} (startup rule #{index + 1})") from None
        if len(startup) > MAX_FAULT_RULES:
            raise RuleError("faults", f"at most {MAX_FAULT_RULES} fault rules, got {len(startup)}")
        self._startup: tuple[FaultRule, ...] = tuple(startup)
        self._rules: list[_Slot] = []
        self._counter = 0
        self._rng = random.Random(seed)
        self.reset()

    @property
    def active(self) -> bool:
        """Any rule at all. Lock-free on purpose: the hot path reads it on every request.

        The per-request header works without rules, so the app must still call
        decide() when a request carries one.
        """
        return bool(self._rules)

    def add(self, data: object) -> dict[str, Any]:
        """Validate and append a run-time rule; ids f1, f2, ... count only valid rules."""
        with self._lock:
            if len(self._rules) >= MAX_FAULT_RULES:
                raise RuleError(
                    "faults", f"at most {MAX_FAULT_RULES} fault rules at once; delete one first"
                )
            rule = parse_rule(data, rule_id=f"f{self._counter + 1}", known_endpoints=self._known)
            self._counter += 1
            self._rules.append(_Slot(rule))
            return rule.to_dict()

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [slot for slot in self._rules if slot.rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
            return removed

    def clear(self) -> None:
        """Drop every rule, startup ones too (reset() brings those back)."""
        with self._lock:
            self._rules = []

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [slot.rule.to_dict(slot.remaining) for slot in self._rules]

    def reset(self) -> None:
        """Back to the state of a fresh engine: startup rules with full counters, same seed."""
        with self._lock:
            self._rules = [_Slot(rule) for rule in self._startup]
            self._counter = 0
            self._rng = random.Random(self._seed)

    def wait(self, ms: float, since: float | None = None) -> None:
        """Hold the request until `since` + ms: its injected latency counts from its arrival.

        `since` is the request's arrival on the engine's clock. What the pipeline spent
        before this call (parsing, auth, waiting for the GIL behind other requests) is
        then part of the latency instead of added to it: the answer leaves ~latency after
        the request came in, however busy the server was. Past the deadline already: no
        sleep at all. Without a clock or a stamp: a plain sleep of ms.
        """
        if ms <= 0:
            return
        seconds = ms / 1000
        if since is not None and self._clock is not None:
            seconds = since + seconds - self._clock()
            if seconds <= 0:
                return
        self._sleep(seconds)

    def decide(
        self, endpoint: str, method: str, office: str | None, header: str | None = None
    ) -> Decision:
        """Fire the matching rules for one request and combine their effects.

        - Rules are checked in the order added; a rule fires when it matches and wins
          its probability draw. Every rule that fires adds its latency (jitter applied,
          clamped at 0) and counts one of its `times`; at 0 it is removed.
        - The first firing rule with a terminal effect wins. After that, terminal rules
          do not fire at all (no draw, no `times` used, no latency: their effect is not
          applied, so they should not be spent), while latency-only rules after the
          winner still fire and add their latency: a slow network stays slow even when
          the answer is an injected error.
        - The per-request header (`X-Mockvoso-Fault`) is explicit for this one request:
          its latency adds to the rules' latency and its terminal effect wins over every
          rule (terminal rules then do not fire), reported as rule_id "header"; "header"
          comes first in `fired` when the header has any effect.
        - A malformed header raises RuleError (the app answers 400) before any rule fires.
        """
        forced = parse_fault_header(header) if header else {}
        if not self._rules and not forced:
            return NO_FAULT

        latency = float(forced.get("latency_ms", 0))
        fired: list[str] = ["header"] if forced else []
        header_terminal = any(key in forced for key in ("status", "error_code", "fault"))
        winner: FaultRule | None = None

        with self._lock:
            expired = False
            for slot in self._rules:
                rule = slot.rule
                if not rule.matches(endpoint, method, office):
                    continue
                if rule.terminal and (header_terminal or winner is not None):
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                latency += self._latency(rule)
                fired.append(rule.id)
                if slot.remaining is not None:
                    slot.remaining -= 1
                    expired = expired or slot.remaining == 0
                if rule.terminal:  # only the first can get here (see the skip above)
                    winner = rule
            if expired:
                self._rules = [slot for slot in self._rules if slot.remaining != 0]

        if not fired:
            return NO_FAULT
        if header_terminal:
            return Decision(
                latency_ms=latency,
                rule_id="header",
                status=forced.get("status"),
                error_code=forced.get("error_code"),
                fault=forced.get("fault"),
                hang_ms=forced.get("hang_ms"),
                fired=tuple(fired),
            )
        if winner is not None:
            return Decision(
                latency_ms=latency,
                rule_id=winner.id,
                status=winner.status,
                error_code=winner.error_code,
                fault=winner.fault,
                hang_ms=winner.hang_ms,
                fired=tuple(fired),
            )
        return Decision(latency_ms=latency, fired=tuple(fired))

    def _latency(self, rule: FaultRule) -> float:
        # Called under the lock: the jitter draw belongs to the seeded sequence.
        if rule.jitter_ms <= 0:
            return float(rule.latency_ms)
        return max(0.0, rule.latency_ms + self._rng.uniform(-rule.jitter_ms, rule.jitter_ms))


def _load_faults_file(path: str) -> list[Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the faults file: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(
            f"{path}: not valid {'JSON' if path.endswith('.json') else 'YAML'}: {exc}"
        ) from exc
    if data is None:  # an empty file: no rules
        return []
    if isinstance(data, dict) and set(data) == {"faults"}:
        data = data["faults"] if data["faults"] is not None else []
    if not isinstance(data, list):
        raise ValueError(
            f"{path}: a faults file must hold a list of rules or a mapping {{faults: [...]}}"
        )
    return data


def startup_rules_from_settings(
    latency: int, jitter: int, error_rate: float, faults_file: str | None
) -> list[dict[str, Any]]:
    """Turn --latency/--jitter, --error-rate and --faults into startup rule objects."""
    for name, value in (("latency", latency), ("jitter", jitter)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a non-negative whole number of ms, got {value!r}")
    if isinstance(error_rate, bool) or not isinstance(error_rate, (int, float)):
        raise ValueError(f"error_rate: must be a number between 0 and 1, got {error_rate!r}")
    if not 0 <= error_rate <= 1:
        raise ValueError(f"error_rate: must be a number between 0 and 1, got {error_rate!r}")

    rules: list[dict[str, Any]] = []
    if latency > 0 or jitter > 0:
        rules.append({"latency_ms": latency, "jitter_ms": jitter})
    if error_rate > 0:
        rules.append({"probability": float(error_rate), "status": 500})
    if faults_file:
        for index, data in enumerate(_load_faults_file(faults_file)):
            # Validate now so a bad file fails at start with its name and the rule index;
            # the engine validates again against the real endpoint list.
            try:
                parse_rule(data, rule_id=f"s{index + 1}", source="startup")
            except RuleError as exc:
                raise ValueError(f"{faults_file}: faults[{index}]: {exc}") from None
            rules.append(data)
    if len(rules) > MAX_FAULT_RULES:
        raise ValueError(f"faults: at most {MAX_FAULT_RULES} fault rules, got {len(rules)}")
    return rules


__all__ = [
    "MAX_FAULT_RULES",
    "NO_FAULT",
    "Decision",
    "FaultEngine",
    "parse_fault_header",
    "startup_rules_from_settings",
]
