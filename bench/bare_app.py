"""The stack's own limit: a bare Flask app answering a dict lookup with a one-lead JSON body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask import Flask, Response, jsonify, request

SPEC = Path(__file__).with_name("prism.yaml")
HEALTH = {"status": "ok", "app": "bench.bare_app"}  # tells the bench which app answered


def one_hit_body() -> dict[str, Any]:
    """The one-hit leads/search document that Prism serves too (bench/prism.yaml)."""
    spec = yaml.safe_load(SPEC.read_text())
    operation = spec["paths"]["/v1/leads/search"]["post"]
    example: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"][
        "example"
    ]
    return example


def make_app() -> Flask:
    """Flask with a phone → document dict; no auth, parsing schema or store behind it."""
    app = Flask(__name__)
    body = one_hit_body()
    by_phone = {lead["phone_number"]: body for lead in body["data"]["entries"]}
    empty = {"success": True, "data": {"offset": 0, "limit": 10, "total": "0", "entries": []}}

    @app.route("/v1/leads/search", methods=["GET", "POST"])
    def leads_search() -> Response:
        return jsonify(by_phone.get(request.values.get("phone_number", ""), empty))

    @app.get("/_mockvoso/health")  # `mockvoso serve` polls this before it reports ready
    def health() -> Response:
        return jsonify(HEALTH)

    return app


def create_app(settings: Any = None) -> Flask:
    """`MOCKVOSO_APP=bench.bare_app:create_app mockvoso serve`: the same server, this app."""
    return make_app()
