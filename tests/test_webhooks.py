"""Convoso Connect receivers: registrations, posts to a real local receiver, retries, faults."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

from conftest import Api, offices_of, validating_app
from mockvoso.webhooks.sink import parse_post


class Receiver:
    """A real HTTP receiver on 127.0.0.1: records every post; can fail or hold on purpose."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.fail_next = 0  # answer 500 to this many posts first
        self.gate: threading.Event | None = None  # when set, posts wait for it
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.arrived.set()
                if receiver.gate is not None:
                    receiver.gate.wait(10)
                receiver.posts.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = 200
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    status = 500
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()
    yield got
    got.close()


class Slept:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)  # nobody waits: backoff and delays are recorded only


@pytest.fixture
def slept() -> Slept:
    return Slept()


@pytest.fixture
def hooked(slept: Slept) -> Api:
    """An app whose retries and delivery delays sleep on a recorder, not for real."""
    app = validating_app({"seed": 1234}, sleep=slept)
    return Api(app, offices_of(app)["ACME"].full_token)


def register(api: Api, **body: Any) -> dict[str, Any]:
    response = api.control("POST", "webhooks", json=body)
    assert response.status_code == 201, response.get_json()
    webhook: dict[str, Any] = response.get_json()["webhook"]
    return webhook


def flush(api: Api) -> None:
    assert api.control("POST", "webhooks/flush").get_json() == {"pending": 0}


def deliveries(api: Api, **query: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = api.control(
        "GET", "webhooks/deliveries", query_string=query
    ).get_json()["deliveries"]
    return result


def insert(api: Api, phone: str = "5305550901", **extra: Any) -> int:
    body = api.ok("leads/insert", {"list_id": 2702, "phone_number": phone, **extra})
    lead_id: int = body["data"]["lead_id"]
    return lead_id


def test_a_lead_insert_arrives_as_a_raw_form_with_mapping_defaults_query_and_headers(
    hooked: Api, receiver: Receiver
) -> None:
    webhook = register(
        hooked,
        url=receiver.url,
        events=["lead.inserted"],
        format="form",
        fields={"phone": "phone_number", "lead": "id", "lead_again": "id", "who": "agent_email"},
        defaults={"who": "nobody@example.com"},
        headers={"X-Shared-Secret": "s3cret"},
        query="api_key=abc",
    )
    lead_id = insert(hooked)
    flush(hooked)
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert post["path"] == "/hook?api_key=abc"
    assert post["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert post["headers"]["X-Shared-Secret"] == "s3cret"
    assert post["headers"]["X-Mockvoso-Event"] == "lead.inserted"
    assert dict(parse_qsl(post["body"].decode())) == {
        "phone": "5305550901",
        "lead": str(lead_id),
        "lead_again": str(lead_id),
        "who": "nobody@example.com",
    }
    [delivery] = deliveries(hooked)
    assert delivery == {
        "id": "d1",
        "webhook": webhook["id"],
        "event": "lead.inserted",
        "attempt": 1,
        "url": f"{receiver.url}?api_key=abc",
        "status": "delivered",
        "response_status": 200,
        "body": post["body"].decode(),
        "sent_at": delivery["sent_at"],
        "error": None,
        "fault": None,
    }
    assert delivery["sent_at"] == hooked.control("GET", "clock").get_json()["now"]


def test_json_without_a_mapping_sends_the_whole_catalogue(hooked: Api, receiver: Receiver) -> None:
    register(hooked, url=receiver.url, format="json")
    lead_id = insert(hooked, first_name="Ada", plan_sold="Gold")
    hooked.ok("leads/update", {"lead_id": lead_id, "status": "SALE"})
    hooked.ok("leads/delete", {"lead_id": lead_id})
    flush(hooked)
    bodies = [json.loads(p["body"]) for p in receiver.posts]
    events = [p["headers"]["X-Mockvoso-Event"] for p in receiver.posts]
    assert events == ["lead.inserted", "lead.updated", "lead.deleted"]
    first = bodies[0]
    assert first["id"] == first["lead_id"] == str(lead_id)
    assert first["first_name"] == "Ada" and first["phone_number"] == "5305550901"
    assert first["list_name"] and first["campaign_name"]  # names of the lead's list/campaign
    assert first["plan_sold"] == "Gold"  # a custom field under its own name
    assert first["custom_field_1"] == "Gold"
    assert bodies[1]["status"] == "SALE" and bodies[2]["status"] == "SALE"
    for key in ("call_log_id", "length_in_sec", "agent_full_name", "inbound_number"):
        assert key in first  # the catalogue's other sections, empty for a lead event


def test_retries_with_backoff_after_a_receivers_500(
    hooked: Api, receiver: Receiver, slept: Slept
) -> None:
    receiver.fail_next = 2
    register(hooked, url=receiver.url, retries=3)
    insert(hooked)
    flush(hooked)
    assert len(receiver.posts) == 3
    [delivery] = deliveries(hooked)
    assert (delivery["status"], delivery["attempt"], delivery["response_status"]) == (
        "delivered",
        3,
        200,
    )
    assert slept.calls == [0.1, 0.2]  # exponential backoff, injected sleep


def test_a_receiver_that_cannot_be_reached_fails_after_its_retries(hooked: Api) -> None:
    register(hooked, url="http://127.0.0.1:9/closed", retries=2, timeout_ms=500)
    insert(hooked)
    flush(hooked)
    [delivery] = deliveries(hooked)
    assert delivery["status"] == "failed" and delivery["attempt"] == 3
    assert delivery["response_status"] is None and "Connection" in delivery["error"]


@pytest.mark.parametrize(
    ("faults", "posts", "labels"),
    [
        ({"drop": 1}, 0, ["drop"]),
        ({"duplicate": 1}, 2, [None, "duplicate"]),
        ({"malformed": 1}, 1, ["malformed"]),
        ({"delay_ms": 250}, 1, ["delay"]),
    ],
)
def test_delivery_faults_apply_and_are_labelled(
    hooked: Api,
    receiver: Receiver,
    slept: Slept,
    faults: dict[str, float],
    posts: int,
    labels: list,
) -> None:
    register(hooked, url=receiver.url, format="json", faults=faults)
    insert(hooked)
    flush(hooked)
    assert len(receiver.posts) == posts
    assert [d["fault"] for d in deliveries(hooked)] == labels
    if "malformed" in faults:
        with pytest.raises(ValueError):
            json.loads(receiver.posts[0]["body"])
    if "delay_ms" in faults:
        assert slept.calls == [0.25]
    if "drop" in faults:
        assert deliveries(hooked)[0]["status"] == "dropped"


def test_order_is_kept_per_receiver(hooked: Api, receiver: Receiver) -> None:
    register(hooked, url=receiver.url, format="form", fields={"p": "phone_number"})
    phones = [f"53055510{i:02d}" for i in range(20)]
    for phone in phones:
        insert(hooked, phone)
    flush(hooked)
    assert [dict(parse_qsl(p["body"].decode()))["p"] for p in receiver.posts] == phones


def test_events_and_offices_filter_what_a_receiver_gets(hooked: Api, receiver: Receiver) -> None:
    register(hooked, url=receiver.url, events=["lead.deleted"], fields={"id": "id"})
    register(hooked, url=receiver.url, office="BRAVO", fields={"bravo": "id"})
    lead_id = insert(hooked)
    hooked.ok("leads/update", {"lead_id": lead_id, "first_name": "X"})
    hooked.ok("leads/delete", {"lead_id": lead_id})
    flush(hooked)
    assert [json.loads(p["body"]) for p in receiver.posts] == [{"id": str(lead_id)}]


def test_a_slow_receiver_never_blocks_an_api_write(hooked: Api, receiver: Receiver) -> None:
    receiver.gate = threading.Event()
    register(hooked, url=receiver.url)
    insert(hooked, "5305550911")
    assert receiver.arrived.wait(5)  # the first post is being held by the receiver
    insert(hooked, "5305550912")  # answered while the receiver still holds the first
    statuses = [d["status"] for d in deliveries(hooked)]
    assert statuses == ["pending", "pending"]
    receiver.gate.set()
    flush(hooked)
    assert [d["status"] for d in deliveries(hooked)] == ["delivered", "delivered"]


def test_list_delete_and_reset(hooked: Api, receiver: Receiver) -> None:
    first = register(hooked, url=receiver.url)
    second = register(hooked, url=receiver.url, format="form")
    listed = hooked.control("GET", "webhooks").get_json()["webhooks"]
    assert [w["id"] for w in listed] == [first["id"], second["id"]]
    assert listed[1]["faults"] == {"delay_ms": 0, "duplicate": 0, "drop": 0, "malformed": 0}
    assert hooked.control("DELETE", f"webhooks/{first['id']}").get_json() == {
        "deleted": first["id"]
    }
    assert hooked.control("DELETE", f"webhooks/{first['id']}").status_code == 404
    insert(hooked)
    flush(hooked)
    assert len(deliveries(hooked)) == 1
    assert hooked.control("POST", "reset").status_code == 200
    assert hooked.control("GET", "webhooks").get_json() == {"webhooks": []}
    assert deliveries(hooked) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "mailto:x@y.z"}, "url"),
        ({"url": "http://h/", "format": "xml"}, "format"),
        ({"url": "http://h/", "events": []}, "events"),
        ({"url": "http://h/", "fields": {"a": 1}}, "fields.a"),
        ({"url": "http://h/", "headers": {"X-A": "b\r\nEvil: 1"}}, "headers.X-A"),
        ({"url": "http://h/", "retries": 11}, "retries"),
        ({"url": "http://h/", "faults": {"explode": 1}}, "faults.explode"),
        ({"url": "http://h/", "colour": "red"}, "colour"),
    ],
)
def test_bad_registrations_name_the_field(hooked: Api, body: dict[str, Any], field: str) -> None:
    response = hooked.control("POST", "webhooks", json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert hooked.control("GET", "webhooks").get_json() == {"webhooks": []}


def test_the_sink_receives_what_a_receiver_posts(hooked: Api) -> None:
    http = hooked.http
    assert http.post("/convoso-webhook", json={"lead_id": "7"}).get_json() == {
        "received": True,
        "id": "r1",
    }
    http.post(
        "/convoso-webhook?api_key=k",
        data="lead_id=8&status=SALE",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Shared-Secret": "s"},
    )
    got = hooked.control("GET", "webhooks/received").get_json()["received"]
    assert [(g["parsed_as"], g["fields"]) for g in got] == [
        ("json", {"lead_id": "7"}),
        ("form", {"api_key": "k", "lead_id": "8", "status": "SALE"}),
    ]
    assert got[1]["headers"]["X-Shared-Secret"] == "***"


@pytest.mark.parametrize(
    ("content_type", "body", "kind", "fields"),
    [
        ("application/json", b'{"a": "1"}', "json", {"a": "1"}),
        ("application/x-www-form-urlencoded", b"a=1&b=2", "form", {"a": "1", "b": "2"}),
        ("application/x-www-form-urlencoded", b'{"a": "1"}', "json-as-form", {"a": "1"}),
        (
            "application/x-www-form-urlencoded",
            b"params=a%3D1%26b%3D2&c=3",
            "form-params-form",
            {"a": "1", "b": "2", "c": "3"},
        ),
        (
            "application/x-www-form-urlencoded",
            b"params=%7B%22a%22%3A%221%22%7D",
            "form-params-json",
            {"a": "1"},
        ),
        ("text/plain", b"", "empty", {}),
        ("application/json", b"{broken", "unreadable", {}),
    ],
)
def test_the_sink_reads_every_shape_real_receivers_see(
    content_type: str, body: bytes, kind: str, fields: dict[str, str]
) -> None:
    assert parse_post(content_type, body, "") == (kind, fields)


def test_a_callback_fires_callback_due_when_the_clock_passes_it(
    hooked: Api, receiver: Receiver
) -> None:
    register(
        hooked,
        url=receiver.url,
        events=["callback.due"],
        fields={
            "cb": "callback_id",
            "when": "callback_time",
            "lead": "id",
            "phone": "phone_number",
        },
    )
    hooked.control("POST", "clock", json={"freeze": True})
    lead_id = insert(hooked, "5305550931")
    body = hooked.ok(
        "callbacks/insert",
        {
            "lead_id": lead_id,
            "recipient": "personal",
            "user_id": 1000002,
            "callback_time_zone": "America/Los_Angeles",
            "callback_time": "2025-12-31 18:30:00",  # 2.5 h after the anchor, office time
        },
    )
    callback_id = body["data"]["callback_id"]
    stage = hooked.ok("callbacks/search", {"id": callback_id})["data"]["results"][0]["stage"]
    hooked.control("POST", "clock", json={"advance": 3600})
    flush(hooked)
    assert receiver.posts == []  # not due yet
    hooked.control("POST", "clock", json={"advance": 7200})
    flush(hooked)
    assert [json.loads(p["body"]) for p in receiver.posts] == [
        {
            "cb": str(callback_id),
            "when": "2025-12-31 18:30:00",
            "lead": str(lead_id),
            "phone": "5305550931",
        }
    ]
    after = hooked.ok("callbacks/search", {"id": callback_id})["data"]["results"][0]["stage"]
    assert (stage, after) == ("Pending", "Past Due")
    hooked.control("POST", "clock", json={"advance": 7200})
    flush(hooked)
    assert len(receiver.posts) == 1  # fired once, when its time was passed


def test_receivers_from_the_config_file_are_registered_at_start_and_kept_by_reset(
    tmp_path, receiver: Receiver
) -> None:
    from mockvoso.config import load_settings
    from mockvoso.serving.validate import validate_settings

    config = tmp_path / "mockvoso.yaml"
    config.write_text(
        "webhooks:\n"
        f"  - url: {receiver.url}\n"
        "    events: [lead.inserted]\n"
        "    format: form\n"
        "    fields: {phone: phone_number}\n"
    )
    settings = load_settings({"leads": 20, "seed": 1234}, config_file=str(config))
    validate_settings(settings)
    app = validating_app({"webhooks": settings.webhooks, "seed": 1234}, sleep=lambda seconds: None)
    api = Api(app, offices_of(app)["ACME"].full_token)
    [webhook] = api.control("GET", "webhooks").get_json()["webhooks"]
    assert (webhook["startup"], webhook["format"], webhook["events"]) == (
        True,
        "form",
        ["lead.inserted"],
    )
    api.control("POST", "reset")
    assert [w["id"] for w in api.control("GET", "webhooks").get_json()["webhooks"]] == [
        webhook["id"]
    ]
    insert(api, "5305550941")
    flush(api)
    assert [p["body"] for p in receiver.posts] == [b"phone=5305550941"]


def test_a_bad_receiver_in_the_config_file_is_refused_at_start(tmp_path) -> None:
    from mockvoso.config import load_settings
    from mockvoso.serving.validate import validate_settings

    config = tmp_path / "mockvoso.yaml"
    config.write_text("webhooks:\n  - url: ftp://nowhere\n")
    with pytest.raises(ValueError, match=r"^webhooks\[0\]\.url: expected an http"):
        validate_settings(load_settings({}, config_file=str(config)))
    config.write_text("webhooks: {url: http://x}\n")
    with pytest.raises(ValueError, match="webhooks: must be a list of receiver objects"):
        load_settings({}, config_file=str(config))
