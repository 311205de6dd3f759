"""The generator: a throwaway action and the control table become exactly the contract's parts."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import validate
from openapi_spec_validator import validate as validate_spec

from mockvoso.actions import Action
from mockvoso.contract.build import build_document
from mockvoso.control.table import CONTROL_ROUTES, Answer
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import Choice, Text, WholeNumber, about
from mockvoso.schemas.replies import Reply, integer, nested, success
from mockvoso.spec import spec_dict


class PaintWidgetArgs(ArgsSchema):
    widget_id = WholeNumber(required=True, metadata=about("The widget to paint.", 7))
    colour = Choice(("red", "blue"), load_default="red", metadata=about("Its new colour."))
    note = Text(validate=validate.Length(max=5))


class PaintedWidget(Reply):
    widget_id = integer("The widget's id.", minimum=1)


class PaintWidgetResult(Reply):
    success = success()
    data = nested(PaintedWidget)


def paint(store: Any, args: dict[str, Any]) -> dict[str, Any]:
    return {"success": True, "data": {"widget_id": args["widget_id"]}}


THROWAWAY = Action(
    "widgets/paint",
    view=paint,
    args=PaintWidgetArgs,
    result=PaintWidgetResult,
    summary="Paint a widget",
    description="Paints one widget.\n",
    errors=(6001,),
    section="widgets",
    tag="Widgets",
)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build_document({THROWAWAY.name: THROWAWAY})


def test_the_throwaway_document_is_valid_openapi_3_1(doc):
    validate_spec(doc)
    v1 = sorted(path for path in doc["paths"] if path.startswith("/v1/"))
    assert v1 == ["/v1/widgets/paint"]  # the table given, nothing else


def test_the_action_has_get_and_post_with_its_prose(doc):
    item = doc["paths"]["/v1/widgets/paint"]
    assert set(item) == {"get", "post"}
    get, post = item["get"], item["post"]
    assert (get["operationId"], post["operationId"]) == ("widgetsPaintGet", "widgetsPaintPost")
    assert (get["summary"], post["summary"]) == ("Paint a widget", "Paint a widget (POST)")
    assert get["tags"] == ["Widgets"]
    assert get["description"] == (
        "Paints one widget.\n\nDomain errors (HTTP 200): 6001 `No such Lead`.\n"
    )
    assert post["requestBody"] == {"$ref": "#/components/requestBodies/WidgetsPaint"}
    assert get["responses"]["200"] == {"$ref": "#/components/responses/WidgetsPaintOk"}
    assert {"400", "401", "403", "413", "414", "431", "429", "default"} <= set(get["responses"])


def test_fields_become_parameters_with_required_default_prose_and_examples(doc):
    get = doc["paths"]["/v1/widgets/paint"]["get"]
    shared = [p["$ref"].rsplit("/", 1)[1] for p in get["parameters"] if "$ref" in p]
    assert shared == ["officeAcronym", "X-Office-Acronym", "X-Mockvoso-Fault"]
    own = {p["name"]: p for p in get["parameters"] if "$ref" not in p}
    assert list(own) == ["widget_id", "colour", "note"]  # EXCLUDE: no custom_fields
    assert own["widget_id"] == {
        "in": "query",
        "name": "widget_id",
        "description": "The widget to paint.",
        "schema": {"type": "string", "pattern": "^([0-9]+)?$", "examples": ["7"]},
        "required": True,
    }
    assert own["colour"]["required"] is False
    assert own["colour"]["description"] == "Its new colour."
    assert own["colour"]["schema"] == {
        "type": "string",
        "pattern": "^([rR][eE][dD]|[bB][lL][uU][eE])?$",
        "default": "red",
    }
    assert own["note"]["schema"] == {"type": "string", "maxLength": 5}


def test_the_input_schema_its_json_variant_and_the_bodies(doc):
    schemas = doc["components"]["schemas"]
    form = schemas["PaintWidgetArgs"]
    assert form["required"] == ["widget_id"]
    assert list(form["properties"]) == ["widget_id", "colour", "note"]
    assert form["additionalProperties"] == {
        "$ref": "#/components/schemas/ParamValue",
        "description": "Any other parameter is ignored, as Convoso ignores it.\n",
    }
    json_body = schemas["PaintWidgetArgsJson"]
    assert json_body["required"] == ["widget_id"]
    assert json_body["properties"]["widget_id"] == {
        "type": ["integer", "string", "null"],
        "minimum": 0,
        "pattern": "^([0-9]+)?$",
        "description": "The widget to paint.",
        "examples": ["7"],
    }
    assert json_body["properties"]["colour"] == {
        **form["properties"]["colour"],
        "type": ["string", "null"],
    }
    # A JSON number is read as its digits: the length bound bounds numbers too.
    assert json_body["properties"]["note"] == {
        "type": ["string", "number", "null"],
        "maxLength": 5,
        "exclusiveMaximum": 100000,
        "exclusiveMinimum": -10000,
    }
    body = doc["components"]["requestBodies"]["WidgetsPaint"]
    assert body["content"] == {
        "application/x-www-form-urlencoded": {
            "schema": {"$ref": "#/components/schemas/PaintWidgetArgs"}
        },
        "application/json": {"schema": {"$ref": "#/components/schemas/PaintWidgetArgsJson"}},
    }


def test_the_reply_is_a_closed_schema_and_the_200_answer(doc):
    schemas = doc["components"]["schemas"]
    assert schemas["PaintWidgetResult"] == {
        "type": "object",
        "properties": {
            "success": {"const": True},
            "data": {"$ref": "#/components/schemas/PaintedWidget"},
        },
        "required": ["data", "success"],  # apispec sorts them
        "additionalProperties": False,
    }
    assert schemas["PaintedWidget"] == {
        "type": "object",
        "properties": {
            "widget_id": {"type": "integer", "minimum": 1, "description": "The widget's id."}
        },
        "required": ["widget_id"],
        "additionalProperties": False,
    }
    ok = doc["components"]["responses"]["WidgetsPaintOk"]
    assert ok["content"]["application/json"]["schema"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/PaintWidgetResult"},
            {"$ref": "#/components/schemas/DomainError"},
        ]
    }


# --- the control table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "route", CONTROL_ROUTES, ids=[f"{r.method} {r.path}" for r in CONTROL_ROUTES]
)
def test_every_control_route_is_generated_from_its_row(route):
    spec = spec_dict()
    operation = spec["paths"][f"/_mockvoso{route.path}"][route.method]
    assert operation["operationId"] == route.operation_id
    assert operation["summary"] == route.summary
    assert operation["description"] == route.description
    assert operation["tags"] == list(route.tags)
    assert set(route.tags) <= {"Control plane", "Dashboard"}
    assert operation["security"] == ([{}, {"mockvoso_admin": []}] if route.admin else [])
    expected = {
        status: (
            {"$ref": f"#/components/responses/{answer}"}
            if isinstance(answer, str)
            else _answer(answer)
        )
        for status, answer in route.responses.items()
    }
    head = {"$ref": "#/components/responses/RequestHeadTooLarge"}
    assert operation["responses"] == {**expected, "414": head, "431": head}
    if route.body is None:
        assert "requestBody" not in operation
    else:
        body = operation["requestBody"]
        assert body["required"] is route.body_required
        if isinstance(route.body, tuple):
            refs = [{"$ref": f"#/components/schemas/{b.__name__}"} for b in route.body]
            schema: dict[str, Any] = {"oneOf": refs}
        else:
            schema = {"$ref": f"#/components/schemas/{route.body.__name__}"}
        assert body["content"] == {
            "application/json": {"schema": schema},
            **(route.body_content or {}),
        }
    names = [p["name"] for p in operation.get("parameters", [])]
    declared = [
        *(route.path_params._declared_fields if route.path_params else ()),
        *(route.query._declared_fields if route.query else ()),
        *(p["name"] for p in route.extra_parameters),
    ]
    assert names == declared


def _answer(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {"description": answer.description}
    if answer.headers is not None:
        out["headers"] = answer.headers
    if answer.schema is not None:
        ref = {"$ref": f"#/components/schemas/{answer.schema.__name__}"}
        out["content"] = {"application/json": {"schema": ref}}
    elif answer.one_of:
        refs = [{"$ref": f"#/components/schemas/{s.__name__}"} for s in answer.one_of]
        out["content"] = {"application/json": {"schema": {"oneOf": refs}}}
    if answer.content is not None:
        out["content"] = {**out.get("content", {}), **answer.content}
    return out


def test_control_plane_schemas_are_generated_not_copied():
    """The control routes' shapes come from mockvoso/control/schemas.py, not shared.yaml."""
    from mockvoso.contract.build import shared_document

    shared = shared_document()
    assert not [p for p in shared["paths"] if p.startswith("/_mockvoso")]
    for name in ("Health", "FaultRule", "FaultRuleInput", "Journal", "Snapshot", "ControlError"):
        assert name not in shared["components"]["schemas"], name
        assert name in spec_dict()["components"]["schemas"], name
    path = spec_dict()["paths"]["/_mockvoso/faults/{rule_id}"]["delete"]
    assert path["parameters"] == [
        {
            "in": "path",
            "name": "rule_id",
            "description": "A rule id from GET /_mockvoso/faults, e.g. `f1`.",
            "schema": {"type": "string"},
            "required": True,
        }
    ]
