"""Small helpers of the HTML forms every console shares.

``FormBody`` is the posted form as a route parameter: parsed once (the CSRF check that runs
before the route has read it already, and Starlette keeps it); ``text`` is one field, trimmed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData


async def _form(request: Request) -> FormData:
    return await request.form()  # parsed once: the CSRF check read it already


FormBody = Annotated[FormData, Depends(_form)]


def text(form: FormData, name: str) -> str:
    """A text field, trimmed ("" when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
