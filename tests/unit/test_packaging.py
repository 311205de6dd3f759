"""The wheel's package list (pyproject.toml) names every package in the source tree."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"]) - set(config["package-dir"])  # seed_data lives elsewhere
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "mockvoso").rglob("__init__.py")
    }
    assert listed == found
