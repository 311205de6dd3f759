"""build_document(): openapi.yaml from the action table (apispec) and shared.yaml."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import INCLUDE, Schema, fields

from mockvoso import __version__
from mockvoso.actions import Action, action_table
from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.records import CALL_LOG_FIELDS, LEAD_STORED

OPENAPI_VERSION = "3.1.0"
# Answers every /v1 action can give besides its own 200 (defined in shared.yaml).
ERROR_RESPONSES: dict[str, str] = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "413": "TooLarge",
    "429": "RateLimited",
    "500": "ServerError",
    "502": "BadGateway",
    "503": "Unavailable",
    "default": "InjectedStatus",
}
SHARED_PARAMETERS = ("officeAcronym", "X-Office-Acronym", "X-Mockvoso-Fault")
RATE_HEADERS = (
    "X-Mockvoso-Fault",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
)
_KEPT_BY_CUSTOM = ("description", "examples", "minimum", "maximum", "minLength", "maxLength")


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _pascal(name: str) -> str:
    """`agent-performance/search` -> `AgentPerformanceSearch`."""
    return "".join(part.capitalize() for part in name.replace("/", "-").split("-"))


def _camel(name: str) -> str:
    pascal = _pascal(name)
    return pascal[0].lower() + pascal[1:]


def shared_document() -> dict[str, Any]:
    """shared.yaml: prose, shared components and the control plane."""
    text = resources.files("mockvoso.contract").joinpath("shared.yaml").read_text("utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


class _Names:
    """Component names of the schemas apispec meets, and their classes (for OPENAPI extras)."""

    def __init__(self) -> None:
        self.classes: dict[str, type[Schema]] = {}

    def __call__(self, schema: Any) -> str:
        cls = schema if isinstance(schema, type) else type(schema)
        name = cls.__name__
        known = self.classes.setdefault(name, cls)
        if known is not cls:
            raise ValueError(f"two schemas named {name}: {known!r} and {cls!r}")
        return name


def _mockvoso_fields(
    converter: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """apispec attribute function: our wire fields describe themselves (Field.openapi), and a
    Constant is a JSON `const`. What apispec derived from validators and metadata is kept."""
    if isinstance(field, fields.Constant):
        described: dict[str, Any] = {"const": field.constant}
    else:
        describe = getattr(field, "openapi", None)
        if describe is None:
            return {}
        described = describe()
    kept = {k: v for k, v in ret.items() if k in _KEPT_BY_CUSTOM}
    if field.allow_none and "type" in described:
        described["type"] = (
            [*described["type"], "null"]
            if isinstance(described["type"], list)
            else [described["type"], "null"]
        )
    ret.clear()
    return {**described, **kept}


def _errors_line(codes: tuple[int, ...], texts: dict[int, str] | None = None) -> str:
    if not codes:
        return ""
    texts = texts or {}
    items = ", ".join(f"{code} `{texts.get(code, DOMAIN_ERRORS[code])}`" for code in codes)
    return f"\nDomain errors (HTTP 200): {items}.\n"


def _query_parameters(plugin: MarshmallowPlugin, action: Action) -> list[dict[str, Any]]:
    converter = plugin.converter
    assert converter is not None
    params: list[dict[str, Any]] = [_ref("parameters", name) for name in SHARED_PARAMETERS]
    params += converter.schema2parameters(action.args, location="query")
    if action.args.opts.unknown == INCLUDE:
        params.append(
            {
                "name": "custom_fields",
                "in": "query",
                "description": "Any other parameter: the account's own (custom) lead fields.",
                "style": "form",
                "explode": True,
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
            }
        )
    return params


def _operation(action: Action, method: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    pascal = _pascal(action.name)
    operation: dict[str, Any] = {
        "tags": [action.tag],
        "summary": action.summary if method == "get" else f"{action.summary} (POST)",
        "description": action.description + _errors_line(action.errors, action.error_texts),
        "operationId": f"{_camel(action.name)}{method.capitalize()}",
        "security": [{"auth_token": []}, {"bearer": []}],
        "parameters": parameters,
    }
    if method == "post":
        operation["requestBody"] = _ref("requestBodies", pascal)
    operation["responses"] = {
        "200": _ref("responses", f"{pascal}Ok"),
        **{status: _ref("responses", name) for status, name in ERROR_RESPONSES.items()},
    }
    return operation


def _request_body(action: Action) -> dict[str, Any]:
    schema = _ref("schemas", action.args.__name__)
    return {
        "description": (
            f"The parameters of {action.name} as a form or a JSON object (the token goes in the\n"
            "query or the `Authorization` header; it may also be sent as an `auth_token` field).\n"
            "Query-string parameters are merged in, the body winning.\n"
        ),
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {"schema": schema},
            "application/json": {"schema": schema},
        },
    }


def _ok_response(action: Action) -> dict[str, Any]:
    return {
        "description": (
            f"The {action.name} success body, or a Convoso domain error (`success: false`)\n"
            "answered at HTTP 200. An injected `empty` or `malformed` fault (header\n"
            "`X-Mockvoso-Fault`) answers 200 with an empty or truncated, non-JSON body.\n"
        ),
        "headers": {name: _ref("headers", name) for name in RATE_HEADERS},
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        _ref("schemas", action.result.__name__),
                        _ref("schemas", "DomainError"),
                    ]
                }
            }
        },
    }


def _domain_error_codes(schema: dict[str, Any]) -> None:
    """DomainError's codes and their texts, from the one catalogue (mockvoso/errors.py)."""
    codes = sorted(DOMAIN_ERRORS)
    schema["description"] = (
        "A Convoso domain error, answered at **HTTP 200** (Convoso's habit). Codes:\n\n"
        + "".join(f"- `{code}` {DOMAIN_ERRORS[code]}\n" for code in codes)
    )
    code = schema["properties"]["code"]
    code["enum"] = [400, 401, 403, *codes]
    code["description"] = (
        "A Convoso error code. `401`/`403` appear here only with `--legacy-auth-status`\n"
        "(auth errors at HTTP 200), `400` only with `--bad-value-status 200` (a value of the\n"
        "wrong type at HTTP 200).\n"
    )


def _snapshot_rows(schema: dict[str, Any]) -> None:
    """A snapshot's lead and call-log rows: the record definitions' fields, in order."""
    for key, names in (("leads", LEAD_STORED), ("call_logs", CALL_LOG_FIELDS)):
        table = schema["properties"][key]["properties"]
        table["fields"]["const"] = list(names)
        row = table["rows"]["items"]
        row["minItems"] = row["maxItems"] = len(names)


def build_document() -> dict[str, Any]:
    """The whole contract as plain data: shared.yaml plus every action of the table."""
    shared = shared_document()
    names = _Names()
    plugin = MarshmallowPlugin(schema_name_resolver=names)
    spec = APISpec(
        title=shared["info"]["title"],
        version=__version__,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_mockvoso_fields)
    table = action_table()
    request_bodies: dict[str, Any] = {}
    responses: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for action in table.values():
        for schema in (action.args, action.result):
            name = names(schema)
            if name not in spec.components.schemas:
                spec.components.schema(name, schema=schema)
        pascal = _pascal(action.name)
        request_bodies[pascal] = _request_body(action)
        responses[f"{pascal}Ok"] = _ok_response(action)
        query = _query_parameters(plugin, action)
        paths[f"/v1/{action.name}"] = {
            "get": _operation(action, "get", query),
            "post": _operation(action, "post", query[: len(SHARED_PARAMETERS)]),
        }
    generated = spec.to_dict()["components"]["schemas"]
    for name, cls in names.classes.items():
        extra = getattr(cls, "OPENAPI", None)
        if extra and name in generated:
            generated[name] = {**generated[name], **copy.deepcopy(extra)}
    document = copy.deepcopy(shared)
    document["info"]["version"] = __version__
    document["paths"] = {**paths, **shared["paths"]}
    components = document["components"]
    components["schemas"] = {**generated, **components["schemas"]}
    _domain_error_codes(components["schemas"]["DomainError"])
    _snapshot_rows(components["schemas"]["OfficeSnapshot"])
    components["requestBodies"] = request_bodies
    components["responses"] = {**responses, **shared["components"]["responses"]}
    return document


class _Dumper(yaml.SafeDumper):
    """Block scalars for prose, no aliases: a diff of the file reads like the prose."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)

HEADER = (
    "# Generated by `mockvoso spec --write` from the action table (mockvoso/actions/) and\n"
    "# mockvoso/contract/shared.yaml. Do not edit by hand: CI fails when this file differs\n"
    "# from what the code generates.\n"
)


@cache
def document_text() -> str:
    """openapi.yaml's exact text (what `mockvoso spec --write` writes and the server serves)."""
    body = yaml.dump(
        build_document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return HEADER + body
