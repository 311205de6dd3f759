"""`mockvoso serve` start-up errors: one line on stderr naming the problem, exit code 2."""

from __future__ import annotations

import pytest

from mockvoso.serving.cli import main


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    for name in ("MOCKVOSO_CONFIG", "MOCKVOSO_MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)


def run_serve(args, capsys) -> tuple[int, str]:
    code = main(["serve", *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


@pytest.mark.parametrize("value", ["0", "-1", "-1048576"])
def test_max_body_bytes_must_be_positive(value, capsys):
    assert run_serve(["--max-body-bytes", value], capsys) == (
        2,
        f"mockvoso: max_body_bytes: must be >= 1, not {int(value)}\n",
    )


def test_max_body_bytes_from_a_config_file_is_checked_too(tmp_path, capsys):
    config = tmp_path / "settings.yaml"
    config.write_text("max_body_bytes: 0\n")
    assert run_serve(["--config", str(config)], capsys) == (
        2,
        "mockvoso: max_body_bytes: must be >= 1, not 0\n",
    )


def test_missing_config_file(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert run_serve(["--config", str(missing)], capsys) == (
        2,
        f"mockvoso: config: cannot read {missing}: No such file or directory\n",
    )


def test_missing_config_file_named_by_the_environment(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "nope.yaml"
    monkeypatch.setenv("MOCKVOSO_CONFIG", str(missing))
    assert run_serve([], capsys) == (
        2,
        f"mockvoso: config: cannot read {missing}: No such file or directory\n",
    )


def test_config_that_is_a_folder(tmp_path, capsys):
    assert run_serve(["--config", str(tmp_path)], capsys) == (
        2,
        f"mockvoso: config: cannot read {tmp_path}: Is a directory\n",
    )


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "bad.yaml",
            "port: [1\n",
            "expected ',' or ']', but got '<stream end>' (line 2, column 1)",
        ),
        ("bad.json", '{"port": \n', "Expecting value: line 2 column 1 (char 10)"),
    ],
)
def test_unparsable_config_file(tmp_path, capsys, name, text, problem):
    config = tmp_path / name
    config.write_text(text)
    assert run_serve(["--config", str(config)], capsys) == (
        2,
        f"mockvoso: config: {config} is not valid YAML/JSON: {problem}\n",
    )
