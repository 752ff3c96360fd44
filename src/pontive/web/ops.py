"""Operations endpoints: readiness (database, media folder, bus, broker) and Prometheus metrics.

Liveness, ``/healthz``, is answered by the platform middleware itself (``web/middleware.py``),
so that it says only "this process answers" and costs next to nothing.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import JSONResponse, Response

from pontive.core.db import Database
from pontive.core.events import EventBus
from pontive.core.storage import free_space_problem
from pontive.web.metrics import CONTENT_TYPE, HttpMetrics
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
MQTT_TIMEOUT = 2.0


def check_database(database: Database) -> str | None:
    """``None`` when ``SELECT 1`` works, else the reason."""
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return type(error).__name__
    return None


def check_mqtt(url: str, timeout: float = MQTT_TIMEOUT) -> str | None:
    """``None`` when the broker accepts an MQTT CONNECT, else the reason."""
    parts = urlsplit(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="", clean_session=True)
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    if parts.scheme in ("mqtts", "ssl"):
        client.tls_set()
    outcome: dict[str, Any] = {}

    def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        outcome["reason"] = reason

    client.on_connect = on_connect
    try:
        default_port = 8883 if parts.scheme in ("mqtts", "ssl") else 1883
        client.connect(parts.hostname or "127.0.0.1", parts.port or default_port, keepalive=10)
        deadline = time.monotonic() + timeout
        while "reason" not in outcome and time.monotonic() < deadline:
            client.loop(timeout=0.1)
    except (TimeoutError, OSError) as error:
        return f"unreachable: {error}"
    finally:
        client.disconnect()
    reason = outcome.get("reason")
    if reason is None:
        return "no CONNACK"
    return None if not reason.is_failure else f"refused: {reason}"


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: the database answers, the media folder takes files, and the bus and broker
    answer when configured."""
    database: Database = request.app.state.database
    bus: EventBus = request.app.state.bus
    settings = request.app.state.settings
    checks: dict[str, str] = {}
    db_problem = await run_in_threadpool(check_database, database)
    checks["database"] = db_problem or "ok"
    min_free = settings.media_min_free_mb * 1024 * 1024
    media_problem = await run_in_threadpool(free_space_problem, settings.media_dir, min_free)
    checks["media"] = media_problem or "ok"
    if not bus.url.startswith("memory://"):
        ready = await run_in_threadpool(bus.is_ready)
        checks["bus"] = "ok" if ready else "unreachable"
    if settings.mqtt_url:
        mqtt_problem = await run_in_threadpool(check_mqtt, settings.mqtt_url)
        checks["mqtt"] = mqtt_problem or "ok"
    is_ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if is_ready else "unavailable", "checks": checks},
        status_code=200 if is_ready else 503,
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    registry: HttpMetrics = request.app.state.metrics
    return Response(registry.render(), media_type=CONTENT_TYPE)
