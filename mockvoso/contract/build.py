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
from mockvoso.contract.wire import INPUT_COMPONENTS
from mockvoso.control.table import CONTROL_ROUTES, Answer, ControlRoute
from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.schemas.common import AUTH_PARAMS

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
    # Answered by the HTTP server, before mockvoso sees the request: no JSON body.
    "414": "RequestHeadTooLarge",
    "431": "RequestHeadTooLarge",
    "default": "InjectedStatus",
}
SHARED_PARAMETERS = ("officeAcronym", "X-Office-Acronym", "X-Mockvoso-Fault")
RATE_HEADERS = (
    "X-Mockvoso-Fault",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
)
_KEPT_BY_CUSTOM = (
    "description",
    "examples",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minProperties",
)


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
    override = field.metadata.get("openapi")
    if isinstance(field, fields.Constant):
        described: dict[str, Any] = {"const": field.constant}
    elif override is not None:
        # A field that says its whole schema itself (control-plane shapes marshmallow's
        # types cannot say: a const list, a union).
        described = copy.deepcopy(override)
    else:
        describe = getattr(field, "openapi", None)
        if describe is None:
            return {}
        described = describe()
    kept = {k: v for k, v in ret.items() if k in _KEPT_BY_CUSTOM}
    if isinstance(field, fields.Constant):
        kept.pop("default", None)  # marshmallow's Constant loads its value: no default
    if "examples" in field.metadata:
        examples = list(field.metadata["examples"])
        if described.get("type") == "string":  # a text form: its examples as texts
            examples = [str(e) for e in examples]
        kept["examples"] = examples
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
                "description": (
                    f"{_other_keys(action.args)} (Not a parameter of its own: its keys are\n"
                    "sent as query parameters.)\n"
                ),
                "style": "form",
                "explode": True,
                # Any key but the declared and the auth parameters, any text (a query
                # carries nothing else).
                "schema": {
                    "type": "object",
                    "propertyNames": {
                        "not": {"enum": sorted({*action.args._declared_fields, *AUTH_PARAMS})}
                    },
                    "additionalProperties": True,
                },
            }
        )
    return params


def _other_keys(schema: type[Schema]) -> str:
    text: str = getattr(schema, "OTHER_KEYS", "")
    return text.rstrip("\n")


def _args_extra(schema: type[Schema]) -> dict[str, Any]:
    """What an input schema's component says beyond its fields: the parameters it does not
    declare are ignored or kept as custom fields (a deliberate leniency, written down), and
    their values follow the parser's rules (ParamValue: a nested object is a 400)."""
    return {
        "additionalProperties": {
            **_ref("schemas", "ParamValue"),
            "description": _other_keys(schema) + "\n",
        }
    }


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


# What a JSON property keeps of its text form: prose and the bounds that hold either way.
_ANNOTATIONS = ("description", "examples", "default", "minLength", "maxLength")


def _json_variant(component: dict[str, Any], schema: type[Schema]) -> dict[str, Any]:
    """An input schema as a JSON body may send it: a field's JSON form where it has one
    (numbers, booleans, arrays: Field.openapi_json), and every property may also be null,
    which means "not given" like an empty value. Forms and query strings carry text only:
    there the plain schema applies (with "integer" a generated query would carry `146.0`,
    with null the text `null`)."""
    variant = copy.deepcopy(component)
    declared = schema._declared_fields
    for name, prop in list(variant.get("properties", {}).items()):
        json_form = getattr(declared[name], "openapi_json", None)
        if json_form is not None:
            prop = {**json_form(), **{k: prop[k] for k in _ANNOTATIONS if k in prop}}
            variant["properties"][name] = prop
        if "$ref" in prop:
            rest = {k: v for k, v in prop.items() if k != "$ref"}
            variant["properties"][name] = {
                "anyOf": [{"$ref": prop["$ref"]}, {"type": "null"}],
                **rest,
            }
        elif "anyOf" in prop:
            prop["anyOf"] = [*prop["anyOf"], {"type": "null"}]
        elif isinstance(prop.get("type"), list):
            prop["type"] = [*prop["type"], "null"]
        elif "type" in prop:
            prop["type"] = [prop["type"], "null"]
    return variant


def _request_body(action: Action) -> dict[str, Any]:
    form = _ref("schemas", action.args.__name__)
    json = _ref("schemas", f"{action.args.__name__}Json")
    return {
        "description": (
            f"The parameters of {action.name} as a form or a JSON object (the token goes in the\n"
            "query or the `Authorization` header; it may also be sent as an `auth_token` field).\n"
            "Query-string parameters are merged in, the body winning.\n"
        ),
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {"schema": form},
            "application/json": {"schema": json},
        },
    }


# OpenAPI links: where a write's answer leads (the ids it returns feed the next call), so
# a stateful client-test generator (schemathesis' stateful phase) can chain
# insert -> search -> update -> delete and list insert -> lead insert into it.
# action -> link name -> (target action, parameter -> runtime expression)
LINKS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "leads/insert": {
        "SearchInsertedLead": ("leads/search", {"lead_id": "$response.body#/data/lead_id"}),
        "UpdateInsertedLead": ("leads/update", {"lead_id": "$response.body#/data/lead_id"}),
        "DeleteInsertedLead": ("leads/delete", {"lead_id": "$response.body#/data/lead_id"}),
    },
    "lists/insert": {
        "InsertLeadIntoList": ("leads/insert", {"list_id": "$response.body#/data/list_id"}),
        "UpdateInsertedList": ("lists/update", {"list_id": "$response.body#/data/list_id"}),
        "DeleteInsertedList": ("lists/delete", {"list_id": "$response.body#/data/list_id"}),
    },
    "callbacks/insert": {
        "UpdateInsertedCallback": (
            "callbacks/update",
            {"callback_id": "$response.body#/data/callback_id"},
        ),
    },
    "dnc/insert": {"UpdateInsertedDnc": ("dnc/update", {"id": "$response.body#/id"})},
}


def _links(action: Action) -> dict[str, Any]:
    """The response's links: to the GET operation of each target (query parameters)."""
    return {
        name: {"operationId": f"{_camel(target)}Get", "parameters": parameters}
        for name, (target, parameters) in LINKS.get(action.name, {}).items()
    }


def _ok_response(action: Action) -> dict[str, Any]:
    links = _links(action)
    return {
        **({"links": links} if links else {}),
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


# The HTTP server's own refusals, possible on every route: no mockvoso body.
HEAD_TOO_LARGE = {status: _ref("responses", "RequestHeadTooLarge") for status in ("414", "431")}


def _schema_ref(spec: APISpec, names: _Names, schema: type[Schema]) -> dict[str, str]:
    name = names(schema)
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema)
    return _ref("schemas", name)


def _control_operation(
    spec: APISpec, plugin: MarshmallowPlugin, names: _Names, route: ControlRoute
) -> dict[str, Any]:
    converter = plugin.converter
    assert converter is not None
    operation: dict[str, Any] = {
        "tags": list(route.tags),
        "summary": route.summary,
        "description": route.description,
        "operationId": route.operation_id,
        "security": [{}, {"mockvoso_admin": []}] if route.admin else [],
    }
    parameters: list[dict[str, Any]] = []
    if route.path_params is not None:
        parameters += converter.schema2parameters(route.path_params, location="path")
    if route.query is not None:
        parameters += converter.schema2parameters(route.query, location="query")
    parameters += copy.deepcopy(list(route.extra_parameters))
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        if isinstance(route.body, tuple):
            body: dict[str, Any] = {"oneOf": [_schema_ref(spec, names, b) for b in route.body]}
        else:
            body = _schema_ref(spec, names, route.body)
        operation["requestBody"] = {
            "required": route.body_required,
            "description": route.body_description,
            "content": {
                "application/json": {"schema": body},
                **copy.deepcopy(route.body_content or {}),
            },
        }
    responses: dict[str, Any] = {}
    for status, answer in route.responses.items():
        if isinstance(answer, str):
            responses[status] = _ref("responses", answer)
            continue
        assert isinstance(answer, Answer)
        response: dict[str, Any] = {"description": answer.description}
        if answer.headers is not None:
            response["headers"] = copy.deepcopy(answer.headers)
        if answer.schema is not None:
            response["content"] = {
                "application/json": {"schema": _schema_ref(spec, names, answer.schema)}
            }
        elif answer.one_of:
            one_of = [_schema_ref(spec, names, schema) for schema in answer.one_of]
            response["content"] = {"application/json": {"schema": {"oneOf": one_of}}}
        if answer.content is not None:
            response["content"] = {**response.get("content", {}), **copy.deepcopy(answer.content)}
        responses[status] = response
    operation["responses"] = {**responses, **HEAD_TOO_LARGE}
    return operation


def build_document(table: dict[str, Action] | None = None) -> dict[str, Any]:
    """The whole contract as plain data: shared.yaml, every action of the table (the
    action table unless one is given: a test's throwaway actions) and the control routes."""
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
    table = action_table() if table is None else table
    request_bodies: dict[str, Any] = {}
    responses: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    args_classes = list(dict.fromkeys(action.args for action in table.values()))
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
    for route in CONTROL_ROUTES:
        path = paths.setdefault(f"/_mockvoso{route.path}", {})
        path[route.method] = _control_operation(spec, plugin, names, route)
    generated = spec.to_dict()["components"]["schemas"]
    for name, cls in names.classes.items():
        extra = _args_extra(cls) if cls in args_classes else getattr(cls, "OPENAPI", None)
        if extra and name in generated:
            generated[name] = {**generated[name], **copy.deepcopy(extra)}
    for cls in args_classes:
        name = cls.__name__
        generated[f"{name}Json"] = _json_variant(generated[name], cls)
    document = copy.deepcopy(shared)
    document["info"]["version"] = __version__
    document["paths"] = {**paths, **shared["paths"]}
    components = document["components"]
    components["schemas"] = {
        **generated,
        **copy.deepcopy(INPUT_COMPONENTS),
        **components["schemas"],
    }
    _domain_error_codes(components["schemas"]["DomainError"])
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
