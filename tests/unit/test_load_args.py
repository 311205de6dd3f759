"""load_args keeps marshmallow's meaning: required, load_default and validators all apply."""

from __future__ import annotations

import pytest
from marshmallow import fields, validate

from mockvoso.errors import ConvosoError, HTTPError
from mockvoso.schemas.common import ArgsSchema, load_args
from mockvoso.schemas.fields import WholeNumber


class _Args(ArgsSchema):
    needed = WholeNumber(required=True)
    mode = fields.String(load_default="fast")
    size = WholeNumber(validate=validate.Range(max=10))
    limit = WholeNumber()


def test_a_missing_required_field_is_an_error_even_when_nothing_else_is_sent():
    with pytest.raises(HTTPError) as caught:
        load_args(_Args(), {})
    assert caught.value.http_status == 400
    assert caught.value.text == "Invalid parameter needed: Missing data for required field."


def test_load_default_fills_a_field_the_request_did_not_send():
    assert load_args(_Args(), {"needed": "3"}) == {"needed": 3, "mode": "fast"}


def test_a_sent_value_wins_over_the_default_and_validators_run():
    assert load_args(_Args(), {"needed": "1", "mode": "slow"}) == {"needed": 1, "mode": "slow"}
    with pytest.raises(HTTPError) as caught:
        load_args(_Args(), {"needed": "1", "size": "11"})
    assert caught.value.text == "Invalid parameter size: Must be less than or equal to 10."


def test_auth_parameters_never_reach_the_schema():
    loaded = load_args(_Args(), {"needed": "2", "auth_token": "t", "officeAcronym": "ACME"})
    assert loaded == {"needed": 2, "mode": "fast"}


def test_a_bad_limit_is_convoso_7230_not_an_http_400():
    with pytest.raises(ConvosoError) as caught:
        load_args(_Args(), {"needed": "2", "limit": "-1"})
    assert caught.value.code == 7230
