"""The restreamer adapter: MediaMTX's v3 Control API (cctv spec §2.2).

Pontive never touches video: cameras stream to MediaMTX, and Pontive only adds, patches and
removes one path per camera and reads the paths' state. Standard library only and synchronous
(callers run it in worker threads). Paths added through the API live in MediaMTX's memory
only, so callers re-ensure them after a restreamer restart (MediaMTX issues #1406, #2063).

The camera source URL carries device credentials: it is sent in the request body and nowhere
else; it never reaches a log line or an exception message, and neither does the API secret.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit
from urllib.request import HTTPRedirectHandler, OpenerDirector, ProxyHandler, Request, build_opener

logger = logging.getLogger(__name__)

PAGE_SIZE = 100  # MediaMTX's default itemsPerPage
_MAX_PAGES = 10_000  # a guard against a server that reports pages it never serves
# MediaMTX conf.IsValidPathName: ^[0-9a-zA-Z_\-/\.~]+$, no leading or trailing slash.
_PATH_NAME = re.compile(r"[0-9A-Za-z_\-./~]+")
# Names MediaMTX gives a meaning of its own: catch-all entries ("all", "all_others").
_RESERVED_NAMES = frozenset({"all", "all_others"})
# Sources Pontive pulls from cameras (mediamtx.yml, pathDefaults.source); "publisher",
# "redirect" and the UDP listeners are not camera pulls.
_PULL_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt"})
_URL_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@]*@")
_MAX_SERVER_MESSAGE = 200


class RestreamerError(Exception):
    """The restreamer could not be reached or refused the call (never includes a password)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status MediaMTX answered, None when unreachable


@dataclass(frozen=True, slots=True)
class PathState:
    """One MediaMTX path as ``/v3/paths/list`` reports it."""

    name: str
    ready: bool
    ready_since: datetime | None  # aware UTC, parsed from readyTime
    tracks: tuple[str, ...]
    bytes_received: int
    readers: int
    source_type: str | None


def path_config(source: str, *, on_demand: bool) -> dict[str, object]:
    """The path configuration Pontive sets for one camera (PathConf in MediaMTX's OpenAPI)."""
    scheme = urlsplit(source).scheme.lower()
    if scheme not in _PULL_SCHEMES:
        # Name the scheme only: the URL itself carries the camera's credentials.
        raise ValueError(f"unsupported camera source scheme {scheme!r}")
    config: dict[str, object] = {
        "source": source,
        "sourceOnDemand": on_demand,
        "sourceOnDemandStartTimeout": "10s",
        "sourceOnDemandCloseAfter": "10s",
    }
    if scheme in {"rtsp", "rtsps"}:
        config["rtspTransport"] = "tcp"  # UDP rarely survives the city's NAT and firewalls
    return config


def validate_path_name(name: str) -> str:
    """Return ``name`` if MediaMTX accepts it as a plain path name, else raise ValueError."""
    if not _PATH_NAME.fullmatch(name):
        raise ValueError("path names use letters, digits and _-./~ only")
    if name.startswith(("/", "~")) or name.endswith("/"):
        # A leading "~" makes the entry a regular expression in MediaMTX.
        raise ValueError("path names cannot start with / or ~ or end with /")
    if name in _RESERVED_NAMES or any(part in {"", ".", ".."} for part in name.split("/")):
        raise ValueError(f"{name!r} is not a usable path name")
    return name


class _NoRedirect(HTTPRedirectHandler):
    """Refuse redirects: urllib would forward the Authorization header to the new host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Restreamer:
    """A client of one MediaMTX Control API (e.g. ``http://127.0.0.1:9997``)."""

    def __init__(
        self, api_url: str, *, secret: str = "", user: str = "pontive", timeout: float = 5.0
    ) -> None:
        parts = urlsplit(api_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("the restreamer API URL must be http:// or https:// with a host")
        if parts.username is not None or parts.password is not None:
            raise ValueError("pass the restreamer credentials as secret=, not in the URL")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._base = api_url.rstrip("/")
        self._timeout = timeout
        self._secret = secret
        self._headers = {"Accept": "application/json"}
        if secret:
            token = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        # A local service: never send the secret through an environment proxy.
        self._opener: OpenerDirector = build_opener(ProxyHandler({}), _NoRedirect())

    def __repr__(self) -> str:
        return f"Restreamer({self._base!r})"

    def add_path(self, name: str, *, source: str, on_demand: bool = True) -> None:
        """Ensure the path exists with this source: add it, or patch it if it already exists."""
        config, hidden = path_config(source, on_demand=on_demand), (source,)
        status, body = self._call("POST", _path_url("config/paths/add", name), config, hidden)
        if status == 400 and "exist" in _server_message(body, hidden).lower():
            patch_url = _path_url("config/paths/patch", name)
            status, body = self._call("PATCH", patch_url, config, hidden)
        if status != 200:
            raise self._refused(f"ensuring path {name!r}", status, body, hidden)

    def remove_path(self, name: str) -> bool:
        """Remove the path: True if removed, False if MediaMTX did not have it."""
        status, body = self._call("DELETE", _path_url("config/paths/delete", name))
        if status not in {200, 404}:
            raise self._refused(f"removing path {name!r}", status, body)
        return status == 200

    def paths(self) -> dict[str, PathState]:
        """Every path MediaMTX knows, by name (all pages of ``/v3/paths/list``)."""
        states: dict[str, PathState] = {}
        page = 0
        while page < _MAX_PAGES:
            status, body = self._call("GET", f"/v3/paths/list?page={page}&itemsPerPage={PAGE_SIZE}")
            if status != 200:
                raise self._refused("listing paths", status, body)
            listing = _json_object(body, "the path list")
            items = listing.get("items")
            page_count = listing.get("pageCount")
            if not isinstance(items, list) or not isinstance(page_count, int):
                raise RestreamerError("MediaMTX answered a path list without items or pageCount")
            for item in items:
                state = _parse_path(item)
                states[state.name] = state
            page += 1
            if not items or page >= page_count:
                break
        return states

    def path(self, name: str) -> PathState | None:
        """One path's state, or None when MediaMTX does not have it."""
        status, body = self._call("GET", _path_url("paths/get", name))
        if status == 404:
            return None
        if status != 200:
            raise self._refused(f"reading path {name!r}", status, body)
        return _parse_path(_json_object(body, "the path"))

    def _call(
        self,
        method: str,
        path: str,
        payload: Mapping[str, object] | None = None,
        hidden: tuple[str, ...] = (),
    ) -> tuple[int, bytes]:
        """Send one request; return (status, body) for any HTTP answer, raise if none came."""
        data = None if payload is None else json.dumps(payload).encode()
        headers = dict(self._headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        # S310: the scheme is checked in __init__ (http or https only, never file:).
        request = Request(self._base + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                status, body = int(response.status), response.read()
        except HTTPError as error:
            with error:  # closes the response
                status, body = error.code, error.read()
        except (URLError, OSError, HTTPException) as error:
            cause = getattr(error, "reason", None) or error
            reason = str(cause) or cause.__class__.__name__
            if isinstance(cause, TimeoutError) or isinstance(error, TimeoutError):
                reason = f"no answer within {self._timeout:g} s"
            text = f"MediaMTX at {self._base} could not be reached ({reason})"
            message = self._redact(text, *hidden)
            raise RestreamerError(message, status=None) from error
        logger.debug("MediaMTX %s %s -> %s", method, path.split("?")[0], status)
        return status, body

    def _refused(
        self, action: str, status: int, body: bytes, hidden: tuple[str, ...] = ()
    ) -> RestreamerError:
        detail = _server_message(body, (*hidden, self._secret))
        if status == 401:
            text = f"MediaMTX refused Pontive's credentials (HTTP 401) when {action}"
            text += "; check PONTIVE_CCTV_RESTREAMER_SECRET and the auth callback"
        elif status >= 500:
            text = f"MediaMTX failed (HTTP {status}) when {action}"
        else:
            text = f"MediaMTX answered HTTP {status} when {action}"
        if detail:
            text += f": {detail}"
        return RestreamerError(self._redact(text, *hidden), status=status)

    def _redact(self, text: str, *hidden: str) -> str:
        return _redact(text, (*hidden, self._secret))


def _path_url(endpoint: str, name: str) -> str:
    """The API path of one endpoint for a validated, URL-quoted path name."""
    return f"/v3/{endpoint}/{quote(validate_path_name(name), safe='/')}"


def _redact(text: str, hidden: tuple[str, ...]) -> str:
    """Remove the given secrets and any URL credentials from a message."""
    for secret in hidden:
        if secret:
            text = text.replace(secret, "***")
    return _URL_USERINFO.sub(r"\1***@", text)


def _server_message(body: bytes, hidden: tuple[str, ...]) -> str:
    """MediaMTX's ``{"error": "…"}`` text, redacted and shortened ("" if none)."""
    try:
        decoded = json.loads(body)
    except ValueError:
        return ""
    message = decoded.get("error") if isinstance(decoded, dict) else None
    if not isinstance(message, str):
        return ""
    return _redact(message, hidden)[:_MAX_SERVER_MESSAGE]


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        decoded = json.loads(body)
    except ValueError as error:
        raise RestreamerError(f"MediaMTX answered {what} with text that is not JSON") from error
    if not isinstance(decoded, dict):
        raise RestreamerError(f"MediaMTX answered {what} with JSON that is not an object")
    return decoded


def _parse_path(item: object) -> PathState:
    """One path item; reads the v1 fields and their newer names (available, inboundBytes…)."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise RestreamerError("MediaMTX answered a path without a name")
    ready = item.get("ready", item.get("available", False))
    ready_time = item.get("readyTime", item.get("availableTime"))
    received = item.get("bytesReceived", item.get("inboundBytes", 0))
    tracks = item.get("tracks")
    if tracks is None:  # newer servers may only send tracks2: [{"codec": …}]
        tracks = [t.get("codec") for t in item.get("tracks2") or [] if isinstance(t, dict)]
    readers = item.get("readers") or []
    source = item.get("source")
    source_type = source.get("type") if isinstance(source, dict) else None
    if (
        not isinstance(ready, bool)
        or not isinstance(received, int)
        or not isinstance(tracks, list)
        or not isinstance(readers, list)
    ):
        raise RestreamerError(f"MediaMTX answered path {item['name']!r} in an unexpected shape")
    return PathState(
        name=item["name"],
        ready=ready,
        ready_since=_parse_time(ready_time),
        tracks=tuple(str(track) for track in tracks if track),
        bytes_received=received,
        readers=len(readers),
        source_type=source_type if isinstance(source_type, str) else None,
    )


def _parse_time(value: object) -> datetime | None:
    """An RFC 3339 time from Go (nanoseconds, Z or offset) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise RestreamerError(f"MediaMTX answered an unreadable time {value[:40]!r}") from error
    if moment.tzinfo is None:  # Go always writes an offset; assume UTC if one is missing
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
