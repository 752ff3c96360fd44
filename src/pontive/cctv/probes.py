"""Camera health probes: is a camera's picture reachable now, how fast, and what it shows.

Pure network work, no database: the health round (``cctv/health.py``) calls ``probe`` for
each camera with bounded concurrency and records the results. The checks a camera has run
cheapest first — snapshot URL, MJPEG, HLS, RTSP — and the first that yields a frame decides:

- **online**: a frame came back within ``slow_ms``;
- **degraded**: a frame came back, but slowly; or the device answered and no frame could be
  had (an HTTP 200 that is no image, RTSP ``DESCRIBE`` 200 that ffmpeg cannot decode, no
  ffmpeg installed);
- **offline**: nothing usable answered: connection refused, timed out, HTTP 4xx/5xx,
  RTSP 401/404.

When no check yields a frame, the first *degraded* answer is the verdict, else the last
*offline* one (RTSP, the camera's main stream, comes last). Every device and library error
becomes a result: ``probe`` only ever raises ``asyncio.CancelledError``. The whole probe
keeps to ``timeout``, and every read is capped, so that hundreds of probes run in a worker
of modest memory. Credentials in the URLs are used, and never written into ``detail`` or
the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from pontive.cctv.probes_common import (
    Budget,
    Frame,
    NoFrame,
    Unreachable,
    describe_os_error,
    redact_url,
)
from pontive.cctv.probes_frames import IMAGE_ERRORS
from pontive.cctv.probes_hls import check_hls
from pontive.cctv.probes_http import check_mjpeg, check_snapshot
from pontive.cctv.probes_rtsp import check_rtsp

log = logging.getLogger(__name__)

State = Literal["online", "degraded", "offline"]
Check = Callable[[str, Budget], Awaitable[Frame]]

# Cheapest first: one HTTP GET, one HTTP part, a playlist and a segment, an RTSP session.
CHECKS: tuple[tuple[str, str, Check], ...] = (
    ("snapshot", "snapshot_url", check_snapshot),
    ("mjpeg", "mjpeg_url", check_mjpeg),
    ("hls", "hls_url", check_hls),
    ("rtsp", "rtsp_url", check_rtsp),
)
# A device that answered with something no parser could make sense of.
MALFORMED = (ValueError, EOFError, asyncio.LimitOverrunError, *IMAGE_ERRORS)


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The URLs a camera offers; credentials may be embedded (``rtsp://user:pass@host/``)."""

    rtsp_url: str | None = None
    hls_url: str | None = None
    mjpeg_url: str | None = None
    snapshot_url: str | None = None


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One probe's verdict and the check that decided it."""

    state: State
    method: str  # "snapshot" | "mjpeg" | "hls" | "rtsp" ("none" without endpoints)
    latency_ms: float | None
    detail: str  # a short English reason, never with credentials
    snapshot: bytes | None  # a JPEG of the frame, at most 640 px wide, when one was had
    width: int | None = None
    height: int | None = None


async def probe(
    endpoints: Endpoints,
    *,
    timeout: float = 8.0,  # noqa: ASYNC109 - one budget shared by several checks, see Budget
    slow_ms: float = 3000.0,
) -> ProbeResult:
    """Probe a camera's endpoints, cheapest first, within ``timeout`` seconds in all."""
    planned = [(m, url, c) for m, field, c in CHECKS if (url := getattr(endpoints, field))]
    if not planned:
        return ProbeResult("offline", "none", None, "no endpoint configured", None)
    budget = Budget(asyncio.get_running_loop().time() + timeout, timeout)
    failures: list[ProbeResult] = []
    for method, url, check in planned:
        result = await _run_check(method, url, check, budget, slow_ms)
        log.debug("probe %s %s: %s (%s)", method, redact_url(url), result.state, result.detail)
        if result.snapshot is not None:
            return result
        failures.append(result)
        if asyncio.get_running_loop().time() >= budget.deadline:
            break
    return next((r for r in failures if r.state == "degraded"), failures[-1])


async def _run_check(
    method: str, url: str, check: Check, budget: Budget, slow_ms: float
) -> ProbeResult:
    """One check, every failure turned into a result."""
    loop = asyncio.get_running_loop()
    started = loop.time()

    def elapsed_ms() -> float:
        return round((loop.time() - started) * 1000, 1)

    try:
        async with asyncio.timeout_at(budget.deadline):
            frame = await check(url, budget)
    except Unreachable as error:
        return ProbeResult("offline", method, None, error.detail, None)
    except NoFrame as error:
        return ProbeResult("degraded", method, elapsed_ms(), error.detail, None)
    except TimeoutError:
        return ProbeResult("offline", method, None, f"timed out after {budget.seconds:.1f} s", None)
    except OSError as error:
        return ProbeResult("offline", method, None, describe_os_error(error), None)
    except asyncio.IncompleteReadError as error:
        if error.partial:  # an answer cut short
            return ProbeResult("degraded", method, elapsed_ms(), "answer cut short", None)
        return ProbeResult("offline", method, None, "connection closed without an answer", None)
    except MALFORMED as error:
        detail = f"malformed answer ({type(error).__name__})"
        return ProbeResult("degraded", method, elapsed_ms(), detail, None)
    latency = elapsed_ms()
    state: State = "online" if latency <= slow_ms else "degraded"
    detail = f"frame {frame.width}x{frame.height} {frame.codec}"
    if state == "degraded":
        detail += f", slow ({latency:.0f} ms)"
    return ProbeResult(state, method, latency, detail, frame.jpeg, frame.width, frame.height)
