"""A small RTSP/1.0 server for the probe tests: one video track, RTP over TCP interleaved.

Debian's ffmpeg cannot serve RTSP to clients, and ``aio-rtsp-toolkit``'s server neither asks
for credentials nor runs without PyAV. This one answers OPTIONS, DESCRIBE, SETUP, PLAY,
TEARDOWN and GET_PARAMETER like a camera (RFC 2326), can require Basic or Digest credentials
per path, and relays the RTP packets handed to ``broadcast`` (ffmpeg's ``-f rtp`` output) to
every playing client as ``$``-framed interleaved data (RFC 2326 §10.12). RTP goes over TCP
only: a SETUP asking for UDP gets 461. With ``tcp=False`` it is the other way round, as from a
camera configured for UDP, whose streams a TCP client such as the probe cannot play.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import select
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.cctv.streams_base import H264, TESTSRC_SIZE, Ffmpeg, Stream, free_port, wait_until
from tests.cctv.streams_http import CAMERA_PASSWORD, CAMERA_USER

REALM = "Pontive test camera"
_PARAM = re.compile(r'(\w+)="?([^",]*)"?')


@dataclass(frozen=True, slots=True)
class Account:
    """Credentials a path asks for, and how (``basic`` or ``digest``)."""

    user: str
    password: str
    scheme: str


@dataclass(slots=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]


@dataclass(eq=False)
class Client:
    """One RTSP connection: reads requests, and is written by its handler and the relay."""

    sock: socket.socket
    stopping: threading.Event
    playing: bool = False
    buffer: bytearray = field(default_factory=bytearray)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, data: bytes) -> bool:
        with self.lock:
            try:
                self.sock.sendall(data)
            except OSError:  # the client went away or stopped reading: drop it
                self.playing = False
                return False
        return True

    def read_request(self) -> Request | None:
        """The next request, skipping the client's own interleaved RTCP; None once closed."""
        while True:
            if self.buffer.startswith(b"$"):
                size = 4 + int.from_bytes(self.buffer[2:4], "big") if len(self.buffer) >= 4 else 0
                if size and len(self.buffer) >= size:
                    del self.buffer[:size]
                    continue
            elif (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                request = _parse(bytes(self.buffer[:end]))
                body = int(request.headers.get("content-length", "0") or "0")
                if len(self.buffer) >= end + 4 + body:
                    del self.buffer[: end + 4 + body]
                    return request
            if not self._receive():
                return None

    def _receive(self) -> bool:
        while not self.stopping.is_set():
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return False
            self.buffer += data
            return bool(data)
        return False


def _parse(head: bytes) -> Request:
    lines = head.decode("latin-1").split("\r\n")
    method, url, _ = [*lines[0].split(" "), "", ""][:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, url, headers)


class _Handler(socketserver.BaseRequestHandler):
    server: _TcpServer

    def handle(self) -> None:
        rtsp = self.server.rtsp
        self.request.settimeout(0.1)  # lets the loop notice stop() quickly
        client = Client(self.request, rtsp.stopping)
        with rtsp.lock:
            rtsp.clients.append(client)
        try:
            while (request := client.read_request()) is not None:
                if not client.send(rtsp.respond(request)):
                    return
                if request.method == "PLAY":
                    client.playing = True
                elif request.method == "TEARDOWN":
                    return
        finally:
            with rtsp.lock:
                rtsp.clients.remove(client)


class _TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the handlers: nothing outlives stop()
    allow_reuse_address = True

    def __init__(self, port: int, rtsp: RtspServer) -> None:
        self.rtsp = rtsp
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up mid-request is what probes do


class RtspServer:
    """Serve ``paths`` (path -> required Account or None) on 127.0.0.1:``port``."""

    def __init__(
        self,
        port: int,
        sdp: Callable[[], str],
        paths: dict[str, Account | None],
        *,
        tcp: bool = True,
    ) -> None:
        self.port = port
        self.tcp = tcp  # False: a camera set up for UDP only, refusing interleaved RTP
        self.sdp = sdp
        self.paths = paths
        self.nonce = secrets.token_hex(16)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.clients: list[Client] = []
        self._server: _TcpServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.stopping.clear()
        self._server = _TcpServer(self.port, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None and thread is not None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)

    def broadcast(self, channel: int, packet: bytes) -> None:
        """Relay one RTP (channel 0) or RTCP (channel 1) packet to every playing client."""
        frame = b"$" + bytes([channel]) + len(packet).to_bytes(2, "big") + packet
        with self.lock:
            playing = [client for client in self.clients if client.playing]
        for client in playing:
            client.send(frame)

    def respond(self, request: Request) -> bytes:
        """The answer to one request, as a camera would give it."""
        path = urlsplit(request.url).path
        base = max((p for p in self.paths if path == p or path.startswith(p + "/")), default=None)
        if base is None:
            return self._reply(request, "404 Not Found")
        account = self.paths[base]
        if account is not None and not self._authorized(request, account):
            if account.scheme == "digest":
                challenge = f'Digest realm="{REALM}", nonce="{self.nonce}", qop="auth"'
            else:
                challenge = f'Basic realm="{REALM}"'
            return self._reply(request, "401 Unauthorized", f"WWW-Authenticate: {challenge}")
        return self._answer(request, base)

    def _answer(self, request: Request, base: str) -> bytes:
        session = "Session: 5EC7E7;timeout=60"
        if request.method == "OPTIONS":
            methods = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"
            return self._reply(request, "200 OK", f"Public: {methods}")
        if request.method == "DESCRIBE":
            base_url = f"rtsp://127.0.0.1:{self.port}{base}/"
            headers = [f"Content-Base: {base_url}", "Content-Type: application/sdp"]
            return self._reply(request, "200 OK", *headers, body=self._sdp().encode())
        if request.method == "SETUP":
            if ("TCP" in request.headers.get("transport", "")) is not self.tcp:
                return self._reply(request, "461 Unsupported Transport")
            transport = "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"
            return self._reply(request, "200 OK", transport, session)
        if request.method in ("PLAY", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER"):
            return self._reply(request, "200 OK", session)
        return self._reply(request, "501 Not Implemented")

    def _sdp(self) -> str:
        """ffmpeg's SDP for its RTP output, rewritten for RTSP: port 0 and a track control."""
        media = [
            line for line in self.sdp().splitlines() if line.startswith(("m=", "a=rtp", "a=fmtp"))
        ]
        media[0] = re.sub(r"^m=video \d+", "m=video 0", media[0])
        session = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", f"s={REALM}", "c=IN IP4 0.0.0.0", "t=0 0"]
        return "\r\n".join([*session, "a=control:*", *media, "a=control:trackID=0", ""])

    def _authorized(self, request: Request, account: Account) -> bool:
        given = request.headers.get("authorization", "")
        if account.scheme == "basic":
            token = base64.b64encode(f"{account.user}:{account.password}".encode()).decode()
            return given == f"Basic {token}"
        if not given.startswith("Digest "):
            return False
        params = dict(_PARAM.findall(given))
        if params.get("username") != account.user or params.get("nonce") != self.nonce:
            return False
        ha1 = _md5(f"{account.user}:{REALM}:{account.password}")
        ha2 = _md5(f"{request.method}:{params.get('uri', '')}")
        if params.get("qop") == "auth":
            parts = [ha1, self.nonce, params.get("nc", ""), params.get("cnonce", ""), "auth", ha2]
            return params.get("response") == _md5(":".join(parts))
        return params.get("response") == _md5(f"{ha1}:{self.nonce}:{ha2}")

    @staticmethod
    def _reply(request: Request, status: str, *headers: str, body: bytes = b"") -> bytes:
        lines = [f"RTSP/1.0 {status}", f"CSeq: {request.headers.get('cseq', '0')}", *headers]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - Digest auth is MD5 by definition


class RtspStream(Stream):
    """H.264 testsrc (320x240, 10 fps) over RTSP: ffmpeg sends RTP to UDP sockets of ours and
    :class:`RtspServer` relays it to its clients. Paths: open, Basic, Digest."""

    OPEN_PATH, BASIC_PATH, DIGEST_PATH = "/cam1", "/basic/cam1", "/digest/cam1"

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.sdp_path = workdir / "rtsp.sdp"
        self.log_path = workdir / "rtsp-ffmpeg.log"
        self.packets = 0
        self.server = RtspServer(
            self.port,
            self.sdp_path.read_text,
            {
                self.OPEN_PATH: None,
                self.BASIC_PATH: Account(CAMERA_USER, CAMERA_PASSWORD, "basic"),
                self.DIGEST_PATH: Account(CAMERA_USER, CAMERA_PASSWORD, "digest"),
            },
        )
        self._ffmpeg: Ffmpeg | None = None
        self._sockets: list[socket.socket] = []
        self._relay: threading.Thread | None = None
        self._relaying = threading.Event()

    def url(self, path: str = OPEN_PATH, *, credentials: bool = False) -> str:
        userinfo = f"{CAMERA_USER}:{CAMERA_PASSWORD}@" if credentials else ""
        return f"rtsp://{userinfo}127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self.sdp_path.unlink(missing_ok=True)
        self.packets = 0
        self._sockets = [_udp_socket(), _udp_socket()]  # RTP, RTCP
        rtp_port, rtcp_port = (sock.getsockname()[1] for sock in self._sockets)
        source = f"testsrc=size={TESTSRC_SIZE[0]}x{TESTSRC_SIZE[1]}:rate=10"
        self._ffmpeg = Ffmpeg(
            [
                *f"-re -f lavfi -i {source} {H264} -g 5 -f rtp".split(),
                *("-sdp_file", str(self.sdp_path)),
                f"rtp://127.0.0.1:{rtp_port}?rtcpport={rtcp_port}&pkt_size=1200",
            ],
            self.log_path,
        )
        self._ffmpeg.start()
        self._relaying.set()
        self._relay = threading.Thread(target=self._forward, daemon=True)
        self._relay.start()
        wait_until(lambda: self.packets > 0 and self.sdp_path.exists(), "RTP", self._ffmpeg)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()
        if self._ffmpeg is not None:
            self._ffmpeg.stop()
        self._relaying.clear()
        if self._relay is not None:
            self._relay.join(timeout=10)
        for sock in self._sockets:
            sock.close()
        self._sockets = []

    def _forward(self) -> None:
        """ffmpeg's RTP and RTCP packets, to the RTSP clients on channels 0 and 1."""
        while self._relaying.is_set():
            readable, _, _ = select.select(self._sockets, [], [], 0.05)
            for sock in readable:
                packet = sock.recv(65536)
                self.packets += 1
                self.server.broadcast(self._sockets.index(sock), packet)


def _udp_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    return sock
