"""Unit tests of FaultEngine (order, probabilities, times, header) and its startup rules."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from mockvoso.faults.engine import (
    NO_FAULT,
    Decision,
    FaultEngine,
    startup_rules_from_settings,
)
from mockvoso.faults.rules import DEFAULT_HANG_MS, RuleError

KNOWN = frozenset({"leads/search", "leads/insert", "lists/search"})


class FakeSleep:
    """Records requested sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(seed: int = 7, **kwargs: object) -> FaultEngine:
    return FaultEngine(seed=seed, sleep=FakeSleep(), **kwargs)  # type: ignore[arg-type]


def search(engine: FaultEngine, header: str | None = None, office: str | None = "ACME") -> Decision:
    return engine.decide("leads/search", "GET", office, header)


def fired_pattern(engine: FaultEngine, n: int) -> list[bool]:
    return [bool(search(engine).fired) for _ in range(n)]


# --- rule list management ------------------------------------------------------------------


def test_add_assigns_counter_ids_and_returns_the_rule() -> None:
    engine = make()
    assert engine.add({"latency_ms": 100, "times": 2}) == {
        "id": "f1",
        "endpoint": "*",
        "method": None,
        "office": None,
        "probability": 1.0,
        "times": 2,
        "remaining": 2,
        "latency_ms": 100,
        "jitter_ms": 0,
        "status": None,
        "error_code": None,
        "fault": None,
        "hang_ms": None,
        "source": "runtime",
    }
    assert engine.add({"status": 500})["id"] == "f2"
    assert [r["id"] for r in engine.list()] == ["f1", "f2"]


def test_invalid_add_raises_and_does_not_use_an_id() -> None:
    engine = make()
    with pytest.raises(RuleError) as info:
        engine.add({"status": 700})
    assert info.value.field == "status"
    assert engine.list() == []
    assert engine.add({"status": 500})["id"] == "f1"


def test_add_checks_known_endpoints() -> None:
    engine = make(known_endpoints=KNOWN)
    with pytest.raises(RuleError) as info:
        engine.add({"endpoint": "users/search", "status": 500})
    assert info.value.field == "endpoint"
    assert engine.add({"endpoint": "/v1/leads/search", "status": 500})["endpoint"] == (
        "leads/search"
    )


def test_remove_and_active() -> None:
    engine = make()
    assert engine.active is False
    engine.add({"latency_ms": 1})
    engine.add({"latency_ms": 2})
    assert engine.active is True
    assert engine.remove("f1") is True
    assert engine.remove("f1") is False
    assert engine.remove("nope") is False
    assert [r["id"] for r in engine.list()] == ["f2"]
    assert engine.remove("f2") is True
    assert engine.active is False


def test_list_returns_copies() -> None:
    engine = make()
    engine.add({"latency_ms": 1})
    engine.list()[0]["latency_ms"] = 999
    assert engine.list()[0]["latency_ms"] == 1


# --- decide: matching, order, terminal -----------------------------------------------------


def test_no_rules_gives_no_fault() -> None:
    engine = make()
    assert search(engine) is NO_FAULT
    assert Decision() == NO_FAULT
    assert NO_FAULT.terminal is False
    assert NO_FAULT.latency_ms == 0.0
    assert NO_FAULT.fired == ()


def test_decide_matches_endpoint_method_and_office() -> None:
    engine = make()
    engine.add({"endpoint": "leads/search", "latency_ms": 1})
    engine.add({"method": "POST", "latency_ms": 10})
    engine.add({"office": "acme", "latency_ms": 100})
    engine.add({"latency_ms": 1000})  # endpoint "*"
    assert engine.decide("leads/search", "GET", "ACME").fired == ("f1", "f3", "f4")
    assert engine.decide("leads/search", "GET", "ACME").latency_ms == 1101.0
    assert engine.decide("/v1/leads/search", "post", "OTHER").fired == ("f1", "f2", "f4")
    assert engine.decide("lists/search", "GET", None).fired == ("f4",)
    assert engine.decide("lists/search", "POST", "Acme").latency_ms == 1110.0


def test_non_matching_request_gives_no_fault() -> None:
    engine = make()
    engine.add({"endpoint": "leads/insert", "status": 500})
    assert search(engine) is NO_FAULT


def test_latencies_of_all_firing_rules_add_up() -> None:
    engine = make()
    engine.add({"latency_ms": 100})
    engine.add({"latency_ms": 200})
    decision = search(engine)
    assert decision == Decision(latency_ms=300.0, fired=("f1", "f2"))
    assert decision.terminal is False


def test_first_firing_terminal_rule_wins() -> None:
    engine = make()
    engine.add({"status": 503})
    engine.add({"error_code": 6001})
    assert search(engine) == Decision(rule_id="f1", status=503, fired=("f1",))


def test_terminal_rules_after_the_winner_do_not_fire_but_latency_rules_do() -> None:
    engine = make()
    engine.add({"latency_ms": 10})
    engine.add({"error_code": 6002, "latency_ms": 20})
    engine.add({"status": 500, "latency_ms": 1000, "times": 1})  # loses: not fired, not spent
    engine.add({"latency_ms": 300})  # after the winner, still fires
    decision = search(engine)
    assert decision == Decision(
        latency_ms=330.0, rule_id="f2", error_code=6002, fired=("f1", "f2", "f4")
    )
    assert decision.terminal is True
    assert [r["remaining"] for r in engine.list()] == [None, None, 1, None]


def test_a_missed_terminal_rule_lets_the_next_one_win() -> None:
    engine = make()
    engine.add({"probability": 0, "status": 500})
    engine.add({"fault": "empty"})
    assert search(engine) == Decision(rule_id="f2", fault="empty", fired=("f2",))


def test_hang_decision_carries_hang_ms() -> None:
    engine = make()
    engine.add({"fault": "hang"})
    engine.add({"endpoint": "lists/search", "fault": "hang", "hang_ms": 1500})
    assert search(engine).hang_ms == DEFAULT_HANG_MS
    engine.remove("f1")
    assert engine.decide("lists/search", "POST", None) == Decision(
        rule_id="f2", fault="hang", hang_ms=1500, fired=("f2",)
    )


# --- times ---------------------------------------------------------------------------------


def test_times_counts_firings_then_the_rule_is_removed() -> None:
    engine = make()
    engine.add({"status": 500, "times": 2})
    assert search(engine).status == 500
    assert engine.list()[0]["remaining"] == 1
    assert search(engine).status == 500
    assert engine.list() == []
    assert engine.active is False
    assert search(engine) is NO_FAULT


def test_times_not_spent_by_non_matching_or_missed_requests() -> None:
    engine = make()
    engine.add({"endpoint": "leads/insert", "status": 500, "times": 1})
    for _ in range(5):
        search(engine)
    assert engine.list()[0]["remaining"] == 1
    assert engine.decide("leads/insert", "POST", None).rule_id == "f1"
    assert engine.list() == []


def test_times_with_probability_counts_only_actual_firings() -> None:
    engine = make(seed=3)
    engine.add({"probability": 0.5, "status": 500, "times": 5})
    pattern = [search(engine).rule_id == "f1" for _ in range(100)]
    assert sum(pattern) == 5
    assert engine.list() == []
    # Misses in between did not count: the fifth firing came after more than 5 requests.
    assert max(i for i, hit in enumerate(pattern) if hit) > 4


# --- probability and the seed --------------------------------------------------------------


def test_same_seed_same_sequence_gives_same_outcomes() -> None:
    first, second = make(seed=42), make(seed=42)
    for engine in (first, second):
        engine.add({"probability": 0.5, "status": 500})
    assert fired_pattern(first, 200) == fired_pattern(second, 200)


def test_different_seed_gives_a_different_sequence() -> None:
    first, second = make(seed=1), make(seed=2)
    for engine in (first, second):
        engine.add({"probability": 0.5, "status": 500})
    assert fired_pattern(first, 200) != fired_pattern(second, 200)


def test_probability_is_roughly_honoured() -> None:
    engine = make(seed=5)
    engine.add({"probability": 0.25, "latency_ms": 1})
    hits = sum(fired_pattern(engine, 2000))
    assert 400 < hits < 600


def test_probability_zero_never_fires_and_one_always_fires() -> None:
    engine = make()
    engine.add({"probability": 0, "latency_ms": 5})
    assert fired_pattern(engine, 50) == [False] * 50
    engine.clear()
    engine.add({"probability": 1, "latency_ms": 5})
    assert fired_pattern(engine, 50) == [True] * 50


def test_rules_with_probability_one_consume_no_draws() -> None:
    plain, with_sure_rule = make(seed=9), make(seed=9)
    plain.add({"probability": 0.5, "status": 500})
    with_sure_rule.add({"latency_ms": 5})  # p=1, checked first
    with_sure_rule.add({"probability": 0.5, "status": 500})
    outcomes_plain = [search(plain).terminal for _ in range(200)]
    outcomes_sure = [search(with_sure_rule).terminal for _ in range(200)]
    assert outcomes_plain == outcomes_sure


def test_reset_restarts_the_random_sequence() -> None:
    engine = make(seed=11, startup_rules=[{"probability": 0.5, "status": 500}])
    before = fired_pattern(engine, 200)
    engine.reset()
    after = fired_pattern(engine, 200)
    fresh = fired_pattern(make(seed=11, startup_rules=[{"probability": 0.5, "status": 500}]), 200)
    assert before == after == fresh


def test_reset_engine_behaves_like_a_fresh_one_with_jitter_and_ids() -> None:
    def run(engine: FaultEngine) -> list[tuple[str | None, float]]:
        engine.add({"latency_ms": 100, "jitter_ms": 80, "probability": 0.7})
        engine.add({"probability": 0.3, "status": 502, "times": 3})
        return [(d.rule_id, d.latency_ms) for d in (search(engine) for _ in range(50))]

    engine = make(seed=4)
    first = run(engine)
    engine.reset()
    assert engine.list() == []
    assert run(engine) == first == run(make(seed=4))
    assert [r["id"] for r in engine.list()] == ["f1"]  # f2 used up its 3 times


# --- jitter --------------------------------------------------------------------------------


def test_jitter_stays_within_bounds_and_spreads() -> None:
    engine = make(seed=13)
    engine.add({"latency_ms": 100, "jitter_ms": 50})
    values = [search(engine).latency_ms for _ in range(500)]
    assert all(50.0 <= v <= 150.0 for v in values)
    assert min(values) < 60.0
    assert max(values) > 140.0
    assert len(set(values)) > 400


def test_jitter_is_clamped_at_zero() -> None:
    engine = make(seed=13)
    engine.add({"latency_ms": 10, "jitter_ms": 50})
    values = [search(engine).latency_ms for _ in range(500)]
    assert all(0.0 <= v <= 60.0 for v in values)
    assert values.count(0.0) > 100  # uniform(-50, 50) < -10 about 40 % of the time


def test_jitter_is_reproducible_for_a_seed() -> None:
    first, second = make(seed=21), make(seed=21)
    for engine in (first, second):
        engine.add({"latency_ms": 100, "jitter_ms": 50})
    assert [search(first).latency_ms for _ in range(50)] == [
        search(second).latency_ms for _ in range(50)
    ]


# --- the per-request header ----------------------------------------------------------------


def test_header_alone_without_rules() -> None:
    engine = make()
    assert engine.active is False
    assert search(engine, "status=503, latency=250") == Decision(
        latency_ms=250.0, rule_id="header", status=503, fired=("header",)
    )
    assert search(engine, "latency=40") == Decision(latency_ms=40.0, fired=("header",))
    assert search(engine, "fault=hang") == Decision(
        rule_id="header", fault="hang", hang_ms=DEFAULT_HANG_MS, fired=("header",)
    )
    assert search(engine, "") is NO_FAULT


def test_header_terminal_wins_over_rules_and_latencies_add() -> None:
    engine = make()
    engine.add({"status": 500, "latency_ms": 1000, "times": 2})  # terminal: does not fire
    engine.add({"latency_ms": 100})  # latency-only: still fires
    decision = search(engine, "error=6002,latency=20")
    assert decision == Decision(
        latency_ms=120.0, rule_id="header", error_code=6002, fired=("header", "f2")
    )
    assert engine.list()[0]["remaining"] == 2


def test_header_latency_only_keeps_the_rules_terminal() -> None:
    engine = make()
    engine.add({"status": 503, "latency_ms": 5})
    assert search(engine, "latency=300") == Decision(
        latency_ms=305.0, rule_id="f1", status=503, fired=("header", "f1")
    )


def test_bad_header_raises_before_any_rule_fires() -> None:
    engine = make()
    engine.add({"status": 500, "times": 1})
    with pytest.raises(RuleError) as info:
        search(engine, "status=999")
    assert info.value.field == "status"
    assert engine.list()[0]["remaining"] == 1


# --- startup rules, clear and reset --------------------------------------------------------


def test_startup_rules_get_s_ids_and_survive_reset() -> None:
    engine = make(startup_rules=[{"latency_ms": 100}, {"status": 503, "times": 1}])
    assert [(r["id"], r["source"]) for r in engine.list()] == [
        ("s1", "startup"),
        ("s2", "startup"),
    ]
    engine.add({"latency_ms": 5})
    assert search(engine) == Decision(
        latency_ms=105.0, rule_id="s2", status=503, fired=("s1", "s2", "f1")
    )
    assert [r["id"] for r in engine.list()] == ["s1", "f1"]  # s2 expired
    engine.reset()
    assert [(r["id"], r["remaining"]) for r in engine.list()] == [("s1", None), ("s2", 1)]
    assert engine.add({"latency_ms": 1})["id"] == "f1"  # counter restarted


def test_clear_removes_startup_rules_until_reset() -> None:
    engine = make(startup_rules=[{"latency_ms": 100}])
    engine.add({"status": 500})
    engine.clear()
    assert engine.list() == []
    assert engine.active is False
    assert search(engine) is NO_FAULT
    assert engine.add({"latency_ms": 1})["id"] == "f2"  # ids are not reused before reset
    engine.reset()
    assert [r["id"] for r in engine.list()] == ["s1"]


def test_invalid_startup_rule_names_field_and_index() -> None:
    with pytest.raises(RuleError) as info:
        make(
            startup_rules=[{"latency_ms": 1}, {"endpoint": "users/x", "status": 500}],
            known_endpoints=KNOWN,
        )
    assert info.value.field == "endpoint"
    assert "(startup rule #2)" in str(info.value)


# --- wait ----------------------------------------------------------------------------------


def test_wait_uses_the_injected_sleep_in_seconds() -> None:
    sleep = FakeSleep()
    engine = FaultEngine(seed=1, sleep=sleep)
    engine.wait(0)
    engine.wait(-5)
    engine.wait(250)
    engine.wait(12.5)
    assert sleep.calls == [0.25, 0.0125]


class FakeClock:
    """A clock a test sets by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_wait_sleeps_until_arrival_plus_latency() -> None:
    # The request arrived at t=64 s; the pipeline took 62.5 ms before the wait: a 250 ms
    # rule sleeps the 187.5 ms left, so the answer leaves 250 ms after arrival. (Binary
    # fractions: the float arithmetic is exact.)
    sleep, clock = FakeSleep(), FakeClock(64.0625)
    engine = FaultEngine(seed=1, sleep=sleep, clock=clock)
    engine.wait(250, since=64.0)
    assert sleep.calls == [0.1875]


def test_wait_past_the_deadline_does_not_sleep() -> None:
    sleep, clock = FakeSleep(), FakeClock(100.25)
    engine = FaultEngine(seed=1, sleep=sleep, clock=clock)
    engine.wait(200, since=100.0)  # 250 ms in already
    engine.wait(250, since=100.0)  # exactly at the deadline
    assert sleep.calls == []
    engine.wait(0, since=100.0)
    assert sleep.calls == []


def test_wait_without_a_stamp_or_a_clock_sleeps_the_plain_duration() -> None:
    sleep = FakeSleep()
    FaultEngine(seed=1, sleep=sleep, clock=FakeClock(100.05)).wait(200)  # no stamp
    FaultEngine(seed=1, sleep=sleep).wait(200, since=100.0)  # no clock: fake time
    assert sleep.calls == [0.2, 0.2]


# --- threads -------------------------------------------------------------------------------


def test_hammering_decide_fires_a_times_rule_exactly_n_times() -> None:
    engine = make(seed=8)
    engine.add({"status": 503, "times": 137})
    engine.add({"probability": 0.5, "error_code": 6001, "times": 90})
    engine.add({"latency_ms": 1})
    counts = {"f1": 0, "f2": 0, "f3": 0}
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        local = {"f1": 0, "f2": 0, "f3": 0}
        start.wait()
        for _ in range(250):
            decision = engine.decide("leads/search", "GET", "ACME")
            for rule_id in decision.fired:
                local[rule_id] += 1
        with lock:
            for key, value in local.items():
                counts[key] += value

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts == {"f1": 137, "f2": 90, "f3": 2000}
    assert [r["id"] for r in engine.list()] == ["f3"]


# --- startup_rules_from_settings -----------------------------------------------------------


def test_settings_without_faults_give_no_rules() -> None:
    assert startup_rules_from_settings(0, 0, 0.0, None) == []


def test_settings_latency_jitter_and_error_rate() -> None:
    assert startup_rules_from_settings(200, 50, 0.1, None) == [
        {"latency_ms": 200, "jitter_ms": 50},
        {"probability": 0.1, "status": 500},
    ]
    assert startup_rules_from_settings(0, 30, 0, None) == [{"latency_ms": 0, "jitter_ms": 30}]
    assert startup_rules_from_settings(0, 0, 1, None) == [{"probability": 1.0, "status": 500}]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((-1, 0, 0.0), "latency: must be a non-negative"),
        ((0, -1, 0.0), "jitter: must be a non-negative"),
        ((1.5, 0, 0.0), "latency: must be a non-negative"),
        ((0, 0, 1.5), "error_rate: must be a number between 0 and 1"),
        ((0, 0, -0.5), "error_rate: must be a number between 0 and 1"),
    ],
)
def test_settings_bad_values(args: tuple, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        startup_rules_from_settings(*args, None)
    assert fragment in str(info.value)


def test_settings_yaml_file_list(tmp_path: Path) -> None:
    path = tmp_path / "faults.yaml"
    path.write_text(
        "- endpoint: leads/search\n  status: 503\n  times: 2\n- latency_ms: 40\n  office: ACME\n",
        encoding="utf-8",
    )
    rules = startup_rules_from_settings(100, 0, 0.0, str(path))
    assert rules == [
        {"latency_ms": 100, "jitter_ms": 0},
        {"endpoint": "leads/search", "status": 503, "times": 2},
        {"latency_ms": 40, "office": "ACME"},
    ]
    engine = make(startup_rules=rules, known_endpoints=KNOWN)
    assert search(engine) == Decision(
        latency_ms=140.0, rule_id="s2", status=503, fired=("s1", "s2", "s3")
    )


def test_settings_yaml_file_with_faults_key(tmp_path: Path) -> None:
    path = tmp_path / "faults.yml"
    path.write_text("faults:\n  - fault: drop\n    probability: 0.5\n", encoding="utf-8")
    assert startup_rules_from_settings(0, 0, 0.0, str(path)) == [
        {"fault": "drop", "probability": 0.5}
    ]


def test_settings_json_file_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    path.write_text(json.dumps({"faults": [{"error_code": 6001}]}), encoding="utf-8")
    assert startup_rules_from_settings(0, 0, 0.0, str(path)) == [{"error_code": 6001}]
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert startup_rules_from_settings(0, 0, 0.0, str(empty)) == []


def test_settings_bad_rule_names_file_index_and_field(tmp_path: Path) -> None:
    path = tmp_path / "faults.yaml"
    path.write_text("- status: 503\n- status: 503\n  fault: drop\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        startup_rules_from_settings(0, 0, 0.0, str(path))
    assert str(info.value) == (
        f"{path}: faults[1]: fault: conflicts with status: a rule has at most one of "
        "status, error_code, fault"
    )


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("faults.yaml", "status: 503\n", "must hold a list of rules"),
        ("faults.yaml", "faults: 3\n", "must hold a list of rules"),
        ("faults.yaml", "- [unclosed\n", "not valid YAML"),
        ("faults.json", "{nope", "not valid JSON"),
        ("faults.yaml", "- 5\n", "faults[0]: body: a fault rule must be a JSON object"),
    ],
)
def test_settings_bad_file_shapes(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        startup_rules_from_settings(0, 0, 0.0, str(path))
    assert str(info.value).startswith(f"{path}: ")
    assert fragment in str(info.value)


def test_settings_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(ValueError) as info:
        startup_rules_from_settings(0, 0, 0.0, str(path))
    assert str(info.value).startswith(f"{path}: cannot read the faults file")
