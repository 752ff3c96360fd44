"""Prometheus metrics: requests by route template, latency, and the database pool."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _PoolCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return
        size = GaugeMetricFamily("pontive_db_pool_size", "Configured connections in the pool")
        size.add_metric([], pool.size())
        used = GaugeMetricFamily("pontive_db_pool_checked_out", "Connections in use")
        used.add_metric([], pool.checkedout())
        overflow = GaugeMetricFamily("pontive_db_pool_overflow", "Connections beyond the size")
        overflow.add_metric([], max(pool.overflow(), 0))
        yield from (size, used, overflow)


class HttpMetrics:
    """The app's own registry (one per app, so tests can build many apps)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "pontive_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "pontive_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self.registry.register(_PoolCollector(engine))
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request."""
        if method not in _METHODS:
            method = "OTHER"  # any string can arrive here; keep the series bounded
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            # labels() costs a lock and a dict build per call: resolve each series once.
            children = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
