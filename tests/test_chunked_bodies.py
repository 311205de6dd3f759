"""Over-limit bodies sent chunked (no Content-Length) answer 413 and store nothing, on both servers."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import live
import pytest

from conftest import TEST_SETTINGS
from mockvoso.app import create_app
from mockvoso.serving.server import ThreadedServer

TOKEN = "acmefull499bf56dd125ac3f46bb39e0"  # seed_data/ACME.yaml's full token
LIST_ID = "2701"  # an ACME list in the bundled seed
LIMIT = 1024 * 1024  # the default --max-body-bytes
TOO_LARGE = {"success": False, "code": 413, "text": f"Request body too large (limit {LIMIT} bytes)"}
MIB = 1024 * 1024
TIMEOUT = 30.0


@pytest.fixture(scope="module", params=["granian", "waitress"])
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The real app behind each server `mockvoso serve` offers."""
    if request.param == "granian":
        proc = live.spawn(["--server", "granian", "--port", "0", "--leads", "5", "--threads", "4"])
        try:
            yield live.wait_ready(proc)
        finally:
            code, _, err = live.stop(proc)
        assert code == 0, err
    else:
        app = create_app({**TEST_SETTINGS, "leads": 5})
        with ThreadedServer(app, threads=4) as server:
            yield server.url


def send_chunked(url: str, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
    """POST body with Transfer-Encoding: chunked over a raw socket; return status and JSON.

    The body is written from a second thread while this one reads: a server may answer
    before it has read everything, and must then still be heard.
    """
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())

        def write() -> None:
            try:
                for start in range(0, len(body), 65536):
                    chunk = body[start : start + 65536]
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server stopped reading: its answer is what counts

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        writer.join(TIMEOUT)
    head_bytes, _, payload = data.partition(b"\r\n\r\n")
    status = int(head_bytes.split(b" ", 2)[1])
    headers = dict(
        line.decode().lower().split(": ", 1) for line in head_bytes.split(b"\r\n")[1:] if line
    )
    if headers.get("transfer-encoding") == "chunked":
        payload = dechunk(payload)
    return status, json.loads(payload)


def dechunk(payload: bytes) -> bytes:
    out = b""
    while True:
        size_line, _, rest = payload.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return out
        out += rest[:size]
        payload = rest[size + 2 :]


def search_phone(url: str, phone: str) -> dict:
    status, body = send_chunked(
        url,
        "/v1/leads/search",
        urlencode({"auth_token": TOKEN, "phone_number": phone}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 200, body
    return body


def fresh_phone() -> str:
    return "530555" + str(uuid.uuid4().int % 10000).zfill(4)


def form_body(fields: dict[str, str]) -> tuple[bytes, str]:
    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


def json_body(fields: dict[str, str]) -> tuple[bytes, str]:
    return json.dumps(fields).encode(), "application/json"


def multipart_body(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "mockvoso" + uuid.uuid4().hex
    out = b""
    for key, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


ENCODINGS = {"form": form_body, "json": json_body, "multipart": multipart_body}


@pytest.mark.parametrize("mib", [2, 8])
@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_over_limit_chunked_insert_is_refused_and_stores_nothing(
    server_url: str, encoding: str, mib: int
) -> None:
    phone = fresh_phone()
    body, content_type = ENCODINGS[encoding](
        {
            "auth_token": TOKEN,
            "list_id": LIST_ID,
            "phone_number": phone,
            "plan_sold": "x" * (mib * MIB),
        }
    )
    assert len(body) > LIMIT
    assert send_chunked(server_url, "/v1/leads/insert", body, content_type) == (413, TOO_LARGE)
    assert search_phone(server_url, phone)["data"]["total"] == "0"


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_under_limit_chunked_insert_is_stored_whole(server_url: str, encoding: str) -> None:
    phone = fresh_phone()
    # Near the limit, with room for the other fields; a multipart field is also held to
    # Flask's max_form_memory_size (500 kB), whatever the body limit.
    value = "y" * (256 * 1024 if encoding == "multipart" else LIMIT - 4096)
    body, content_type = ENCODINGS[encoding](
        {"auth_token": TOKEN, "list_id": LIST_ID, "phone_number": phone, "plan_sold": value}
    )
    assert len(body) <= LIMIT
    status, answer = send_chunked(server_url, "/v1/leads/insert", body, content_type)
    assert status == 200 and answer["success"] is True, answer
    found = search_phone(server_url, phone)["data"]
    assert found["total"] == "1"
    assert found["entries"][0]["id"] == str(answer["data"]["lead_id"])
    assert found["entries"][0]["plan_sold"] == value
