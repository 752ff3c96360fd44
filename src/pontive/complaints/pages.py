"""Complaint pages: the router the platform mounts, and the public list, map and statistics.

Public, phone first: file a report (``/lapor``, in ``report_form.py``), follow it
(``/lapor/<tracking>`` with the private link ``?k=``, and photos, in ``report_page.py``), the
public list and map (``/laporan``) and statistics (``/statistik``) here. The staff console is in
``console.py``, Open311 in ``open311.py``. Personal data never reaches these pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Query, Request
from starlette.responses import JSONResponse, Response

from pontive.complaints import console, open311, report_form, report_page, service, stats
from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus
from pontive.complaints.page_support import PUBLIC_SECONDS
from pontive.complaints.public_views import category_groups, public_item
from pontive.complaints.views import load_names
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.navigation import NavLink, register_public
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
router.include_router(console.router)
router.include_router(open311.router)
# The form's fixed paths (``/lapor/sekitar.json`` …) come before ``/lapor/{tracking}``.
router.include_router(report_form.router)
router.include_router(report_page.router)

register_public(NavLink("/lapor", "pub.nav.report", "pub.nav.report_desc", "report", order=10))
register_public(NavLink("/laporan", "pub.nav.list", "pub.nav.list_desc", "map", order=20))
register_public(NavLink("/statistik", "pub.nav.stats", "pub.nav.stats_desc", "data", order=30))

LIST_PAGE_SIZE = 20
MAP_LIMIT = 500
STATS_SECONDS = 300
STATUS_GROUPS: dict[str, frozenset[ComplaintStatus]] = {
    "terbuka": OPEN_STATUSES,
    "selesai": frozenset({ComplaintStatus.SELESAI}),
    "ditutup": frozenset(
        {ComplaintStatus.DITUTUP, ComplaintStatus.DITOLAK, ComplaintStatus.DUPLIKAT}
    ),
}
PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}
STAT_MONTHS = {"3": 3, "6": 6, "12": 12, "semua": None}


def _list_filter(
    kategori: str | None, status: str | None, kelurahan: str | None, periode: str | None
) -> service.ComplaintFilter:
    days = PERIODS.get(periode or "")
    return service.ComplaintFilter(
        statuses=STATUS_GROUPS.get(status or "", frozenset()),
        category_codes=frozenset({kategori}) if kategori else frozenset(),
        kelurahan_kode=kelurahan or None,
        created_from=utcnow() - timedelta(days=days) if days else None,
        public_only=True,
    )


ListQuery = Annotated[str | None, Query(max_length=40)]


@router.get("/laporan")
def report_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kategori: ListQuery = None,
    status: ListQuery = None,
    kelurahan: ListQuery = None,
    periode: ListQuery = None,
    halaman: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Every public report, newest first, with filters and a map."""
    filters = _list_filter(kategori, status, kelurahan, periode)
    rows, total = service.list_complaints(
        session, filters=filters, page=halaman, page_size=LIST_PAGE_SIZE
    )
    lang, names = get_lang(request), load_names(session)
    chosen = {"kategori": kategori, "status": status, "kelurahan": kelurahan, "periode": periode}
    context = {
        "items": [public_item(c, lang, names) for c in rows],
        "total": total,
        "page": halaman,
        "pages": max(1, -(-total // LIST_PAGE_SIZE)),
        "chosen": chosen,
        "query": "&".join(f"{k}={v}" for k, v in chosen.items() if v),
        "groups": category_groups(service.list_categories(session)),
        "kecamatan": reference.list_kecamatan(session=session),
        "status_groups": [(g, translate(f"pub.list.status.{g}", lang)) for g in STATUS_GROUPS],
        "periods": list(PERIODS),
        "statuses": list(ComplaintStatus),
    }
    return share_with_anonymous(
        actor, render(request, "complaints/public_list.html", context), PUBLIC_SECONDS
    )


@router.get("/laporan/peta.json")
def report_markers(
    request: Request,
    session: DbSession,
    kategori: ListQuery = None,
    status: ListQuery = None,
    kelurahan: ListQuery = None,
    periode: ListQuery = None,
) -> Response:
    """Map markers for the public list's filters (the newest ``MAP_LIMIT``)."""
    filters = _list_filter(kategori, status, kelurahan, periode)
    rows, total = service.list_complaints(session, filters=filters, page_size=MAP_LIMIT)
    lang, names = get_lang(request), load_names(session)
    items = [public_item(c, lang, names) for c in rows if c.lon is not None]
    return JSONResponse(
        {"items": items, "total": total, "shown": len(items)},
        headers={"Cache-Control": f"public, max-age={PUBLIC_SECONDS}"},
    )


def _stats(request: Request, session: DbSession, bulan: str | None) -> stats.ComplaintStats:
    months = STAT_MONTHS.get(bulan or "12", 12)
    return stats.complaint_stats(session, lang=get_lang(request), months=months)


@router.get("/statistik")
def statistics_page(
    request: Request, session: DbSession, actor: CurrentActor, bulan: ListQuery = None
) -> Response:
    """Volumes, response and resolution times, SLA and satisfaction, with charts."""
    context = {
        "s": _stats(request, session, bulan),
        "bulan": bulan if bulan in STAT_MONTHS else "12",
        "month_options": [
            (m, translate(f"pub.stats.period.{m}", get_lang(request))) for m in STAT_MONTHS
        ],
        "min_for_rate": stats.MIN_FOR_RATE,
    }
    response = render(request, "complaints/public_stats.html", context)
    return share_with_anonymous(actor, response, STATS_SECONDS)


@router.get("/statistik.csv")
def statistics_csv(request: Request, session: DbSession, bulan: ListQuery = None) -> Response:
    """The statistics' breakdowns as CSV."""
    body = stats.stats_csv(_stats(request, session, bulan))
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="statistik-pengaduan.csv"',
            "Cache-Control": f"public, max-age={STATS_SECONDS}",
        },
    )
