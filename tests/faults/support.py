"""Real processes for the fault tests: ``pontive serve`` and ``pontive worker`` as
subprocesses, a database copied for them, a private PostgreSQL server that can be stopped and
started, and a tiny media folder that can fill up.

Every process here is started by the test and ended by its id (SIGKILL or SIGTERM); nothing
the machine runs (its PostgreSQL, Mosquitto, NATS) is ever touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, text

from pontive.core.db import normalise_url
from tests.conftest import TEST_DATA_KEY, TEST_SECRET, _copy_sqlite, _server
from tests.sensors.mqtt_support import free_port

PONTIVE = [sys.executable, "-m", "pontive"]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
IS_ROOT = os.geteuid() == 0


def process_env(database_url: str, media_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``pontive`` process on ``database_url`` in the test settings."""
    return (
        dict(os.environ)
        | {
            "PONTIVE_ENV": "test",
            "PONTIVE_DATABASE_URL": database_url,
            "PONTIVE_SECRET_KEY": TEST_SECRET,
            "PONTIVE_DATA_KEY": TEST_DATA_KEY,
            "PONTIVE_MEDIA_DIR": str(media_dir),
            "PONTIVE_ANALYTICS_DIR": str(media_dir.parent / "analytics"),
            "PONTIVE_LOG_JSON": "false",
            "PONTIVE_LOG_LEVEL": "WARNING",
        }
        | extra
    )


@dataclass
class Process:
    """One ``pontive`` subprocess (its stderr kept in ``log``)."""

    args: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    program: list[str] = field(default_factory=lambda: list(PONTIVE))

    def spawn(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*self.program, *self.args], env=self.env, stdout=out, stderr=out
            )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, connections cut mid-statement."""
        if self.is_running():
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> int | None:
        """SIGTERM and wait (SIGKILL after 20 s): the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@dataclass
class Serve(Process):
    """``pontive serve`` on a free port."""

    port: int = field(default_factory=free_port)

    @classmethod
    def on(cls, env: dict[str, str], log: Path) -> Serve:
        port = free_port()
        return cls(["serve", "--port", str(port)], env, log, port=port)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 600.0) -> None:
        self.spawn()
        deadline = time.monotonic() + timeout
        while True:
            assert self.is_running(), self.tail()
            try:
                if self.get("/healthz", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"serve did not answer\n{self.tail()}"
            time.sleep(0.1)

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, Any]:
        """(status, decoded JSON body or text) of ``GET path``."""
        return self.request("GET", path, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> tuple[int, Any]:
        """(status, decoded JSON body or text); connection errors propagate (``OSError``)."""
        # Always http://127.0.0.1:<port> of our own server, never a scheme from outside.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, _decode(response.read(), response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _decode(error.read(), error.headers)


def _decode(raw: bytes, headers: Any) -> Any:
    if "json" in (headers.get("content-type") or ""):
        return json.loads(raw)
    return raw.decode(errors="replace")


def wait_for(check: Any, timeout: float, message: str) -> Any:
    """Poll ``check()`` until it returns something truthy (returned) or fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


# --- databases -------------------------------------------------------------------------------


def copy_database(source_url: str, target_dir: Path, *, server_url: str | None = None) -> str:
    """A writable copy of the migrated, seeded database at ``source_url``.

    SQLite: an online backup into ``target_dir``. PostgreSQL: ``pg_dump | psql`` into a new
    database on ``server_url`` (default: the source's server) — no template, so the run's
    other connections to the source are never terminated."""
    if source_url.startswith("sqlite"):
        path = target_dir / "pontive.db"
        _copy_sqlite(source_url.removeprefix("sqlite:///"), str(path))
        return f"sqlite:///{path}"
    source = make_url(normalise_url(source_url))
    server = make_url(normalise_url(server_url or source_url))
    name = f"pontive_test_faults_{uuid.uuid4().hex[:8]}"
    with _server(server) as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    target = server.set(database=name, drivername="postgresql")
    source_libpq = _libpq(source.set(drivername="postgresql"))
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", source_libpq],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", _libpq(target)],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target.render_as_string(hide_password=False)


def _libpq(url: Any) -> str:
    return str(url.render_as_string(hide_password=False))


def drop_database(url: str) -> None:
    """Drop a PostgreSQL copy made by ``copy_database`` (SQLite files go with tmp_path)."""
    if url.startswith("sqlite"):
        return
    parsed = make_url(normalise_url(url))
    with _server(parsed) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of the test's own on a free port, stopped and started at will.

    As root, ``initdb`` and the server run as the ``postgres`` user (PostgreSQL refuses root)
    in a folder of their own under the system temporary directory."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pontive-pg-")))
    port: int = field(default_factory=free_port)

    @staticmethod
    def missing() -> str | None:
        """Why this machine cannot run one, or ``None``."""
        if not (PG_BIN / "initdb").exists():
            return f"no PostgreSQL server binaries in {PG_BIN}"
        if IS_ROOT and shutil.which("runuser") is None:
            return "running as root without runuser (PostgreSQL refuses to run as root)"
        return None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if IS_ROOT:
            command = [shutil.which("runuser") or "runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if IS_ROOT:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off"
        )
        data, log = str(self.folder / "data"), str(self.folder / "server.log")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: sessions are cut, committed work is kept."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- a media folder that fills up ------------------------------------------------------------


@dataclass
class TinyDisk:
    """A tmpfs of ``size_mb`` mounted as a media folder (root only), unmounted afterwards."""

    mountpoint: Path
    size_mb: int

    @staticmethod
    def missing() -> str | None:
        if not IS_ROOT:
            return "mounting a tmpfs needs root; without it there is no real ENOSPC to meet"
        if shutil.which("mount") is None:
            return "no mount command"
        return None

    def __enter__(self) -> TinyDisk:
        self.mountpoint.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                shutil.which("mount") or "/bin/mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={self.size_mb}m",
                "tmpfs",
                str(self.mountpoint),
            ],
            check=True,
            capture_output=True,
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        umount = shutil.which("umount") or "/bin/umount"
        subprocess.run([umount, "-l", str(self.mountpoint)], check=False, capture_output=True)

    def fill(self) -> Path:
        """Write a filler file until the disk refuses (ENOSPC); the filler's path."""
        filler = self.mountpoint / "filler.bin"
        with filler.open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * (1 << 16))
            except OSError:  # ENOSPC: full
                pass
        return filler


def media_files(root: Path) -> Iterator[Path]:
    """Every file a test's processes stored under ``root`` (the filler excluded)."""
    for path in root.rglob("*"):
        if path.is_file() and path.name != "filler.bin":
            yield path


# --- a private NATS JetStream server ----------------------------------------------------------

NATS_SERVER = shutil.which("nats-server") or shutil.which("nats-server", path="/usr/sbin")


@dataclass
class NatsServer:
    """``nats-server -js`` on a free port, its JetStream store in ``folder`` (kept across a
    restart, as a real deployment's is)."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [NATS_SERVER or "nats-server", "-a", "127.0.0.1", "-p", str(self.port),
                   "-js", "-sd", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(lambda: _listens(self.port), 10, f"nats-server did not listen on {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
