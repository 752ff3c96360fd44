"""The portal's search as the address bar carries it: what was typed, the facet values chosen
(each facet may hold several, and they combine), the order and the page, with the links that
add or drop one value.

Parameter names are the page's own, in Bahasa Indonesia (``q``, ``pd``, ``dimensi``, ``tag``,
``format``, ``tahun``, ``urut``, ``hal``), so a shared link reads like the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

BASE = "/data"
PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are for the API
MAX_VALUES = 20  # values per facet in one address
# facet (CKAN's name) -> the page's parameter
FACET_PARAMS: dict[str, str] = {
    "organization": "pd",
    "groups": "dimensi",
    "tags": "tag",
    "res_format": "format",
    "year": "tahun",
}
SORTS = ("relevansi", "terbaru", "nama")


@dataclass(frozen=True)
class Selection:
    """One search of the portal page."""

    q: str = ""
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet -> values
    sort: str = "relevansi"
    page: int = 1

    @classmethod
    def from_query(cls, params: QueryParams) -> Selection:
        """Read the address bar (unknown or oversized values are dropped, not refused)."""
        chosen: dict[str, tuple[str, ...]] = {}
        for facet, name in FACET_PARAMS.items():
            values = [v.strip()[:100] for v in params.getlist(name) if v.strip()]
            if values:
                chosen[facet] = tuple(dict.fromkeys(values))[:MAX_VALUES]
        sort = params.get("urut", "")
        try:
            page = int(params.get("hal", "1"))
        except ValueError:
            page = 1
        return cls(
            q=params.get("q", "").strip()[:200],
            chosen=chosen,
            sort=sort if sort in SORTS else "relevansi",
            page=min(max(page, 1), MAX_PAGE),
        )

    @property
    def offset(self) -> int:
        """The first result of this page."""
        return (self.page - 1) * PAGE_SIZE

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the catalogue."""
        return bool(self.q or self.chosen)

    def values(self, facet: str) -> tuple[str, ...]:
        """The values chosen for ``facet``."""
        return self.chosen.get(facet, ())

    def url(
        self,
        *,
        page: int = 1,
        sort: str | None = None,
        chosen: dict[str, tuple[str, ...]] | None = None,
    ) -> str:
        """This search's address with some parts changed (facets by CKAN name)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        merged = {**self.chosen, **(chosen or {})}
        for facet, name in FACET_PARAMS.items():
            pairs += [(name, value) for value in merged.get(facet, ())]
        order = sort or self.sort
        if order != "relevansi":
            pairs.append(("urut", order))
        if page > 1:
            pairs.append(("hal", str(page)))
        return f"{BASE}?{urlencode(pairs)}" if pairs else BASE

    def toggle(self, facet: str, value: str) -> str:
        """The address with ``value`` added to ``facet``, or dropped when already chosen."""
        current = self.values(facet)
        changed = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.url(chosen={facet: changed})

    def without_query(self) -> str:
        """The address with the typed words dropped."""
        return Selection(chosen=self.chosen, sort=self.sort).url()

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The chosen facets and order as hidden form fields (the search box keeps them)."""
        pairs = [
            (FACET_PARAMS[facet], value)
            for facet, values in self.chosen.items()
            for value in values
        ]
        return pairs + ([("urut", self.sort)] if self.sort != "relevansi" else [])
