"""openapi.yaml is valid, complete, served, and really enforced on every test response."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_validation import ContractViolation, ValidatingClient, validate_exchange
from flask import Flask
from openapi_spec_validator import validate as validate_spec
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from conftest import validating_app
from mockvoso import __version__
from mockvoso.actions import action_table
from mockvoso.app import create_app
from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.records import CALL_LOG_FIELDS, LEAD_DERIVED, LEAD_STORED
from mockvoso.serving import cli
from mockvoso.spec import spec_bytes, spec_dict, spec_json

ROOT_SPEC = Path(__file__).resolve().parents[1] / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")
# Parameters of every /v1 operation that are no parameter of the action itself.
SHARED_PARAMS = {"officeAcronym", "X-Office-Acronym", "X-Mockvoso-Fault", "custom_fields"}
# The input schema (mockvoso/schemas) behind each action.
ARGS_SCHEMAS = {name: action.args for name, action in action_table().items()}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return spec_dict()


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    """An app without leads: the routes and documents, cheaply."""
    return validating_app({"leads": 0})


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }


# --- the document -----------------------------------------------------------------------


def test_spec_is_valid_openapi_3_1(spec):
    validate_spec(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["version"] == __version__


def test_the_committed_file_is_what_the_code_generates():
    assert ROOT_SPEC.read_bytes() == spec_bytes(), (
        "openapi.yaml differs from what the action table generates: run `mockvoso spec --write`"
    )
    assert cli.main(["spec", "--check", str(ROOT_SPEC)]) == 0


def test_generating_twice_gives_the_same_bytes():
    from mockvoso.contract.build import build_document, document_text

    assert yaml.safe_load(document_text()) == build_document()
    assert document_text().encode() == spec_bytes()


def test_one_openapi_yaml_in_the_repository():
    found = [p for p in ROOT_SPEC.parent.rglob("openapi.yaml") if ".git" not in p.parts]
    assert [p.relative_to(ROOT_SPEC.parent).as_posix() for p in found if "venv" not in str(p)] == [
        "openapi.yaml"
    ]


def test_spec_check_reports_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "openapi.yaml"
    stale.write_text("openapi: 3.1.0\n", encoding="utf-8")
    assert cli.main(["spec", "--check", str(stale)]) == 1
    assert "differs from the contract the code generates" in capsys.readouterr().err
    assert cli.main(["spec", "--write", str(stale)]) == 0
    assert stale.read_bytes() == spec_bytes()


def test_yaml_and_json_are_the_same_document():
    assert json.loads(spec_json()) == yaml.safe_load(ROOT_SPEC.read_text(encoding="utf-8"))
    assert spec_json() is spec_json()  # converted once per process


def test_every_route_is_documented_and_every_documented_route_exists(spec, bare_app):
    routed = set()
    for rule in bare_app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = operations(spec)
    assert routed - documented == set(), "routes missing from openapi.yaml"
    assert documented - routed == set(), "openapi.yaml documents routes the server lacks"


def test_every_action_has_get_and_post_with_the_same_parameters(spec):
    v1 = [path for path in spec["paths"] if path.startswith("/v1/")]
    assert sorted(p.removeprefix("/v1/") for p in v1) == sorted(ARGS_SCHEMAS)
    for path in v1:
        get, post = spec["paths"][path]["get"], spec["paths"][path]["post"]
        params = [resolve(spec, p) for p in get["parameters"]]
        params = [p for p in params if p["name"] not in SHARED_PARAMS]
        query = {p["name"]: p["schema"] for p in params}
        required = sorted(p["name"] for p in params if p.get("required"))
        body = resolve(spec, post["requestBody"])["content"]
        assert set(body) == {"application/x-www-form-urlencoded", "application/json"}
        form = resolve(spec, body["application/x-www-form-urlencoded"]["schema"])
        json_body = resolve(spec, body["application/json"]["schema"])
        stripped = {
            name: {k: v for k, v in prop.items() if k != "description"}
            for name, prop in form.get("properties", {}).items()
        }
        assert query == stripped, path  # a query and a form carry the same texts
        assert required == sorted(form.get("required", [])) == json_body.get("required", [])
        # Queries and forms carry text: no number types there (a generated query would
        # carry `146.0`), and no null (it would carry the text `null`).
        for name, prop in form["properties"].items():
            assert "$ref" in prop or prop["type"] == "string", (path, name)
        # The JSON body: the same properties, with the same prose, each also null.
        assert list(json_body["properties"]) == list(form["properties"]), path
        for name, prop in json_body["properties"].items():
            plain = form["properties"][name]
            assert prop.get("description") == plain.get("description"), (path, name)
            nullable = {"type": "null"} in prop.get("anyOf", []) or "null" in prop.get("type", [])
            assert nullable, (path, name)
        for schema in (form, json_body):
            extra = schema["additionalProperties"]
            assert extra["$ref"] == "#/components/schemas/ParamValue", path
            assert extra["description"].startswith("Any other parameter "), path
        for operation in (get, post):
            assert operation["security"] == [{"auth_token": []}, {"bearer": []}]
            assert set(operation["responses"]) >= {"200", "400", "401", "403", "429", "default"}


@pytest.mark.parametrize("action", sorted(ARGS_SCHEMAS))
def test_documented_parameters_are_the_ones_the_server_reads(spec, action):
    body = resolve(spec, spec["paths"][f"/v1/{action}"]["post"]["requestBody"])
    schema = resolve(spec, body["content"]["application/json"]["schema"])
    assert set(schema.get("properties", {})) == set(ARGS_SCHEMAS[action]._declared_fields)
    assert "auth_token" not in schema.get("properties", {})  # it is the security scheme's


@pytest.mark.parametrize("action", sorted(ARGS_SCHEMAS))
def test_every_input_field_is_a_wire_field(action):
    """An input field says its own contract (Field.openapi in mockvoso/schemas/fields.py):
    a plain marshmallow field would be described by apispec's defaults, which know nothing
    of the parser's rules (a JSON boolean or array, empty = not given)."""
    for name, field in ARGS_SCHEMAS[action]._declared_fields.items():
        assert callable(getattr(field, "openapi", None)), (
            f"{action} {name}: use a field of mockvoso.schemas.fields (Text, not fields.String)"
        )


@pytest.mark.parametrize("action", sorted(ARGS_SCHEMAS))
def test_paging_fields_promise_no_400(action):
    """limit/offset reach the action whatever they hold (load_args answers 7230/7231 at
    HTTP 200), so the contract must call no value of them invalid: they are Paging."""
    from mockvoso.schemas.fields import Paging

    for name in ("limit", "offset"):
        field = ARGS_SCHEMAS[action]._declared_fields.get(name)
        assert field is None or isinstance(field, Paging), f"{action} {name}: use Paging"


def test_output_shapes_follow_the_record_definitions(spec):
    schemas = spec["components"]["schemas"]
    assert set(schemas["Lead"]["required"]) == {*LEAD_STORED, *LEAD_DERIVED}
    assert list(schemas["Lead"]["properties"]) == [*LEAD_STORED, *LEAD_DERIVED]
    assert set(schemas["CallLogRow"]["required"]) == set(CALL_LOG_FIELDS)
    assert list(schemas["CallLogRow"]["properties"]) == [
        *CALL_LOG_FIELDS,
        "recording",
        "extra_field_01",
        "extra_field_02",
    ]
    snapshot = schemas["OfficeSnapshot"]["properties"]
    assert snapshot["leads"] == {"$ref": "#/components/schemas/SnapshotLeads"}
    assert snapshot["call_logs"] == {"$ref": "#/components/schemas/SnapshotCallLogs"}
    assert schemas["SnapshotLeads"]["properties"]["fields"]["const"] == list(LEAD_STORED)
    assert schemas["SnapshotCallLogs"]["properties"]["fields"]["const"] == list(CALL_LOG_FIELDS)
    codes = schemas["DomainError"]["properties"]["code"]["enum"]
    assert sorted(codes) == sorted({400, 401, 403, *DOMAIN_ERRORS})


def test_success_schemas_are_closed(spec):
    """No loose objects: every object schema of a response says what it holds."""
    open_objects = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "additionalProperties" not in node:
                open_objects.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    inputs = {name for name in spec["components"]["schemas"] if name.endswith("Args")}
    for name, schema in spec["components"]["schemas"].items():
        if name not in inputs and name not in ("ResetRequest", "OpenApiDocument"):
            walk(schema, name)
    assert open_objects == []


# --- serving it ---------------------------------------------------------------------------


def test_openapi_yaml_is_served_verbatim(bare_app):
    response = bare_app.test_client().get("/openapi.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert response.data == ROOT_SPEC.read_bytes()


def test_openapi_json_is_served(bare_app, spec):
    response = bare_app.test_client().get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == spec


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_page_uses_only_local_assets(bare_app):
    client = bare_app.test_client()
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "SwaggerUIBundle" in html and '"/openapi.json"' in html
    assert "http://" not in html and "https://" not in html  # no CDN: works offline
    parser = _Links()
    parser.feed(html)
    assert parser.links
    for link in parser.links:
        assert link.startswith("/docs/"), link
        asset = client.get(link)
        assert asset.status_code == 200 and asset.data, link
    version = resources.files("flask_swagger_ui").joinpath("dist", "VERSION").read_text()
    assert version.strip().lstrip("v").startswith("5."), "Swagger UI 5 renders OpenAPI 3.1"


def test_docs_assets_types_cache_and_unknown_names(bare_app):
    client = bare_app.test_client()
    script = client.get("/docs/swagger-ui-bundle.js")
    assert script.mimetype == "text/javascript"
    assert client.get("/docs/swagger-ui.css").mimetype == "text/css"
    again = client.get(
        "/docs/swagger-ui.css",
        headers={"If-None-Match": client.get("/docs/swagger-ui.css").headers["ETag"]},
    )
    assert again.status_code == 304
    missing = client.get("/docs/index.html")
    assert missing.status_code == 404 and missing.get_json()["code"] == 404


def test_mockvoso_spec_prints_the_file(capsys):
    assert cli.main(["spec"]) == 0
    assert capsys.readouterr().out == ROOT_SPEC.read_text(encoding="utf-8")


# --- the validator bites ------------------------------------------------------------------


def exchange(
    path: str,
    body: Any,
    *,
    method: str = "GET",
    status: int = 200,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
    mimetype: str = "application/json",
) -> tuple[Request, Response]:
    request = Request(EnvironBuilder(path=path, method=method).get_environ())
    data = raw if raw is not None else json.dumps(body).encode()
    return request, Response(data, status=status, mimetype=mimetype, headers=headers)


GOOD_SEARCH = {"success": True, "data": {"offset": 0, "limit": 10, "total": "0", "entries": []}}


def test_validator_accepts_a_right_response():
    validate_exchange(*exchange("/v1/leads/search", GOOD_SEARCH))
    validate_exchange(
        *exchange(
            "/v1/lists/insert", {"success": True, "data": {"list_id": 7}, "id": 7}, method="POST"
        )
    )


def test_validator_rejects_total_as_an_integer_and_says_where():
    body = {"success": True, "data": {"offset": 0, "limit": 10, "total": 3, "entries": []}}
    with pytest.raises(ContractViolation, match="data/total: 3 is not of type 'string'"):
        validate_exchange(*exchange("/v1/leads/search", body))


@pytest.mark.parametrize(
    ("path", "body", "kwargs"),
    [
        pytest.param(
            "/v1/leads/search",
            {"success": True, "data": {"offset": 0, "limit": 10, "total": 0, "entries": []}},
            {},
            id="total-as-int",
        ),
        pytest.param(
            "/v1/leads/search",
            {"success": True, "data": {"offset": 0, "limit": 10, "total": "0"}},
            {},
            id="entries-missing",
        ),
        pytest.param(
            "/v1/leads/search", {**GOOD_SEARCH, "extra": 1}, {}, id="unknown-top-level-key"
        ),
        pytest.param(
            "/v1/leads/insert", {"success": True, "data": {"lead_id": "12"}}, {}, id="insert-str-id"
        ),
        pytest.param(
            "/v1/leads/update", {"success": True, "data": {"lead_id": 12}}, {}, id="update-int-id"
        ),
        pytest.param(
            "/v1/log/retrieve",
            {
                "success": True,
                "data": {
                    "offset": 0,
                    "limit": 500,
                    "total_found": "1",
                    "entries": [],
                    "results": [],
                },
            },
            {},
            id="entries-as-rows",
        ),
        pytest.param(
            "/v1/leads/delete", {"success": False, "code": 9999, "text": "?"}, {}, id="unknown-code"
        ),
        pytest.param("/v1/leads/delete", {"success": True}, {"status": 302}, id="status-302"),
        pytest.param(
            "/v1/leads/delete",
            None,
            {"raw": b"<html></html>", "mimetype": "text/html"},
            id="html-body",
        ),
        pytest.param("/v1/leads/delete", None, {"raw": b""}, id="empty-body-without-fault"),
        pytest.param(
            "/v1/leads/search",
            {"success": False, "code": 429, "text": "Too Many Requests"},
            {"status": 429, "headers": {"Retry-After": "soon"}},
            id="retry-after-not-a-number",
        ),
        pytest.param("/nothing", {"success": False}, {"status": 404}, id="unrouted-no-envelope"),
        pytest.param(
            "/nothing",
            None,
            {"raw": b"Not Found", "status": 404, "mimetype": "text/html"},
            id="unrouted-html",
        ),
        pytest.param("/_mockvoso/health", {"status": "ok"}, {}, id="health-without-version"),
    ],
)
def test_validator_rejects_a_wrong_response(path, body, kwargs):
    with pytest.raises(ContractViolation):
        validate_exchange(*exchange(path, body, **kwargs))


def test_validator_lets_a_declared_broken_fault_through_but_checks_its_status():
    fault = {"X-Mockvoso-Fault": "f1"}
    validate_exchange(*exchange("/v1/leads/search", None, raw=b"", headers=fault))
    validate_exchange(*exchange("/v1/leads/search", None, raw=b'{"success": tr', headers=fault))
    with pytest.raises(ContractViolation):  # a fault's JSON body is still validated
        validate_exchange(*exchange("/v1/leads/search", {"success": True}, headers=fault))


def test_every_test_client_of_a_mockvoso_app_validates():
    """Even an app a test builds itself: a test cannot forget to validate."""
    app = create_app({"leads": 0})
    assert isinstance(app.test_client(), ValidatingClient)
    app.view_functions["control.health"] = lambda: {"status": "sick"}  # break a response
    with pytest.raises(ContractViolation, match=r"'ok' was expected"):
        app.test_client().get("/_mockvoso/health")
    other = Flask("not-mockvoso")  # other apps are not bound by this contract
    other.add_url_rule("/", view_func=lambda: "plain text")
    assert other.test_client().get("/").data == b"plain text"


# --- inputs that once crashed the server (found while fuzzing the contract) ------------------

HUGE = "9" * 5000  # int() refuses more than 4300 digits
BIG = "9" * 30  # past sys.maxsize: islice() refuses it as an offset


def bad(field: str, why: str) -> tuple[int, dict]:
    return 400, {"success": False, "code": 400, "text": f"Invalid parameter {field}: {why}"}


def domain(code: int, text: str) -> tuple[int, dict]:
    return 200, {"success": False, "code": code, "text": text}


TOO_MANY = "Not a valid whole number: too many digits."
# Each input and the one answer it gets (each once crashed the server).
CRASHERS = [
    ("leads/search", {"limit": "\u00b2"}, domain(7230, "Invalid limit value")),  # "²".isdigit()
    ("leads/search", {"lead_id": HUGE}, bad("lead_id", TOO_MANY)),
    ("leads/search", {"offset": BIG}, "empty page"),
    (
        "leads/search",
        {"created_at_start_date": "\uff12\uff10\uff12\uff16-01-01"},
        bad("created_at_start_date", "Not a valid date: use YYYY-MM-DD HH:MM:SS or YYYY-MM-DD."),
    ),
    ("leads/delete", {"lead_id": HUGE}, bad("lead_id", TOO_MANY)),
    ("lists/search", {"id": "\u00b2"}, bad("id", "Not a valid whole number: '\u00b2'.")),
    ("log/retrieve", {"list_id": "\u00b2"}, bad("list_id", "Not a valid whole number: '\u00b2'.")),
    ("log/retrieve", {"campaign_id": HUGE}, bad("campaign_id", TOO_MANY)),
    ("users/recordings", {"user": "jane.doe@acme.example", "offset": BIG}, "empty page"),
]


@pytest.mark.parametrize(("action", "params", "expected"), CRASHERS)
def test_odd_numbers_get_a_documented_answer(api, action, params, expected):
    response = api.call(action, params, via="query")  # validated against the contract too
    body = response.get_json()
    if expected == "empty page":  # an offset past every row: a success with no rows
        assert response.status_code == 200 and body["success"] is True, body
        assert body["data"]["offset"] == int(BIG) and body["data"]["entries"] == []
    else:
        assert (response.status_code, body) == expected


@pytest.mark.parametrize("value", ["\u00b2", HUGE])
def test_journal_filters_reject_odd_numbers(api, value):
    response = api.control("GET", "requests", query_string={"limit": value})
    assert response.status_code == 400 and response.get_json()["field"] == "limit"


def test_custom_fields_never_hide_lead_fields(api):
    lead_id = api.ok(
        "leads/insert",
        {"list_id": 2701, "phone_number": "5305550142", "id": "x", "created_at": "garbage"},
    )["data"]["lead_id"]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["id"] == str(lead_id) and entry["created_at"] != "garbage"


def test_links_chain_writes_to_the_operations_that_use_their_ids(spec):
    """insert -> search/update/delete, list insert -> lead insert (issue 13's stateful run)."""
    operations = {
        op["operationId"]: op
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    links = spec["components"]["responses"]["LeadsInsertOk"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        "leadsSearchGet",
        "leadsUpdateGet",
        "leadsDeleteGet",
    }
    assert spec["components"]["responses"]["ListsInsertOk"]["links"]["InsertLeadIntoList"] == {
        "operationId": "leadsInsertGet",
        "parameters": {"list_id": "$response.body#/data/list_id"},
    }
    for response in spec["components"]["responses"].values():
        for link in response.get("links", {}).values():
            target = operations[link["operationId"]]
            names = {p.get("name") for p in target["parameters"]}
            assert set(link["parameters"]) <= names, link
