"""The machine a run measured: cores, CPU, memory, Python, package and tool versions, load."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

LOAD_KEY = "load average at start (1/5/15 min)"
PACKAGES = ("mockvoso", "flask", "granian", "waitress", "marshmallow", "faker", "werkzeug")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(argv: list[str]) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].split(" Copyright")[0][:60] if text else "unknown"


def source_state() -> str:
    """HEAD's short hash, and whether mockvoso/ differs from it (read-only git calls)."""
    repo = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", "mockvoso"], cwd=repo, capture_output=True
        ).returncode
    except OSError:
        return "unknown"
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "mockvoso"],
        cwd=repo,
        capture_output=True,
        text=True,
    ).stdout.split()
    changed = dirty != 0 or bool(untracked)
    return f"{head or 'unknown'}" + (" + uncommitted changes in mockvoso/" if changed else "")


def describe() -> dict[str, str]:
    """Name → value, in the order printed."""
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "CPU": _cpu_model(),
        "memory": _memory(),
        "kernel": platform.release(),
        "Python": platform.python_version(),
        "mockvoso source": source_state(),
    }
    for package in PACKAGES:
        info[package] = _version(package)
    info["wrk"] = _tool_version(["wrk", "--version"])
    info["node"] = _tool_version(["node", "--version"])
    info[LOAD_KEY] = load_average()
    return info
