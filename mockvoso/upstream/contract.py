"""Check an answer against mockvoso's generated contract, with messages that carry no values.

The contract is OpenAPI 3.1, whose schemas are JSON Schema 2020-12: `jsonschema` checks
them. It is not a dependency of the server (Flask does not ship it), so it comes with the
optional extra `mockvoso[upstream]`; the test extra has it too (openapi-core needs it).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from mockvoso.upstream.shape import json_type, safe_key

MISSING_JSONSCHEMA = (
    "mockvoso: verify, proxy and clone-seed check answers against the contract with"
    " `jsonschema`: pip install 'mockvoso[upstream]'"
)


class ContractUnavailable(RuntimeError):
    """jsonschema is not installed."""


@dataclass(frozen=True)
class Violation:
    """One place where an answer breaks the contract: a JSON path and what is wrong."""

    path: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "problem": self.problem}


@functools.cache
def _spec() -> dict[str, Any]:
    from mockvoso.spec import spec_dict

    return spec_dict()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (#/components/...) of the spec."""
    while "$ref" in node:
        target: Any = _spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def has_action(action: str) -> bool:
    """Whether the contract describes /v1/<action>."""
    return f"/v1/{action}" in _spec()["paths"]


def response_schema(action: str, status: int) -> dict[str, Any] | None:
    """The JSON schema the contract gives /v1/<action> at this status, or None."""
    operation = _spec()["paths"].get(f"/v1/{action}", {}).get("post")
    if operation is None:
        return None
    responses = operation["responses"]
    response = responses.get(str(status)) or responses.get("default")
    if response is None:
        return None
    content = _resolve(response).get("content", {}).get("application/json")
    return None if content is None else dict(content["schema"])


@functools.cache
def _validator(action: str, status: int) -> Any:
    try:
        # Imported by name: jsonschema ships no type stubs, and it is an optional extra.
        jsonschema = importlib.import_module("jsonschema")
    except ImportError:
        raise ContractUnavailable(MISSING_JSONSCHEMA) from None
    schema = response_schema(action, status)
    if schema is None:
        return None
    # The schema's `$ref`s point into the document root: give it the components there.
    root = {**schema, "components": _spec()["components"]}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def check(action: str, status: int, body: Any) -> list[Violation] | None:
    """Violations of the contract (empty: it conforms); None when the contract has no
    JSON schema for this action and status."""
    validator = _validator(action, status)
    if validator is None:
        return None
    out = {Violation(_path(e.absolute_path), _problem(e)) for e in validator.iter_errors(body)}
    return sorted(out, key=lambda v: (v.path, v.problem))


def _path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += "[*]" if isinstance(part, int) else f".{safe_key(str(part))}"
    return path


def _problem(error: Any) -> str:
    """What is wrong, from the schema's side only: never the offending value."""
    kind = error.validator
    expected = error.validator_value
    got = json_type(error.instance)
    if kind == "type":
        return f"type: expected {_join(expected)}, got {got}"
    if kind == "required":
        missing = [
            k for k in expected if isinstance(error.instance, dict) and k not in error.instance
        ]
        return f"required key missing: {', '.join(missing)}"
    if kind == "additionalProperties":
        extra = sorted(
            safe_key(str(k))
            for k in (error.instance if isinstance(error.instance, dict) else {})
            if k not in error.schema.get("properties", {})
        )
        return f"extra key: {', '.join(extra)}"
    if kind == "format":
        return f"format: not a valid {expected}"
    if kind in ("enum", "const"):
        return f"{kind}: a {got} outside the contract's values"
    if kind in ("oneOf", "anyOf"):
        return f"{kind}: matches no allowed shape ({_branch_hint(error)})"
    if kind in ("pattern", "minLength", "maxLength", "minimum", "maximum"):
        return f"{kind}: a {got} outside the contract's {kind} {expected}"
    return f"{kind}: a {got} the contract does not allow"


def _branch_hint(error: Any) -> str:
    """The closest branch's first problem, so `oneOf` says more than "no match"."""
    best = None
    for sub in error.context or ():
        if best is None or len(sub.absolute_path) > len(best.absolute_path):
            best = sub
    if best is None:
        return "no detail"
    return f"{_path(best.absolute_path)}: {_problem(best)}"


def _join(expected: Any) -> str:
    return "|".join(expected) if isinstance(expected, list) else str(expected)


def available() -> bool:
    """Whether jsonschema (the optional extra mockvoso[upstream]) is installed."""
    return importlib.util.find_spec("jsonschema") is not None
