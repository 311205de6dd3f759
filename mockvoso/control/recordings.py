"""GET /recordings/<office>/<file>: every recording's link resolves on the mock itself."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app

from mockvoso.audio import wav_bytes
from mockvoso.errors import ControlError

recording_routes = Blueprint("recordings", __name__)

# Seeded file names: convoso_<phone>_<recording id>_<epoch>-all.wav (as Convoso names them).
_FILE = re.compile(r"^convoso_[0-9]+_([0-9]{1,18})_[0-9]+-all\.wav$")


@recording_routes.get("/recordings/<office>/<filename>")
def recording_file(office: str, filename: str) -> Any:
    """The recording as audio/wav. No token: like Convoso's public recording links, the
    unguessable file name is the key (a client downloads what the API pointed it to)."""
    store = current_app.extensions["mockvoso"].world.office(office)
    match = _FILE.match(filename)
    if store is None or match is None:
        raise ControlError(404, f"no such recording: {office}/{filename}")
    with store.lock:
        rec = store.state.recordings.get(int(match.group(1)))
        found = rec is not None and rec["url"] == filename
        seconds = rec["seconds"] if rec is not None else None
    if not found:
        raise ControlError(404, f"no such recording: {office}/{filename}")
    response = Response(wav_bytes(int(match.group(1)), seconds), mimetype="audio/wav")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
