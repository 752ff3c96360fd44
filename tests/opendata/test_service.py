"""The catalogue service: validation, permissions, versions, activity, usage, completeness."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS, Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.opendata import service
from pontive.opendata.actions import UploadedFile
from pontive.opendata.choices import ActivityType, DatasetState, UrlType, UsageKind
from pontive.opendata.service import DatasetInput, ResourceInput

ADMIN = system_actor("test")
OFFICER = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=901, name="pd1", pd_kode="diskominfo")
OTHER_OFFICER = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=902, name="pd2", pd_kode="dlh")
CITIZEN = Actor(kind=ActorKind.USER, role=Role.WARGA, id=903, name="warga")
OPERATOR = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=904, name="op")


def _input(name: str = "kualitas-udara-harian", **fields: object) -> DatasetInput:
    values: dict[str, object] = {
        "name": name,
        "title": "Kualitas udara harian",
        "owner_org": "diskominfo",
        "notes": "Rata-rata harian ISPU.",
        "tags": ("udara", "ispu"),
        "groups": ("environment",),
    }
    values.update(fields)
    return DatasetInput(**values)  # type: ignore[arg-type]


def _errors(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, list[str]]:
    return error.value.errors


def test_an_officer_publishes_for_their_own_pd(session: Session, bus: MemoryBus) -> None:
    dataset = service.create_dataset(session, actor=OFFICER, data=_input())

    assert dataset.state is DatasetState.ACTIVE
    assert [t.name for t in dataset.tags] == ["ispu", "udara"]
    assert [g.dimensi_kode for g in dataset.groups] == ["environment"]
    activity = service.list_activity(session, dataset)
    assert [a.activity_type for a in activity] == [ActivityType.NEW]
    assert "title" in activity[0].data["changed"]
    audit = session.scalars(select(AuditEvent).where(AuditEvent.object_id == dataset.id)).all()
    assert [event.action for event in audit] == ["opendata.dataset.create"]


def test_an_officer_may_not_publish_for_another_pd(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        service.create_dataset(session, actor=OTHER_OFFICER, data=_input())
    dataset = service.create_dataset(session, actor=OFFICER, data=_input())
    with pytest.raises(PermissionDenied):
        service.patch_dataset(
            session, actor=OTHER_OFFICER, id_or_name=dataset.name, changes={"title": "x"}
        )
    with pytest.raises(PermissionDenied):
        service.update_dataset(
            session, actor=OFFICER, id_or_name=dataset.id, data=_input(owner_org="dlh")
        )


def test_anonymous_and_citizens_cannot_publish(session: Session) -> None:
    with pytest.raises(NotAuthenticated):
        service.create_dataset(session, actor=ANONYMOUS, data=_input())
    with pytest.raises(PermissionDenied):
        service.create_dataset(session, actor=CITIZEN, data=_input())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "A"}, "name", "Paling sedikit 2 karakter."),
        ({"name": "Ada Spasi"}, "name", "Hanya huruf kecil"),
        ({"name": "x" * 101}, "name", "Paling panjang 100"),
        ({"name": ""}, "name", "Wajib diisi."),
        ({"owner_org": "tidak-ada"}, "owner_org", "Perangkat Daerah tidak dikenal"),
        ({"license_id": "bebas"}, "license_id", "Lisensi tidak dikenal."),
        ({"groups": ("olahraga",)}, "groups", "Dimensi 'olahraga' tidak dikenal."),
        ({"tags": ("!",)}, "tags", "Tag '!'"),
        ({"frequency": "sesekali"}, "frequency", "Nilai tidak dikenal"),
        ({"maintainer_email": "bukan-surel"}, "maintainer_email", "Alamat surel"),
        (
            {"temporal_start": "2024-05-01", "temporal_end": "2024-01-01"},
            "temporal_end",
            "tidak boleh sebelum",
        ),
        ({"temporal_start": "kemarin"}, "temporal_start", "TTTT-BB-HH"),
    ],
)
def test_invalid_metadata_is_refused_field_by_field(
    session: Session, fields: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        service.create_dataset(session, actor=ADMIN, data=_input(**fields))
    assert field in _errors(error)
    assert message in _errors(error)[field][0]


def test_a_name_in_use_is_refused(session: Session) -> None:
    service.create_dataset(session, actor=ADMIN, data=_input())
    with pytest.raises(InvalidInput) as error:
        service.create_dataset(session, actor=ADMIN, data=_input(title="Lain"))
    assert _errors(error) == {"name": ["URL tersebut sudah dipakai."]}


def test_update_replaces_and_records_the_changed_fields(session: Session) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    service.update_dataset(
        session,
        actor=OFFICER,
        id_or_name=dataset.name,
        data=_input(title="Baru", tags=("udara",), temporal_start=date(2024, 1, 1)),
    )
    latest = service.list_activity(session, dataset)[0]
    assert latest.activity_type is ActivityType.CHANGED
    assert latest.data["changed"] == ["tags", "temporal_start", "title"]
    assert dataset.title == "Baru"
    assert [t.name for t in dataset.tags] == ["udara"]


def test_patch_changes_only_what_is_named(session: Session) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input(version="1.0"))
    service.patch_dataset(session, actor=ADMIN, id_or_name=dataset.id, changes={"notes": "Baru"})
    assert (dataset.notes, dataset.version, dataset.title) == (
        "Baru",
        "1.0",
        "Kualitas udara harian",
    )
    with pytest.raises(InvalidInput) as error:
        service.patch_dataset(session, actor=ADMIN, id_or_name=dataset.id, changes={"warna": "x"})
    assert "warna" in _errors(error)


def test_deleting_keeps_the_dataset_out_of_public_sight(session: Session) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    service.delete_dataset(session, actor=OFFICER, id_or_name=dataset.name)
    assert dataset.state is DatasetState.DELETED
    with pytest.raises(NotFound):
        service.get_dataset(session, dataset.name, actor=ANONYMOUS)
    assert service.get_dataset(session, dataset.name, actor=OFFICER) is dataset
    kinds = [a.activity_type for a in service.list_activity(session, dataset)]
    assert kinds == [ActivityType.DELETED, ActivityType.NEW]


@pytest.mark.parametrize(
    ("classification", "state", "actor", "seen"),
    [
        (Classification.PUBLIK, DatasetState.ACTIVE, ANONYMOUS, True),
        (Classification.TERBATAS, DatasetState.ACTIVE, ANONYMOUS, False),
        (Classification.TERBATAS, DatasetState.ACTIVE, CITIZEN, False),
        (Classification.TERBATAS, DatasetState.ACTIVE, OTHER_OFFICER, True),
        (Classification.RAHASIA, DatasetState.ACTIVE, ANONYMOUS, False),
        (Classification.RAHASIA, DatasetState.ACTIVE, OTHER_OFFICER, False),
        (Classification.RAHASIA, DatasetState.ACTIVE, OFFICER, True),
        (Classification.PUBLIK, DatasetState.DRAFT, ANONYMOUS, False),
        (Classification.PUBLIK, DatasetState.DRAFT, OTHER_OFFICER, False),
        (Classification.PUBLIK, DatasetState.DRAFT, OFFICER, True),
        (Classification.PUBLIK, DatasetState.DRAFT, OPERATOR, True),
    ],
)
def test_who_sees_a_dataset(
    session: Session,
    classification: Classification,
    state: DatasetState,
    actor: Actor,
    seen: bool,
) -> None:
    dataset = service.create_dataset(
        session, actor=ADMIN, data=_input(classification=classification, state=state)
    )
    if seen:
        assert service.get_dataset(session, dataset.id, actor=actor) is dataset
    else:
        with pytest.raises(NotFound):
            service.get_dataset(session, dataset.id, actor=actor)


def test_events_carry_public_fields_and_a_drafts_is_not_public(session: Session) -> None:
    published: list[object] = []
    session.info["pontive_bus"].publish = published.append  # type: ignore[method-assign]
    service.create_dataset(session, actor=ADMIN, data=_input())
    service.create_dataset(session, actor=ADMIN, data=_input("draf-data", state="draft"))
    created, draft = published
    assert created.type == "opendata.dataset.created"  # type: ignore[attr-defined]
    assert created.classification is Classification.PUBLIK  # type: ignore[attr-defined]
    assert "created_by" not in created.data  # type: ignore[attr-defined]
    assert draft.classification is Classification.TERBATAS  # type: ignore[attr-defined]


def _upload(text: bytes, filename: str = "udara.csv") -> UploadedFile:
    return UploadedFile(filename=filename, content_type="text/csv", file=io.BytesIO(text))


def test_uploads_keep_every_version(session: Session, media: MediaStore) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    resource = service.add_resource(
        session,
        actor=OFFICER,
        dataset_id_or_name=dataset.name,
        data=ResourceInput(),
        upload=_upload(b"tanggal,ispu\n2024-01-01,42\n"),
        media=media,
    )
    assert (resource.url_type, resource.format, resource.name) == (
        UrlType.UPLOAD,
        "CSV",
        "udara.csv",
    )
    assert resource.size == len(b"tanggal,ispu\n2024-01-01,42\n")
    assert resource.hash.startswith("sha256:")
    assert len(resource.hash) == 71
    first_key = resource.storage_key
    service.update_resource(
        session,
        actor=OFFICER,
        resource_id=resource.id,
        data=ResourceInput(name="Udara"),
        upload=_upload(b"tanggal,ispu\n", "udara-2.csv"),
        media=media,
    )
    assert [v.number for v in resource.versions] == [1, 2]
    assert resource.storage_key == resource.versions[-1].storage_key != first_key
    assert media.read(first_key or "") == b"tanggal,ispu\n2024-01-01,42\n"
    assert media.read(resource.storage_key or "") == b"tanggal,ispu\n"
    service.update_resource(
        session, actor=OFFICER, resource_id=resource.id, data=ResourceInput(name="Tetap")
    )
    assert resource.url_type is UrlType.UPLOAD
    assert len(resource.versions) == 2
    latest = service.list_activity(session, dataset)[0]
    assert latest.data["resources"] == {"changed": [resource.id]}


def test_links_need_an_address_and_guess_their_format(session: Session, media: MediaStore) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    with pytest.raises(InvalidInput) as error:
        service.add_resource(
            session,
            actor=ADMIN,
            dataset_id_or_name=dataset.id,
            data=ResourceInput(name="kosong"),
            upload=None,
            media=media,
        )
    assert "url" in _errors(error)
    link = service.add_resource(
        session,
        actor=ADMIN,
        dataset_id_or_name=dataset.id,
        data=ResourceInput(url="https://contoh.id/peta/batas.geojson"),
        upload=None,
        media=media,
    )
    assert (link.format, link.mimetype, link.name) == (
        "GeoJSON",
        "application/geo+json",
        "batas.geojson",
    )
    service.delete_resource(session, actor=ADMIN, resource_id=link.id)
    with pytest.raises(NotFound):
        service.get_resource(session, link.id, actor=ANONYMOUS)


def test_usage_counts_add_up_per_day_without_who(session: Session) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    for _ in range(3):
        service.record_usage(session, dataset_id=dataset.id, kind=UsageKind.VIEW)
    service.record_usage(session, dataset_id=dataset.id, resource_id="r1", kind=UsageKind.DOWNLOAD)
    assert service.usage_totals(session, dataset.id) == {"view": 3, "download": 1, "api": 0}


def test_recording_usage_of_a_missing_dataset_does_not_fail(session: Session) -> None:
    service.record_usage(session, dataset_id="tidak-ada", kind=UsageKind.API)
    assert service.usage_totals(session, "tidak-ada") == {"view": 0, "download": 0, "api": 0}


def test_completeness_lists_the_missing_recommended_fields(session: Session) -> None:
    dataset = service.create_dataset(session, actor=ADMIN, data=_input())
    assert service.completeness(dataset) == [
        "konsep",
        "definisi",
        "satuan",
        "metode",
        "level_estimasi",
        "kode_referensi",
        "frequency",
        "temporal",
        "spatial",
        "resources",
        "maintainer_email",
    ]
    service.patch_dataset(
        session,
        actor=ADMIN,
        id_or_name=dataset.id,
        changes={"konsep": "ISPU", "frequency": "harian", "maintainer_email": "data@kota.id"},
    )
    missing = service.completeness(dataset)
    assert "konsep" not in missing
    assert "frequency" not in missing
    assert "maintainer_email" not in missing
