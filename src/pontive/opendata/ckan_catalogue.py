"""The catalogue's CKAN read actions (``package_*``, ``organization_*``, ``group_*``,
``tag_*``, ``resource_show``, ``license_list``, ``status_show``…). The write actions are in
``ckan_publish.py``, imported at the end so that one import registers them all.

Read actions tolerate parameters they do not know (``ckanapi dump`` sends some), except
``package_search``, which refuses unknown search parameters as CKAN does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from pontive.core.errors import NotFound
from pontive.opendata import search, service
from pontive.opendata.actions import ActionContext, action, action_names, get_action
from pontive.opendata.ckan_format import (
    dataset_dict,
    group_dict,
    load_names,
    organization_dict,
    resource_dict,
    tag_dict,
)
from pontive.opendata.ckan_params import as_bool, as_int, as_list, required
from pontive.opendata.licenses import license_list as all_licenses
from pontive.opendata.models import Dataset, DatasetGroup, DatasetTag
from pontive.opendata.search import SearchQuery, query_error, visibility
from pontive.opendata.search_terms import ALL_DOCUMENTS

SITE_TITLE = "Portal Data Terbuka Kota Pontianak"
SITE_DESCRIPTION = (
    "Data terbuka Pemerintah Kota Pontianak dari Perangkat Daerah, "
    "dikelompokkan menurut enam dimensi Smart City."
)
CKAN_VERSION = "2.11.0"  # the Action API behaviour followed (docs/opendata.md)
# package_search parameters CKAN accepts (its schema plus the Solr ones it passes on).
_SEARCH_PARAMS = frozenset(
    {
        "q",
        "fq",
        "fq_list",
        "sort",
        "rows",
        "start",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "include_private",
        "include_drafts",
        "include_deleted",
        "use_default_schema",
        "fl",
        "qf",
        "wt",
        "bf",
        "boost",
        "tie",
        "defType",
        "mm",
        "df",
        "extras",
    }
)


@action("status_show", side_effect_free=True)
def status_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """The site's name, address, language and CKAN API version."""
    return {
        "site_title": SITE_TITLE,
        "site_description": SITE_DESCRIPTION,
        "site_url": context.site_url,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
        "ckan_version": CKAN_VERSION,
    }


@action("site_read", side_effect_free=True)
def site_read(context: ActionContext, data: dict[str, Any]) -> bool:
    """Whether the site may be read (always: the catalogue is public)."""
    return True


@action("help_show", side_effect_free=True)
def help_show(context: ActionContext, data: dict[str, Any]) -> str:
    """The description of the action ``name``."""
    name = required(data, "name")
    found = get_action(name)
    if found is None:
        raise NotFound(f"Aksi tidak ditemukan: {name}", f"Action function not found: {name}")
    return (found.function.__doc__ or name).strip()


@action("package_list", side_effect_free=True)
def package_list(context: ActionContext, data: dict[str, Any]) -> list[str]:
    """Names of the published public datasets, by name."""
    limit = as_int(data, "limit", 0)
    offset = as_int(data, "offset", 0)
    query = (
        select(Dataset.name)
        .where(visibility(context.actor, False, False))
        .order_by(Dataset.name)
        .offset(offset)
    )
    if limit:
        query = query.limit(limit)
    return list(context.session.scalars(query))


@action("current_package_list_with_resources", side_effect_free=True)
def current_package_list_with_resources(
    context: ActionContext, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Published public datasets with their resources, most recently modified first."""
    limit = as_int(data, "limit", 10, maximum=search.MAX_ROWS) or 10
    offset = as_int(data, "offset", 0)
    if "page" in data:
        offset = (max(as_int(data, "page", 1), 1) - 1) * limit
    query = SearchQuery(sort="metadata_modified desc", rows=limit, start=offset)
    result = search.search_datasets(context.session, actor=context.actor, query=query)
    names = load_names(context.session)
    return [dataset_dict(d, names, context.site_url) for d in result.datasets]


@action("package_show", side_effect_free=True)
def package_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by id or name."""
    dataset = service.get_dataset(context.session, required(data, "id"), actor=context.actor)
    return dataset_dict(dataset, load_names(context.session), context.site_url)


@action("package_search", side_effect_free=True, json_params=("facet.field", "fq_list", "fl"))
def package_search(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: ``q``, ``fq``, ``sort``, ``rows``, ``start``, facets,
    ``include_private``/``include_drafts``/``include_deleted`` and ``fl``; ``ext_*``
    parameters are for plugins and, as on a CKAN without any, change nothing."""
    unknown = sorted(k for k in data if k not in _SEARCH_PARAMS and not k.startswith("ext_"))
    if unknown:
        query_error(f"Invalid search parameters: {unknown}")
    fq_parts = [str(data.get("fq") or ""), *map(str, as_list(data, "fq_list"))]
    faceting = as_bool(data, "facet", True)
    query = SearchQuery(
        q=str(data.get("q") or ALL_DOCUMENTS),
        fq=" ".join(part for part in fq_parts if part.strip()),
        sort=str(data.get("sort") or search.DEFAULT_SORT),
        rows=as_int(data, "rows", 10, maximum=search.MAX_ROWS),
        start=as_int(data, "start", 0),
        facet_fields=[str(f) for f in as_list(data, "facet.field")] if faceting else [],
        facet_limit=_facet_limit(data),
        facet_mincount=as_int(data, "facet.mincount", 1),
        include_private=as_bool(data, "include_private"),
        include_drafts=as_bool(data, "include_drafts"),
        include_deleted=as_bool(data, "include_deleted"),
    )
    result = search.search_datasets(context.session, actor=context.actor, query=query)
    names = load_names(context.session)
    results = [dataset_dict(d, names, context.site_url) for d in result.datasets]
    wanted = _field_list(data.get("fl"))
    if wanted:
        results = [_only(d, wanted) for d in results]
    return {
        "count": result.count,
        "results": results,
        "facets": result.facets,
        "search_facets": {
            field: {
                "title": field,
                "items": [
                    {"name": value, "display_name": _display(field, value, names), "count": n}
                    for value, n in counts.items()
                ],
            }
            for field, counts in result.facets.items()
        },
        "sort": result.sort,
    }


def _field_list(value: Any) -> list[str]:
    """``fl``: the fields each result keeps (a list, or names separated by commas or spaces;
    CKAN's "*" or nothing keeps whole datasets)."""
    if isinstance(value, list):
        names = [str(v).strip() for v in value]
    else:
        names = str(value or "").replace(",", " ").split()
    return [] if not names or "*" in names else [n for n in names if n]


def _only(dataset: dict[str, Any], names: list[str]) -> dict[str, Any]:
    # As from CKAN's index: a dataset field, or an extra as "extras_<key>".
    extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
    kept: dict[str, Any] = {}
    for name in names:
        if name in dataset:
            kept[name] = dataset[name]
        elif name.startswith("extras_") and name.removeprefix("extras_") in extras:
            kept[name] = extras[name.removeprefix("extras_")]
    return kept


def _facet_limit(data: dict[str, Any]) -> int:
    value = str(data.get("facet.limit", 50)).strip()
    if value.lstrip("-").isdigit():
        return int(value)
    return as_int(data, "facet.limit", 50)  # raises the field error


def _display(field: str, value: str, names: Any) -> str:
    if field == "organization":
        return str(organization_dict(value, names)["title"])
    if field == "groups":
        return str(group_dict(value, names)["title"])
    return value


@action("resource_show", side_effect_free=True)
def resource_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One resource by id."""
    resource = service.get_resource(context.session, required(data, "id"), actor=context.actor)
    return resource_dict(resource, context.site_url)


@action("resource_view_list", side_effect_free=True)
def resource_view_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """A resource's CKAN views: none (the portal draws its own previews)."""
    service.get_resource(context.session, required(data, "id"), actor=context.actor)
    return []


def _dataset_counts(context: ActionContext, column: Any, join_table: Any = None) -> dict[str, int]:
    visible = visibility(context.actor, True, False)
    if join_table is None:
        query = select(column, func.count()).where(visible).group_by(column)
    else:
        query = (
            select(column, func.count())
            .join(Dataset, Dataset.id == join_table.dataset_id)
            .where(visible)
            .group_by(column)
        )
    return {str(value): int(n) for value, n in context.session.execute(query)}


def _list_of(
    context: ActionContext, data: dict[str, Any], entries: list[dict[str, Any]], wanted_key: str
) -> list[Any]:
    wanted = {str(name) for name in as_list(data, wanted_key)}
    if wanted:
        entries = [e for e in entries if e["name"] in wanted]
    sort = str(data.get("sort") or "title asc").split()
    key = sort[0] if sort and sort[0] in ("name", "title", "package_count") else "title"
    descending = len(sort) > 1 and sort[1].lower() == "desc"
    entries.sort(key=lambda e: (e[key], e["name"]), reverse=descending)
    all_fields = as_bool(data, "all_fields")
    limit = as_int(data, "limit", 25 if all_fields else 1000, maximum=1000)
    offset = as_int(data, "offset", 0)
    page = entries[offset : offset + limit]
    return page if all_fields else [entry["name"] for entry in page]


@action("organization_list", side_effect_free=True, json_params=("organizations",))
def organization_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """The Perangkat Daerah (names, or dicts with ``all_fields``)."""
    names = load_names(context.session)
    counts = _dataset_counts(context, Dataset.owner_org)
    entries = [
        {**organization_dict(kode, names), "package_count": counts.get(kode, 0)}
        for kode in sorted(names.active_organisations)
    ]
    return _list_of(context, data, entries, "organizations")


@action("organization_show", side_effect_free=True)
def organization_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One Perangkat Daerah, optionally with (up to 10 of) its datasets."""
    kode = required(data, "id")
    names = load_names(context.session)
    if kode not in names.organisations:
        raise NotFound("Organisasi tidak ditemukan.", "Organization not found.")
    counts = _dataset_counts(context, Dataset.owner_org)
    shown = {**organization_dict(kode, names), "package_count": counts.get(kode, 0)}
    shown |= {"users": [], "extras": [], "groups": [], "tags": []}
    if as_bool(data, "include_datasets"):
        shown["packages"] = _datasets_of(context, f'organization:"{kode}"')
    return shown


@action("group_list", side_effect_free=True, json_params=("groups",))
def group_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """The six Smart City dimensions (names, or dicts with ``all_fields``)."""
    names = load_names(context.session)
    counts = _dataset_counts(context, DatasetGroup.dimensi_kode, DatasetGroup)
    entries = [
        {**group_dict(kode, names), "package_count": counts.get(kode, 0)} for kode in names.groups
    ]
    return _list_of(context, data, entries, "groups")


@action("group_show", side_effect_free=True)
def group_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One Smart City dimension, optionally with (up to 10 of) its datasets."""
    kode = required(data, "id")
    names = load_names(context.session)
    if kode not in names.groups:
        raise NotFound("Grup tidak ditemukan.", "Group not found.")
    counts = _dataset_counts(context, DatasetGroup.dimensi_kode, DatasetGroup)
    shown = {**group_dict(kode, names), "package_count": counts.get(kode, 0)}
    shown |= {"users": [], "extras": [], "groups": [], "tags": []}
    if as_bool(data, "include_datasets"):
        shown["packages"] = _datasets_of(context, f'groups:"{kode}"')
    return shown


def _datasets_of(context: ActionContext, fq: str) -> list[dict[str, Any]]:
    query = SearchQuery(fq=fq, sort="metadata_modified desc", rows=10)
    result = search.search_datasets(context.session, actor=context.actor, query=query)
    names = load_names(context.session)
    return [dataset_dict(d, names, context.site_url) for d in result.datasets]


@action("tag_list", side_effect_free=True)
def tag_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Tags of published public datasets (``query``: containing this text)."""
    text = str(data.get("query") or data.get("q") or "").strip().lower()
    query = (
        select(DatasetTag.name)
        .join(Dataset, Dataset.id == DatasetTag.dataset_id)
        .where(visibility(context.actor, False, False))
        .group_by(DatasetTag.name)
        .order_by(DatasetTag.name)
    )
    if text:
        query = query.where(func.lower(DatasetTag.name).contains(text, autoescape=True))
    tags = list(context.session.scalars(query))
    return [tag_dict(t) for t in tags] if as_bool(data, "all_fields") else tags


@action("tag_show", side_effect_free=True)
def tag_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One tag by name, optionally with the public datasets carrying it."""
    name = required(data, "id")
    tags = {tag_dict(n)["id"]: n for n in tag_list(context, {"query": ""})}
    name = tags.get(name, name)
    if name not in tags.values():
        raise NotFound("Tag tidak ditemukan.", "Tag not found.")
    shown = tag_dict(name)
    if as_bool(data, "include_datasets"):
        shown["packages"] = _datasets_of(context, f'tags:"{name}"')
    return shown


@action("license_list", side_effect_free=True)
def license_list(context: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The licences a dataset may carry."""
    return all_licenses()


@action("user_list", side_effect_free=True)
def user_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """No accounts are listed: open data carries no personal data."""
    return []


def registered() -> list[str]:
    """Every action served (for docs and tests)."""
    return action_names()


from pontive.opendata import ckan_publish  # noqa: E402, F401 - registers the write actions
