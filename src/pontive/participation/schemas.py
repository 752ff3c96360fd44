"""The participation API's shapes: what callers send (ideas, code requests, codes) and what
the public reads (ideas and adoptions without personal data)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class IdeaCreate(BaseModel):
    """A new idea, as the form sends it; ``consent`` to the use of the contact is required."""

    title: str = Field(max_length=200)
    description: str = Field(max_length=20000)
    dimensi_kode: str = Field(max_length=20, examples=["environment"])
    contact: str = Field(max_length=200, description="E-mail address or phone number.")
    consent: bool
    kelurahan_kode: str = Field(default="", max_length=20)
    name: str = Field(default="", max_length=120)
    show_name: bool = False
    idempotency_key: str = Field(default="", max_length=100)


class IdeaReceipt(BaseModel):
    """What the author keeps: the idea's number and the private link to follow it."""

    id: int
    status: str
    private_url: str
    is_new: bool


class ProgrammeRead(BaseModel):
    """The masterplan programme an idea became."""

    code: str
    name: str
    url: str


class IdeaPublic(BaseModel):
    """A published idea (no contact, no reason of refusal, no moderator's name)."""

    id: int
    url: str
    title: str
    description: str
    dimension: str
    dimension_label: str
    kelurahan_kode: str | None
    kelurahan: str | None
    display_name: str
    status: str
    status_label: str
    answer: str | None
    answered_at: str | None
    programme: ProgrammeRead | None
    merged_into: str | None
    supports: int
    comments: int
    published_at: str | None


class CommentPublic(BaseModel):
    """A shown comment."""

    display_name: str
    body: str
    created_at: str


class IdeaDetail(IdeaPublic):
    """A published idea with its shown comments."""

    comment_list: list[CommentPublic]


class IdeaPage(BaseModel):
    """A page of published ideas."""

    count: int
    page: int
    per_page: int
    results: list[IdeaPublic]


class CodeRequest(BaseModel):
    """Ask for a code to support (``dukung``) or comment on (``komentar``) an idea."""

    contact: str = Field(max_length=200)
    purpose: Literal["dukung", "komentar"] = "dukung"
    body: str = Field(default="", max_length=2000, description="The comment (komentar).")
    name: str = Field(default="", max_length=120, description="Name shown with a comment.")


class CodeSent(BaseModel):
    """A code was sent; confirm it with ``verification`` within ``expires_at``."""

    verification: str
    masked_contact: str
    expires_at: str


class CodeConfirm(BaseModel):
    """The code the person received."""

    verification: str = Field(max_length=64)
    code: str = Field(max_length=12)


class Confirmed(BaseModel):
    """What the confirmed code did."""

    outcome: Literal["dukungan", "komentar"]
    idea_id: int
    supports: int


class AdoptionPublic(BaseModel):
    """An approved adoption (the facility and the group; never the person)."""

    id: int
    facility_name: str
    kind: str
    kind_label: str
    lon: float | None
    lat: float | None
    kelurahan: str | None
    group_name: str | None
    starts_on: str | None
    ends_on: str | None
    condition: str | None
    condition_label: str | None
    reported_on: str | None
