"""``pontive complaints …`` against a database of its own, as an operator would use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pontive.cli import app
from pontive.settings import get_settings
from tests.conftest import cli_env

runner = CliRunner()
HEADER = "tanggal,kategori,uraian,lat,lon,nomor_eksternal"
ROWS = [
    "2026-03-02 08:15,drainase,Parit di Gang Mawar tersumbat dan meluap,-0.0391,109.3427,H-1",
    "02/03/2026 09:40,lampu-jalan,Tiga lampu jalan mati sejak minggu lalu,-0.0391,109.3427,H-2",
]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    for name, value in {**cli_env(url), "PONTIVE_MEDIA_DIR": str(tmp_path / "media")}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _file(tmp_path: Path, *rows: str, name: str = "laporan.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_import_reports_rejected_rows_and_exits_1(cli_db: str, tmp_path: Path) -> None:
    bad = "2026-03-02,drainase,pendek,-0.0391,109.3427,H-3"
    code, output = run("complaints", "import", _file(tmp_path, ROWS[0], bad), "--source", "hotline")
    assert code == 1
    assert "DITOLAK baris 3: uraian: terlalu pendek (minimal 10 karakter)" in output
    assert "nothing imported" in output
    # Nothing of the valid first row was stored either.
    code, output = run("complaints", "import", _file(tmp_path, ROWS[0]), "--source", "hotline")
    assert code == 0, output
    assert "imported: 1 laporan" in output


def test_import_then_reimport_skips_known_numbers(cli_db: str, tmp_path: Path) -> None:
    path = _file(tmp_path, *ROWS)
    code, output = run("complaints", "import", path, "--source", "lapor", "--dry-run")
    assert code == 0, output
    assert "Dry run" in output
    code, output = run("complaints", "import", path, "--source", "lapor")
    assert code == 0, output
    assert output.count("PTK-2026-") == 2
    code, output = run("complaints", "import", path, "--source", "lapor")
    assert code == 0
    assert "dilewati baris 2: H-1 sudah diimpor sebagai PTK-2026-" in output
    assert "imported: 0 laporan" in output


def test_import_refuses_an_unknown_source(cli_db: str, tmp_path: Path) -> None:
    code, _ = run("complaints", "import", _file(tmp_path, *ROWS), "--source", "web")
    assert code == 2


def test_import_of_a_missing_file_exits_2(cli_db: str, tmp_path: Path) -> None:
    code, output = run("complaints", "import", str(tmp_path / "none.csv"))
    assert code == 2
    assert "cannot read" in output


def test_holidays_list_add_remove(cli_db: str) -> None:
    code, output = run("complaints", "holidays", "list", "--year", "2026")
    assert code == 0
    assert "2026-08-17\tMon\tHari Kemerdekaan Republik Indonesia" in output
    code, output = run("complaints", "holidays", "add", "2026-08-18", "Cuti bersama")
    assert code == 0, output
    code, output = run("complaints", "holidays", "add", "2026-08-18", "Cuti bersama")
    assert code == 1
    assert "sudah tercatat" in output
    assert "2026-08-18\tTue\tCuti bersama" in run("complaints", "holidays", "list")[1]
    assert run("complaints", "holidays", "remove", "2026-08-18")[0] == 0
    assert "2026-08-18" not in run("complaints", "holidays", "list")[1]
    code, output = run("complaints", "holidays", "remove", "2026-08-18")
    assert code == 1
    code, output = run("complaints", "holidays", "add", "18/08/2026", "Salah format")
    assert code == 2
