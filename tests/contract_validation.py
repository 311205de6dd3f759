"""Check responses against openapi.yaml with openapi-core: the test suite's contract seam."""

from __future__ import annotations

import hashlib
import json
import threading
from functools import cache
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas import oas31_types_caster
from openapi_core.casting.schemas.factories import SchemaCastersFactory
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.deserializing.media_types.util import plain_loads
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.validation.response import V31ResponseHeadersValidator
from openapi_core.validation.schemas import oas31_schema_validators_factory
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from openapi_core.validation.schemas.validators import SchemaValidator
from werkzeug.wrappers import Request, Response

from mockvoso.spec import spec_dict
from mockvoso.wire import FAULT_HEADER

# Flask answers these by itself for every route; they are not part of the contract.
AUTOMATIC_METHODS = frozenset({"HEAD", "OPTIONS"})
# What a route or method the contract does not have may answer: the JSON envelope.
UNROUTED_STATUSES = frozenset({404, 405})
_CHECKED = "_contract_checked"
# Exchanges already found valid. Validation is a pure function of method, path, status,
# headers and body, and a suite answers the same thing many times (the seeded data, the
# same error): validating an identical exchange again would only cost time.
_VALID: set[bytes] = set()
_VALID_MAX = 20_000
_VALID_LOCK = threading.Lock()
_OPENAPI_LOCK = threading.RLock()


class ContractViolation(AssertionError):
    """A response the server gave that openapi.yaml does not allow."""


# jsonschema-path resolves every `$ref` and every key on each access unless told to keep
# what it resolved; the spec never changes under a test run, so keep all of it.
_RESOLVED_CACHE = 1 << 20


class _CachingValidatorsFactory(DialectSchemaValidatorsFactory):
    """openapi-core's OAS 3.1 schema validators, built once per schema location.

    openapi-core builds a new jsonschema validator (deep-copying a format checker) for
    every value it checks: most of the cost of validating a small response.
    """

    def __init__(self) -> None:
        base = oas31_schema_validators_factory
        super().__init__(
            base.schema_validator_cls, base.default_jsonschema_dialect_id, base.format_checker
        )
        self._built: dict[tuple[Any, ...], SchemaValidator] = {}

    def create(self, spec: SchemaPath, schema: SchemaPath, *args: Any, **kwargs: Any) -> Any:
        key = (tuple(schema.parts), args, tuple(sorted(kwargs.items(), key=str)))
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().create(spec, schema, *args, **kwargs)
        return built


def _yaml_loads(value: bytes, **parameters: str) -> Any:
    return yaml.safe_load(value)


@cache
def openapi() -> OpenAPI:
    """The contract, parsed once per test process.

    The spec itself is not re-validated here (test_contract.py does that once), which
    saves every pytest-xdist worker about a second.
    """
    validators = _CachingValidatorsFactory()
    config = Config(
        spec_validator_cls=None,
        schema_validators_factory=validators,
        # Header values are cast through a validator too; share the cache.
        schema_casters_factory=SchemaCastersFactory(validators, oas31_types_caster),
        # openapi-core reads these as raw bytes; the contract describes them as text
        # (the YAML document as the object it holds).
        extra_media_type_deserializers={
            "application/yaml": _yaml_loads,
            "application/x-ndjson": plain_loads,  # the snapshot stream (JSON lines)
            "text/css": plain_loads,
            "text/javascript": plain_loads,
        },
    )
    spec = SchemaPath.from_dict(spec_dict(), resolved_cache_maxsize=_RESOLVED_CACHE)
    return OpenAPI(spec, config=config)


@cache
def _headers_validator() -> V31ResponseHeadersValidator:
    config = openapi().config
    return V31ResponseHeadersValidator(
        openapi().spec,
        schema_validators_factory=config.schema_validators_factory,
        schema_casters_factory=config.schema_casters_factory,
    )


@cache
def _envelope_validator(path: str = "/v1") -> Draft202012Validator:
    # The control plane answers its own {"error": …}; everything else the Convoso envelope.
    name = "ControlError" if path.startswith("/_mockvoso/") else "HttpError"
    return Draft202012Validator(spec_dict()["components"]["schemas"][name])


class _SentRequest(WerkzeugOpenAPIRequest):
    """The request a response answered. Its body stream was read by the app already, and
    only method and path matter to response validation, so the body is not read again."""

    @property
    def body(self) -> bytes | None:
        return None


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _short(text: object, limit: int = 300) -> str:
    # openapi-core puts the whole offending value in its messages: a 300 kB body, say.
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"


def _where(error: Any) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(body)"


def _describe(exc: BaseException) -> str:
    """openapi-core's error plus the jsonschema reasons it wraps, one per line."""
    lines = [f"{type(exc).__name__}: {_short(exc)}"]
    cause = exc.__cause__
    while cause is not None:
        lines.append(f"  caused by {type(cause).__name__}: {_short(cause)}")
        for error in getattr(cause, "schema_errors", ()) or ():
            lines.append(f"    at {_where(error)}: {_short(error.message)}")
            # A oneOf failure says only "not valid under any"; say why for each branch.
            for sub in error.context or ():
                branch = sub.schema_path[0] if sub.schema_path else "?"
                lines.append(f"      branch {branch}: at {_where(sub)}: {_short(sub.message)}")
        cause = cause.__cause__
    return "\n".join(lines)


def validate_exchange(request: Request, response: Response) -> None:
    """Raise ContractViolation unless `response` is what openapi.yaml allows for `request`.

    - A documented operation: status, headers and body are validated by openapi-core.
    - A deliberately broken answer (an `empty`/`malformed` fault: X-Mockvoso-Fault and a
      body that is not JSON): status and headers only; the spec says such bodies exist.
    - A path or method the contract does not have (a typo'd route, DELETE on /v1): it
      must be a 404/405 with the JSON error envelope ({"error": …} under /_mockvoso),
      which is all the contract promises.
    """
    if request.method in AUTOMATIC_METHODS:
        return
    body = response.get_data()  # buffers a streamed body so the test can still read it
    key = _exchange_key(request, response, body)
    if key in _VALID:
        return
    oa_request = _SentRequest(request)
    oa_response = WerkzeugOpenAPIResponse(response)
    # One at a time: openapi-core's caches are plain dicts and OrderedDicts, not made for
    # the threads some tests run (it is CPU work under the GIL anyway).
    with _OPENAPI_LOCK:
        if FAULT_HEADER in response.headers and not _is_json(body):
            errors = list(_headers_validator().iter_errors(oa_request, oa_response))
        else:
            errors = list(openapi().iter_response_errors(oa_request, oa_response))
    if errors and isinstance(errors[0], PathError):
        _validate_unrouted(request, response, body)
        return
    if errors:
        details = "\n".join(_describe(error) for error in errors)
        raise ContractViolation(
            f"{request.method} {request.full_path.rstrip('?')} answered {response.status_code}"
            f" ({response.mimetype}), which openapi.yaml does not allow:\n{details}\n"
            f"body: {body[:800]!r}"
        )
    with _VALID_LOCK:
        if len(_VALID) >= _VALID_MAX:
            _VALID.clear()
        _VALID.add(key)


def _exchange_key(request: Request, response: Response, body: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for part in (request.method, request.path, str(response.status_code)):
        digest.update(part.encode() + b"\0")
    for name, value in response.headers.items():
        digest.update(f"{name}:{value}\0".encode())
    digest.update(body)
    return digest.digest()


def _validate_unrouted(request: Request, response: Response, body: bytes) -> None:
    problems = []
    if response.status_code not in UNROUTED_STATUSES:
        problems.append(f"status {response.status_code}, expected 404 or 405")
    if response.mimetype != "application/json":
        problems.append(f"content type {response.mimetype}")
    elif not _is_json(body):
        problems.append("a body that is not JSON")
    else:
        validator = _envelope_validator(request.path)
        problems.extend(e.message for e in validator.iter_errors(json.loads(body)))
    if problems:
        raise ContractViolation(
            f"{request.method} {request.path} is no operation of openapi.yaml and its answer"
            f" is not the 404/405 envelope: {'; '.join(problems)}; body: {body[:300]!r}"
        )


def check_response(response: Any) -> Any:
    """Validate a test-client response (once, however often it is passed here)."""
    if not getattr(response, _CHECKED, False):
        validate_exchange(response.request, response)
        setattr(response, _CHECKED, True)
    return response


# The import name create_app gives every mockvoso app; other Flask apps a test may build
# (a stand-in behind MOCKVOSO_APP, say) are not bound by this contract.
MOCKVOSO_APP_NAME = "mockvoso"


class ValidatingClient(FlaskClient):
    """A Flask test client whose every response from a mockvoso app is checked."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        if self.application.import_name == MOCKVOSO_APP_NAME:
            check_response(response)
        return response


def install_validation(app: Flask) -> Flask:
    """Make app.test_client() validate every response; returns the app."""
    app.test_client_class = ValidatingClient
    return app


def validate_every_test_client() -> None:
    """Make every Flask app of this process hand out validating test clients.

    The suite's conftest calls this once, so a test that builds its own app with
    create_app() is validated too, without having to remember to ask.
    """
    Flask.test_client_class = ValidatingClient
