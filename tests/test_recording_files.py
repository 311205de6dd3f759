"""Playable recordings: every recording link resolves on the mock to a valid, stable WAV."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest

from conftest import WHOLE_LOG, Api
from mockvoso.audio import MAX_SECONDS, RATE, wav_bytes


def _read_wav(data: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(data)) as wav:
        frames = wav.getnframes()
        return wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), frames / RATE


def _logged_recordings(api: Api) -> list[dict[str, Any]]:
    rows = api.ok("log/retrieve", {**WHOLE_LOG, "include_recordings": 1, "limit": 500})
    return [rec for row in rows["data"]["results"] for rec in row.get("recording", [])]


def test_a_log_recording_link_downloads_a_wav_of_the_recordings_length(api: Api) -> None:
    recs = _logged_recordings(api)
    assert recs
    rec = recs[0]
    assert rec["src"] == rec["public_url"]
    assert rec["src"] == f"http://localhost/recordings/acme/{rec['filename']}"
    response = api.http.get(rec["src"])
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    stored = api.app.extensions["mockvoso"].world.office("ACME").state.recordings
    seconds = stored[int(rec["recording_id"])]["seconds"]
    channels, width, rate, length = _read_wav(response.data)
    assert (channels, width, rate) == (1, 1, 8000)
    assert length == max(1, min(seconds or 1, MAX_SECONDS))
    assert api.http.get(rec["src"]).data == response.data  # the same bytes every time


def test_a_users_recordings_file_name_resolves_under_its_office(api: Api, acme) -> None:
    email = acme.users[0]["email"]
    entry = api.ok("users/recordings", {"user": email, **WHOLE_LOG})["data"]["entries"][0]
    response = api.http.get(f"/recordings/acme/{entry['url']}")
    assert response.status_code == 200
    assert _read_wav(response.data)[3] == max(1, min(entry["seconds"] or 1, MAX_SECONDS))


def test_public_url_setting_sets_the_links_base(make_api) -> None:
    api = make_api(public_url="https://mock.example:9000")
    rec = _logged_recordings(api)[0]
    assert rec["src"].startswith("https://mock.example:9000/recordings/acme/")


@pytest.mark.parametrize(
    "path",
    [
        "/recordings/acme/nope.wav",
        "/recordings/nope/convoso_1_2_3-all.wav",
        "/recordings/acme/convoso_1_999999999_3-all.wav",
    ],
)
def test_unknown_recordings_are_404(api: Api, path: str) -> None:
    response = api.http.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"].startswith("no such recording")


def test_a_path_with_slashes_never_reaches_a_file() -> None:
    """No filesystem behind the route: an encoded traversal is no route at all."""
    from mockvoso.app import create_app

    client = create_app({"leads": 0}).test_client()
    response = client.get("/recordings/acme/..%2F..%2Fetc%2Fpasswd")
    assert response.status_code == 404 and response.mimetype == "application/json"


def test_another_offices_recording_is_not_served(api: Api, bravo_api: Api) -> None:
    rec = _logged_recordings(api)[0]
    assert api.http.get(f"/recordings/bravo/{rec['filename']}").status_code == 404


def test_different_recordings_sound_different_and_length_is_bounded() -> None:
    assert wav_bytes(1, 2) != wav_bytes(2, 2)
    assert wav_bytes(1, 2) == wav_bytes(1, 2)
    assert _read_wav(wav_bytes(3, None))[3] == 1
    assert _read_wav(wav_bytes(3, 10**6))[3] == MAX_SECONDS
