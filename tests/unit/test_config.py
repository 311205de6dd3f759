"""Settings precedence: defaults < MOCKVOSO_* environment < config file < flags."""

from __future__ import annotations

import pytest

from mockvoso.config import Settings, load_settings, settings_to_env


def test_defaults():
    s = load_settings(environ={})
    assert (s.host, s.port, s.seed, s.leads, s.threads, s.server) == (
        "127.0.0.1",
        8000,
        1234,
        1000,
        32,
        "granian",
    )
    assert s.fault_headers is True and s.rate_limit is None and s.anchor() is None


def test_precedence(tmp_path):
    config = tmp_path / "mockvoso.yaml"
    config.write_text("seed: 7\nleads: 50\nrate-limit: 3/60\n")
    env = {"MOCKVOSO_SEED": "5", "MOCKVOSO_LEADS": "10", "MOCKVOSO_PORT": "9000"}
    s = load_settings({"leads": 20, "host": None}, config_file=str(config), environ=env)
    assert (s.port, s.seed, s.leads, s.rate_limit) == (9000, 7, 20, "3/60")


def test_config_file_from_env(tmp_path):
    config = tmp_path / "c.json"
    config.write_text('{"journal_size": 5, "fault_headers": false}')
    s = load_settings(environ={"MOCKVOSO_CONFIG": str(config)})
    assert s.journal_size == 5 and s.fault_headers is False


def test_types_are_coerced_and_checked():
    s = load_settings(environ={"MOCKVOSO_TOKENS": "a1,b2", "MOCKVOSO_REQUIRE_OFFICE": "yes"})
    assert s.tokens == ("a1", "b2") and s.require_office is True
    with pytest.raises(ValueError, match="leads: not a number"):
        load_settings(environ={"MOCKVOSO_LEADS": "many"})
    with pytest.raises(ValueError, match="quiet: not a boolean"):
        load_settings({"quiet": "perhaps"}, environ={})
    with pytest.raises(ValueError, match="clock: not an ISO 8601"):
        load_settings({"clock": "yesterday"}, environ={})
    with pytest.raises(ValueError, match="unknown setting: colour"):
        Settings().with_overrides({"colour": "red"})


def test_env_round_trip():
    s = Settings(seed=9, tokens=("x1",), clock="2026-01-01T00:00:00", fault_headers=False)
    assert load_settings(environ=settings_to_env(s)) == s


def test_unknown_config_file_key(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("sead: 3\n")
    with pytest.raises(ValueError, match="unknown setting: sead"):
        load_settings(config_file=str(config), environ={})
