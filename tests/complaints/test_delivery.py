"""Notification delivery: SMTP against a real local SMTP server (with STARTTLS), the HTTP
gateway against a local HTTP server, attempts and retries recorded on the row, in-app alerts."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import logging
import smtplib
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints import delivery
from pontive.complaints.choices import ComplaintStatus, DeliveryStatus
from pontive.complaints.delivery import (
    DeliveryError,
    HttpGatewayChannel,
    LogChannel,
    OutgoingMessage,
    SmtpChannel,
)
from pontive.complaints.models import Notification
from pontive.core.errors import NotFound, PermissionDenied
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.conftest import make_settings

EMAIL = "budi.santoso@example.com"
PHONE = "0812-5678-4321"
BASE = "https://lapor.pontianak.example"

# --- a tiny SMTP server that speaks enough ESMTP for smtplib ---------------------------------


@dataclass
class SmtpLog:
    """What the test SMTP server saw."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    used_tls: list[bool] = field(default_factory=list)


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _SmtpServer

    def _reply(self, *lines: str) -> None:
        for index, line in enumerate(lines):
            sep = " " if index == len(lines) - 1 else "-"
            self.wfile.write(f"{line[:3]}{sep}{line[4:]}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        tls = False
        sender, recipients = "", []
        self._reply("220 test.local ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                features = ["250 test.local"]
                if self.server.tls_context is not None and not tls:
                    features.append("250 STARTTLS")
                if tls or self.server.tls_context is None:
                    features.append("250 AUTH PLAIN")
                self._reply(*features)
            elif verb == "STARTTLS" and self.server.tls_context is not None:
                self._reply("220 go ahead")
                wrapped = self.server.tls_context.wrap_socket(self.connection, server_side=True)
                self.connection = wrapped
                self.rfile = wrapped.makefile("rb")
                self.wfile = wrapped.makefile("wb")
                tls = True
            elif verb == "AUTH":
                # AUTH PLAIN <base64 of "authzid\0user\0password">
                _authzid, user, password = base64.b64decode(command.split()[2]).decode().split("\0")
                self.server.log.logins.append((user, password))
                self._reply("235 ok")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].split()[0].strip("<>")
                self._reply("250 ok")
            elif verb == "RCPT":
                if self.server.reject_recipients:
                    self._reply("550 no such user")
                    continue
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 ok")
            elif verb == "DATA":
                self._reply("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.log.messages.append((sender, recipients, data))
                self.server.log.used_tls.append(tls)
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 ok")

    def finish(self) -> None:
        super().finish()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.close()  # the server closes only the socket it accepted


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_context: ssl.SSLContext | None, *, reject: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.tls_context = tls_context
        self.reject_recipients = reject
        self.log = SmtpLog()


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _certificate(tmp_path_factory.mktemp("tls"))


def _serve(server: socketserver.BaseServer) -> Iterator[Any]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp_tls(tls_files: tuple[Path, Path]) -> Iterator[_SmtpServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    yield from _serve(_SmtpServer(context))


@pytest.fixture
def smtp_plain() -> Iterator[_SmtpServer]:
    yield from _serve(_SmtpServer(None))


@pytest.fixture
def client_tls(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls_files[0]))


def _port(server: socketserver.BaseServer) -> int:
    return int(server.server_address[1])


def test_smtp_sends_over_starttls_and_logs_in(
    smtp_tls: _SmtpServer, client_tls: ssl.SSLContext
) -> None:
    url = f"smtp://pontive%40kota:s3cret%2Fpw@127.0.0.1:{_port(smtp_tls)}"
    channel = SmtpChannel(url, "Pontive Center <noreply@kota.example>", ssl_context=client_tls)
    channel.send(OutgoingMessage(EMAIL, "Laporan PTK-2026-000001 diterima", "Terima kasih."))
    assert smtp_tls.log.logins == [("pontive@kota", "s3cret/pw")]
    assert smtp_tls.log.used_tls == [True]
    sender, recipients, data = smtp_tls.log.messages[0]
    assert (sender, recipients) == ("noreply@kota.example", [EMAIL])
    assert b"Subject: Laporan PTK-2026-000001 diterima" in data
    assert b"Terima kasih." in data


def test_smtp_refuses_a_server_without_starttls(smtp_plain: _SmtpServer) -> None:
    channel = SmtpChannel(f"smtp://u:p@127.0.0.1:{_port(smtp_plain)}", "noreply@kota.example")
    with pytest.raises(DeliveryError) as caught:
        channel.send(OutgoingMessage(EMAIL, "Subjek", "Isi"))
    assert isinstance(caught.value.__cause__, smtplib.SMTPNotSupportedError)
    assert smtp_plain.log.messages == []
    assert smtp_plain.log.logins == []  # the password never crossed the wire in clear


def test_smtp_plain_relay_sends_without_tls(smtp_plain: _SmtpServer) -> None:
    channel = SmtpChannel(f"smtp+plain://127.0.0.1:{_port(smtp_plain)}", "noreply@kota.example")
    channel.send(OutgoingMessage(EMAIL, "Subjek", "Isi pesan"))
    assert smtp_plain.log.used_tls == [False]
    assert smtp_plain.log.logins == []


def test_smtp_rejection_is_a_delivery_error(
    tls_files: tuple[Path, Path], client_tls: ssl.SSLContext
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    for server in _serve(_SmtpServer(context, reject=True)):
        channel = SmtpChannel(
            f"smtp://127.0.0.1:{_port(server)}", "noreply@kota.example", ssl_context=client_tls
        )
        with pytest.raises(DeliveryError) as caught:
            channel.send(OutgoingMessage(EMAIL, "Subjek", "Isi"))
        assert isinstance(caught.value.__cause__, smtplib.SMTPRecipientsRefused)


def test_smtp_unreachable_server_is_a_delivery_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = SmtpChannel(f"smtps://127.0.0.1:{port}", "noreply@kota.example", timeout=2)
    with pytest.raises(DeliveryError) as caught:
        channel.send(OutgoingMessage(EMAIL, "Subjek", "Isi"))
    assert isinstance(caught.value.__cause__, OSError)


# --- a local HTTP gateway ---------------------------------------------------------------------


class _Gateway(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _GatewayHandler)
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.status = 200


class _GatewayHandler(BaseHTTPRequestHandler):
    server: _Gateway

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers), json.loads(body)))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def gateway() -> Iterator[_Gateway]:
    yield from _serve(_Gateway())


def _gateway_url(server: _Gateway) -> str:
    return f"http://127.0.0.1:{_port(server)}/send"


def test_gateway_posts_json_with_the_token(gateway: _Gateway) -> None:
    channel = HttpGatewayChannel("whatsapp", _gateway_url(gateway), "tok-123")
    channel.send(OutgoingMessage(PHONE, "Subjek", "Isi pesan"))
    headers, payload = gateway.requests[0]
    assert headers["Authorization"] == "Bearer tok-123"
    assert payload == {
        "channel": "whatsapp",
        "to": PHONE,
        "subject": "Subjek",
        "message": "Isi pesan",
    }


def test_gateway_error_status_is_a_delivery_error(gateway: _Gateway) -> None:
    gateway.status = 503
    channel = HttpGatewayChannel("sms", _gateway_url(gateway), "tok")
    with pytest.raises(DeliveryError, match="HTTP 503"):
        channel.send(OutgoingMessage(PHONE, "Subjek", "Isi"))


# --- the queue --------------------------------------------------------------------------------


def _receipt_rows(session: Session, report: Any) -> list[Notification]:
    receipt = report(
        is_anonymous=False, name="Budi Santoso", email=EMAIL, phone=PHONE, consent=True
    )
    rows = session.scalars(
        select(Notification)
        .where(Notification.complaint_id == receipt.complaint.id)
        .order_by(Notification.id)
    ).all()
    assert {row.channel for row in rows} == {"email", "whatsapp"}
    return list(rows)


def _channels(gateway: _Gateway, email: delivery.Channel) -> dict[str, delivery.Channel]:
    return {
        "email": email,
        "whatsapp": HttpGatewayChannel("whatsapp", _gateway_url(gateway), "tok"),
    }


def test_pending_notifications_are_sent_with_the_base_url_filled_in(
    session: Session, report: Any, gateway: _Gateway, smtp_plain: _SmtpServer
) -> None:
    rows = _receipt_rows(session, report)
    email = SmtpChannel(f"smtp+plain://127.0.0.1:{_port(smtp_plain)}", "noreply@kota.example")
    result = delivery.deliver_pending(
        session=session, channels=_channels(gateway, email), base_url=BASE + "/", max_attempts=3
    )
    assert (result.sent, result.retrying, result.failed) == (2, 0, 0)
    for row in rows:
        assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 1, None)
        assert row.sent_at is not None
    message = gateway.requests[0][1]["message"]
    assert f"{BASE}/lapor/PTK-" in message
    assert "{base_url}" not in message
    assert f"{BASE}/lapor/PTK-".encode() in smtp_plain.log.messages[0][2]
    again = delivery.deliver_pending(
        session=session, channels=_channels(gateway, email), base_url=BASE, max_attempts=3
    )
    assert again.sent == 0  # sent rows are not sent twice
    assert len(gateway.requests) == 1


def test_failed_attempts_are_retried_with_backoff_then_given_up(
    session: Session, report: Any, gateway: _Gateway
) -> None:
    rows = _receipt_rows(session, report)
    phone_row = next(row for row in rows if row.channel == "whatsapp")
    gateway.status = 502
    channels = _channels(gateway, LogChannel("email"))
    now = utcnow()
    first = delivery.deliver_pending(
        session=session, channels=channels, base_url=BASE, max_attempts=3, now=now
    )
    assert (first.sent, first.retrying) == (1, 1)
    assert phone_row.status is DeliveryStatus.PENDING
    assert phone_row.attempts == 1
    assert "HTTP 502" in (phone_row.last_error or "")
    assert phone_row.next_attempt_at == now + timedelta(minutes=1)

    early = delivery.deliver_pending(
        session=session,
        channels=channels,
        base_url=BASE,
        max_attempts=3,
        now=now + timedelta(seconds=30),
    )
    assert early == delivery.DeliveryReport()  # not due yet
    delivery.deliver_pending(
        session=session,
        channels=channels,
        base_url=BASE,
        max_attempts=3,
        now=now + timedelta(minutes=1),
    )
    assert phone_row.attempts == 2
    assert phone_row.next_attempt_at == now + timedelta(minutes=6)
    last = delivery.deliver_pending(
        session=session,
        channels=channels,
        base_url=BASE,
        max_attempts=3,
        now=now + timedelta(minutes=6),
    )
    assert last.failed == 1
    assert (phone_row.status, phone_row.attempts) == (DeliveryStatus.FAILED, 3)
    assert phone_row.next_attempt_at is None
    assert len(gateway.requests) == 3


def test_a_recovered_gateway_delivers_on_retry(
    session: Session, report: Any, gateway: _Gateway
) -> None:
    rows = _receipt_rows(session, report)
    phone_row = next(row for row in rows if row.channel == "whatsapp")
    channels = _channels(gateway, LogChannel("email"))
    now = utcnow()
    gateway.status = 500
    delivery.deliver_pending(
        session=session, channels=channels, base_url=BASE, max_attempts=5, now=now
    )
    gateway.status = 200
    delivery.deliver_pending(
        session=session,
        channels=channels,
        base_url=BASE,
        max_attempts=5,
        now=now + timedelta(minutes=2),
    )
    assert (phone_row.status, phone_row.attempts, phone_row.last_error) == (
        DeliveryStatus.SENT,
        2,
        None,
    )


def test_an_unknown_channel_is_recorded_as_a_failed_attempt(session: Session, report: Any) -> None:
    rows = _receipt_rows(session, report)
    delivery.deliver_pending(session=session, channels={}, base_url=BASE, max_attempts=1)
    assert all(row.status is DeliveryStatus.FAILED for row in rows)
    assert "Unknown channel" in (rows[0].last_error or "")


def test_the_log_channel_never_logs_the_recipient_or_body(
    session: Session, report: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _receipt_rows(session, report)
    settings = make_settings("sqlite://")
    caplog.set_level(logging.INFO, logger="pontive.complaints.delivery")
    result = delivery.deliver_pending(
        session=session,
        channels=delivery.channels_from_settings(settings),
        base_url=BASE,
        max_attempts=3,
    )
    assert result.sent == 2
    text = caplog.text
    assert "Laporan PTK-" in text  # the subject is there...
    for secret in (EMAIL, "budi.santoso", "5678", PHONE, "/lapor/"):
        assert secret not in text  # ...but not who it went to, nor the private link
    assert "b***@e***.com" in text
    assert "***4321" in text


def test_mask_recipient_hides_addresses() -> None:
    assert delivery.mask_recipient("budi@example.com") == "b***@e***.com"
    assert delivery.mask_recipient("+62 812 5678 4321") == "***4321"
    assert delivery.mask_recipient("123") == "***"


def test_settings_choose_the_adapters(gateway: _Gateway) -> None:
    bare = delivery.channels_from_settings(make_settings("sqlite://"))
    assert isinstance(bare["email"], LogChannel)
    assert isinstance(bare["whatsapp"], LogChannel)
    configured = delivery.channels_from_settings(
        make_settings(
            "sqlite://",
            smtp_url="smtps://u:p@mail.example:465",
            sms_gateway_url=_gateway_url(gateway),
        )
    )
    assert isinstance(configured["email"], SmtpChannel)
    assert configured["email"].port == 465
    # Only SMS configured: phone notifications go by SMS.
    assert isinstance(configured["whatsapp"], HttpGatewayChannel)
    assert configured["whatsapp"].name == "sms"


def test_a_bad_smtp_url_is_refused_by_the_settings() -> None:
    with pytest.raises(ValueError, match="smtp_url"):
        make_settings("sqlite://", smtp_url="http://mail.example")


# --- in-app alerts ----------------------------------------------------------------------------


def _user_actor(user: Any) -> Actor:
    return Actor(
        kind=ActorKind.USER, role=user.role, id=user.id, name=user.username, pd_kode=user.pd_kode
    )


def test_staff_read_and_clear_their_in_app_alerts(
    session: Session, report: Any, make_user: Any
) -> None:
    officer = make_user(Role.PETUGAS_PD, pd_kode="pupr")
    other = make_user(Role.PETUGAS_PD, pd_kode="pupr")
    from pontive.complaints import workflow

    receipt = report()
    for step in (ComplaintStatus.DIVERIFIKASI, ComplaintStatus.DIDISPOSISIKAN):
        workflow.transition(
            session=session,
            actor=system_actor("test"),
            tracking_number=receipt.complaint.tracking_number,
            to=step,
            message="ok",
        )
    actor = _user_actor(officer)
    alerts = delivery.list_inapp(session=session, actor=actor)
    assert [alert.subject for alert in alerts] == ["Laporan baru didisposisikan ke PD Anda"]
    assert delivery.count_unread(session=session, actor=actor) == 1
    with pytest.raises(NotFound):
        delivery.mark_read(session=session, actor=_user_actor(other), notification_id=alerts[0].id)
    assert delivery.mark_read(session=session, actor=actor, notification_id=alerts[0].id) == 1
    assert delivery.count_unread(session=session, actor=actor) == 0
    assert delivery.list_inapp(session=session, actor=actor, unread_only=True) == []
    # In-app alerts count as delivered once the worker passes.
    delivery.deliver_pending(
        session=session, channels={"inapp": delivery.InAppChannel()}, base_url=BASE, max_attempts=1
    )
    session.refresh(alerts[0])
    assert alerts[0].status is DeliveryStatus.SENT


def test_in_app_alerts_need_a_signed_in_user(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        delivery.list_inapp(session=session, actor=system_actor("cli"))
