"""The summary of ``bench/load.py``: readable lines per phase and stream, then the metrics.

Each run (``load.run_once``) gives per phase and stream the client's counts and latencies,
the SSE events received, the triggers' publication times, the burst's drain time and (for
Pontive) the lag of every reading from its publication to its commit. Metrics are medians
over the rounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

STREAMS = {
    "report": "reports (POST /api/v1/complaints)",
    "page": "viewers (GET /situasi)",
    "live": "live part (GET /situasi?bagian=isi)",
    "data": "map data (GET /situasi/data.json)",
}


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def alert_latencies(run: dict[str, Any]) -> dict[str, list[float]]:
    """Per phase, seconds from each trigger's publication to each SSE client's copy of the
    alert (or cancel) it caused; and, under ``missed``, one entry per trigger never seen."""
    first: dict[str, tuple[float, str]] = {}
    arrivals: dict[str, list[float]] = {}
    for event_id, kind, msg_type, _client, arrived in run["events"]:
        if kind != "alerts.alert.published":
            continue
        arrivals.setdefault(event_id, []).append(arrived)
        if event_id not in first or arrived < first[event_id][0]:
            first[event_id] = (arrived, msg_type)
    ordered = sorted(first.items(), key=lambda item: item[1][0])
    starts = sorted(run["phase_starts"].items(), key=lambda item: item[1])
    found: dict[str, list[float]] = {name: [] for name, _ in starts}
    found["missed"] = []
    used = 0
    for sent, msg_type in run["triggers"]:
        phase = [name for name, began in starts if sent >= began][-1]
        while used < len(ordered) and (
            ordered[used][1][0] < sent or ordered[used][1][1] != msg_type
        ):
            used += 1
        if used == len(ordered):
            found["missed"].append(sent)
            continue
        found[phase] += [arrived - sent for arrived in arrivals[ordered[used][0]]]
        used += 1
    return found


def summarise(runs: dict[str, list[dict[str, Any]]], phases: Sequence[str]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for phase in phases:
        print(f"--- phase {phase} (medians of {len(runs['pontive'])} round(s))")
        for stream, label in STREAMS.items():
            row: dict[str, dict[str, float]] = {}
            for target in ("pontive", "bare"):
                got = [run["phases"][phase][stream] for run in runs[target]]
                row[target] = {
                    key: _median([g[key] for g in got])
                    for key in ("rps", "p50_ms", "p99_ms", "errors", "non_2xx")
                }
                for key in ("rps", "p50_ms", "p99_ms"):
                    metrics[f"{target}_{phase}_{stream}_{key}"] = round(row[target][key], 2)
                failures = row[target]["errors"] + row[target]["non_2xx"]
                metrics[f"{target}_{phase}_{stream}_errors"] = failures
            ours, bare = row["pontive"], row["bare"]
            ratio = ours["rps"] / bare["rps"] if bare["rps"] else 0.0
            metrics[f"{phase}_{stream}_vs_bare"] = round(ratio, 3)
            print(
                f"{label:<38} Pontive {ours['rps']:7.1f}/s p50 {ours['p50_ms']:7.1f} ms "
                f"p99 {ours['p99_ms']:7.1f} ms errors {ours['errors']:.0f} non-2xx "
                f"{ours['non_2xx']:.0f} | bare {bare['rps']:7.1f}/s p99 {bare['p99_ms']:6.1f} ms"
                f" | ratio {ratio:.3f}"
            )
        _ingest(runs, phase, metrics)
    _burst(runs, metrics)
    return metrics


def _ingest(runs: dict[str, list[dict[str, Any]]], phase: str, metrics: dict[str, float]) -> None:
    lags = [run["lags"][phase] for run in runs["pontive"]]
    p50 = _median([_percentile(lag, 0.5) * 1000 for lag in lags])
    p99 = _median([_percentile(lag, 0.99) * 1000 for lag in lags])
    metrics[f"{phase}_ingest_lag_p50_ms"] = round(p50, 1)
    metrics[f"{phase}_ingest_lag_p99_ms"] = round(p99, 1)
    print(
        f"{'readings (MQTT → committed row)':<38} lag p50 {p50:7.1f} ms p99 {p99:7.1f} ms "
        f"({_median([len(lag) for lag in lags]):.0f} readings)"
    )
    alerts = [alert_latencies(run) for run in runs["pontive"]]
    samples = [found[phase] for found in alerts]
    a50 = _median([_percentile(s, 0.5) * 1000 for s in samples if s])
    a99 = _median([_percentile(s, 0.99) * 1000 for s in samples if s])
    missed = _median([len(found["missed"]) for found in alerts])
    clients = _median([run["sse_connected"] for run in runs["pontive"]])
    sse_errors = _median([run["sse_errors"] for run in runs["pontive"]])
    metrics[f"{phase}_sse_alert_p50_ms"] = round(a50, 1)
    metrics[f"{phase}_sse_alert_p99_ms"] = round(a99, 1)
    metrics[f"{phase}_sse_deliveries"] = _median([len(s) for s in samples])
    metrics["sse_clients"] = clients
    metrics["sse_errors"] = sse_errors
    metrics["sse_triggers_missed"] = missed
    print(
        f"{'alerts (MQTT → SSE client)':<38} p50 {a50:7.1f} ms p99 {a99:7.1f} ms, "
        f"{metrics[f'{phase}_sse_deliveries']:.0f} deliveries to up to {clients:.0f} "
        f"clients, {sse_errors:.0f} stream errors, {missed:.0f} triggers never seen (all phases)"
    )


def _burst(runs: dict[str, list[dict[str, Any]]], metrics: dict[str, float]) -> None:
    rates: dict[str, float] = {}
    for target in ("pontive", "bare"):
        found = [run["burst"] for run in runs[target] if run["burst"]["seconds"]]
        rates[target] = _median([b["size"] / b["seconds"] for b in found])
        size = found[0]["size"] if found else 0
        metrics[f"{target}_flood_burst_per_s"] = round(rates[target], 1)
    ratio = rates["pontive"] / rates["bare"] if rates["bare"] else 0.0
    metrics["flood_burst_vs_bare_subscriber"] = round(ratio, 3)
    print(
        f"burst of {size} readings: Pontive {rates['pontive']:.0f} rows committed/s, bare "
        f"subscriber {rates['bare']:.0f} messages/s: ratio {ratio:.3f}"
    )
