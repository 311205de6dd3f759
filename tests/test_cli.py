"""The `mockvoso` command: bad settings fail fast in the terminal, with a clear message."""

from __future__ import annotations

import pytest

from mockvoso.serving.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate-limit", "lots"], "rate"),
        (["--error-rate", "2"], "error_rate: must be between 0 and 1"),
        (["--clock", "noon"], "clock: not an ISO 8601 date-time"),
        (["--data", "/nonexistent/folder"], "/nonexistent/folder"),
        (["--port", "70000"], "port: must be 0..65535"),
    ],
)
def test_serve_rejects_bad_settings(args, message, capsys, monkeypatch):
    monkeypatch.delenv("MOCKVOSO_CONFIG", raising=False)
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockvoso: ") and message in err


def test_bad_faults_file_is_reported(tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("- {endpoint: leads/search, status: 999}\n")
    assert main(["serve", "--faults", str(rules)]) == 2
    err = capsys.readouterr().err
    assert str(rules) in err and "status" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("mockvoso ")


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mockvoso", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("mockvoso ")
