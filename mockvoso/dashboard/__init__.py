"""The browser dashboard at /_mockvoso/ui: one page, its vendored assets, and `/` for browsers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from mockvoso import __version__
from mockvoso.dashboard.data import RESOURCES, data_routes
from mockvoso.errors import DOMAIN_ERRORS
from mockvoso.faults.rules import TERMINAL_FAULTS
from mockvoso.webhooks.payload import CATALOGUE
from mockvoso.webhooks.receivers import EVENTS, FORMATS

STATIC = Path(__file__).resolve().parent / "static"
# Every file the page loads, with its type: an explicit list (openapi.yaml names them),
# nothing fetched from elsewhere, so the page works offline.
ASSETS: dict[str, str] = {
    "dashboard.js": "text/javascript",
    "dashboard.css": "text/css",
    "uPlot.iife.min.js": "text/javascript",
    "uPlot.min.css": "text/css",
}
ASSET_MAX_AGE = 3600
# The page talks only to its own origin; a field echoing `<script>` cannot run either.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)

dashboard = Blueprint("dashboard", __name__, template_folder="templates")


def _actions() -> list[str]:
    from mockvoso.actions import action_table

    return sorted(action_table())


@dashboard.get("/_mockvoso/ui")
def page() -> Response:
    html = render_template(
        "dashboard.html",
        version=__version__,
        actions=_actions(),
        resources=list(RESOURCES),
        faults=TERMINAL_FAULTS,
        domain_errors=sorted(DOMAIN_ERRORS.items()),
        webhook_events=EVENTS,
        webhook_formats=FORMATS,
        webhook_catalogue=CATALOGUE,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@dashboard.get("/_mockvoso/ui/static/<asset>")
def asset(asset: str) -> Response:
    mimetype = ASSETS.get(asset)
    if mimetype is None:
        abort(404)  # the app's handler answers the JSON envelope
    response = send_from_directory(STATIC, asset, mimetype=mimetype, max_age=ASSET_MAX_AGE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@dashboard.get("/")
def root() -> Any:
    """Browsers go to the dashboard; an API client keeps the JSON 404 it always got."""
    accept = request.accept_mimetypes
    # A browser sends text/html first and */* at a lower quality; curl's */* ties: no redirect.
    if accept["text/html"] > accept["application/json"]:
        return redirect(url_for("dashboard.page"), 302)
    abort(404)


def register_dashboard(app: Flask) -> None:
    """Add the page, its assets, the `/` redirect and the data routes to an app."""
    app.register_blueprint(dashboard)
    app.register_blueprint(data_routes)
