"""Files of a registry's console: CSV export, the import template, the import itself (a
preview first, then all rows or none), the full change history, and documents attached to a
row (upload, download, removal)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.registry import Registry, pick
from pontive.core.storage import MediaStore
from pontive.registry import csvio, documents, store
from pontive.registry.pages_support import page
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody, refused
from pontive.web.routing import PontiveRouter

MAX_UPLOAD = 10 * 1024 * 1024
TEXTS = {
    "choose": ("Pilih berkas CSV.", "Choose a CSV file."),
    "large": ("Berkas lebih dari 10 MB.", "The file is over 10 MB."),
}
Detail = Callable[..., Response]


def csv_response(text: str, filename: str) -> Response:
    """A CSV download."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def file_name(registry: Registry, suffix: str) -> str:
    """A download's name, e.g. ``aset-perangkat.csv``."""
    return f"{registry.domain}-{registry.slug}{suffix}"


def _import_page(
    request: Request,
    actor: Actor,
    registry: Registry,
    *,
    result: csvio.ImportResult | None = None,
    errors: dict[str, list[str]] | None = None,
    filename: str = "",
) -> Response:
    context = {
        "result": result,
        "errors": errors or {},
        "filename": filename,
        "columns": csvio.columns(registry, personal=True),
        "max_rows": csvio.MAX_ROWS,
    }
    return page(
        request,
        actor,
        "registry/import.html",
        context,
        registry=registry,
        status_code=422 if errors else 200,
    )


def mount(router: PontiveRouter, registry: Registry, detail: Detail) -> None:
    """Add the file routes of ``registry`` to ``router``."""
    path = registry.path

    @router.get(path + "/ekspor.csv")
    def export_csv(session: DbSession, actor: CurrentActor) -> Response:
        text = csvio.export(session, registry, actor)
        session.commit()  # a personal-data export is audited
        return csv_response(text, file_name(registry, ".csv"))

    @router.get(path + "/templat.csv")
    def template_csv(actor: CurrentActor) -> Response:
        store.require_edit(actor, registry)
        return csv_response(csvio.template(registry), file_name(registry, "-templat.csv"))

    @router.get(path + "/impor", response_class=HTMLResponse)
    def import_form(request: Request, actor: CurrentActor) -> Response:
        store.require_edit(actor, registry)
        return _import_page(request, actor, registry)

    @router.post(path + "/impor", dependencies=[CsrfChecked])
    def import_upload(
        request: Request, form: FormBody, session: DbSession, actor: CurrentActor
    ) -> Response:
        store.require_edit(actor, registry)
        lang = get_lang(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _import_page(
                request, actor, registry, errors={"file": [pick(TEXTS["choose"], lang)]}
            )
        data = upload.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            return _import_page(
                request, actor, registry, errors={"file": [pick(TEXTS["large"], lang)]}
            )
        preview = form.get("mode") != "import"
        try:
            result = csvio.import_csv(session, registry, actor, data, dry_run=preview, lang=lang)
        except InvalidInput as error:
            session.rollback()
            return _import_page(
                request, actor, registry, errors=error.errors, filename=upload.filename
            )
        if preview:
            session.rollback()
            return _import_page(request, actor, registry, result=result, filename=upload.filename)
        session.commit()
        return RedirectResponse(f"{path}?ok=imported", status_code=303)

    @router.get(path + "/{row_id:int}/riwayat", response_class=HTMLResponse)
    def history_page(
        request: Request, row_id: int, session: DbSession, actor: CurrentActor
    ) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        changes = store.history(session, registry, actor, row_id)
        return page(
            request,
            actor,
            "registry/history.html",
            {"row": row, "changes": changes, "label": str(getattr(row, registry.title_field))},
            registry=registry,
        )

    if not registry.documents:
        return

    @router.post(path + "/{row_id:int}/dokumen", dependencies=[CsrfChecked])
    def upload_document(
        request: Request, row_id: int, form: FormBody, session: DbSession, actor: CurrentActor
    ) -> Response:
        lang = get_lang(request)
        row = store.get_row(session, registry, actor, row_id)
        upload = form.get("file")
        title = form.get("title")
        data = upload.file.read(documents.MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
        filename = upload.filename or "" if isinstance(upload, UploadFile) else ""
        try:
            documents.attach(
                session,
                registry,
                actor,
                row,
                media=_media(request),
                title=title if isinstance(title, str) else "",
                filename=filename,
                data=data,
                lang=lang,
            )
        except InvalidInput as error:
            session.rollback()
            row = store.get_row(session, registry, actor, row_id)
            return detail(request, session, registry, actor, row, doc_errors=refused(error, lang))
        session.commit()
        return RedirectResponse(f"{path}/{row_id}?ok=document#dokumen", status_code=303)

    @router.get(path + "/{row_id:int}/dokumen/{doc_id:int}")
    def download_document(
        request: Request, row_id: int, doc_id: int, session: DbSession, actor: CurrentActor
    ) -> Response:
        store.get_row(session, registry, actor, row_id)
        document = documents.get(session, registry, actor, row_id, doc_id)
        data = _media(request).read(document.media_key)
        return Response(
            data,
            media_type=document.content_type,
            headers={
                "Content-Disposition": f'attachment; filename="{document.filename}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    @router.post(path + "/{row_id:int}/dokumen/{doc_id:int}/hapus", dependencies=[CsrfChecked])
    def remove_document(
        request: Request, row_id: int, doc_id: int, session: DbSession, actor: CurrentActor
    ) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        key = documents.remove(session, registry, actor, row, doc_id)
        session.commit()
        _media(request).delete(key)
        return RedirectResponse(f"{path}/{row_id}?ok=document_removed#dokumen", status_code=303)


def _media(request: Request) -> MediaStore:
    media: MediaStore = request.app.state.media
    return media
