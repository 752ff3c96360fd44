"""Catalogue search: words, fq terms, sort, paging, facets and who may find what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.opendata.access import visible
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.choices import DatasetState
from pontive.opendata.models import Dataset
from pontive.opendata.search import SearchQuery, search_datasets
from pontive.opendata.search_terms import Term, parse_fq
from tests.opendata.conftest import make_dataset, make_resource

OFFICER = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=911, name="pd", pd_kode="dlh")
STAFF = Actor(kind=ActorKind.USER, role=Role.DEWAN, id=912, name="dewan")
ADMIN = Actor(kind=ActorKind.USER, role=Role.ADMIN, id=913, name="admin")


@pytest.fixture
def catalogue(session: Session) -> None:
    # Only this test's datasets: whatever the seed published is withdrawn (rolled back after).
    session.execute(update(Dataset).values(state=DatasetState.DELETED))
    air = make_dataset(
        session,
        "kualitas-udara",
        title="Kualitas udara harian",
        owner_org="dlh",
        tags=("udara", "ispu"),
        groups=("environment",),
        temporal_start=date(2022, 1, 1),
        temporal_end=date(2023, 12, 31),
    )
    make_resource(session, air, "udara.csv", format="CSV")
    make_resource(session, air, "udara.json", format="JSON")
    people = make_dataset(
        session,
        "jumlah-penduduk",
        title="Jumlah penduduk per kelurahan",
        tags=("penduduk",),
        groups=("society",),
        license_id="cc-zero",
        temporal_start=date(2023, 1, 1),
        temporal_end=date(2023, 12, 31),
    )
    make_resource(session, people, "penduduk.csv", format="CSV")
    make_dataset(
        session, "sampah-terbatas", owner_org="dlh", classification=Classification.TERBATAS
    )
    make_dataset(session, "sampah-rahasia", owner_org="dlh", classification=Classification.RAHASIA)
    make_dataset(session, "draf-dlh", owner_org="dlh", state=DatasetState.DRAFT)
    make_dataset(session, "terhapus", state=DatasetState.DELETED)


def _names(session: Session, actor: Actor = ANONYMOUS, **query: object) -> list[str]:
    result = search_datasets(session, actor=actor, query=SearchQuery(**query))  # type: ignore[arg-type]
    return [d.name for d in result.datasets]


@pytest.mark.usefixtures("catalogue")
def test_words_match_title_tags_and_organisation(session: Session) -> None:
    assert _names(session, q="udara") == ["kualitas-udara"]
    assert _names(session, q="PENDUDUK kelurahan") == ["jumlah-penduduk"]
    assert _names(session, q="ispu") == ["kualitas-udara"]
    assert _names(session, q="lingkungan hidup") == ["kualitas-udara"]  # DLH's name
    assert _names(session, q="tidak-ada-kata-ini") == []


@pytest.mark.usefixtures("catalogue")
def test_anonymous_sees_only_published_public_datasets(session: Session) -> None:
    assert _names(session, sort="name asc") == ["jumlah-penduduk", "kualitas-udara"]
    assert _names(session, include_private=True, include_drafts=True, sort="name asc") == [
        "jumlah-penduduk",
        "kualitas-udara",
    ]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("actor", [ANONYMOUS, OFFICER, STAFF, ADMIN])
def test_search_finds_exactly_what_access_allows(session: Session, actor: Actor) -> None:
    found = set(_names(session, actor, include_private=True, include_drafts=True, rows=100))
    every = session.scalars(select(Dataset).where(Dataset.state != DatasetState.DELETED))
    assert found == {d.name for d in every if visible(actor, d)}
    assert found  # the fixture has something for everyone


@pytest.mark.usefixtures("catalogue")
def test_deleted_datasets_only_for_those_who_may_see_them_unpublished(session: Session) -> None:
    make_dataset(session, "terhapus-dlh", owner_org="dlh", state=DatasetState.DELETED)
    wanted = {"terhapus", "terhapus-dlh"}

    def deleted(actor: Actor, **query: object) -> set[str]:
        return wanted & set(_names(session, actor, rows=1000, **query))

    assert deleted(ADMIN) == set()  # only when asked for
    assert deleted(ADMIN, include_deleted=True) == wanted
    assert deleted(OFFICER, include_deleted=True) == {"terhapus-dlh"}  # their own PD's
    assert deleted(STAFF, include_deleted=True) == set()
    assert deleted(ANONYMOUS, include_deleted=True) == set()


@pytest.mark.usefixtures("catalogue")
def test_fq_terms_filter_and_negate(session: Session) -> None:
    assert _names(session, fq='tags:"udara" res_format:JSON') == ["kualitas-udara"]
    assert _names(session, fq="+organization:dlh") == ["kualitas-udara"]
    assert _names(session, fq="-organization:dlh") == ["jumlah-penduduk"]
    assert _names(session, fq="groups:society AND license_id:cc-zero") == ["jumlah-penduduk"]
    assert _names(session, fq="tags:(udara OR penduduk)", sort="name asc") == [
        "jumlah-penduduk",
        "kualitas-udara",
    ]
    assert _names(session, fq="year:2022") == ["kualitas-udara"]
    assert _names(session, q="tags:penduduk") == ["jumlah-penduduk"]


def test_fq_parsing() -> None:
    assert parse_fq('+tags:"air bersih" -groups:living') == [
        Term("tags", ("air bersih",)),
        Term("groups", ("living",), negate=True),
    ]
    for bad in ("warna:merah", "tags:", "tags:a OR tags:b", 'tags:"tanpa akhir'):
        with pytest.raises(SearchQueryError):
            parse_fq(bad)


@pytest.mark.usefixtures("catalogue")
def test_facets_are_counted_over_the_matching_set(session: Session) -> None:
    query = SearchQuery(
        facet_fields=("organization", "groups", "tags", "res_format", "license_id", "year")
    )
    facets = search_datasets(session, actor=ANONYMOUS, query=query).facets
    assert facets["organization"] == {"diskominfo": 1, "dlh": 1}
    assert facets["res_format"] == {"CSV": 2, "JSON": 1}
    assert facets["tags"] == {"ispu": 1, "penduduk": 1, "udara": 1}
    assert facets["license_id"] == {"cc-by-4.0": 1, "cc-zero": 1}
    assert facets["year"] == {"2023": 2, "2022": 1}
    narrowed = SearchQuery(fq="res_format:JSON", facet_fields=("res_format",), facet_limit=1)
    assert search_datasets(session, actor=ANONYMOUS, query=narrowed).facets == {
        "res_format": {"CSV": 1}
    }
    mincount = SearchQuery(facet_fields=("res_format",), facet_mincount=2)
    assert search_datasets(session, actor=ANONYMOUS, query=mincount).facets == {
        "res_format": {"CSV": 2}
    }


@pytest.mark.usefixtures("catalogue")
def test_sort_and_paging(session: Session) -> None:
    assert _names(session, sort="title_string asc") == ["jumlah-penduduk", "kualitas-udara"]
    assert _names(session, sort="name desc", rows=1, start=0) == ["kualitas-udara"]
    assert _names(session, sort="name desc", rows=1, start=1) == ["jumlah-penduduk"]
    result = search_datasets(session, actor=ANONYMOUS, query=SearchQuery(rows=0))
    assert (result.count, result.datasets) == (2, [])


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(sort="warna asc"),
        SearchQuery(sort="name sideways"),
        SearchQuery(rows=1001),
        SearchQuery(start=-1),
        SearchQuery(fq="year:duaribu"),
    ],
)
def test_queries_that_cannot_run_are_search_query_errors(
    session: Session, query: SearchQuery
) -> None:
    with pytest.raises(SearchQueryError):
        search_datasets(session, actor=ANONYMOUS, query=query)
