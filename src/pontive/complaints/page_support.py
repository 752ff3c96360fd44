"""Plumbing shared by the complaint pages and console: forms, uploads, redirects, caching."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from pontive.complaints import service
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.photos import MAX_UPLOAD_BYTES
from pontive.web.i18n import translate

PUBLIC_SECONDS = 30  # how long an anonymous visitor's public page may be shared
CONSOLE = "/console/pengaduan"
STATUS_VALUES = frozenset(status.value for status in ComplaintStatus)
# The confirmations the console shows after a post (``?ok=<key>``).
FLASH_KEYS = frozenset(
    {"status", "reply", "note", "moderated", "bulk", "cat_created", "cat_saved", "cat_off"}
)


async def _read_form(request: Request) -> AsyncIterator[FormData]:
    # Starlette caches the parsed form, so the CSRF check and the route share one parse;
    # uploaded files are spooled to disk and closed once the response is sent.
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


FormBody = Annotated[FormData, Depends(_read_form)]


def form_text(form: FormData, name: str) -> str:
    """A text field, trimmed ("" when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_uploads(form: FormData) -> list[service.Upload]:
    """The files sent as ``photos`` (one byte over the limit is enough to refuse one)."""
    uploads = []
    for item in form.getlist("photos"):
        if isinstance(item, UploadFile) and item.filename:
            data = item.file.read(MAX_UPLOAD_BYTES + 1)
            if data:
                uploads.append(service.Upload(item.filename, data))
    return uploads


def redirect_ok(path: str, ok: str) -> RedirectResponse:
    """Back to ``path`` after a post, with the confirmation to show (``?ok=<key>``)."""
    return RedirectResponse(f"{path}?{urlencode({'ok': ok})}", status_code=303)


def console_flash(ok: str | None) -> str | None:
    """The console confirmation asked for, if it is one we show."""
    return ok if ok in FLASH_KEYS else None


def no_store(response: Response) -> Response:
    """Never cached: the page carries a private link or a form."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def localised(errors: dict[str, list[str]], lang: str) -> dict[str, list[str]]:
    """Field errors in ``lang``: services word them in Bahasa Indonesia, English pages use
    our catalogue."""
    if lang != "en":
        return errors
    out = {}
    for field, messages in errors.items():
        key = "pub.err.attribute" if field.startswith("attribute[") else f"pub.err.{field}"
        message = translate(key, lang)
        out[field] = [message] if message != key else messages
    return out
