"""``create_app()``: the one HTTP application, with every domain's routers and pages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import swagger_ui_bundle
import xstatic.pkg.leaflet
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from pontive import __version__, domains
from pontive.core import api as core_api
from pontive.core import crypto
from pontive.core.db import Database
from pontive.core.events import EventBus, Subscription, create_bus
from pontive.core.heap import collector_paused, freeze_startup_heap
from pontive.core.storage import MediaStore
from pontive.settings import Settings, get_settings
from pontive.web import console, openapi, ops, pages, routing
from pontive.web.errors import install_error_handlers
from pontive.web.metrics import HttpMetrics
from pontive.web.middleware import PlatformMiddleware
from pontive.web.pagecache import PageCache, page_changing_events
from pontive.web.session import SessionCodec

log = logging.getLogger(__name__)
BUS_RETRY_SECONDS = 5.0


def content_security_policy(settings: Settings) -> str:
    """No inline script or style; map tiles only from the configured tile server; camera
    video only from the configured restreamer."""
    from urllib.parse import urlsplit

    img = "'self' data: blob:"
    if settings.map_tile_url:
        parts = urlsplit(settings.map_tile_url.replace("{s}", "a"))
        img += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    media = connect = "'self'"
    if settings.cctv_restreamer_public_url:
        parts = urlsplit(settings.cctv_restreamer_public_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        media, connect = f"'self' blob: {origin}", f"'self' {origin}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; media-src {media}; connect-src {connect}; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


async def _start_bus(bus: EventBus) -> None:
    # A broker that is down at start-up must not keep the web process down: retry, and let
    # /readyz say so meanwhile.
    while True:
        try:
            await run_in_threadpool(bus.start)
        except (ConnectionError, OSError, TimeoutError) as error:
            log.warning("event bus %s unavailable (%s); retrying", bus.url, error)
            await asyncio.sleep(BUS_RETRY_SECONDS)
        else:
            return


async def _forget_pages_on_events(bus: EventBus, cache: PageCache) -> None:
    """Clear the page micro-cache whenever news arrives that public pages must show now."""
    subscriptions = [bus.subscribe(pattern) for pattern in page_changing_events()]

    async def watch(subscription: Subscription) -> None:
        async for _event in subscription:
            cache.clear()

    try:
        await asyncio.gather(*(watch(subscription) for subscription in subscriptions))
    finally:
        for subscription in subscriptions:
            subscription.close()


async def _run_bus(bus: EventBus, cache: PageCache) -> None:
    await _start_bus(bus)
    await _forget_pages_on_events(bus, cache)


class PontiveApp(FastAPI):
    """FastAPI with the platform middleware outermost, around error handling too."""

    platform: PlatformMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.platform is None or scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self.platform(scope, receive, send)

    async def _inner(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)


def serve_app() -> FastAPI:
    """The application of ``pontive serve`` (one per server process): built, then its
    start-up heap frozen (``core.heap``)."""
    with collector_paused():
        app = create_app()
    freeze_startup_heap()
    return app


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    bus: EventBus | None = None,
) -> FastAPI:
    """Build the application; tests pass their own database and bus."""
    settings = settings or get_settings()
    crypto.configure(settings.data_key)
    owns_database = database is None
    database = database or Database(settings.database_url, pool_size=settings.db_pool_size)
    bus = bus or create_bus(settings.bus_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        starter = asyncio.create_task(_run_bus(bus, app.state.page_cache))
        # Domain parts that live as long as the process (``<domain>/lifecycle.py``).
        started = [
            (module, await run_in_threadpool(module.start, settings, database, bus))
            for _domain, module in domains.domain_modules("lifecycle")
        ]
        yield
        for module, handle in reversed(started):
            await run_in_threadpool(module.stop, handle)
        starter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starter
        await run_in_threadpool(bus.stop)
        if owns_database:
            # A request's session is closed after its response is sent: let the last ones
            # return their connections before the pool closes.
            await run_in_threadpool(database.dispose, wait_seconds=5.0)

    app = PontiveApp(
        # Our metrics are Prometheus (/metrics); FastAPI's own OpenTelemetry hooks would cost
        # every request an environment and provider look-up for nothing.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        title="Pontive API",
        version=__version__,
        description="Platform Pontianak Smart City (Perda Kota Pontianak 9/2022).",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.bus = bus
    app.state.metrics = HttpMetrics(database.engine)
    app.state.session_codec = SessionCodec(
        settings.secret_key,
        max_age=settings.session_max_age_seconds,
        secure=settings.base_url.startswith("https://"),
    )
    app.state.page_cache = PageCache()
    app.state.media = MediaStore(settings.media_dir)
    install_error_handlers(app)
    app.platform = PlatformMiddleware(
        app._inner,
        metrics=app.state.metrics,
        codec=app.state.session_codec,
        content_security_policy=content_security_policy(settings),
        page_cache=app.state.page_cache,
    )
    _mount_static(app)
    for router in (ops.router, core_api.router, pages.router, console.router):
        app.include_router(router)
    for _domain, module in domains.domain_modules("api"):
        app.include_router(module.router)
    for _domain, module in domains.domain_modules("pages"):
        app.include_router(module.router)
    openapi.install(app)
    routing.index_app(app)
    return app


def _mount_static(app: FastAPI) -> None:
    # More specific mounts first: Starlette matches mounts in order.
    app.mount(
        "/static/vendor/leaflet",
        StaticFiles(directory=xstatic.pkg.leaflet.BASE_DIR),
        name="leaflet",
    )
    app.mount(
        "/static/vendor/swagger-ui",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="swagger-ui",
    )
    static_dir = str(resources.files("pontive.web").joinpath("static"))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
