"""Injected latency over HTTP counts from the request's arrival (the pipeline's stamp)."""

from __future__ import annotations

from conftest import TEST_SETTINGS, Api, offices_of
from mockvoso.api import pipeline
from mockvoso.app import create_app
from mockvoso.serving.server import mock_of


class Recorder:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def test_a_latency_rule_sleeps_what_is_left_after_the_pipeline(monkeypatch):
    app = create_app({**TEST_SETTINGS, "leads": 20})  # real-time mode: no injected sleep
    api = Api(app, offices_of(app)["ACME"].full_token)
    engine = mock_of(app).faults
    slept = Recorder()
    # The pipeline stamps the arrival at t=512 s; the engine reads t=512.0625 s when it
    # waits: of a 250 ms rule, 187.5 ms are left to sleep.
    monkeypatch.setattr(pipeline, "perf_counter", lambda: 512.0)
    monkeypatch.setattr(engine, "_sleep", slept)
    monkeypatch.setattr(engine, "_clock", lambda: 512.0625)
    response = api.control("POST", "faults", json={"endpoint": "leads/search", "latency_ms": 250})
    assert response.status_code == 201
    assert api.call("leads/search").status_code == 200
    assert slept.calls == [0.1875]
    monkeypatch.setattr(engine, "_clock", lambda: 512.3)  # 300 ms in: past the deadline
    assert api.call("leads/search").status_code == 200
    assert slept.calls == [0.1875]


def test_an_injected_sleep_keeps_plain_durations():
    slept = Recorder()
    app = create_app({**TEST_SETTINGS, "leads": 20}, sleep=slept)
    api = Api(app, offices_of(app)["ACME"].full_token)
    response = api.control("POST", "faults", json={"endpoint": "leads/search", "latency_ms": 250})
    assert response.status_code == 201
    assert api.call("leads/search").status_code == 200
    assert slept.calls == [0.25]
