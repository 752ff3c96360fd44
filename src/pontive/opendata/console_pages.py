"""The publishing console (``/console/data``): a PD officer's datasets (every PD's for the
technical team and administrators) with state, completeness and last change; the guided form
to create and edit a dataset (``console_form.py``); adding files and links with the datastore
load's progress (``console_resources.py``).

Every post is checked for CSRF; a refused form comes back with the field errors next to each
field and everything typed kept. Permissions are the catalogue service's
(``opendata.access``); the pages only decide what to offer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import RedirectResponse, Response

from pontive.core import permissions
from pontive.core.choices import Classification
from pontive.core.errors import DomainError, InvalidInput
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.opendata import console_form, console_resources, licenses, search, service
from pontive.opendata.access import PUBLISH, can_publish
from pontive.opendata.choices import DatasetState, Frequency
from pontive.opendata.pages_support import load_names
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
router.include_router(console_resources.router)

CONSOLE = "/console/data"
# Opening the console: every publishing role (which datasets each may change is per PD).
CONSOLE_OPEN = permissions.register(
    "opendata.console", {Role.PETUGAS_PD, Role.TIM_TEKNIS, Role.ADMIN}
)
LIST_ROWS = 200
FLASH = frozenset({"created", "saved", "deleted", "resource_added"})


def console_page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A console page, never cached."""
    response = render(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _open(actor: Actor) -> None:
    permissions.require(actor, CONSOLE_OPEN)


@router.get(CONSOLE)
def dataset_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    ok: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The datasets ``actor`` publishes, newest change first."""
    _open(actor)
    own = {"organization": [actor.pd_kode or ""]} if actor.role is Role.PETUGAS_PD else {}
    query = search.SearchQuery(
        filters=own,
        sort="metadata_modified desc",
        rows=LIST_ROWS,
        include_private=True,
        include_drafts=True,
    )
    result = search.search_datasets(session, actor=actor, query=query)
    names = load_names(session)
    rows = []
    for dataset in result.datasets:
        gaps = service.completeness(dataset)
        rows.append(
            {
                "dataset": dataset,
                "pd": names.pd_short.get(dataset.owner_org, dataset.owner_org),
                "score": round(100 * (1 - len(gaps) / COMPLETENESS_FIELDS)),
                "missing": gaps,
                "editable": can_publish(actor, dataset.owner_org),
            }
        )
    context = {"rows": rows, "count": result.count, "flash": ok if ok in FLASH else None}
    return console_page(request, "opendata/console_list.html", context)


COMPLETENESS_FIELDS = 13  # the fields service.completeness looks for


def _choices(session: DbSession, actor: Actor, lang: str) -> dict[str, Any]:
    pds = [(pd.kode, pd.nama) for pd in reference.list_perangkat_daerah(session=session)]
    return {
        "organisations": console_form.organisations_for(actor, pds),
        "dimensions": [
            (d.kode, d.nama_en if lang == "en" else d.nama_id)
            for d in reference.list_dimensi(session=session)
        ],
        "kecamatan": reference.list_kecamatan(session=session),
        "licences": [(item["id"], item["title"]) for item in licenses.license_list()],
        "frequencies": [(f.value, f.label(lang)) for f in Frequency],
        "classifications": [(c.value, c.label(lang)) for c in Classification],
        "states": [(s.value, s.label(lang)) for s in (DatasetState.DRAFT, DatasetState.ACTIVE)],
    }


def _form_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    *,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    dataset: Any = None,
    status_code: int = 200,
) -> Response:
    lang = get_lang(request)
    has_resources = bool(dataset and any(r.state is DatasetState.ACTIVE for r in dataset.resources))
    gaps = console_form.missing(values, has_resources=has_resources)
    context = {
        "values": values,
        "errors": errors or {},
        "dataset": dataset,
        "missing": [(name, console_form.MISSING_SECTION.get(name, "")) for name in gaps],
        **_choices(session, actor, lang),
    }
    return console_page(request, "opendata/console_form.html", context, status_code=status_code)


def _refused(error: DomainError, lang: str) -> dict[str, list[str]]:
    errors = dict(error.errors)
    if "spatial" in errors:  # the service names the coverage "spatial"; the form's field differs
        errors["spatial_codes"] = errors.pop("spatial")
    if not errors or not isinstance(error, InvalidInput):
        errors["form"] = [error.message(lang)]
    return errors


@router.get(f"{CONSOLE}/baru")
def new_dataset_form(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The empty guided form."""
    _open(actor)
    return _form_page(request, session, actor, values=console_form.blank(actor))


@router.post(f"{CONSOLE}/baru", dependencies=[CsrfChecked])
def create_dataset(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Create the dataset, then go on to add its first file."""
    _open(actor)
    values = console_form.typed(form)
    try:
        dataset = service.create_dataset(session, actor=actor, data=console_form.to_input(values))
    except DomainError as error:
        session.rollback()
        errors = _refused(error, get_lang(request))
        return _form_page(request, session, actor, values=values, errors=errors, status_code=422)
    return RedirectResponse(f"{CONSOLE}/{dataset.name}/sumber/baru?ok=created", status_code=303)


@router.get(CONSOLE + "/{name}/ubah")
def edit_dataset_form(
    request: Request, name: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The guided form over a stored dataset."""
    _open(actor)
    dataset = service.get_dataset(session, name, actor=actor)
    permissions.require(actor, PUBLISH, owner_pd=dataset.owner_org)
    return _form_page(
        request, session, actor, values=console_form.values_of(dataset), dataset=dataset
    )


@router.post(CONSOLE + "/{name}/ubah", dependencies=[CsrfChecked])
def update_dataset(
    request: Request, name: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the edited dataset."""
    _open(actor)
    dataset = service.get_dataset(session, name, actor=actor)
    permissions.require(actor, PUBLISH, owner_pd=dataset.owner_org)
    values = console_form.typed(form)
    try:
        saved = service.update_dataset(
            session,
            actor=actor,
            id_or_name=dataset.id,
            data=console_form.to_input(values, keep=dataset),
        )
    except DomainError as error:
        session.rollback()
        errors = _refused(error, get_lang(request))
        dataset = service.get_dataset(session, name, actor=actor)
        return _form_page(
            request, session, actor, values=values, errors=errors, dataset=dataset, status_code=422
        )
    return RedirectResponse(f"{CONSOLE}?ok=saved#ds-{saved.name}", status_code=303)


@router.post(CONSOLE + "/{name}/hapus", dependencies=[CsrfChecked])
def delete_dataset(name: str, session: DbSession, actor: CurrentActor) -> Response:
    """Withdraw a dataset (kept for its history, listed nowhere)."""
    _open(actor)
    service.delete_dataset(session, actor=actor, id_or_name=name)
    return RedirectResponse(f"{CONSOLE}?ok=deleted", status_code=303)
