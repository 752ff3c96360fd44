"""The programme's structure: programmes and activities under the six dimensions and their
Pasal 11 priorities, indicators with their targets and sources. Who may do what is declared
here for the whole masterplan domain (and the budget's), so the matrix is in one place:

- the technical team (tim teknis) and admins shape the masterplan, programmes, indicators,
  frameworks and budget lines, verify realisation and run the evaluation;
- each agency's officers report realisation (and budget realisation) of what their agency owns;
- the mayor approves the evaluation; the council records its recommendations;
- every staff role reads everything; the public reads what the public pages show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.permissions import STAFF
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.masterplan import metrics
from pontive.masterplan.choices import Direction, SourceKind
from pontive.masterplan.models import Activity, Evaluation, Indicator, IndicatorTarget, Programme
from pontive.reference import service as reference

PLANNERS = {Role.TIM_TEKNIS, Role.ADMIN}
READ = permissions.register("masterplan.read", STAFF)
MANAGE = permissions.register("masterplan.manage", PLANNERS)
ADOPT = permissions.register("masterplan.adopt", {*PLANNERS, Role.WALIKOTA})
REPORT = permissions.register("masterplan.report", {*PLANNERS, Role.PETUGAS_PD}, pd_scoped=True)
VERIFY = permissions.register("masterplan.verify", PLANNERS)
EVALUATE = permissions.register("masterplan.evaluate", PLANNERS)
APPROVE_EVALUATION = permissions.register(
    "masterplan.evaluation.approve", {Role.WALIKOTA, Role.ADMIN}
)
RECOMMEND = permissions.register("masterplan.recommend", {Role.DEWAN, Role.ADMIN})
BUDGET_MANAGE = permissions.register("budget.manage", PLANNERS)
BUDGET_REPORT = permissions.register("budget.report", {*PLANNERS, Role.PETUGAS_PD}, pd_scoped=True)

Errors = dict[str, list[str]]


@dataclass(slots=True)
class ProgrammeInput:
    """A programme as typed."""

    code: str
    name: str
    dimensi_kode: str
    pd_kode: str
    start_year: int
    end_year: int
    prioritas_kode: str | None = None
    description: str = ""
    weight: float = 1.0
    kelurahan_kodes: Sequence[str] = ()
    dataset_names: Sequence[str] = ()
    idea_refs: Sequence[str] = ()
    is_quick_win: bool = False


@dataclass(slots=True)
class ActivityInput:
    """An activity as typed."""

    code: str
    name: str
    pd_kode: str
    start_year: int
    end_year: int
    description: str = ""
    weight: float = 1.0
    kelurahan_kodes: Sequence[str] = ()


@dataclass(slots=True)
class IndicatorInput:
    """An indicator as typed: what it measures, how it is judged, where values come from."""

    code: str
    name_id: str
    unit: str
    direction: str
    pd_kode: str
    name_en: str = ""
    weight: float = 1.0
    targets: dict[int, float] = field(default_factory=dict)
    baseline_value: float | None = None
    baseline_year: int | None = None
    green_at: float = 1.0
    amber_at: float = 0.8
    band_low: float | None = None
    band_high: float | None = None
    band_tolerance: float | None = None
    konsep: str = ""
    definisi: str = ""
    metode: str = ""
    sumber: str = ""
    frekuensi: str = "tahunan"
    source_kind: str = SourceKind.MANUAL.value
    live_metric: str | None = None
    source_params: dict[str, Any] = field(default_factory=dict)


def _invalid(errors: Errors, what_id: str, what_en: str) -> InvalidInput:
    return InvalidInput(f"Data {what_id} tidak valid.", f"Invalid {what_en}.", errors=errors)


def _check_common(
    session: Session,
    errors: Errors,
    code: str,
    name: str,
    pd_kode: str,
    start: int,
    end: int,
    weight: float,
    kelurahan: Sequence[str],
) -> None:
    if not code.strip() or len(code.strip()) > 40:
        errors["code"] = ["Kode 1 sampai 40 huruf."]
    if not 3 <= len(name.strip()) <= 200:
        errors["name"] = ["Nama 3 sampai 200 huruf."]
    if reference.get_perangkat_daerah(session=session, kode=pd_kode) is None:
        errors["pd_kode"] = ["Pilih Perangkat Daerah pemilik."]
    if not 2000 <= start <= end <= 2100:
        errors["years"] = ["Tahun mulai tidak boleh setelah tahun selesai."]
    if weight < 0:
        errors["weight"] = ["Bobot tidak boleh negatif."]
    known = {k.kode for kec in reference.list_kecamatan(session=session) for k in kec.kelurahan}
    unknown = [k for k in kelurahan if k not in known]
    if unknown:
        errors["kelurahan_kodes"] = [f"Kelurahan tidak dikenal: {', '.join(unknown)}."]


# --- programmes and activities ---------------------------------------------------------------


def list_programmes(
    session: Session, *, dimensi_kode: str | None = None, pd_kode: str | None = None
) -> list[Programme]:
    """Active programmes with their activities, by code (public information)."""
    query = select(Programme).options(selectinload(Programme.activities))
    query = query.where(Programme.active.is_(True))
    if dimensi_kode:
        query = query.where(Programme.dimensi_kode == dimensi_kode)
    if pd_kode:
        query = query.where(Programme.pd_kode == pd_kode)
    return list(session.scalars(query.order_by(Programme.code)))


def get_programme(session: Session, code: str) -> Programme:
    """A programme by code, or NotFound."""
    programme = session.scalar(
        select(Programme).options(selectinload(Programme.activities)).where(Programme.code == code)
    )
    if programme is None:
        raise NotFound("Program tidak ditemukan.", "Programme not found.")
    return programme


def save_programme(
    session: Session, *, actor: Actor, data: ProgrammeInput, programme: Programme | None = None
) -> Programme:
    """Create (``programme=None``) or change a programme."""
    permissions.require(actor, MANAGE)
    errors: Errors = {}
    _check_common(
        session,
        errors,
        data.code,
        data.name,
        data.pd_kode,
        data.start_year,
        data.end_year,
        data.weight,
        data.kelurahan_kodes,
    )
    dimensions = {d.kode: d for d in reference.list_dimensi(session=session)}
    dimension = dimensions.get(data.dimensi_kode)
    if dimension is None:
        errors["dimensi_kode"] = ["Pilih salah satu dari enam dimensi."]
    elif data.prioritas_kode and data.prioritas_kode not in {p.kode for p in dimension.prioritas}:
        errors["prioritas_kode"] = ["Arah prioritas harus milik dimensi yang dipilih."]
    code = data.code.strip().upper()
    clash = session.scalar(select(Programme.id).where(Programme.code == code))
    if clash is not None and (programme is None or clash != programme.id):
        errors["code"] = ["Kode program sudah dipakai."]
    if errors:
        raise _invalid(errors, "program", "programme")
    before = _programme_state(programme) if programme is not None else None
    if programme is None:
        programme = Programme(code=code)
        session.add(programme)
    programme.code, programme.name = code, " ".join(data.name.split())
    programme.description = data.description.strip()
    programme.dimensi_kode, programme.prioritas_kode = (
        data.dimensi_kode,
        data.prioritas_kode or None,
    )
    programme.pd_kode, programme.weight = data.pd_kode, data.weight
    programme.start_year, programme.end_year = data.start_year, data.end_year
    programme.kelurahan_kodes = list(dict.fromkeys(data.kelurahan_kodes))
    programme.dataset_names = [n.strip() for n in data.dataset_names if n.strip()]
    programme.idea_refs = [r.strip() for r in data.idea_refs if r.strip()]
    programme.is_quick_win, programme.updated_at = data.is_quick_win, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="masterplan.programme.saved",
        object_type="mp_programme",
        object_id=programme.code,
        before=before,
        after=_programme_state(programme),
    )
    return programme


def _programme_state(programme: Programme) -> dict[str, Any]:
    return {
        "code": programme.code,
        "name": programme.name,
        "dimensi": programme.dimensi_kode,
        "prioritas": programme.prioritas_kode,
        "pd": programme.pd_kode,
        "years": [programme.start_year, programme.end_year],
        "weight": programme.weight,
    }


def save_activity(
    session: Session,
    *,
    actor: Actor,
    programme: Programme,
    data: ActivityInput,
    activity: Activity | None = None,
) -> Activity:
    """Create or change an activity of ``programme``."""
    permissions.require(actor, MANAGE)
    errors: Errors = {}
    _check_common(
        session,
        errors,
        data.code,
        data.name,
        data.pd_kode,
        data.start_year,
        data.end_year,
        data.weight,
        data.kelurahan_kodes,
    )
    code = data.code.strip().upper()
    clash = session.scalar(select(Activity.id).where(Activity.code == code))
    if clash is not None and (activity is None or clash != activity.id):
        errors["code"] = ["Kode kegiatan sudah dipakai."]
    if errors:
        raise _invalid(errors, "kegiatan", "activity")
    if activity is None:
        activity = Activity(programme=programme, code=code)
        session.add(activity)
    activity.code, activity.name = code, " ".join(data.name.split())
    activity.description, activity.pd_kode = data.description.strip(), data.pd_kode
    activity.start_year, activity.end_year = data.start_year, data.end_year
    activity.weight, activity.kelurahan_kodes = data.weight, list(data.kelurahan_kodes)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="masterplan.activity.saved",
        object_type="mp_activity",
        object_id=activity.code,
        after={"code": code, "programme": programme.code, "pd": data.pd_kode},
    )
    return activity


# --- indicators ------------------------------------------------------------------------------


def list_indicators(
    session: Session, *, pd_kode: str | None = None, programme_id: int | None = None
) -> list[Indicator]:
    """Active indicators with their targets, by code."""
    query = select(Indicator).options(selectinload(Indicator.targets))
    query = query.where(Indicator.active.is_(True))
    if pd_kode:
        query = query.where(Indicator.pd_kode == pd_kode)
    if programme_id is not None:
        activities = select(Activity.id).where(Activity.programme_id == programme_id)
        query = query.where(
            (Indicator.programme_id == programme_id) | Indicator.activity_id.in_(activities)
        )
    return list(session.scalars(query.order_by(Indicator.code)))


def get_indicator(session: Session, code: str) -> Indicator:
    """An indicator by code, or NotFound."""
    indicator = session.scalar(
        select(Indicator).options(selectinload(Indicator.targets)).where(Indicator.code == code)
    )
    if indicator is None:
        raise NotFound("Indikator tidak ditemukan.", "Indicator not found.")
    return indicator


def target_for(indicator: Indicator, year: int) -> float | None:
    """The indicator's target for ``year`` (None when none is set)."""
    return next((t.value for t in indicator.targets if t.year == year), None)


def _check_indicator(
    data: IndicatorInput, errors: Errors
) -> tuple[Direction | None, SourceKind | None]:
    direction = source = None
    try:
        direction = Direction(data.direction)
    except ValueError:
        errors["direction"] = ["Pilih arah indikator."]
    try:
        source = SourceKind(data.source_kind)
    except ValueError:
        errors["source_kind"] = ["Pilih sumber data indikator."]
    if not 3 <= len(data.name_id.strip()) <= 300:
        errors["name_id"] = ["Nama indikator 3 sampai 300 huruf."]
    if not data.unit.strip():
        errors["unit"] = ["Isi satuan (%, jam, unit …)."]
    if not 0 <= data.amber_at <= data.green_at:
        errors["thresholds"] = ["Ambang kuning harus di antara 0 dan ambang hijau."]
    if direction is Direction.BAND and (
        data.band_low is None or data.band_high is None or data.band_low > data.band_high
    ):
        errors["band"] = ["Isi batas bawah dan atas rentang (bawah ≤ atas)."]
    if source is SourceKind.LIVE and data.live_metric not in metrics.METRICS:
        errors["live_metric"] = ["Pilih metrik Pontive yang dihitung langsung."]
    if source is SourceKind.DATASET and not {"resource_id", "column"} <= set(data.source_params):
        errors["source_params"] = ["Sebutkan sumber daya dataset dan kolomnya."]
    bad_years = [y for y in data.targets if not 2000 <= y <= 2100]
    if bad_years:
        errors["targets"] = [f"Tahun target tidak valid: {bad_years}."]
    return direction, source


def save_indicator(
    session: Session,
    *,
    actor: Actor,
    data: IndicatorInput,
    programme: Programme | None = None,
    activity: Activity | None = None,
    indicator: Indicator | None = None,
) -> Indicator:
    """Create or change an indicator of a programme or an activity, with its targets."""
    permissions.require(actor, MANAGE)
    errors: Errors = {}
    direction, source = _check_indicator(data, errors)
    if reference.get_perangkat_daerah(session=session, kode=data.pd_kode) is None:
        errors["pd_kode"] = ["Pilih Perangkat Daerah pemilik."]
    if indicator is None and (programme is None) == (activity is None):
        errors["owner"] = ["Indikator milik satu program atau satu kegiatan."]
    code = data.code.strip().upper()
    clash = session.scalar(select(Indicator.id).where(Indicator.code == code))
    if not code or (clash is not None and (indicator is None or clash != indicator.id)):
        errors["code"] = ["Kode indikator kosong atau sudah dipakai."]
    if errors:
        raise _invalid(errors, "indikator", "indicator")
    if indicator is None:
        indicator = Indicator(
            programme_id=programme.id if programme else None,
            activity_id=activity.id if activity else None,
        )
        session.add(indicator)
    values = {
        "code": code,
        "name_id": " ".join(data.name_id.split()),
        "name_en": data.name_en.strip(),
        "unit": data.unit.strip(),
        "pd_kode": data.pd_kode,
        "weight": data.weight,
        "direction": direction,
        "band_low": data.band_low,
        "band_high": data.band_high,
        "band_tolerance": data.band_tolerance,
        "green_at": data.green_at,
        "amber_at": data.amber_at,
        "baseline_value": data.baseline_value,
        "baseline_year": data.baseline_year,
        "konsep": data.konsep.strip(),
        "definisi": data.definisi.strip(),
        "metode": data.metode.strip(),
        "sumber": data.sumber.strip(),
        "frekuensi": data.frekuensi.strip() or "tahunan",
        "source_kind": source,
        "live_metric": data.live_metric if source is SourceKind.LIVE else None,
        "source_params": dict(data.source_params),
    }
    for key, value in values.items():
        setattr(indicator, key, value)
    have = {t.year: t for t in indicator.targets}
    for year, value in sorted(data.targets.items()):
        if year in have:
            have[year].value = value
        else:
            indicator.targets.append(IndicatorTarget(year=year, value=value))
    for year, target in have.items():
        if year not in data.targets:
            indicator.targets.remove(target)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="masterplan.indicator.saved",
        object_type="mp_indicator",
        object_id=code,
        after={k: v for k, v in values.items() if k in ("direction", "unit", "pd_kode")}
        | {"targets": {str(y): v for y, v in data.targets.items()}},
    )
    return indicator


def indicator_from_metric(key: str) -> IndicatorInput:
    """An indicator input prefilled from a live metric (unit, direction, source)."""
    if key not in metrics.METRICS:
        raise Conflict("Metrik tidak dikenal.", "Unknown metric.")
    metric = metrics.METRICS[key]
    return IndicatorInput(
        code="",
        name_id=metric.name_id,
        name_en=metric.name_en,
        unit=metric.unit,
        direction=metric.direction.value,
        pd_kode="diskominfo",
        sumber=metric.source_id,
        source_kind=SourceKind.LIVE.value,
        live_metric=key,
    )


def published_evaluations(session: Session) -> list[Evaluation]:
    """Evaluations whose official report is public, the newest year first."""
    query = select(Evaluation).where(Evaluation.published_at.is_not(None))
    return list(session.scalars(query.order_by(Evaluation.year.desc())))
