"""GET /openapi.yaml, /openapi.json and /docs: the contract and Swagger UI, served offline."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, request, send_from_directory
from markupsafe import escape

from mockvoso.spec import spec_bytes, spec_json

spec_routes = Blueprint("spec", __name__)

# The Swagger UI files /docs uses, with the type each is answered with. An explicit
# type, not mimetypes' guess: that reads /etc/mime.types and differs between machines,
# and openapi.yaml promises these exact types.
DOCS_ASSETS: dict[str, str] = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
# Browsers may keep the assets an hour; they change only with the flask-swagger-ui package.
ASSET_MAX_AGE = 3600

# Swagger UI 5 renders OpenAPI 3.1. validatorUrl null: by default the page would send the
# document to validator.swagger.io, which is neither offline nor private.
_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>mockvoso — Convoso API</title>
  <link rel="stylesheet" href="{root}/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="{root}/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="{root}/docs/favicon-16x16.png" sizes="16x16">
  <style>body {{ margin: 0; }}</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{root}/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({{
      url: {spec_url},
      dom_id: "#swagger-ui",
      deepLinking: true,
      persistAuthorization: true,
      tryItOutEnabled: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout"
    }});
  </script>
</body>
</html>
"""


@cache
def swagger_ui_dist() -> Path:
    """The folder of Swagger UI's static files inside the flask-swagger-ui package."""
    return Path(str(resources.files("flask_swagger_ui").joinpath("dist")))


@spec_routes.get("/openapi.yaml")
def openapi_yaml() -> Response:
    return Response(spec_bytes(), mimetype="application/yaml")


@spec_routes.get("/openapi.json")
def openapi_json() -> Response:
    return Response(spec_json(), mimetype="application/json")


@spec_routes.get("/docs")
def docs_page() -> Response:
    # Absolute links under the app's mount point, so /docs works behind a path prefix.
    root = request.script_root
    page = _PAGE.format(
        root=escape(root), spec_url=json.dumps(f"{root}/openapi.json").replace("</", "<\\/")
    )
    return Response(page, mimetype="text/html")


@spec_routes.get("/docs/<asset>")
def docs_asset(asset: str) -> Response:
    mimetype = DOCS_ASSETS.get(asset)
    if mimetype is None:
        abort(404)  # the app's handler answers the JSON envelope
    return send_from_directory(swagger_ui_dist(), asset, mimetype=mimetype, max_age=ASSET_MAX_AGE)


def register_spec_routes(app: Flask) -> None:
    """Add the contract and the API page to an app."""
    app.register_blueprint(spec_routes)
