"""Charts of a result as accessible SVG: title and description, labelled axes, WIB times."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from pontive.analytics.workspace_chart import ChartSpec, nice_ticks, problems, render
from pontive.analytics.workspace_engine import QueryResult, ResultColumn

SVG = "{http://www.w3.org/2000/svg}"


def _result(columns: list[tuple[str, str]], rows: list[tuple[object, ...]]) -> QueryResult:
    return QueryResult(
        columns=tuple(ResultColumn(name, kind) for name, kind in columns),
        rows=list(rows),
        row_count=len(rows),
        truncated=False,
        elapsed_ms=1.0,
        export_generated_at="2026-11-30T00:00:00+00:00",
    )


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_a_bar_chart_has_its_title_description_axes_and_bars() -> None:
    result = _result(
        [("pd", "VARCHAR"), ("persen", "DOUBLE")], [("PUPR", 82.5), ("DLH", 91.0), ("Dishub", 40.0)]
    )
    svg = str(render(ChartSpec("bar", "pd", "persen"), result, title="Kepatuhan SLA", lang="id"))
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "ws-title ws-desc"
    assert root.find(f"{SVG}title").text == "Kepatuhan SLA"  # type: ignore[union-attr]
    description = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert description == "Diagram batang persen menurut pd: 3 titik, dari 40 sampai 91."
    assert len(list(root.iter(f"{SVG}rect"))) == 3
    texts = _texts(svg)
    assert {"PUPR", "DLH", "Dishub", "pd", "persen", "Kepatuhan SLA"} <= set(texts)
    assert "82,5" not in texts
    assert any(
        t.startswith("PUPR: 82,5")
        for t in [r.findtext(f"{SVG}title") or "" for r in root.iter(f"{SVG}rect")]
    )


def test_a_line_over_time_is_labelled_in_wib() -> None:
    start = datetime(2026, 11, 1, 17, 0, tzinfo=UTC)  # 00:00 WIB on 2 November
    rows = [(start + timedelta(days=day), 150.0 + day) for day in range(10)]
    result = _result([("jam", "TIMESTAMP WITH TIME ZONE"), ("cm", "DOUBLE")], rows)
    svg = str(render(ChartSpec("line", "jam", "cm"), result, title="Muka air", lang="en"))
    texts = _texts(svg)
    assert "jam (WIB)" in texts
    assert "02/11/2026" in texts
    assert "11/11/2026" in texts
    assert '<path d="M' in svg
    assert "Line chart of cm by jam: 10 points, from 150 to 159." in svg


def test_a_series_column_draws_one_line_each_with_a_legend() -> None:
    rows = [
        (day, station, float(day * 10 + index))
        for day in range(1, 4)
        for index, station in enumerate(("Selatan", "Utara"))
    ]
    result = _result([("hari", "INTEGER"), ("stasiun", "VARCHAR"), ("ispu", "DOUBLE")], rows)
    svg = str(render(ChartSpec("line", "hari", "ispu", "stasiun"), result, title="ISPU", lang="id"))
    assert svg.count("<path") == 2
    assert {"Selatan", "Utara"} <= set(_texts(svg))


def test_what_cannot_be_drawn_is_said() -> None:
    result = _result([("pd", "VARCHAR"), ("n", "BIGINT")], [("PUPR", 3)])
    assert problems(ChartSpec("bar", "pd", "n"), result) == []
    assert problems(ChartSpec("bar", "n", "pd"), result) == [
        ("Kolom y 'pd' harus berupa angka.", "The y column 'pd' must be numeric.")
    ]
    assert (
        problems(ChartSpec("bar", "pd", "jumlah"), result)[0][1]
        == "The y column 'jumlah' is not in the result."
    )
    assert (
        str(
            render(
                ChartSpec("bar", "pd", "n"),
                _result([("pd", "VARCHAR"), ("n", "BIGINT")], []),
                title="x",
                lang="id",
            )
        )
        == ""
    )


def test_ticks_are_round_numbers_covering_the_values() -> None:
    assert nice_ticks(0, 91) == [0, 25, 50, 75, 100]
    assert nice_ticks(127.0, 293.0) == [100, 150, 200, 250, 300]
