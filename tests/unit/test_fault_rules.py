"""Unit tests of fault rule validation, matching and the X-Mockvoso-Fault header parser."""

from __future__ import annotations

import pytest

from mockvoso.faults.rules import (
    DEFAULT_HANG_MS,
    MAX_HANG_MS,
    MAX_LATENCY_MS,
    FaultRule,
    RuleError,
    normalise_endpoint,
    parse_fault_header,
    parse_rule,
)

KNOWN = frozenset({"leads/search", "leads/insert", "lists/search"})


def rule(data: object, **kwargs: object) -> FaultRule:
    return parse_rule(data, rule_id="f1", **kwargs)  # type: ignore[arg-type]


# --- the model ---------------------------------------------------------------------------


def test_minimal_rule_gets_defaults_and_to_dict_lists_every_field() -> None:
    parsed = rule({"latency_ms": 250})
    assert parsed == FaultRule(id="f1", latency_ms=250)
    assert parsed.to_dict() == {
        "id": "f1",
        "endpoint": "*",
        "method": None,
        "office": None,
        "probability": 1.0,
        "times": None,
        "remaining": None,
        "latency_ms": 250,
        "jitter_ms": 0,
        "status": None,
        "error_code": None,
        "fault": None,
        "hang_ms": None,
        "source": "runtime",
    }


def test_full_rule_is_normalised_and_to_dict_takes_remaining() -> None:
    parsed = rule(
        {
            "endpoint": "/v1/leads/search",
            "method": "post",
            "office": "ACME",
            "probability": 0.25,
            "times": 3,
            "latency_ms": 10,
            "jitter_ms": 5,
            "status": 503,
        },
        source="startup",
    )
    assert parsed.endpoint == "leads/search"
    assert parsed.method == "POST"
    assert parsed.office == "ACME"
    assert parsed.probability == 0.25
    assert parsed.source == "startup"
    assert parsed.to_dict(remaining=2)["remaining"] == 2
    assert parsed.to_dict()["remaining"] == 3
    assert parsed.to_dict()["times"] == 3


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/v1/leads/search", "leads/search"),
        ("v1/leads/search", "leads/search"),
        ("leads/search", "leads/search"),
        ("/leads/search/", "leads/search"),
        (" Leads/Search ", "leads/search"),
        ("*", "*"),
    ],
)
def test_endpoint_forms_are_normalised(given: str, expected: str) -> None:
    assert normalise_endpoint(given) == expected
    assert rule({"endpoint": given, "latency_ms": 1}).endpoint == expected


def test_endpoint_checked_against_known_endpoints_when_given() -> None:
    assert rule(
        {"endpoint": "/v1/lists/search", "status": 500}, known_endpoints=KNOWN
    ).endpoint == ("lists/search")
    assert rule({"endpoint": "*", "status": 500}, known_endpoints=KNOWN).endpoint == "*"
    with pytest.raises(RuleError) as info:
        rule({"endpoint": "leads/nope", "status": 500}, known_endpoints=KNOWN)
    assert info.value.field == "endpoint"
    assert "unknown endpoint 'leads/nope'" in str(info.value)
    # Without a known list any word/word form is fine.
    assert rule({"endpoint": "leads/nope", "status": 500}).endpoint == "leads/nope"


def test_method_and_office_accept_star_as_any() -> None:
    parsed = rule({"method": "*", "office": "*", "latency_ms": 1})
    assert parsed.method is None
    assert parsed.office is None


def test_null_values_mean_not_supplied() -> None:
    parsed = rule({"method": None, "office": None, "times": None, "status": None, "latency_ms": 7})
    assert parsed == FaultRule(id="f1", latency_ms=7)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"status": 500}, True),
        ({"error_code": 6001}, True),
        ({"fault": "drop"}, True),
        ({"latency_ms": 5}, False),
    ],
)
def test_terminal_property(data: dict, expected: bool) -> None:
    assert rule(data).terminal is expected


def test_hang_gets_default_and_accepts_explicit_hang_ms() -> None:
    assert rule({"fault": "hang"}).hang_ms == DEFAULT_HANG_MS == 30_000
    assert rule({"fault": "hang", "hang_ms": 500}).hang_ms == 500
    assert rule({"fault": "hang", "hang_ms": MAX_HANG_MS}).hang_ms == 120_000
    assert rule({"fault": "drop"}).hang_ms is None


def test_fault_name_is_case_insensitive() -> None:
    assert rule({"fault": "Malformed"}).fault == "malformed"


def test_jitter_alone_is_an_effect() -> None:
    assert rule({"jitter_ms": 40}).jitter_ms == 40


def test_probability_accepts_ints_and_stores_float() -> None:
    assert rule({"probability": 0, "status": 500}).probability == 0.0
    assert rule({"probability": 1, "status": 500}).probability == 1.0


# --- validation: every error names its field -----------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ([], "body", "must be a JSON object, got an array"),
        ("latency_ms=5", "body", "must be a JSON object, got a string"),
        (None, "body", "must be a JSON object, got null"),
        ({"latency_ms": 5, "colour": "red"}, "colour", "unknown field"),
        ({"latency_ms": 5, "a": 1, "b": 2}, "a", "also unknown: b"),
        ({"id": "f9", "latency_ms": 5}, "id", "unknown field"),
        ({"source": "startup", "latency_ms": 5}, "source", "unknown field"),
        ({"remaining": 2, "latency_ms": 5}, "remaining", "unknown field"),
        ({"endpoint": 5, "latency_ms": 5}, "endpoint", "must be a string, got an integer"),
        ({"endpoint": "leads", "latency_ms": 5}, "endpoint", "like 'leads/search'"),
        ({"endpoint": "a/b/c", "latency_ms": 5}, "endpoint", "like 'leads/search'"),
        ({"method": "PUT", "latency_ms": 5}, "method", "must be GET or POST, got 'PUT'"),
        ({"method": 1, "latency_ms": 5}, "method", "must be a string"),
        ({"office": "", "latency_ms": 5}, "office", "non-empty string"),
        ({"office": 3, "latency_ms": 5}, "office", "non-empty string, got an integer"),
        ({"probability": 1.5, "status": 500}, "probability", "between 0 and 1, got 1.5"),
        ({"probability": -0.1, "status": 500}, "probability", "between 0 and 1, got -0.1"),
        ({"probability": "0.5", "status": 500}, "probability", "got a string"),
        ({"probability": True, "status": 500}, "probability", "got a boolean"),
        ({"probability": float("nan"), "status": 500}, "probability", "between 0 and 1"),
        ({"times": 0, "status": 500}, "times", "must be an integer 1.."),
        ({"times": 1.5, "status": 500}, "times", "got a number"),
        ({"times": 2.0, "status": 500}, "times", "got a number"),
        ({"times": True, "status": 500}, "times", "got a boolean"),
        ({"times": "2", "status": 500}, "times", "got a string"),
        ({"latency_ms": -1}, "latency_ms", "got -1"),
        ({"latency_ms": 1.5}, "latency_ms", "got a number"),
        ({"latency_ms": True}, "latency_ms", "got a boolean"),
        ({"latency_ms": MAX_LATENCY_MS + 1}, "latency_ms", "0..600000"),
        ({"jitter_ms": "10"}, "jitter_ms", "got a string"),
        ({"jitter_ms": -5}, "jitter_ms", "got -5"),
        ({"status": 399}, "status", "an HTTP status 400..599, got 399"),
        ({"status": 600}, "status", "got 600"),
        ({"status": 200}, "status", "got 200"),
        ({"status": 500.0}, "status", "got a number"),
        ({"status": "500"}, "status", "got a string"),
        ({"status": True}, "status", "got a boolean"),
        ({"error_code": 1}, "error_code", "unknown Convoso error code 1"),
        ({"error_code": 6001.5}, "error_code", "got a number"),
        ({"error_code": True}, "error_code", "got a boolean"),
        ({"fault": "explode"}, "fault", "one of drop, empty, malformed, hang, got 'explode'"),
        ({"fault": 1}, "fault", "got an integer"),
        ({"status": 500, "error_code": 6001}, "error_code", "conflicts with status"),
        ({"fault": "drop", "status": 500}, "fault", "conflicts with status"),
        ({"error_code": 6001, "fault": "drop"}, "fault", "conflicts with error_code"),
        ({"status": 500, "hang_ms": 100}, "hang_ms", "only allowed with fault=hang"),
        ({"fault": "drop", "hang_ms": 100}, "hang_ms", "only allowed with fault=hang"),
        ({"hang_ms": 100}, "hang_ms", "only allowed with fault=hang"),
        ({"fault": "hang", "hang_ms": MAX_HANG_MS + 1}, "hang_ms", "0..120000"),
        ({"fault": "hang", "hang_ms": 1.5}, "hang_ms", "got a number"),
        ({}, "rule", "has no effect"),
        ({"probability": 0.5, "times": 2}, "rule", "has no effect"),
        ({"latency_ms": 0, "jitter_ms": 0}, "rule", "has no effect"),
    ],
)
def test_validation_error_names_its_field(data: object, field: str, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        rule(data)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert str(info.value) == f"{field}: {info.value.message}"
    assert fragment in str(info.value)


def test_probability_message_is_exact() -> None:
    with pytest.raises(RuleError) as info:
        rule({"probability": 2, "status": 500})
    assert str(info.value) == "probability: must be a number between 0 and 1, got 2"


def test_rule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        rule({})


# --- matching ------------------------------------------------------------------------------


def test_star_rule_matches_everything() -> None:
    parsed = rule({"latency_ms": 1})
    assert parsed.matches("leads/search", "GET", "ACME")
    assert parsed.matches("lists/insert", "POST", None)


def test_endpoint_matching_is_exact_after_normalising() -> None:
    parsed = rule({"endpoint": "leads/search", "latency_ms": 1})
    assert parsed.matches("leads/search", "GET", None)
    assert parsed.matches("/v1/leads/search", "GET", None)
    assert not parsed.matches("leads/insert", "GET", None)
    assert not parsed.matches("leads/searchx", "GET", None)


def test_method_matching_is_case_insensitive() -> None:
    parsed = rule({"method": "get", "latency_ms": 1})
    assert parsed.matches("leads/search", "GET", None)
    assert parsed.matches("leads/search", "get", None)
    assert not parsed.matches("leads/search", "POST", None)


def test_office_matching_is_case_insensitive_and_needs_an_office() -> None:
    parsed = rule({"office": "Acme", "latency_ms": 1})
    assert parsed.matches("leads/search", "GET", "ACME")
    assert parsed.matches("leads/search", "GET", "acme")
    assert not parsed.matches("leads/search", "GET", "OTHER")
    assert not parsed.matches("leads/search", "GET", None)


# --- the per-request header ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        (" , ", {}),
        ("status=503", {"status": 503}),
        ("error=6002", {"error_code": 6002}),
        ("latency=300", {"latency_ms": 300}),
        ("fault=drop", {"fault": "drop"}),
        ("fault=hang", {"fault": "hang", "hang_ms": DEFAULT_HANG_MS}),
        ("fault=HANG, hang=1500", {"fault": "hang", "hang_ms": 1500}),
        ("hang=1500,fault=hang", {"fault": "hang", "hang_ms": 1500}),
        (" Status = 503 , LATENCY=10,", {"status": 503, "latency_ms": 10}),
        ("latency=0", {"latency_ms": 0}),
    ],
)
def test_parse_fault_header(header: str, expected: dict) -> None:
    assert parse_fault_header(header) == expected


@pytest.mark.parametrize(
    ("header", "field", "fragment"),
    [
        ("status=abc", "status", "bad item 'status=abc': value must be a whole number"),
        ("status=200", "status", "bad item 'status=200': must be a status 400..599"),
        ("status=5.5", "status", "whole number"),
        ("latency=-1", "latency", "bad item 'latency=-1': value must be a whole"),
        ("latency=600001", "latency", "0..600000"),
        ("error=1", "error", "bad item 'error=1': unknown Convoso error code 1"),
        ("fault=nope", "fault", "bad item 'fault=nope': must be one of"),
        ("hang=99", "hang", "only allowed with fault=hang"),
        ("fault=drop,hang=99", "hang", "only allowed with fault=hang"),
        ("fault=hang,hang=120001", "hang", "0..120000"),
        ("bogus=1", "bogus", "bad item 'bogus=1': unknown key"),
        ("status", "status", "bad item 'status': expected key=value"),
        ("status=", "status=", "expected key=value"),
        ("=5", "=5", "expected key=value"),
        (
            "status=503,error=6001",
            "error",
            "bad item 'error=6001': conflicts with status",
        ),
        ("fault=drop,status=500", "status", "conflicts with fault"),
        ("status=503,status=500", "status", "bad item 'status=500': given twice"),
    ],
)
def test_parse_fault_header_errors_name_the_item(header: str, field: str, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_fault_header(header)
    assert info.value.field == field
    assert fragment in str(info.value)


def test_header_error_message_is_exact() -> None:
    with pytest.raises(RuleError) as info:
        parse_fault_header("latency=20, status=700")
    assert str(info.value) == "status: bad item 'status=700': must be a status 400..599, got 700"
