"""Dispatcher: events to receivers through per-receiver queues and workers; the API never waits."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mockvoso.webhooks.payload import encode, lead_catalogue, shape
from mockvoso.webhooks.receivers import Receiver, parse_receiver

MAX_RECEIVERS = 100
MAX_PENDING = 10_000  # deliveries queued over all receivers; past it new ones are dropped
BACKOFF_S = 0.1  # first retry after 0.1 s, then 0.2, 0.4, ...
BODY_SHOWN = 4096  # characters of a body kept in the delivery journal

# (url, body, headers, timeout seconds) -> (HTTP status or None, error or None)
Send = Callable[[str, bytes, dict[str, str], float], tuple[int | None, str | None]]


# Each worker thread keeps its connections open (keep-alive): a new TCP connection per
# delivery costs more CPU than the post itself, and that CPU is taken from the API.
_connections = threading.local()


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> tuple[Any, bool]:
    """(this thread's open connection to the receiver or a new one, whether it is reused)."""
    pool: dict[tuple[str, str, int | None], Any] = getattr(_connections, "pool", None) or {}
    _connections.pool = pool
    key = (scheme, host, port)
    conn = pool.get(key)
    if conn is not None:
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn, True
    conn_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = pool[key] = conn_class(host, port, timeout=timeout)
    return conn, False


def _forget(scheme: str, host: str, port: int | None) -> None:
    conn = getattr(_connections, "pool", {}).pop((scheme, host, port), None)
    if conn is not None:
        conn.close()


def http_send(
    url: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int | None, str | None]:
    """POST body to url; the receiver's status, or the connection error in words."""
    parts = urlsplit(url)
    scheme, host, port = parts.scheme, parts.hostname or "", parts.port
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for _ in range(2):
        conn, reused = _connection(scheme, host, port, timeout)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.will_close:
                _forget(scheme, host, port)
            return response.status, None
        except (OSError, http.client.HTTPException) as exc:
            _forget(scheme, host, port)
            if reused and isinstance(exc, http.client.RemoteDisconnected | BrokenPipeError):
                continue  # the receiver closed an idle kept-alive connection: once more, fresh
            return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return None, "RemoteDisconnected"


@dataclass
class Delivery:
    """One event's post to one receiver; updated as its attempts go."""

    id: str
    webhook: str
    event: str
    url: str
    body: bytes
    headers: dict[str, str]
    attempt: int = 0
    status: str = "pending"  # pending | delivered | failed | dropped
    response_status: int | None = None
    sent_at: str | None = None
    error: str | None = None
    fault: str | None = None
    # What the worker turns into body and headers: the event's record, and whether it is
    # a lead to shape into the catalogue. Done off the request: a write never pays for it.
    record: dict[str, Any] | None = None
    lead_shaped: bool = False

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "webhook": self.webhook,
            "event": self.event,
            "attempt": self.attempt,
            "url": self.url,
            "status": self.status,
            "response_status": self.response_status,
            "body": self.body[:BODY_SHOWN].decode("utf-8", "replace"),
            "sent_at": self.sent_at,
            "error": self.error,
            "fault": self.fault,
        }


@dataclass
class _Worker:
    """A receiver's queue and thread: its deliveries go out one at a time, in order."""

    receiver: Receiver
    rng: random.Random
    queue: deque[Delivery] = field(default_factory=deque)
    wake: threading.Condition = field(default_factory=threading.Condition)
    stopped: bool = False
    thread: threading.Thread | None = None


class Dispatcher:
    """Receivers by id, a bounded delivery journal, and one worker thread per receiver.

    emit() only builds the payload and queues it: an API write never waits for a
    receiver. Retries back off exponentially on connection errors and 5xx. Delivery
    faults (delay, drop, duplicate, malformed) are drawn from a random stream seeded per
    receiver, so the same seed and sequence of events fault the same deliveries.
    """

    def __init__(
        self,
        *,
        now: Callable[[], str],
        sleep: Callable[[float], None] = time.sleep,
        seed: int = 0,
        journal_size: int = 1000,
        send: Send = http_send,
    ) -> None:
        self._now = now
        self._sleep = sleep
        self._seed = seed
        self._send = send
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._workers: dict[str, _Worker] = {}
        self._wanted: frozenset[tuple[str, str]] = frozenset()
        self._journal: deque[Delivery] = deque(maxlen=journal_size)
        self._pending = 0
        self._next_receiver = 1
        self._next_delivery = 1

    # --- receivers -------------------------------------------------------------------

    def register(
        self, body: dict[str, Any], offices: list[str], *, startup: bool = False
    ) -> Receiver:
        with self._lock:
            if len(self._workers) >= MAX_RECEIVERS:
                from mockvoso.webhooks.receivers import RegistrationError

                raise RegistrationError(
                    "url", f"at most {MAX_RECEIVERS} receivers; delete one first"
                )
            receiver = parse_receiver(
                body, receiver_id=f"w{self._next_receiver}", offices=offices, startup=startup
            )
            self._next_receiver += 1
            rng = random.Random(f"{self._seed}:{receiver.id}")
            worker = _Worker(receiver, rng)
            worker.thread = threading.Thread(
                target=self._run,
                args=(worker,),
                name=f"mockvoso-webhook-{receiver.id}",
                daemon=True,
            )
            self._workers[receiver.id] = worker
            self._rewant()
        worker.thread.start()
        return receiver

    def receivers(self) -> list[Receiver]:
        with self._lock:
            return [w.receiver for w in self._workers.values()]

    def remove(self, receiver_id: str) -> bool:
        with self._lock:
            worker = self._workers.pop(receiver_id, None)
            if worker is None:
                return False
            self._rewant()
        self._stop(worker)
        return True

    def clear(self, *, keep_startup: bool = False) -> None:
        with self._lock:
            gone = [w for w in self._workers.values() if not (keep_startup and w.receiver.startup)]
            for worker in gone:
                del self._workers[worker.receiver.id]
            self._rewant()
        for worker in gone:
            self._stop(worker)

    def reset(self) -> None:
        """Run-time receivers removed (config ones kept), journal emptied, ids restarted."""
        self.clear(keep_startup=True)
        with self._lock:
            self._journal.clear()
            self._next_delivery = 1

    def _rewant(self) -> None:
        self._wanted = frozenset(
            (w.receiver.office, event)
            for w in self._workers.values()
            for event in w.receiver.events
        )

    def _stop(self, worker: _Worker) -> None:
        with worker.wake:
            worker.stopped = True
            worker.wake.notify()
        dropped = 0
        with worker.wake:
            while worker.queue:
                delivery = worker.queue.popleft()
                delivery.status, delivery.error = "dropped", "receiver deleted"
                dropped += 1
        if dropped:
            self._settled(dropped)

    # --- events ------------------------------------------------------------------------

    def wants(self, office: str, event: str) -> bool:
        """Cheap, lock-free: whether any receiver takes this office's event."""
        return (office, event) in self._wanted

    def emit(self, office: str, event: str, record: dict[str, Any]) -> None:
        """Queue `event` for the office's receivers; record: the lead (lead.* events) or
        the catalogue itself (call.completed, callback.due)."""
        if (office, event) not in self._wanted:
            return
        lead_shaped = event.startswith("lead.") or event == "callback.due"
        with self._lock:
            workers = [
                w
                for w in self._workers.values()
                if w.receiver.office == office and event in w.receiver.events
            ]
            for worker in workers:
                delivery = self._new_delivery(worker.receiver, event, record, lead_shaped)
                if self._pending >= MAX_PENDING:
                    delivery.status = "dropped"
                    delivery.error = f"queue full ({MAX_PENDING} deliveries pending)"
                    continue
                self._pending += 1
                with worker.wake:
                    worker.queue.append(delivery)
                    worker.wake.notify()

    def _new_delivery(
        self, receiver: Receiver, event: str, record: dict[str, Any], lead_shaped: bool
    ) -> Delivery:
        delivery = Delivery(
            id=f"d{self._next_delivery}",
            webhook=receiver.id,
            event=event,
            url=receiver.target(),
            body=b"",
            headers={},
            record=record,
            lead_shaped=lead_shaped,
        )
        self._next_delivery += 1
        self._journal.append(delivery)
        return delivery

    @staticmethod
    def _prepare(receiver: Receiver, delivery: Delivery) -> None:
        """The post's body and headers, from the event's record (in the worker thread)."""
        record = delivery.record
        if record is None:
            return
        catalogue = lead_catalogue(record) if delivery.lead_shaped else record
        body, content_type = encode(receiver, shape(receiver, catalogue))
        headers = {"Content-Type": content_type, "User-Agent": "mockvoso-connect"}
        headers.update(receiver.headers)
        headers["X-Mockvoso-Event"] = delivery.event
        delivery.body, delivery.headers, delivery.record = body, headers, None

    # --- the worker --------------------------------------------------------------------

    def _run(self, worker: _Worker) -> None:
        while True:
            with worker.wake:
                while not worker.queue and not worker.stopped:
                    worker.wake.wait()
                if worker.stopped:
                    return
                delivery = worker.queue.popleft()
            try:
                self._prepare(worker.receiver, delivery)
                duplicate = self._deliver(worker, delivery)
                if duplicate is not None:
                    self._deliver(worker, duplicate, faults=False)
            finally:
                self._settled(1)

    def _deliver(
        self, worker: _Worker, delivery: Delivery, *, faults: bool = True
    ) -> Delivery | None:
        """Send with retries; the duplicate to send next when the duplicate fault fires."""
        receiver, rng = worker.receiver, worker.rng
        odds = receiver.faults if faults else {}
        # Draw every fault's dice for every delivery, fired or not: the stream stays
        # aligned, so the same events fault the same deliveries run after run.
        drop, dup, bad = rng.random(), rng.random(), rng.random()
        if drop < odds.get("drop", 0):
            delivery.status, delivery.fault = "dropped", "drop"
            return None
        body = delivery.body
        if bad < odds.get("malformed", 0):
            body = body[: max(1, len(body) // 2)]
            delivery.fault = "malformed"
        if odds.get("delay_ms"):
            self._sleep(odds["delay_ms"] / 1000)
            delivery.fault = delivery.fault or "delay"
        for attempt in range(1, receiver.retries + 2):
            delivery.attempt = attempt
            delivery.sent_at = self._now()
            status, error = self._send(
                delivery.url, body, delivery.headers, receiver.timeout_ms / 1000
            )
            delivery.response_status, delivery.error = status, error
            if status is not None and status < 500:
                delivery.status = "delivered" if status < 400 else "failed"
                break
            if attempt <= receiver.retries:
                self._sleep(BACKOFF_S * 2 ** (attempt - 1))
        else:
            delivery.status = "failed"
        if dup < odds.get("duplicate", 0):
            with self._lock:
                twin = Delivery(
                    id=f"d{self._next_delivery}",
                    webhook=delivery.webhook,
                    event=delivery.event,
                    url=delivery.url,
                    body=delivery.body,
                    headers=delivery.headers,
                    fault="duplicate",
                )
                self._next_delivery += 1
                self._journal.append(twin)
            return twin
        return None

    def _settled(self, count: int) -> None:
        with self._lock:
            self._pending -= count
            if self._pending <= 0:
                self._pending = 0
                self._idle.notify_all()

    # --- reading -----------------------------------------------------------------------

    def deliveries(self, webhook: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [d.public() for d in self._journal if webhook is None or d.webhook == webhook]

    def flush(self, timeout: float) -> int:
        """Wait until no delivery is pending (or timeout); the number still pending."""
        with self._lock:
            self._idle.wait_for(lambda: self._pending == 0, timeout)
            return self._pending
