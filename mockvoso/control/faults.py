"""Control-plane routes for fault rules and the rate limit."""

from __future__ import annotations

from typing import Any

from flask import request

from mockvoso.control.body import json_body
from mockvoso.control.routes import control, mock
from mockvoso.errors import ControlError
from mockvoso.faults import RuleError


def _rule_error(exc: RuleError) -> ControlError:
    return ControlError(400, str(exc), field=exc.field)


@control.get("/faults")
def faults_list() -> Any:
    return {"faults": mock().faults.list()}


@control.post("/faults")
def faults_add() -> Any:
    try:
        rule = mock().faults.add(json_body(request, required=True))
    except RuleError as exc:
        raise _rule_error(exc) from None
    return {"fault": rule}, 201


@control.delete("/faults")
def faults_clear() -> Any:
    mock().faults.clear()
    return {"faults": []}


@control.delete("/faults/<rule_id>")
def faults_remove(rule_id: str) -> Any:
    if not mock().faults.remove(rule_id):
        raise ControlError(404, f"no such fault rule: {rule_id}", field="id")
    return {"deleted": rule_id}


@control.get("/rate-limit")
def rate_limit_get() -> Any:
    return {"rate_limit": mock().limiter.get()}


@control.put("/rate-limit")
def rate_limit_set() -> Any:
    try:
        limit = mock().limiter.set(json_body(request, required=True))
    except RuleError as exc:
        raise _rule_error(exc) from None
    return {"rate_limit": limit}


@control.delete("/rate-limit")
def rate_limit_clear() -> Any:
    mock().limiter.clear()
    return {"rate_limit": None}
