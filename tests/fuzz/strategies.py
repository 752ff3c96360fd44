"""Hypothesis strategies shared by the fuzz tests: STA expressions and hostile file bodies."""

from __future__ import annotations

from hypothesis import strategies as st

# Names the SensorThings entities really have (so the path check lets many through), plus
# some they do not.
_PATHS = (
    "id", "@iot.id", "name", "description", "properties/owner", "properties/levels[1]",
    "properties/a/b/c", "result", "phenomenonTime", "resultTime", "validTime", "parameters/x",
    "resultQuality", "location", "feature", "observedArea", "unitOfMeasurement/symbol",
    "Datastream/name", "Datastream/Thing/properties/owner", "Thing/Locations/location",
    "Datastreams/Observations/result", "Observations/result", "FeatureOfInterest/feature",
    "time", "encodingType", "metadata", "definition", "observationType", "nope", "Things/id",
    "Locations/Things/Datastreams/phenomenonTime", "HistoricalLocations/time",
)  # fmt: skip
_LITERALS = (
    "1", "0", "-1", "3.5", "1e308", "1e309", "9" * 40, "0.0", "'Kapuas'", "''", "'it''s'",
    "true", "false", "null", "2026-11-30T10:00:00Z", "2026-11-30T10:00+07:00", "2026-11-30",
    "10:00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "2026-01-01T00:00:00Z/2026-02-01T00:00:00Z", "2026-02-01T00:00Z/2026-01-01T00:00Z",
    "duration'PT1H'", "duration'P1D'", "duration'P99999999999D'", "duration'junk'",
    "duration'-PT1M'", "geography'POINT(109.3 -0.03)'",
    "geography'POLYGON((109 -1, 110 -1, 110 0, 109 0, 109 -1))'",
    "geography'LINESTRING(109 0, 110 1)'", "geography'POINT(1)'", "geometry'GARBAGE'",
    "geography'POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))'", "geography''",
)  # fmt: skip
_FUNCTIONS = {
    "substringof": 2, "contains": 2, "startswith": 2, "endswith": 2, "length": 1,
    "indexof": 2, "substring": 3, "tolower": 1, "toupper": 1, "trim": 1, "concat": 2,
    "year": 1, "month": 1, "day": 1, "hour": 1, "minute": 1, "second": 1,
    "fractionalseconds": 1, "date": 1, "time": 1, "totaloffsetminutes": 1, "now": 0,
    "mindatetime": 0, "maxdatetime": 0, "round": 1, "floor": 1, "ceiling": 1,
    "geo.distance": 2, "geo.length": 1, "geo.intersects": 2, "st_intersects": 2,
    "st_equals": 2, "st_disjoint": 2, "st_touches": 2, "st_within": 2, "st_overlaps": 2,
    "st_crosses": 2, "st_contains": 2, "st_relate": 3, "unknown": 1,
}  # fmt: skip
_BINARY = ("eq", "ne", "gt", "ge", "lt", "le", "and", "or", "add", "sub", "mul", "div", "mod")
_TOKENS = (*_BINARY, "not", "-", "(", ")", ",", "/", "[", "]", "'", "asc", "desc", " ", "@")


def _call(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(name: str, extra: int) -> st.SearchStrategy[str]:
        count = max(0, _FUNCTIONS[name] + extra)
        return st.lists(children, min_size=count, max_size=count).map(
            lambda args: f"{name}({', '.join(args)})"
        )

    names = st.sampled_from(sorted(_FUNCTIONS))
    # Mostly the right number of arguments, sometimes one too few or too many.
    return st.tuples(names, st.sampled_from((0, 0, 0, -1, 1))).flatmap(lambda pair: build(*pair))


def filter_expressions() -> st.SearchStrategy[str]:
    """Valid-ish ``$filter`` expressions: real paths, literals, functions, any operator mix."""
    leaves = st.one_of(st.sampled_from(_PATHS), st.sampled_from(_LITERALS))
    tree = st.recursive(
        leaves,
        lambda children: st.one_of(
            st.tuples(children, st.sampled_from(_BINARY), children).map(" ".join),
            children.map(lambda c: f"not {c}"),
            children.map(lambda c: f"-{c}"),
            children.map(lambda c: f"({c})"),
            _call(children),
        ),
        max_leaves=12,
    )
    suffix = st.sampled_from(("", "", " asc", " desc", ", id desc"))
    return st.tuples(tree, suffix).map("".join)


def filter_noise() -> st.SearchStrategy[str]:
    """Random text, and random sequences of the language's own tokens and fragments."""
    fragments = st.sampled_from((*_TOKENS, *_PATHS, *_LITERALS, *(f"{n}(" for n in _FUNCTIONS)))
    return st.one_of(
        st.text(max_size=200),
        st.lists(fragments, max_size=40).map(" ".join),
        st.lists(fragments, max_size=40).map("".join),
    )
