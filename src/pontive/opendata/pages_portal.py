"""The portal's home and search (``/data``): a search box, facets that combine (PD, dimension,
tag, format, year) with their counts, three orders, pages of 20 and a card per dataset.

Rendered on the server in one query through the catalogue search; shared briefly with
anonymous visitors (the catalogue changes rarely, and a publisher sees their own copy)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from pontive.opendata import search
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.pages_query import FACET_PARAMS, PAGE_SIZE, SORTS, Selection
from pontive.opendata.pages_support import Names, facet_items, formats_of, load_names, summary
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PUBLIC_SECONDS = 30
FACET_SHOWN = 8  # values per facet before "more" (a <details>)
# CKAN sort expressions for the page's orders.
SORT_EXPRESSIONS = {
    "relevansi": "score desc, metadata_modified desc",
    "terbaru": "metadata_modified desc",
    "nama": "title_string asc",
}


def _search_query(selection: Selection) -> search.SearchQuery:
    return search.SearchQuery(
        q=selection.q,
        filters={facet: list(values) for facet, values in selection.chosen.items()},
        sort=SORT_EXPRESSIONS[selection.sort],
        rows=PAGE_SIZE,
        start=selection.offset,
        facet_fields=list(FACET_PARAMS),
        facet_limit=50,
    )


def _facet_label(facet: str, value: str, names: Names, lang: str) -> str:
    if facet == "organization":
        return names.pd_short.get(value, value)
    if facet == "groups":
        return names.dimension(value, lang)
    return value


def facet_groups(
    selection: Selection, facets: dict[str, Any], names: Names, lang: str
) -> list[dict[str, Any]]:
    """Each facet's values with count, label, whether chosen and the link that toggles it;
    chosen values stay listed even when the search no longer counts them."""
    groups = []
    for facet in FACET_PARAMS:
        counted = dict(facet_items(facets.get(facet, {})))
        for value in selection.values(facet):
            counted.setdefault(value, 0)
        items = [
            {
                "value": value,
                "label": _facet_label(facet, value, names, lang),
                "count": count,
                "chosen": value in selection.values(facet),
                "href": selection.toggle(facet, value),
            }
            for value, count in sorted(counted.items(), key=lambda p: (-p[1], p[0]))
        ]
        if facet == "year":
            items.sort(key=lambda item: str(item["value"]), reverse=True)
        groups.append({"facet": facet, "param": FACET_PARAMS[facet], "items": items})
    return groups


def dataset_card(dataset: Any, names: Names, lang: str) -> dict[str, Any]:
    """What a result card shows of one dataset."""
    return {
        "name": dataset.name,
        "title": dataset.title,
        "pd": names.organisation(dataset.owner_org),
        "pd_short": names.pd_short.get(dataset.owner_org, dataset.owner_org),
        "dimensions": [
            (g.dimensi_kode, names.dimension(g.dimensi_kode, lang)) for g in dataset.groups
        ],
        "formats": formats_of(dataset),
        "modified_at": dataset.modified_at,
        "summary": summary(dataset.notes),
        "private": dataset.private,
        "state": dataset.state,
    }


def _pages(selection: Selection, count: int) -> dict[str, Any]:
    last = max(1, -(-count // PAGE_SIZE))
    return {
        "current": selection.page,
        "last": last,
        "previous": selection.url(page=selection.page - 1) if selection.page > 1 else None,
        "next": selection.url(page=selection.page + 1) if selection.page < last else None,
        "first_shown": selection.offset + 1 if count else 0,
        "last_shown": min(selection.offset + PAGE_SIZE, count),
    }


@router.get("/data")
def portal(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The open data portal: search, facets, results."""
    lang = get_lang(request)
    selection = Selection.from_query(request.query_params)
    error = None
    try:
        result = search.search_datasets(session, actor=actor, query=_search_query(selection))
    except SearchQueryError as refused:  # words the search reads as a broken field:value
        error = refused.message(lang)
        result = search.SearchResult(0, [], {}, "")
    names = load_names(session)
    chosen = [
        {
            "label": _facet_label(facet, value, names, lang),
            "facet": facet,
            "href": selection.toggle(facet, value),
        }
        for facet, values in selection.chosen.items()
        for value in values
    ]
    context = {
        "selection": selection,
        "error": error,
        "count": result.count,
        "cards": [dataset_card(d, names, lang) for d in result.datasets],
        "facets": facet_groups(selection, result.facets, names, lang),
        "facet_shown": FACET_SHOWN,
        "chosen": chosen,
        "sorts": [(s, selection.url(sort=s), s == selection.sort) for s in SORTS],
        "pages": _pages(selection, result.count),
    }
    response = render(request, "opendata/portal.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
