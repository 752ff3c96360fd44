"""The annual evaluation's numbers from its configured frameworks. Pure functions: the
service feeds them the framework's ``config`` and the scores typed; the tests feed them
hand-worked examples.

- Smart City evaluation index = Σ weightᵢ * scoreᵢ ÷ Σ weightᵢ over the aspects scored (the
  weights need not sum to 100: they are normalised).
- SPBE index = Σ indicator weight * maturity level ÷ Σ weights; an aspect's or a domain's
  index is the same sum over its own indicators. The predicate is that of the index as
  published, rounded half-up to two decimals, in the configured bands.

An aspect or indicator without a score is never counted as zero: it is left out of the
sums and listed in ``missing``, so a page can say the index is provisional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LOW, HIGH = 1, 5  # the scale of aspect scores and maturity levels

Errors = dict[str, list[str]]


def rounded(value: float, places: int = 2) -> float:
    """``value`` rounded half-up as printed (4.195 → 4.2, not float's 4.19)."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def _mean(parts: list[tuple[float, float]]) -> float | None:
    """Σ weight * value ÷ Σ weight over ``(weight, value)`` pairs; None without weight."""
    total = sum(weight for weight, _ in parts)
    return sum(weight * value for weight, value in parts) / total if total > 0 else None


def _on_scale(value: float | None, what: str) -> float | None:
    if value is not None and not LOW <= value <= HIGH:
        raise ValueError(f"{what}: {value} is outside {LOW}-{HIGH}")
    return value


# --- Smart City evaluation ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AspectResult:
    """One aspect: its weight, its share of all weights, its score and what it adds."""

    code: str
    name: str
    weight: float
    share: float  # weight ÷ Σ weights of all aspects
    score: float | None
    contribution: float | None  # share * score


@dataclass(frozen=True, slots=True)
class CityResult:
    """The Smart City evaluation index and its aspects."""

    index: float | None
    aspects: list[AspectResult]
    missing: list[str]  # aspect codes not scored

    @property
    def is_complete(self) -> bool:
        """Whether every aspect is scored."""
        return not self.missing


def city_index(config: Mapping[str, Any], scores: Mapping[str, float | None]) -> CityResult:
    """The index over the aspects of ``config`` from ``scores`` (aspect code → 1-5)."""
    aspects = config.get("aspects", [])
    weight_sum = sum(float(a["weight"]) for a in aspects)
    rows, parts, missing = [], [], []
    for aspect in aspects:
        weight = float(aspect["weight"])
        score = _on_scale(scores.get(aspect["code"]), aspect["code"])
        share = weight / weight_sum if weight_sum > 0 else 0.0
        if score is None:
            missing.append(aspect["code"])
        else:
            parts.append((weight, score))
        contribution = None if score is None else share * score
        rows.append(
            AspectResult(aspect["code"], aspect["name_id"], weight, share, score, contribution)
        )
    return CityResult(_mean(parts), rows, missing)


# --- SPBE ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorLevel:
    """One SPBE indicator and the maturity level given to it."""

    code: str
    number: int
    name: str
    weight: float
    level: int | None
    level_name: str | None


@dataclass(frozen=True, slots=True)
class SpbeGroup:
    """An aspect or a domain: the weight of its indicators and their weighted index."""

    code: str
    name: str
    weight: float
    index: float | None
    indicators: list[IndicatorLevel]
    missing: list[str]
    children: list[SpbeGroup]


@dataclass(frozen=True, slots=True)
class SpbeResult:
    """The SPBE index, its predicate, and the domains with their aspects."""

    index: float | None
    predicate: str | None
    domains: list[SpbeGroup]
    missing: list[str]  # indicator codes without a level
    weight: float  # Σ indicator weights (100 when they are percentages)

    @property
    def is_complete(self) -> bool:
        """Whether every indicator has a level."""
        return not self.missing

    @property
    def indicators(self) -> list[IndicatorLevel]:
        """All indicators in order."""
        return [i for d in self.domains for i in d.indicators]


def predicate(bands: list[Mapping[str, Any]], index: float | None) -> str | None:
    """The band the index (rounded half-up to two decimals) falls in: the first, from the
    highest minimum down, whose minimum it reaches."""
    if index is None:
        return None
    shown = rounded(index)
    for band in sorted(bands, key=lambda b: float(b["min"]), reverse=True):
        if shown >= float(band["min"]):
            return str(band["name"])
    return None


def level_names(config: Mapping[str, Any], domain: Mapping[str, Any]) -> list[str]:
    """The five level names of a domain's indicators."""
    names: list[str] = config.get("level_sets", {}).get(domain.get("levels", ""), [])
    return names if len(names) == HIGH else [str(n) for n in range(LOW, HIGH + 1)]


def _group(
    code: str, name: str, indicators: list[IndicatorLevel], children: list[SpbeGroup]
) -> SpbeGroup:
    parts = [(i.weight, float(i.level)) for i in indicators if i.level is not None]
    missing = [i.code for i in indicators if i.level is None]
    weight = sum(i.weight for i in indicators)
    return SpbeGroup(code, name, weight, _mean(parts), indicators, missing, children)


def spbe_index(config: Mapping[str, Any], levels: Mapping[str, int | None]) -> SpbeResult:
    """Aspect, domain and overall indices from ``levels`` (indicator code → 1-5)."""
    domains = []
    for domain in config.get("domains", []):
        names = level_names(config, domain)
        aspects = []
        for aspect in domain.get("aspects", []):
            rows = []
            for item in aspect.get("indicators", []):
                level = levels.get(item["code"])
                _on_scale(level, item["code"])
                rows.append(
                    IndicatorLevel(
                        item["code"],
                        int(item["number"]),
                        item["name"],
                        float(item["weight"]),
                        level,
                        names[level - 1] if level is not None else None,
                    )
                )
            aspects.append(_group(aspect["code"], aspect["name"], rows, []))
        everything = [i for a in aspects for i in a.indicators]
        domains.append(_group(domain["code"], domain["name"], everything, aspects))
    overall = _group("", "", [i for d in domains for i in d.indicators], domains)
    bands = config.get("bands", [])
    return SpbeResult(
        overall.index, predicate(bands, overall.index), domains, overall.missing, overall.weight
    )


def spbe_indicators(config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every indicator of the framework, with its domain's level names."""
    return [
        dict(item, level_names=level_names(config, domain), domain=domain["code"])
        for domain in config.get("domains", [])
        for aspect in domain.get("aspects", [])
        for item in aspect.get("indicators", [])
    ]


# --- checking a configuration ------------------------------------------------------------------


def _weight_errors(weights: list[Any], field: str, errors: Errors) -> None:
    try:
        values = [float(w) for w in weights]
    except (TypeError, ValueError):
        errors[field] = ["Bobot harus berupa angka."]
        return
    if any(v < 0 for v in values) or sum(values) <= 0:
        errors[field] = ["Bobot tidak boleh negatif dan jumlahnya harus lebih dari 0."]


def check_city(config: Mapping[str, Any]) -> Errors:
    """What is wrong with a Smart City framework configuration (empty when nothing)."""
    errors: Errors = {}
    aspects = config.get("aspects") or []
    codes = [a.get("code") for a in aspects]
    if not aspects or len(set(codes)) != len(codes):
        errors["aspects"] = ["Aspek harus ada dan kodenya unik."]
        return errors
    _weight_errors([a.get("weight") for a in aspects], "weights", errors)
    for aspect in aspects:
        rubric = aspect.get("rubric") or {}
        if sorted(rubric) != [str(n) for n in range(LOW, HIGH + 1)]:
            errors[f"rubric_{aspect['code']}"] = ["Rubrik harus memuat tingkat 1 sampai 5."]
        elif any(not str(rubric[k]).strip() for k in rubric):
            errors[f"rubric_{aspect['code']}"] = ["Isi teks rubrik untuk setiap tingkat."]
    return errors


def check_bands(bands: list[Mapping[str, Any]]) -> Errors:
    """Predicate bands: names given, minimums between 0 and 5, all different."""
    try:
        minimums = [float(b["min"]) for b in bands]
    except (KeyError, TypeError, ValueError):
        return {"bands": ["Batas bawah predikat harus berupa angka."]}
    if not bands or any(not str(b.get("name", "")).strip() for b in bands):
        return {"bands": ["Setiap predikat perlu nama."]}
    if len(set(minimums)) != len(minimums) or not all(0 <= m <= HIGH for m in minimums):
        return {"bands": ["Batas bawah predikat 0 sampai 5 dan tidak boleh sama."]}
    if min(minimums) > LOW:
        return {"bands": ["Predikat terendah harus mulai dari 1 atau kurang."]}
    return {}


def check_spbe(config: Mapping[str, Any]) -> Errors:
    """What is wrong with an SPBE framework configuration (empty when nothing)."""
    errors: Errors = {}
    indicators = spbe_indicators(config)
    codes = [i.get("code") for i in indicators]
    if not indicators or len(set(codes)) != len(codes):
        errors["indicators"] = ["Indikator harus ada dan kodenya unik."]
        return errors
    _weight_errors([i.get("weight") for i in indicators], "weights", errors)
    errors |= check_bands(config.get("bands") or [])
    return errors
