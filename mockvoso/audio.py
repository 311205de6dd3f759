"""Playable recordings: a small, valid WAV per recording, deterministic, generated on request."""

from __future__ import annotations

import io
import math
import wave
from functools import lru_cache

RATE = 8000  # telephone quality: 8 kHz, 8-bit mono, 8,000 bytes a second
MAX_SECONDS = 600  # longer recordings are cut: a test pipeline needs a file, not an hour
# Where recording links point, when no request is at hand (a unit test of the store).
DEFAULT_BASE_URL = "http://localhost"


def recording_path(acronym: str, filename: str) -> str:
    return f"/recordings/{acronym.lower()}/{filename}"


def base_url() -> str:
    """--public-url, else the origin of the request being answered: read only when a link
    is built (a per-request hook would cost every request for the few that need it)."""
    from flask import current_app, has_request_context, request  # only inside the app

    if not has_request_context():
        return DEFAULT_BASE_URL
    public: str | None = current_app.extensions["mockvoso"].settings.public_url
    return public or request.host_url


def recording_url(acronym: str, filename: str) -> str:
    """The full URL a recording downloads from (log/retrieve's `src` and `public_url`)."""
    return base_url().rstrip("/") + recording_path(acronym, filename)


@lru_cache(maxsize=64)
def _second(recording_id: int) -> bytes:
    """One second of audio: a tone whose pitch follows the recording id, with a short
    pause, so two recordings never sound alike and the same one always sounds the same."""
    pitch = 300 + (recording_id * 37) % 500
    samples = bytearray(RATE)
    for i in range(RATE):
        level = math.sin(2 * math.pi * pitch * i / RATE) if i < RATE * 0.8 else 0.0
        samples[i] = 128 + int(60 * level)
    return bytes(samples)


def wav_bytes(recording_id: int, seconds: int | None) -> bytes:
    """A WAV file of `seconds` (at least 1, at most MAX_SECONDS) for this recording."""
    length = max(1, min(seconds or 1, MAX_SECONDS))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(RATE)
        wav.writeframes(_second(recording_id) * length)
    return out.getvalue()
