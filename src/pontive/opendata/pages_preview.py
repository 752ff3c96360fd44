"""What the resource preview asks the datastore, read from the address bar: equality filters
per column (``f.<column>=value``), free text (``q``), the sorted column and direction
(``urut``, ``arah``), the page (``hal``, 20 rows each), the tab (``tab``: tabel, grafik, peta)
and the chart builder's choices (``x``, ``y``, ``agregat``, ``jenis``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from pontive.opendata.pages_chart import AGGREGATES, KINDS

ROWS_PER_PAGE = 20
MAX_PAGE = 5000
TABS = ("tabel", "grafik", "peta")
FILTER_PREFIX = "f."
NUMERIC_TYPES = frozenset({"int", "numeric"})
ORDERED_TYPES = frozenset({"int", "numeric", "date", "timestamp"})
LON_NAMES = ("lon", "lng", "long", "longitude", "bujur", "x")
LAT_NAMES = ("lat", "latitude", "lintang", "y")


@dataclass(frozen=True)
class Preview:
    """One view of a datastore table."""

    base: str  # the preview's own path
    columns: tuple[str, ...]
    filters: dict[str, str] = field(default_factory=dict)
    q: str = ""
    sort: str = ""
    descending: bool = False
    page: int = 1
    tab: str = "tabel"
    x: str = ""
    y: str = ""
    how: str = "sum"
    kind: str = "bar"

    @classmethod
    def from_query(cls, base: str, columns: tuple[str, ...], params: QueryParams) -> Preview:
        """Read the address bar; names of columns the table lacks are dropped."""
        filters = {
            key.removeprefix(FILTER_PREFIX): value.strip()[:200]
            for key, value in params.items()
            if key.startswith(FILTER_PREFIX)
            and key.removeprefix(FILTER_PREFIX) in columns
            and value.strip()
        }
        try:
            page = min(max(int(params.get("hal", "1")), 1), MAX_PAGE)
        except ValueError:
            page = 1

        def column(name: str) -> str:
            value = params.get(name, "")
            return value if value in columns else ""

        tab = params.get("tab", "")
        how = params.get("agregat", "")
        kind = params.get("jenis", "")
        return cls(
            base=base,
            columns=columns,
            filters=filters,
            q=params.get("q", "").strip()[:200],
            sort=column("urut"),
            descending=params.get("arah") == "turun",
            page=page,
            tab=tab if tab in TABS else "tabel",
            x=column("x"),
            y=column("y"),
            how=how if how in AGGREGATES else "sum",
            kind=kind if kind in KINDS else "bar",
        )

    @property
    def offset(self) -> int:
        """The first row of this page."""
        return (self.page - 1) * ROWS_PER_PAGE

    def datastore_params(
        self, *, limit: int = ROWS_PER_PAGE, offset: int | None = None
    ) -> dict[str, Any]:
        """``datastore_search`` parameters for this view."""
        params: dict[str, Any] = {
            "limit": limit,
            "offset": self.offset if offset is None else offset,
            "include_total": True,
        }
        if self.filters:
            params["filters"] = dict(self.filters)
        if self.q:
            params["q"] = self.q
        if self.sort:
            params["sort"] = f'"{self.sort}" {"desc" if self.descending else "asc"}'
        return params

    def pairs(self) -> list[tuple[str, str]]:
        """This view as address parameters."""
        pairs = [(FILTER_PREFIX + name, value) for name, value in self.filters.items()]
        if self.q:
            pairs.append(("q", self.q))
        if self.sort:
            pairs.append(("urut", self.sort))
            if self.descending:
                pairs.append(("arah", "turun"))
        if self.page > 1:
            pairs.append(("hal", str(self.page)))
        if self.tab != "tabel":
            pairs.append(("tab", self.tab))
        if self.x:
            pairs += [("x", self.x), ("y", self.y), ("agregat", self.how), ("jenis", self.kind)]
        return pairs

    def url(self, **changes: Any) -> str:
        """This view's address with some parts changed (fields of this class)."""
        pairs = replace(self, **changes).pairs()
        return f"{self.base}?{urlencode(pairs)}" if pairs else self.base

    def sort_url(self, column: str) -> str:
        """The address that sorts by ``column`` (ascending; again: descending)."""
        again = self.sort == column and not self.descending
        return self.url(sort=column, descending=again, page=1)

    def filter_pairs(self) -> list[tuple[str, str]]:
        """The filters and search words alone (for the download links and the map's data)."""
        pairs = [(FILTER_PREFIX + name, value) for name, value in self.filters.items()]
        return pairs + ([("q", self.q)] if self.q else [])


def coordinate_columns(fields: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The longitude and latitude columns of a table, when it has a numeric pair of them."""
    numeric = {f["id"].lower(): f["id"] for f in fields if f.get("type") in NUMERIC_TYPES}
    lon = next((numeric[n] for n in LON_NAMES if n in numeric), None)
    lat = next((numeric[n] for n in LAT_NAMES if n in numeric), None)
    return (lon, lat) if lon and lat else None
