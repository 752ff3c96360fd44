"""The programme, activity and indicator forms of the console: the fields read into the
services' inputs (numbers with a decimal comma or point; thresholds typed as percentages),
the saved rows shown back as fields, and the choices the forms offer.

A field that cannot be read (a year that is not a number) is an error of its own; the service
is still asked, so the form shows every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.masterplan import metrics
from pontive.masterplan.choices import Direction, SourceKind
from pontive.masterplan.models import Activity, Indicator, Programme
from pontive.masterplan.service import ActivityInput, IndicatorInput, ProgrammeInput
from pontive.reference import service as reference
from pontive.web.forms import Errors, text
from pontive.web.i18n import translate

AGGREGATES = ("last", "sum", "mean")  # how a dataset column becomes one value a year
FREQUENCIES = ("tahunan", "semesteran", "triwulanan", "bulanan", "harian")


@dataclass(slots=True)
class Parsed:
    """What was read of a form, and the fields that could not be read."""

    errors: Errors = field(default_factory=dict)

    def number(self, form: FormData, name: str, *, default: float | None = None) -> float | None:
        """A decimal number (``87,5`` or ``87.5``), ``default`` when empty."""
        raw = text(form, name).replace(" ", "")
        if not raw:
            return default
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            self.errors[name] = ["Isi dengan angka, misalnya 87,5."]
            return default
        if value != value or value in (float("inf"), float("-inf")):
            self.errors[name] = ["Isi dengan angka, misalnya 87,5."]
            return default
        return value

    def year(self, form: FormData, name: str, *, default: int = 0) -> int:
        """A year (four digits)."""
        raw = text(form, name)
        if raw.isdigit() and len(raw) == 4:
            return int(raw)
        self.errors[name] = ["Isi tahun empat angka, misalnya 2026."]
        return default


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


# --- programmes and activities ---------------------------------------------------------------


def parse_programme(form: FormData, parsed: Parsed) -> ProgrammeInput:
    """The programme form as the service's input."""
    return ProgrammeInput(
        code=text(form, "code"),
        name=text(form, "name"),
        description=text(form, "description"),
        dimensi_kode=text(form, "dimensi_kode"),
        prioritas_kode=text(form, "prioritas_kode") or None,
        pd_kode=text(form, "pd_kode"),
        start_year=parsed.year(form, "start_year"),
        end_year=parsed.year(form, "end_year"),
        weight=parsed.number(form, "weight", default=1.0) or 0.0,
        kelurahan_kodes=[k for k in form.getlist("kelurahan_kodes") if isinstance(k, str)],
        dataset_names=_lines(text(form, "dataset_names")),
        idea_refs=_lines(text(form, "idea_refs")),
        is_quick_win=text(form, "is_quick_win") == "1",
    )


def programme_values(programme: Programme) -> dict[str, Any]:
    """A saved programme as the form's fields."""
    return {
        "code": programme.code,
        "name": programme.name,
        "description": programme.description,
        "dimensi_kode": programme.dimensi_kode,
        "prioritas_kode": programme.prioritas_kode or "",
        "pd_kode": programme.pd_kode,
        "start_year": str(programme.start_year),
        "end_year": str(programme.end_year),
        "weight": _number_text(programme.weight),
        "dataset_names": "\n".join(programme.dataset_names or []),
        "idea_refs": "\n".join(programme.idea_refs or []),
        "is_quick_win": "1" if programme.is_quick_win else "",
    }


def parse_activity(form: FormData, parsed: Parsed) -> ActivityInput:
    """The activity form as the service's input."""
    return ActivityInput(
        code=text(form, "code"),
        name=text(form, "name"),
        description=text(form, "description"),
        pd_kode=text(form, "pd_kode"),
        start_year=parsed.year(form, "start_year"),
        end_year=parsed.year(form, "end_year"),
        weight=parsed.number(form, "weight", default=1.0) or 0.0,
        kelurahan_kodes=[k for k in form.getlist("kelurahan_kodes") if isinstance(k, str)],
    )


def activity_values(activity: Activity) -> dict[str, Any]:
    """A saved activity as the form's fields."""
    return {
        "code": activity.code,
        "name": activity.name,
        "description": activity.description,
        "pd_kode": activity.pd_kode,
        "start_year": str(activity.start_year),
        "end_year": str(activity.end_year),
        "weight": _number_text(activity.weight),
    }


# --- indicators ------------------------------------------------------------------------------


def _source_params(form: FormData, source: str, parsed: Parsed) -> dict[str, Any]:
    if source != SourceKind.DATASET.value:
        return {}
    params = {
        key: text(form, key) for key in ("resource_id", "column", "aggregate") if text(form, key)
    }
    if params.get("aggregate", "last") not in AGGREGATES:
        parsed.errors["aggregate"] = ["Pilih: nilai terakhir, jumlah, atau rata-rata."]
    params.setdefault("aggregate", "last")
    return params


def parse_indicator(form: FormData, parsed: Parsed, years: range) -> IndicatorInput:
    """The indicator form as the service's input (``years``: the rows of targets)."""
    targets = {}
    for year in years:
        value = parsed.number(form, f"target_{year}")
        if value is not None:
            targets[year] = value
    source = text(form, "source_kind") or SourceKind.MANUAL.value
    baseline_year = text(form, "baseline_year")
    green = parsed.number(form, "green_at", default=100.0)
    amber = parsed.number(form, "amber_at", default=80.0)
    return IndicatorInput(
        code=text(form, "code"),
        name_id=text(form, "name_id"),
        name_en=text(form, "name_en"),
        unit=text(form, "unit"),
        direction=text(form, "direction"),
        pd_kode=text(form, "pd_kode"),
        weight=parsed.number(form, "weight", default=1.0) or 0.0,
        targets=targets,
        baseline_value=parsed.number(form, "baseline_value"),
        baseline_year=parsed.year(form, "baseline_year") if baseline_year else None,
        green_at=(green or 0.0) / 100,
        amber_at=(amber or 0.0) / 100,
        band_low=parsed.number(form, "band_low"),
        band_high=parsed.number(form, "band_high"),
        band_tolerance=parsed.number(form, "band_tolerance"),
        konsep=text(form, "konsep"),
        definisi=text(form, "definisi"),
        metode=text(form, "metode"),
        sumber=text(form, "sumber"),
        frekuensi=text(form, "frekuensi"),
        source_kind=source,
        live_metric=text(form, "live_metric") or None,
        source_params=_source_params(form, source, parsed),
    )


def input_values(data: IndicatorInput) -> dict[str, Any]:
    """An indicator input (saved or prefilled from a live metric) as the form's fields."""
    values = {
        "code": data.code,
        "name_id": data.name_id,
        "name_en": data.name_en,
        "unit": data.unit,
        "direction": data.direction,
        "pd_kode": data.pd_kode,
        "weight": _number_text(data.weight),
        "baseline_value": _number_text(data.baseline_value),
        "baseline_year": str(data.baseline_year or ""),
        "green_at": _number_text(round(data.green_at * 100, 4)),
        "amber_at": _number_text(round(data.amber_at * 100, 4)),
        "band_low": _number_text(data.band_low),
        "band_high": _number_text(data.band_high),
        "band_tolerance": _number_text(data.band_tolerance),
        "konsep": data.konsep,
        "definisi": data.definisi,
        "metode": data.metode,
        "sumber": data.sumber,
        "frekuensi": data.frekuensi,
        "source_kind": data.source_kind,
        "live_metric": data.live_metric or "",
        "resource_id": str(data.source_params.get("resource_id", "")),
        "column": str(data.source_params.get("column", "")),
        "aggregate": str(data.source_params.get("aggregate", "last")),
    }
    for year, value in data.targets.items():
        values[f"target_{year}"] = _number_text(value)
    return values


def indicator_input(indicator: Indicator) -> IndicatorInput:
    """A saved indicator as the service's input (to show it in the form)."""
    return IndicatorInput(
        code=indicator.code,
        name_id=indicator.name_id,
        name_en=indicator.name_en,
        unit=indicator.unit,
        direction=indicator.direction.value,
        pd_kode=indicator.pd_kode,
        weight=indicator.weight,
        targets={t.year: t.value for t in indicator.targets},
        baseline_value=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        green_at=indicator.green_at,
        amber_at=indicator.amber_at,
        band_low=indicator.band_low,
        band_high=indicator.band_high,
        band_tolerance=indicator.band_tolerance,
        konsep=indicator.konsep,
        definisi=indicator.definisi,
        metode=indicator.metode,
        sumber=indicator.sumber,
        frekuensi=indicator.frekuensi,
        source_kind=indicator.source_kind.value,
        live_metric=indicator.live_metric,
        source_params=dict(indicator.source_params or {}),
    )


# --- choices ---------------------------------------------------------------------------------


def _name(row: Any, english: bool) -> str:
    return str(row.nama_en if english else row.nama_id)


def choices(session: Session, lang: str) -> dict[str, Any]:
    """What the forms offer: dimensions, priorities (named with their dimension, so the list
    is usable without JavaScript), agencies, kelurahan, directions, sources, metrics."""
    dimensions = reference.list_dimensi(session=session)
    english = lang == "en"
    return {
        "dimension_options": [(d.kode, d.nama_en if english else d.nama_id) for d in dimensions],
        "priority_options": [
            (p.kode, f"{_name(d, english)} — {p.huruf}. {_name(p, english)}", d.kode)
            for d in dimensions
            for p in d.prioritas
        ],
        "pd_options": [
            (pd.kode, f"{pd.singkatan} — {pd.nama}")
            for pd in reference.list_perangkat_daerah(session=session)
        ],
        "kelurahan_options": [
            (k.kode, f"{k.nama_umum} ({kec.nama})")
            for kec in reference.list_kecamatan(session=session)
            for k in kec.kelurahan
        ],
        "direction_options": [(d.value, d.label(lang)) for d in Direction],
        "source_options": [(s.value, s.label(lang)) for s in SourceKind],
        "metric_options": [
            (m.key, m.name_en if english else m.name_id) for m in metrics.METRICS.values()
        ],
        "aggregate_options": [(a, translate(f"mp.plan.agg.{a}", lang)) for a in AGGREGATES],
        "frequency_options": [(f, translate(f"mp.plan.freq.{f}", lang)) for f in FREQUENCIES],
    }


def chosen(form: FormData | None, name: str, saved: list[str]) -> list[str]:
    """The ticked codes of a check list: as posted, else as saved."""
    if form is not None:
        return [v for v in form.getlist(name) if isinstance(v, str)]
    return list(saved)
