"""Plumbing of the budget console (``/console/anggaran``): its paths, the page renderer (the
masterplan consoles' tabs, "Anggaran" marked), the year shown, rupiah as people read and type
them, and the choices the forms and filters offer.

Amounts are shown "Rp 1.250.000.000" (in English "Rp 1,250,000,000") and always typed the
Indonesian way (``importer.parse_amount``), which the forms say.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.budget.choices import Category, FundingSource
from pontive.budget.models import BudgetLine
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import console_support as mp
from pontive.masterplan.models import Programme
from pontive.reference import service as reference
from pontive.web.deps import get_lang

BUDGET = mp.BUDGET
LINES = f"{BUDGET}/baris"
NEW_LINE = f"{LINES}/baru"
IMPORT = f"{BUDGET}/impor"
API = "/api/v1/budget"
PROGRAMME_PAGE = mp.PROGRAMME
flash = mp.flash


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    """Render a budget console page with the masterplan tabs (Anggaran marked)."""
    lang = get_lang(request)
    full = {
        "bud": {"base": BUDGET, "lines": LINES, "new": NEW_LINE, "import": IMPORT, "api": API},
        "rp": lambda value: rupiah(value, lang),
        "rp_short": compact,
        "pct": percent,
    } | context
    return mp.page(request, actor, template, full, status_code=status_code, section=BUDGET)


# --- years -----------------------------------------------------------------------------------


def this_year() -> int:
    """The current year in the city's zone."""
    return utcnow().astimezone(WIB).year


def current_quarter() -> tuple[int, int]:
    """The current year and quarter (1-4) in the city's zone."""
    today = utcnow().astimezone(WIB).date()
    return today.year, (today.month - 1) // 3 + 1


def budget_years(session: Session) -> list[int]:
    """The years that have lines, and this year, newest first."""
    years = set(session.scalars(select(BudgetLine.year).distinct()))
    return sorted(years | {this_year()}, reverse=True)


def chosen_year(session: Session, raw: str) -> tuple[int, list[int]]:
    """The year asked for (``?year=``), else this year; and the years to choose from."""
    years = budget_years(session)
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else this_year()
    return year, sorted({*years, year}, reverse=True)


def ended_quarters(year: int) -> int:
    """How many quarters of ``year`` have ended (0-4)."""
    now_year, quarter = current_quarter()
    if year < now_year:
        return 4
    return 0 if year > now_year else quarter - 1


# --- amounts ---------------------------------------------------------------------------------


def typed_amount(value: Decimal | int | None) -> str:
    """An amount as typed into a form: ``1.250.000`` (``1.250.000,50`` with cents)."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole = int(amount)
    text = f"{whole:,}".replace(",", ".")
    cents = int((amount - whole) * 100)
    return f"{text},{cents:02d}" if cents else text


def rupiah(value: Decimal | int | None, lang: str = "id") -> str:
    """An amount as shown: ``Rp 1.250.000.000`` (``Rp 1,250,000,000`` in English)."""
    if value is None:
        return "—"
    text = typed_amount(value)
    if lang == "en":  # swap the separators: 1.250.000,50 → 1,250,000.50
        text = text.replace(".", "_").replace(",", ".").replace("_", ",")
    return f"Rp {text}"


def compact(value: Decimal | int | None, lang: str = "id") -> str:
    """A short amount for charts: ``Rp 1,25 M`` / ``Rp 850 jt`` (``bn``/``m`` in English)."""
    if value is None:
        return "—"
    amount = Decimal(value)
    for size, unit_id, unit_en in (
        (Decimal(10) ** 12, "T", "tn"),
        (Decimal(10) ** 9, "M", "bn"),
        (Decimal(10) ** 6, "jt", "m"),
    ):
        if amount >= size:
            number = f"{amount / size:.2f}".rstrip("0").rstrip(".")
            if lang != "en":
                number = number.replace(".", ",")
            return f"Rp {number} {unit_en if lang == 'en' else unit_id}"
    return rupiah(amount)


def percent(rate: float | None, lang: str = "id") -> str:
    """A realisation rate: ``78,5%`` (``78.5%`` in English); ``—`` when nothing was planned."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}".removesuffix(".0")
    return (text if lang == "en" else text.replace(".", ",")) + "%"


# --- choices ---------------------------------------------------------------------------------


def pd_options(session: Session) -> list[tuple[str, str]]:
    """Active agencies as ``(code, abbreviation)``."""
    return [(pd.kode, pd.singkatan) for pd in reference.list_perangkat_daerah(session=session)]


def category_options(lang: str) -> list[tuple[str, str]]:
    """The seven Pasal 24 categories."""
    return [(c.value, c.label(lang)) for c in Category]


def source_options(lang: str) -> list[tuple[str, str]]:
    """The two Pasal 24 sources."""
    return [(s.value, s.label(lang)) for s in FundingSource]


def programme_options(programmes: list[Programme]) -> list[tuple[str, str]]:
    """Programmes as ``(code, "code · name")``."""
    return [(p.code, f"{p.code} · {p.name}") for p in programmes]


def activity_groups(programmes: list[Programme]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each programme's code and name with its activities' codes and names (an optgroup
    each)."""
    return [(p.code, p.name, [(a.code, a.name) for a in p.activities]) for p in programmes]
