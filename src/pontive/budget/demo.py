"""Demo budget for ``pontive demo load`` (after the masterplan's): the Smart City's budget lines
of 2024, 2025 and 2026 in all seven Pasal 24 categories and from both sources, each linked to
a masterplan programme of its dimension when the masterplan demo made one, planned by quarter,
with the realisation of every quarter that has ended. Made through the services.

Names are believable; amounts, classification codes and partners are DEMO VALUES.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from sqlalchemy.orm import Session

from pontive.budget import service
from pontive.budget.models import BudgetLine
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import service as masterplan
from pontive.masterplan.models import Activity, Programme

YEARS = (2024, 2025, 2026)
# Share of a year's budget planned in each quarter.
QUARTER_SHARES = (Decimal("0.15"), Decimal("0.25"), Decimal("0.30"), Decimal("0.30"))
# How much of each year's planned amount grows towards 2026.
YEAR_SCALE = {2024: Decimal("0.80"), 2025: Decimal("0.90"), 2026: Decimal(1)}


@dataclass(frozen=True, slots=True)
class DemoLine:
    """One line repeated every year: what, who, which category and source, how much."""

    name: str
    pd_kode: str
    category: str
    source: str
    millions: int  # planned for 2026, in millions of rupiah
    programme: str  # the masterplan demo's programme it finances
    dimension: str  # else a programme of this dimension
    codes: tuple[str, str, str]  # program, kegiatan, sub-kegiatan (Permendagri 90/2019)
    source_detail: str = ""


DEMO_LINES = (
    DemoLine("Penyusunan Perwali tata kelola data dan Satu Data Kota", "bappeda", "regulasi",
             "apbd", 180, "GOV-02", "governance", ("5.01.02", "5.01.02.2.01", "5.01.02.2.01.0003")),
    DemoLine("Kajian dan evaluasi tahunan masterplan Smart City", "bappeda", "regulasi", "apbd",
             220, "GOV-03", "governance", ("5.01.02", "5.01.02.2.01", "5.01.02.2.01.0006")),
    DemoLine("Perluasan jaringan fiber optik antarkantor", "diskominfo", "infrastruktur",
             "apbd", 2400, "GOV-03", "governance",
             ("2.16.03", "2.16.03.1.02", "2.16.03.1.02.0005")),
    DemoLine("Drainase pintar dan pintu air otomatis Sungai Jawi", "pupr", "infrastruktur",
             "apbd", 3100, "LIV-03", "living", ("1.03.10", "1.03.10.1.02", "1.03.10.1.02.0014")),
    DemoLine("Sensor tinggi muka air dan CCTV banjir", "pupr", "teknologi", "apbd", 1250,
             "LIV-03", "living", ("1.03.10", "1.03.10.1.02", "1.03.10.1.02.0021")),
    DemoLine("Lisensi perangkat lunak dan aplikasi layanan publik", "diskominfo", "teknologi",
             "apbd", 850, "GOV-01", "governance",
             ("2.16.03", "2.16.03.1.02", "2.16.03.1.02.0009")),
    DemoLine("Stasiun sensor kualitas udara (hibah CSR)", "dlh", "teknologi", "lainnya", 600,
             "ENV-01", "environment", ("2.11.05", "2.11.05.1.01", "2.11.05.1.01.0002"),
             "CSR PT Energi Khatulistiwa (DEMO)"),
    DemoLine("Tenaga ahli analis data dan keamanan informasi", "diskominfo", "tenaga_ahli",
             "apbd", 720, "GOV-02", "governance",
             ("2.16.03", "2.16.03.1.02", "2.16.03.1.02.0011")),
    DemoLine("Pendampingan teknis perguruan tinggi", "dlh", "tenaga_ahli", "lainnya", 300,
             "ENV-02", "environment", ("2.11.05", "2.11.05.1.01", "2.11.05.1.01.0004"),
             "Kerja sama Universitas Tanjungpura (DEMO)"),
    DemoLine("Operasional Pontive Command Center", "diskominfo", "operasional", "apbd", 1100,
             "SOC-03", "society", ("2.16.03", "2.16.03.1.02", "2.16.03.1.02.0001")),
    DemoLine("Pemeliharaan jaringan sensor dan pompa banjir", "pupr", "operasional", "apbd",
             540, "LIV-03", "living", ("1.03.10", "1.03.10.1.02", "1.03.10.1.02.0022")),
    DemoLine("Pelatihan literasi digital aparatur", "bkpsdm", "sdm", "apbd", 250, "GOV-03",
             "governance", ("5.03.02", "5.03.02.1.03", "5.03.02.1.03.0002")),
    DemoLine("Sertifikasi keamanan informasi aparatur", "diskominfo", "sdm", "lainnya", 180,
             "GOV-03", "governance", ("2.16.03", "2.16.03.1.02", "2.16.03.1.02.0012"),
             "Hibah Pemerintah Provinsi Kalimantan Barat (DEMO)"),
    DemoLine("Festival inovasi dan hackathon UMKM digital", "dpmptsp", "lainnya", "lainnya",
             200, "ECO-01", "economy", ("2.18.02", "2.18.02.1.01", "2.18.02.1.01.0004"),
             "Sponsor swasta (DEMO)"),
    DemoLine("Promosi digital wisata sungai dan Tugu Khatulistiwa", "diskominfo", "lainnya",
             "apbd", 150, "BRA-01", "branding", ("2.16.02", "2.16.02.1.01", "2.16.02.1.01.0002")),
)  # fmt: skip


def _programme_for(
    programmes: list[Programme], demo: DemoLine, turn: int
) -> tuple[Programme | None, Activity | None]:
    """The programme ``demo`` finances (else one of its dimension, taking turns; else none),
    and the programme's activity run by the line's agency, if there is one."""
    chosen = next((p for p in programmes if p.code == demo.programme), None)
    if chosen is None:
        same = [p for p in programmes if p.dimensi_kode == demo.dimension]
        chosen = same[turn % len(same)] if same else None
    if chosen is None:
        return None, None
    return chosen, next((a for a in chosen.activities if a.pd_kode == demo.pd_kode), None)


def _rupiah(millions: Decimal) -> Decimal:
    """Whole thousands of rupiah, as budgets are written."""
    return (millions * 1000).quantize(Decimal(1), rounding=ROUND_DOWN) * 1000


def _ended_quarters(year: int, today_year: int, today_quarter: int) -> list[int]:
    if year < today_year:
        return [1, 2, 3, 4]
    if year > today_year:
        return []
    return list(range(1, today_quarter))


def _rate(year: int, index: int, quarter: int) -> Decimal:
    """How much of a quarter's plan was realised: most lines nearly all, some lag behind."""
    base = Decimal("0.96") if year < 2026 else Decimal("0.88")
    lag = Decimal((index * 7 + quarter * 3) % 23) / 100
    return max(Decimal("0.45"), base - lag)


def load(session: Session, actor: Actor) -> str:
    """Create the demo lines; returns a summary for the CLI."""
    programmes = masterplan.list_programmes(session)
    today = utcnow().astimezone(WIB).date()
    today_quarter = (today.month - 1) // 3 + 1
    created = linked = 0
    for year in YEARS:
        for index, demo in enumerate(DEMO_LINES, start=1):
            programme, activity = _programme_for(programmes, demo, index + year)
            yearly = Decimal(demo.millions) * YEAR_SCALE[year]
            planned = {
                q: _rupiah(yearly * s) for q, s in zip((1, 2, 3, 4), QUARTER_SHARES, strict=True)
            }
            data = service.LineInput(
                year=year,
                code=f"SC-{year}-{index:03d}",
                name=demo.name,
                pd_kode=demo.pd_kode,
                source=demo.source,
                category=demo.category,
                programme_code=programme.code if programme and not activity else None,
                activity_code=activity.code if activity else None,
                source_detail=demo.source_detail,
                kode_program=demo.codes[0],
                kode_kegiatan=demo.codes[1],
                kode_subkegiatan=demo.codes[2],
                planned=dict(planned),
            )
            line = service.save_line(session, actor=actor, data=data)
            _realise(session, actor, line, planned, year, index, today.year, today_quarter)
            created += 1
            linked += programme is not None
    session.commit()  # each domain's demo commits its own, as the others do
    return f"{created} budget lines {YEARS[0]}-{YEARS[-1]} ({linked} linked to programmes)"


def _realise(
    session: Session,
    actor: Actor,
    line: BudgetLine,
    planned: dict[int, Decimal],
    year: int,
    index: int,
    today_year: int,
    today_quarter: int,
) -> None:
    for quarter in _ended_quarters(year, today_year, today_quarter):
        realised = _rupiah(planned[quarter] * _rate(year, index, quarter) / 1_000_000)
        service.report_realisation(
            session, actor=actor, line=line, quarter=quarter, realised=realised
        )
