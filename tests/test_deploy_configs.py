"""The configuration files shipped in ``deploy/``: complete, consistent with the code, valid.

Each is checked by its own tool where the machine has it (``systemd-analyze verify``,
``nginx -t``, ``promtool check rules``) and structurally otherwise (the skip says which).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.routing import BaseRoute

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.2)

# --- the shipped configuration files ---------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
PROMTOOL = shutil.which("promtool")
OPENSSL = shutil.which("openssl")
HARDENING = ("NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectSystem=strict")


def _unit(path: Path) -> dict[str, list[str]]:
    """A unit file's ``Key=value`` lines by section (keys may repeat)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        assert current, (path.name, line)
        assert "=" in line, (path.name, line)
        sections[current].append(line)
    return sections


def test_systemd_units_are_complete_and_valid(tmp_path: Path) -> None:
    units = sorted((DEPLOY / "systemd").glob("pontive-*"))
    names = {unit.name for unit in units}
    assert {
        "pontive-web.service",
        "pontive-worker.service",
        "pontive-worker@.service",
        "pontive-backup.service",
        "pontive-backup.timer",
    } <= names
    services = {}
    for unit in units:
        sections = _unit(unit)
        assert any(line.startswith("Description=") for line in sections["Unit"]), unit.name
        if unit.suffix == ".service":
            service = sections["Service"]
            services[unit.name] = service
            for option in (*HARDENING, "User=pontive", "EnvironmentFile=/etc/pontive/env"):
                assert option in service, (unit.name, option)
    web = " ".join(services["pontive-web.service"])
    assert "pontive serve" in web
    assert "--workers" in web
    assert "pontive worker" in " ".join(services["pontive-worker@.service"])
    backup = next(line for line in services["pontive-backup.service"] if "ExecStart=" in line)
    assert "pontive backup create --output" in backup
    code, output = _pontive_help("backup", "create")
    assert code == 0
    assert "--output" in output  # the option the unit passes exists
    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed: checked structurally only")
    executable = str(Path(sys.executable).parent / "pontive")
    for unit in units:  # the real executables, so that verify can check they exist
        text_ = unit.read_text().replace("/srv/pontive/.venv/bin/pontive", executable)
        (tmp_path / unit.name).write_text(text_)
    (tmp_path / "pontive-worker@2.service").write_text(
        (tmp_path / "pontive-worker@.service").read_text()
    )
    checked = [str(path) for path in sorted(tmp_path.iterdir()) if "@." not in path.name]
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", *checked], capture_output=True, text=True, timeout=60
    )
    ours = [line for line in result.stderr.splitlines() if "pontive" in line]
    assert result.returncode == 0, result.stderr
    assert ours == [], ours  # unknown keys and bad values are only warnings to verify


def _pontive_help(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from pontive.cli import app as cli_app

    result = CliRunner().invoke(cli_app, [*args, "--help"], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _route_paths(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    """The full paths of ``routes``, through the routers included among them."""
    for route in routes:
        child = getattr(route, "original_router", None)
        if child is not None:
            context = getattr(route, "include_context", None)
            yield from _route_paths(child.routes, prefix + str(getattr(context, "prefix", "")))
        else:
            yield prefix + str(getattr(route, "path", ""))


def test_nginx_site_matches_the_routes_and_is_valid(app: FastAPI, tmp_path: Path) -> None:
    site = (DEPLOY / "nginx" / "pontive.conf").read_text()
    assert site.count("{") == site.count("}")
    paths = set(_route_paths(app.routes))
    for exact in re.findall(r"location = (\S+) \{", site):
        assert exact in paths, f"nginx location {exact} is no route of Pontive"
    for pattern in re.findall(r"location ~ (\S+) \{", site):
        probe = {"^/open311/v2/requests\\.(json|xml)$": "/open311/v2/requests.json"}.get(
            pattern, ""
        )
        if probe:
            assert re.match(pattern, probe)
            assert "/open311/v2/requests.{fmt}" in paths
    stream = site.split("location = /api/v1/events/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in stream
    metrics = site.split("location = /metrics {", 1)[1].split("}", 1)[0]
    assert "deny all;" in metrics
    assert "limit_req zone=pontive_reports" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    if NGINX is None or OPENSSL is None:
        pytest.skip("nginx (or openssl) is not installed: checked structurally only")
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=pontive.test", "-keyout", str(tmp_path / "key.pem"), "-out",
         str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path}/cert.pem;", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path}/key.pem;", site)
    (tmp_path / "pontive.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n include {tmp_path}/pontive.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def _exported_metric_names() -> set[str]:
    """Every metric name Pontive's code declares (Counter/Gauge/Histogram/metric families)."""
    pattern = re.compile(
        r"\b(?:Counter|Gauge|Histogram|Summary|GaugeMetricFamily|CounterMetricFamily)\(\s*"
        r"\"(pontive_[a-z0-9_]+)\""
    )
    names: set[str] = set()
    for path in (REPO / "src" / "pontive").rglob("*.py"):
        names.update(pattern.findall(path.read_text()))
    return names


def test_prometheus_alert_rules_use_exported_metrics() -> None:
    import yaml  # type: ignore[import-untyped]

    path = DEPLOY / "prometheus" / "alerts.yml"
    rules = yaml.safe_load(path.read_text())
    declared = _exported_metric_names()
    exposed = declared | {f"{name}_{suffix}" for name in declared for suffix in SUFFIXES}
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert len({rule["alert"] for rule in alerts}) == len(alerts)
    used: set[str] = set()
    for rule in alerts:
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
        for name in re.findall(r"\bpontive_[a-z0-9_]+", rule["expr"]):
            assert name in exposed, f"{rule['alert']}: {name} is not exported by Pontive"
            used.add(name)
    for key in ("pontive_worker_service_lease_held", "pontive_worker_job_runs_total"):
        assert key in used
    if PROMTOOL is None:
        pytest.skip("promtool is not installed: checked structurally only")
    result = subprocess.run(
        [PROMTOOL, "check", "rules", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


SUFFIXES = ("total", "bucket", "count", "sum", "created")
