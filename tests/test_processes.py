"""The two process types start, do their work, and stop cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TEST_DATA_KEY, TEST_SECRET

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=13)

PONTIVE = [sys.executable, "-m", "pontive"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PONTIVE_ENV": "test",
            "PONTIVE_DATABASE_URL": f"sqlite:///{tmp_path}/proc.db",
            "PONTIVE_SECRET_KEY": TEST_SECRET,
            "PONTIVE_DATA_KEY": TEST_DATA_KEY,
            "PONTIVE_LOG_LEVEL": "INFO",
        }
    )
    subprocess.run([*PONTIVE, "db", "upgrade"], env=env, check=True, capture_output=True)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("process did not stop within 20 s of SIGTERM")
    return process.returncode, err.decode()


def test_serve_answers_and_shuts_down_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*PONTIVE, "serve", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        code, err = _stop(process)
    # uvicorn re-raises the signal after a graceful shutdown, as the default handler would.
    assert code in (0, -signal.SIGTERM)
    assert '"message":"GET /healthz 200"' not in err  # probes stay out of the access log
    assert "Application shutdown complete" in err


def test_worker_runs_its_jobs_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = _env(tmp_path)
    process = subprocess.Popen(
        [*PONTIVE, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    engine = create_engine(env["PONTIVE_DATABASE_URL"])
    try:
        deadline = time.monotonic() + 20
        done = None
        while done is None and time.monotonic() < deadline:
            time.sleep(0.3)
            with engine.connect() as connection:
                done = connection.execute(
                    text("SELECT succeeded FROM job_runs WHERE name = 'audit.verify'")
                ).scalar()
    finally:
        code, err = _stop(process)
        engine.dispose()
    assert done == 1
    assert code == 0
    assert "worker stopped" in err
