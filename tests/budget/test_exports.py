"""Budget exports (``budget/exports.py``): the CSV round-trips through the import, the Fiscal
Data Package is well formed, and the totals by key add up as worked out by hand."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from pontive.budget import exports, importer, service
from pontive.budget.models import BudgetLine
from tests.budget.support import TIM, line
from tests.masterplan.support import activity, programme


def _state(lines: list[BudgetLine]) -> list[tuple[Any, ...]]:
    return [
        (
            b.code, b.name, b.pd_kode, b.source, b.category, b.programme_id, b.activity_id,
            b.kode_program, b.kode_kegiatan, b.kode_subkegiatan, b.source_detail, b.note,
            [(q.quarter, q.planned, q.realised) for q in b.quarters],
        )
        for b in lines
    ]  # fmt: skip


def _fixture(session: Session) -> None:
    living = programme(session, "LIV-70")
    governance = programme(session, "GOV-70", dimensi_kode="governance", pd_kode="diskominfo")
    act = activity(session, living, "LIV-70.01")
    line(
        session,
        "EX-001",
        realised=(100_000_000, 150_000_000),
        programme_code=governance.code,
        kode_program="2.16.03",
        kode_kegiatan="2.16.03.1.02",
        kode_subkegiatan="2.16.03.1.02.0005",
        note='Catatan, dengan koma; dan "kutip"',
    )
    line(
        session,
        "EX-002",
        planned=(50_000_000, 0, 0, 0),
        realised=(25_000_000,),
        activity_code=act.code,
        source="lainnya",
        category="sdm",
        source_detail="Hibah provinsi",
    )
    line(
        session,
        "EX-003",
        planned=(0, 0, 10_000_000, 0),
        pd_kode="pupr",
        category="infrastruktur",
        programme_code=living.code,
    )
    line(
        session,
        "EX-004",
        planned=(1_000_000, 1_000_000, 1_000_000, 1_000_000),
        pd_kode="pupr",
        category="teknologi",
        source="lainnya",
    )  # outside any programme


def test_the_csv_round_trips_through_the_import(session: Session) -> None:
    _fixture(session)
    before = _state(service.list_lines(session, year=2026))
    data = exports.lines_csv(session, year=2026)
    rows = importer.read_file(data, "anggaran.csv")
    assert rows[0] == list(importer.COLUMN_NAMES)
    assert len(rows) == 5
    report = importer.import_rows(session, actor=TIM, rows=rows)
    assert report.ok, report.problems
    assert (report.created, report.updated) == (0, 4)
    session.expire_all()
    assert _state(service.list_lines(session, year=2026)) == before
    assert exports.lines_csv(session, year=2026) == data
    # the same file into an empty year creates the lines again
    moved = [rows[0]] + [["2030", *r[1:]] for r in rows[1:]]
    again = importer.import_rows(session, actor=TIM, rows=moved)
    assert (again.created, again.updated) == (4, 0)
    assert _state(service.list_lines(session, year=2030)) == before


def _package(session: Session) -> tuple[dict[str, Any], zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(exports.fiscal_data_package(session, year=2026)))
    return json.loads(archive.read("datapackage.json")), archive


def test_the_fiscal_data_package_is_well_formed(session: Session) -> None:
    _fixture(session)
    descriptor, archive = _package(session)
    assert descriptor["profile"] == "fiscal-data-package"
    assert {"name", "title", "resources", "model"} <= set(descriptor)
    assert descriptor["fiscalPeriod"] == {"start": "2026-01-01", "end": "2026-12-31"}
    resources = {r["name"]: r for r in descriptor["resources"]}
    fields = {
        name: {f["name"]: f["type"] for f in r["schema"]["fields"]} for name, r in resources.items()
    }
    first = descriptor["resources"][0]["name"]
    # every resource's file is in the ZIP, and its header is its schema's fields, in order
    for name, resource in resources.items():
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        assert header == [f["name"] for f in resource["schema"]["fields"]], name
    # keys and foreign keys name fields that exist
    for name, resource in resources.items():
        schema = resource["schema"]
        key = schema["primaryKey"]
        assert set([key] if isinstance(key, str) else key) <= set(fields[name])
        for foreign in schema.get("foreignKeys", []):
            assert foreign["fields"] in fields[name]
            assert foreign["reference"]["fields"] in fields[foreign["reference"]["resource"]]
    model = descriptor["model"]
    assert len(model["measures"]) == 8
    for name, measure in model["measures"].items():
        assert fields[measure.get("resource", first)][measure["source"]] == "number", name
        assert measure["currency"] == "IDR"
        assert measure["phase"] in {"approved", "executed"}
    assert model["measures"]["planned_q2"]["fiscalPeriod"] == {
        "start": "2026-04-01",
        "end": "2026-06-30",
    }
    assert model["measures"]["realised_q4"]["fiscalPeriod"]["end"] == "2026-12-31"
    kinds = {}
    for name, dimension in model["dimensions"].items():
        attributes = dimension["attributes"]
        for attribute in attributes.values():
            assert attribute["source"] in fields[attribute.get("resource", first)], name
            for link in ("labelfor", "parent"):
                assert attribute.get(link, next(iter(attributes))) in attributes
        key = dimension["primaryKey"]
        assert set([key] if isinstance(key, str) else key) <= set(attributes), name
        kinds[name] = (dimension["dimensionType"], dimension.get("classificationType"))
    assert kinds["administrative-classification"] == ("classification", "administrative")
    assert kinds["functional-classification"] == ("classification", "functional")
    assert kinds["regional-budget-classification"][0] == "activity"
    assert kinds["account"][0] == "entity"
    sources = model["dimensions"]["regional-budget-classification"]["attributes"]
    assert {a["source"] for a in sources.values()} == {
        "kode_program",
        "kode_kegiatan",
        "kode_subkegiatan",
    }


def test_the_packages_csv_is_the_export_and_its_lookups_cover_the_lines(session: Session) -> None:
    _fixture(session)
    descriptor, archive = _package(session)
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    assert archive.read(paths["budget-lines"]) == exports.lines_csv(session, year=2026)

    def table(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(paths[name]).decode())))

    assert {r["pd_kode"] for r in table("perangkat-daerah")} == {"dlh", "pupr"}
    programmes = {r["programme_code"]: r["dimensi_kode"] for r in table("programmes")}
    assert programmes == {"GOV-70": "governance", "LIV-70": "living"}
    assert len(table("categories")) == 7
    assert {r["source"] for r in table("sources")} == {"apbd", "lainnya"}


def test_totals_by_key_match_the_hand_worked_sums(session: Session) -> None:
    _fixture(session)

    # EX-001 dlh/apbd/teknologi GOV: planned 1.000.000.000, realised 250.000.000
    # EX-002 dlh/lainnya/sdm LIV (by its activity): 50.000.000 / 25.000.000
    # EX-003 pupr/apbd/infrastruktur LIV: 10.000.000 / 0
    # EX-004 pupr/lainnya/teknologi none: 4.000.000 / 0
    def sums(by: str) -> dict[str, tuple[int, int, float | None]]:
        return {
            g.key: (int(g.totals.planned), int(g.totals.realised), g.totals.rate)
            for g in exports.grouped_totals(session, year=2026, by=by)
            if g.totals.planned or g.totals.realised
        }

    assert sums("category") == {
        "teknologi": (1_004_000_000, 250_000_000, 250 / 1004),
        "infrastruktur": (10_000_000, 0, 0.0),
        "sdm": (50_000_000, 25_000_000, 0.5),
    }
    assert sums("source") == {
        "apbd": (1_010_000_000, 250_000_000, 25 / 101),
        "lainnya": (54_000_000, 25_000_000, 25 / 54),
    }
    assert sums("pd") == {
        "dlh": (1_050_000_000, 275_000_000, 275 / 1050),
        "pupr": (14_000_000, 0, 0.0),
    }
    assert sums("dimension") == {
        "governance": (1_000_000_000, 250_000_000, 0.25),
        "living": (60_000_000, 25_000_000, 25 / 60),
        "": (4_000_000, 0, 0.0),
    }
    labels = [g.label for g in exports.grouped_totals(session, year=2026, by="category")]
    assert labels[0] == "a. Regulasi dan kebijakan"
    assert len(labels) == 7
    assert [g.key for g in exports.grouped_totals(session, year=2026, by="pd")] == ["dlh", "pupr"]
    assert service.totals(service.list_lines(session, year=2026)).planned == Decimal(1_064_000_000)
