"""One dataset's page (``/data/<name>``): its description and metadata (PD / walidata,
licence, frequency, coverage in time and place, the Satu Data fields, classification, the
source and refresh time of datasets Pontive publishes itself), tags and dimensions, resources
with download and preview, the activity history, usage counts, and how to reach it by API.

Each visit counts one view (a number per day, nothing about the visitor)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from pontive.opendata import licenses, service, usage
from pontive.opendata.choices import UrlType, UsageKind
from pontive.opendata.models import Dataset, Resource
from pontive.opendata.pages_support import Names, load_names
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

ACTIVITY_SHOWN = 10
SATU_DATA_FIELDS = ("konsep", "definisi", "satuan", "metode", "level_estimasi", "kode_referensi")


def site_url(request: Request) -> str:
    """The public address of the site (settings), without a trailing slash."""
    base: str = request.app.state.settings.base_url
    return base.rstrip("/")


def resource_download_url(dataset: Dataset, resource: Resource) -> str:
    """Where a resource's bytes are: its link, or the portal's download address (CKAN's
    ``/dataset/<id>/resource/<id>/download/<file name>``, as the catalogues give it)."""
    if resource.url_type is UrlType.LINK:
        return resource.url
    filename = resource.url.rsplit("/", 1)[-1] or f"{resource.id}.{resource.format.lower()}"
    return f"/dataset/{dataset.id}/resource/{resource.id}/download/{filename}"


def api_examples(dataset: Dataset, site: str) -> dict[str, str]:
    """CKAN addresses and snippets for this dataset (and its first datastore resource)."""
    show = f"{site}/api/3/action/package_show?{urlencode({'id': dataset.name})}"
    examples = {"package_show": show, "curl": f"curl '{show}'"}
    table = next((r for r in dataset.resources if r.datastore_active), None)
    python = [
        "from ckanapi import RemoteCKAN",
        "",
        f"portal = RemoteCKAN({site!r})",
        f"dataset = portal.action.package_show(id={dataset.name!r})",
    ]
    if table is not None:
        params = {"resource_id": table.id, "limit": "5"}
        examples["datastore_search"] = f"{site}/api/3/action/datastore_search?{urlencode(params)}"
        examples["datastore_filter"] = (
            examples["datastore_search"]
            + "&"
            + urlencode({"filters": json.dumps({"kolom": "nilai"})})
        )
        examples["curl"] += f"\ncurl '{examples['datastore_search']}'"
        python += [
            f"rows = portal.action.datastore_search(resource_id={table.id!r}, limit=5)",
            'print(rows["total"], rows["records"])',
        ]
    else:
        python.append('print(dataset["title"], len(dataset["resources"]))')
    examples["python"] = "\n".join(python)
    return examples


def metadata_rows(dataset: Dataset, names: Names, lang: str) -> list[tuple[str, str]]:
    """The plain metadata as (label key, value), blanks left out."""
    rows = [
        ("odp.meta.walidata", names.organisation(dataset.owner_org)),
        ("odp.meta.frequency", dataset.frequency.label(lang)),
        ("odp.meta.classification", dataset.classification.label(lang)),
        ("odp.meta.version", dataset.version),
        ("odp.meta.maintainer", dataset.maintainer),
        ("odp.meta.maintainer_email", dataset.maintainer_email),
    ]
    rows += [(f"odp.meta.{field}", getattr(dataset, field)) for field in SATU_DATA_FIELDS]
    return [(key, value) for key, value in rows if value]


def temporal(dataset: Dataset, lang: str) -> str:
    """The period the data covers, as dates (``""`` when not stated)."""
    start, end = dataset.temporal_start, dataset.temporal_end
    if start is None and end is None:
        return ""
    until = "to" if lang == "en" else "s.d."
    return f"{start.isoformat() if start else '…'} {until} {end.isoformat() if end else '…'}"


def dataset_context(
    session: DbSession, request: Request, dataset: Dataset, names: Names
) -> dict[str, Any]:
    """Everything the dataset page shows."""
    lang = get_lang(request)
    site = site_url(request)
    totals = usage.totals(session, dataset.id)
    return {
        "dataset": dataset,
        "pd": names.organisation(dataset.owner_org),
        "dimensions": [
            (g.dimensi_kode, names.dimension(g.dimensi_kode, lang)) for g in dataset.groups
        ],
        "licence": licenses.get_license(dataset.license_id),
        "rows": metadata_rows(dataset, names, lang),
        "temporal": temporal(dataset, lang),
        "places": [names.place(code) for code in dataset.spatial_codes or ()],
        "resources": [
            {"resource": r, "download": resource_download_url(dataset, r)}
            for r in dataset.resources
            if r.state.value == "active"
        ],
        "activity": service.list_activity(session, dataset)[:ACTIVITY_SHOWN],
        "usage": [(kind, totals.get(kind.value, 0)) for kind in UsageKind],
        "api": api_examples(dataset, site),
        "site": site,
    }


@router.get("/dataset/{name}")
def dataset_redirect(name: str) -> Response:
    """CKAN's dataset address (the catalogues' landing pages) opens the portal's page."""
    return RedirectResponse(f"/data/{quote(name)}", status_code=301)


@router.get("/data/{name}")
def dataset_page(request: Request, name: str, session: DbSession, actor: CurrentActor) -> Response:
    """A dataset, for people; counts a view."""
    dataset = service.get_dataset(session, name, actor=actor)
    usage.count(session, dataset_id=dataset.id, kind=UsageKind.VIEW)
    context = dataset_context(session, request, dataset, load_names(session))
    response = render(request, "opendata/dataset.html", context)
    response.headers["Cache-Control"] = "private, no-cache"  # every view counts
    return response
