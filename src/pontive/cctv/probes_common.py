"""Pieces the camera probes share: step outcomes, frames, budgets, URLs and credentials.

Credentials ride in the camera's URLs (``rtsp://user:pass@host/...``). They are sent to the
device and to ffmpeg, and nowhere else: every text a probe produces goes through
``Target.public_url`` or ``scrub``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import secrets
import socket
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443, "rtsp": 554}
# Time kept back from the probe's deadline so that a step timing out can still kill ffmpeg
# and close its connection before the whole probe is out of time.
CLEANUP_SECONDS = 0.3


class StepFailed(Exception):
    """A probe step ended without a frame; ``detail`` is the short English reason."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unreachable(StepFailed):
    """Nothing usable answered (refused, HTTP 4xx/5xx, RTSP 401/404): the camera is offline."""


class NoFrame(StepFailed):
    """The device answered but no frame could be had from it: the camera is degraded."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A decoded frame: a small JPEG of it and the stream's own size and codec."""

    jpeg: bytes
    width: int
    height: int
    codec: str


@dataclass(frozen=True, slots=True)
class Budget:
    """The probe's deadline (event-loop time) and the timeout it came from, for messages."""

    deadline: float
    seconds: float

    @asynccontextmanager
    async def frame_phase(self) -> AsyncIterator[None]:
        """Bound the part after the device answered: running out of time there is *degraded*."""
        try:
            async with asyncio.timeout_at(self.deadline - CLEANUP_SECONDS):
                yield
        except TimeoutError as error:
            raise NoFrame(f"answered but no frame within {self.seconds:.1f} s") from error


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed endpoint URL: where to connect, what to ask for, and who to say we are."""

    scheme: str
    host: str
    port: int
    resource: str  # path and query, as sent in the request line
    user: str | None
    password: str | None
    url: str  # as configured, credentials included: for the device and ffmpeg only
    public_url: str  # without credentials: safe for requests lines, details and logs

    @property
    def origin(self) -> tuple[str, str, int]:
        """Scheme, host and port: credentials follow a redirect only within one origin."""
        return (self.scheme, self.host, self.port)


def parse_target(url: str, schemes: tuple[str, ...]) -> Target:
    """Split an endpoint URL; an unusable one is *unreachable* (nothing could answer it)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Unreachable("invalid URL") from error
    scheme = parts.scheme.lower()
    if scheme not in schemes or not parts.hostname:
        raise Unreachable(f"unsupported URL (expected {' or '.join(schemes)})")
    netloc = parts.netloc.rpartition("@")[2]
    resource = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(
        scheme=scheme,
        host=parts.hostname,
        port=port or DEFAULT_PORTS[scheme],
        resource=resource,
        user=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
        url=url.strip(),
        public_url=urlunsplit((scheme, netloc, parts.path, parts.query, "")),
    )


def redact_url(url: str) -> str:
    """The URL without its ``user:password@`` part, for text and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: nothing in it is safe to show
        return "(invalid URL)"
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2], fragment=""))


def scrub(text: str, target: Target) -> str:
    """``text`` (say, ffmpeg's error line) with the URL's credentials masked wherever they are."""
    text = text.replace(target.url, target.public_url)
    for secret in (target.password, urlsplit(target.url).password):
        if secret:
            text = text.replace(secret, "***")
    return text


def describe_os_error(error: OSError) -> str:
    """A short English reason for a network error."""
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | BrokenPipeError):
        return "connection reset"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "TLS certificate not trusted"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or 'handshake failed'}"
    return f"connection failed: {(error.strerror or type(error).__name__).lower()}"


# Digest's algorithms (RFC 7616); the camera picks. MD5 is what nearly all of them ask for.
_DIGESTS: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda data: hashlib.md5(data).hexdigest(),  # noqa: S324 - RFC 2617 mandates MD5
    "SHA-256": lambda data: hashlib.sha256(data).hexdigest(),
}
_AUTH_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def authorization(
    challenges: list[str], *, method: str, uri: str, user: str, password: str, count: int = 1
) -> str | None:
    """The Authorization header answering a 401's challenges (Digest preferred, else Basic).

    ``count`` is Digest's nonce count: how many requests have used this challenge's nonce.
    """
    by_scheme = {c.split(None, 1)[0].lower(): c for c in challenges if c.strip()}
    digest = by_scheme.get("digest")
    if digest is not None:
        return _digest(digest, method=method, uri=uri, user=user, password=password, nc=count)
    if "basic" in by_scheme:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"
    return None


def _digest(
    challenge: str, *, method: str, uri: str, user: str, password: str, nc: int
) -> str | None:
    params = {m[0].lower(): m[1] or m[2] for m in _AUTH_PARAM.findall(challenge)}
    hash_of = _DIGESTS.get(params.get("algorithm", "MD5").upper())
    realm, nonce = params.get("realm"), params.get("nonce")
    if hash_of is None or realm is None or nonce is None:
        return None
    ha1 = hash_of(f"{user}:{realm}:{password}".encode())
    ha2 = hash_of(f"{method}:{uri}".encode())
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri}
    qops = [q.strip() for q in params.get("qop", "").split(",")]
    if "auth" in qops:
        cnonce, count = secrets.token_hex(8), f"{nc:08x}"
        fields.update(qop="auth", nc=count, cnonce=cnonce)
        answer = hash_of(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}".encode())
    else:
        answer = hash_of(f"{ha1}:{nonce}:{ha2}".encode())
    fields["response"] = answer
    if "opaque" in params:
        fields["opaque"] = params["opaque"]
    if "algorithm" in params:
        fields["algorithm"] = params["algorithm"]
    unquoted = {"qop", "nc", "algorithm"}
    text = ", ".join(
        f"{k}={v}" if k in unquoted else f"{k}={_quoted(v)}" for k, v in fields.items()
    )
    return f"Digest {text}"


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
