"""The OpenAPI contract (openapi.yaml) as text, JSON and a dict, each read or built once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

# The packaged copy is the one served, printed and tested, so a pip-installed mockvoso
# answers exactly what the suite checked; tests/test_contract.py keeps the repository's
# top-level openapi.yaml byte-identical to it.
SPEC_FILE = "openapi.yaml"

# libyaml when PyYAML was built with it: the document is ~5,000 lines.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def spec_bytes() -> bytes:
    """openapi.yaml exactly as shipped."""
    return resources.files("mockvoso").joinpath(SPEC_FILE).read_bytes()


def spec_text() -> str:
    """openapi.yaml as text (what `mockvoso spec` prints)."""
    return spec_bytes().decode("utf-8")


@cache
def spec_json() -> bytes:
    """The document as compact JSON, converted once per process.

    json.dumps raises on anything that is not JSON (a YAML date, say), so a spec that
    cannot be served as JSON fails the first request and the contract tests, not a client.
    """
    document = yaml.load(spec_bytes(), Loader=_Loader)  # a safe loader: no tags run code
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def spec_dict() -> dict[str, Any]:
    """A fresh copy of the document as plain JSON data (callers may change it)."""
    document: dict[str, Any] = json.loads(spec_json())
    return document
