"""The Dockerfile's promises, checked without a Docker engine (none on CI): stages, user, probe."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mockvoso.app import create_app
from mockvoso.config import ENV_PREFIX, Settings, load_settings
from mockvoso.serving import cli
from mockvoso.serving.server import ThreadedServer

ROOT = Path(__file__).resolve().parent.parent
CMD = ["mockvoso", "serve", "--host", "0.0.0.0", "--port", "8000"]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """(global ARG defaults, stages): instructions with continuations joined."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "a continuation line runs off the end of the Dockerfile"

    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            words = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], words[0])
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        elif not stages:
            assert keyword == "ARG", f"only ARG may come before the first FROM, not {keyword}"
            key, _, default = rest.partition("=")
            args[key] = default
        else:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))[1]


@pytest.fixture(scope="module")
def final(stages: list[Stage]) -> Stage:
    return stages[-1]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


def healthcheck_command(final: Stage) -> list[str]:
    (check,) = final.all("HEALTHCHECK")
    options, sep, command = check.partition("CMD ")
    assert sep, "HEALTHCHECK must run a CMD"
    assert "--start-period=" in options  # seeding a large world takes a few seconds
    return exec_form(command)


def test_multi_stage_on_slim_python_311(stages: list[Stage], final: Stage) -> None:
    assert len(stages) >= 2
    assert all(stage.base == "python:3.11-slim" for stage in stages)
    assert [stage.name for stage in stages] == ["build", "runtime"]
    build_copies = [c for c in final.all("COPY") if c.startswith("--from=build ")]
    assert build_copies == ["--from=build /opt/venv /opt/venv"]
    assert not final.all("RUN") or all("pip" not in run for run in final.all("RUN"))


def test_runs_as_a_non_root_user(final: Stage) -> None:
    users = final.all("USER")
    assert users, "the runtime stage must switch to a non-root USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any(f"--uid {user}" in run for run in final.all("RUN"))  # and it exists


def test_port_command_and_no_entrypoint(final: Stage) -> None:
    assert final.all("EXPOSE") == ["8000"]
    assert [exec_form(c) for c in final.all("CMD")] == [CMD]
    assert final.all("ENTRYPOINT") == []


def test_healthcheck_needs_no_curl(final: Stage) -> None:
    command = healthcheck_command(final)
    assert command[:2] == ["python", "-c"]
    assert "http://127.0.0.1:8000/_mockvoso/health" in command[2]
    text = " ".join(command)
    assert "curl" not in text and "wget" not in text


# A value for each variable the Dockerfile tells users to set, and the setting it must reach.
DOCUMENTED_ENV = {
    "MOCKVOSO_SEED": ("42", "seed", 42),
    "MOCKVOSO_LEADS": ("7", "leads", 7),
    "MOCKVOSO_CLOCK": ("2026-02-03T04:05:06", "clock", "2026-02-03T04:05:06"),
    "MOCKVOSO_RATE_LIMIT": ("3/60", "rate_limit", "3/60"),
    "MOCKVOSO_ADMIN_TOKEN": ("s3cret", "admin_token", "s3cret"),
    "MOCKVOSO_ALLOW_OPEN_CONTROL": ("1", "allow_open_control", True),
}


def test_environment_names_are_settings(final: Stage, tmp_path: Path) -> None:
    """Every MOCKVOSO_* name the Dockerfile documents or sets is a setting that takes effect."""
    text = (ROOT / "Dockerfile").read_text()
    named = set(re.findall(r"\b(MOCKVOSO_[A-Z_]+)\b", text))
    # The header documents these; a rename in config.py must not leave them stale.
    assert named == {*DOCUMENTED_ENV, "MOCKVOSO_CONFIG"}, named
    for name, (value, setting, expected) in DOCUMENTED_ENV.items():
        assert getattr(load_settings(environ={name: value}), setting) == expected, name
        assert getattr(Settings(), setting) != expected, name  # not the default anyway
    config = tmp_path / "settings.yaml"
    config.write_text("seed: 77\n")
    assert load_settings(environ={"MOCKVOSO_CONFIG": str(config)}).seed == 77
    # The image sets one MOCKVOSO_* itself: it must bind 0.0.0.0 to be reachable, which
    # the safe-exposure check refuses without an admin token unless told (SECURITY.md).
    set_by_image = [
        k
        for env in final.all("ENV")
        for k in re.findall(r"(\w+)=", env)
        if k.startswith(ENV_PREFIX)
    ]
    assert set_by_image == ["MOCKVOSO_ALLOW_OPEN_CONTROL"]


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        body = body.rstrip("/")
        regex = fnmatch.translate(body).replace(".*", "[^/]*")
        regex = regex.replace("[^/]*[^/]*/", "(.*/)?")  # `**/` spans any directories
        if any(re.fullmatch(regex, c) for c in candidates):
            ignored = not negated
    return ignored


def test_build_context_has_every_copied_file_and_nothing_else() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    _, stages = parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    sources = [
        src
        for stage in stages
        for copy in stage.all("COPY")
        if not copy.startswith("--from=")
        for src in shlex.split(copy)[:-1]
    ]
    assert sources == ["pyproject.toml", "README.md", "seed_data", "mockvoso"]
    for src in sources:
        assert (ROOT / src).exists(), src
        assert not _ignored(src, patterns), src
    for needed in (
        "mockvoso/contract/shared.yaml",
        "mockvoso/serving/server.py",
        "seed_data/ACME.yaml",
    ):
        assert (ROOT / needed).exists() and not _ignored(needed, patterns), needed
    for kept_out in ("tests/test_docker.py", "examples", ".git", "mockvoso/__pycache__/x.pyc"):
        assert _ignored(kept_out, patterns), kept_out


def test_the_healthcheck_probe_itself(final: Stage) -> None:
    _python, flag, code = healthcheck_command(final)
    with ThreadedServer(create_app({"leads": 1}), threads=2) as server:
        probe = code.replace(":8000/", f":{server.port}/")
        ok = subprocess.run([sys.executable, flag, probe], capture_output=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    probe = code.replace(":8000/", f":{closed}/")
    failed = subprocess.run([sys.executable, flag, probe], capture_output=True, timeout=30)
    assert failed.returncode == 1
    assert b"Connection refused" in failed.stderr


def test_cmd_and_environment_configure_the_server(
    monkeypatch: pytest.MonkeyPatch, final: Stage
) -> None:
    """The CMD's flags parse, and MOCKVOSO_* variables reach the server's settings."""
    seen: list[Settings] = []
    # The image's own MOCKVOSO_* ENV (the open control plane on 0.0.0.0 is allowed there).
    for env in final.all("ENV"):
        for key, value in re.findall(r"(MOCKVOSO_\w+)=(\S+)", env):
            monkeypatch.setenv(key, value)

    def fake_serve(settings: Settings, **kwargs: Any) -> int:
        seen.append(settings)
        return 0

    monkeypatch.setattr("mockvoso.serving.server.serve", fake_serve)
    monkeypatch.setenv("MOCKVOSO_SEED", "42")
    monkeypatch.setenv("MOCKVOSO_LEADS", "5")
    monkeypatch.setenv("MOCKVOSO_PORT", "9999")  # the CMD's --port wins
    assert cli.main(CMD[1:]) == 0
    (settings,) = seen
    assert (settings.host, settings.port, settings.seed, settings.leads) == ("0.0.0.0", 8000, 42, 5)
    assert settings.allow_open_control is True
    monkeypatch.delenv("MOCKVOSO_ALLOW_OPEN_CONTROL")
    assert cli.main(CMD[1:]) == 2  # without the image's ENV: refused (SECURITY.md)
