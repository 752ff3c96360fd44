# ruff: noqa: E501 - the fill table reads best one route a line
"""Real values for the path parameters of every route (``routes.py`` lists the routes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from pontive.core.db import Database
from pontive.core.registry import Registry
from tests.security.planted import Planted
from tests.security.routes import RouteInfo

# Path parameters: (beginning of the route's path, parameter) -> SQL giving a value owned by
# the matrix's PD (``:pd``) where objects have an owner, or a plain value. First match wins.
FILL: list[tuple[str, str, str]] = [
    ("/console/pengaduan/kategori", "code", "SELECT code FROM complaint_categories WHERE pd_kode = :pd ORDER BY code"),
    ("/api/v1/complaints/categories", "code", "SELECT code FROM complaint_categories WHERE pd_kode = :pd ORDER BY code"),
    ("/lapor/kategori", "code", "SELECT code FROM complaint_categories WHERE pd_kode = :pd ORDER BY code"),
    ("/open311", "code", "SELECT code FROM complaint_categories WHERE pd_kode = :pd ORDER BY code"),
    ("/console/pengaduan", "photo_id", "SELECT p.id FROM complaint_photos p JOIN complaints c ON c.id = p.complaint_id WHERE c.tracking_number = :tracking ORDER BY p.id"),
    ("/media/complaints", "photo_id", "SELECT p.id FROM complaint_photos p WHERE p.is_public ORDER BY p.id"),
    ("/open311", "request_id", ":tracking"),
    ("/open311", "token", "x-tidak-ada"),
    ("/open311", "fmt", "json"),
    ("/api/v1/cctv/footage", "request_id", "SELECT id FROM cctv_footage_requests ORDER BY id"),
    ("/console/cctv/rekaman", "request_id", "SELECT id FROM cctv_footage_requests ORDER BY id"),
    ("/cctv/pemilik", "request_id", "SELECT id FROM cctv_footage_requests ORDER BY id"),
    ("/cctv/pemilik", "token", ":owner_token"),
    ("/", "token", "tautan-yang-salah-0000"),
    ("/api/v1/cctv/owner", "action", "tarik"),
    ("/api/v1/cctv/views", "view_id", "SELECT id FROM cctv_views ORDER BY id"),
    ("/api/v1/cctv", "code", "SELECT code FROM cctv_cameras WHERE pd_kode = :pd AND sharing <> 'publik' ORDER BY code"),
    ("/console/cctv", "code", "SELECT code FROM cctv_cameras WHERE pd_kode = :pd ORDER BY code"),
    ("/cctv", "code", "SELECT code FROM cctv_cameras WHERE sharing = 'publik' AND status = 'aktif' ORDER BY code"),
    ("/", "tracking", ":tracking"),
    ("/api/v1/coordination/incidents", "link_id", "SELECT l.id FROM coord_incident_links l JOIN coord_incidents i ON i.id = l.incident_id WHERE i.lead_pd_kode = :pd ORDER BY l.id"),
    ("/console/koordinasi", "link_id", "SELECT l.id FROM coord_incident_links l JOIN coord_incidents i ON i.id = l.incident_id WHERE i.lead_pd_kode = :pd ORDER BY l.id"),
    ("/console/koordinasi", "entry_id", "SELECT e.id FROM coord_incident_entries e JOIN coord_incidents i ON i.id = e.incident_id WHERE e.photo_key IS NOT NULL ORDER BY e.id"),
    ("/api/v1/coordination/meetings", "decision_id", "SELECT id FROM coord_meeting_decisions ORDER BY id"),
    ("/console/koordinasi/rapat", "decision_id", "SELECT id FROM coord_meeting_decisions ORDER BY id"),
    ("/api/v1/coordination/meetings", "code", "SELECT code FROM coord_meetings ORDER BY code"),
    ("/console/koordinasi/rapat", "code", "SELECT code FROM coord_meetings ORDER BY code"),
    ("/api/v1/coordination/tasks", "code", "SELECT code FROM coord_tasks WHERE pd_kode = :pd ORDER BY code"),
    ("/console/koordinasi/tugas", "code", "SELECT code FROM coord_tasks WHERE pd_kode = :pd ORDER BY code"),
    ("/api/v1/coordination/walls", "code", "SELECT code FROM coord_walls ORDER BY code"),
    ("/console/koordinasi/dinding", "code", "SELECT code FROM coord_walls ORDER BY code"),
    ("/api/v1/coordination/incidents", "code", "SELECT code FROM coord_incidents WHERE lead_pd_kode = :pd ORDER BY code"),
    ("/console/koordinasi", "code", "SELECT code FROM coord_incidents WHERE lead_pd_kode = :pd ORDER BY code"),
    ("/insiden", "code", "SELECT code FROM coord_incidents WHERE published_at IS NOT NULL ORDER BY code"),
    ("/", "datastream_id", "SELECT d.id FROM sensor_datastreams d JOIN sensor_things t ON t.id = d.thing_id WHERE t.pd_kode = :pd ORDER BY d.id"),
    ("/console/sensor", "stream_id", "SELECT d.id FROM sensor_datastreams d JOIN sensor_things t ON t.id = d.thing_id WHERE t.pd_kode = :pd ORDER BY d.id"),
    ("/console/sensor", "key_id", "SELECT id FROM api_keys ORDER BY id"),
    ("/", "thing_id", "SELECT id FROM sensor_things WHERE pd_kode = :pd ORDER BY id"),
    ("/", "identifier", "SELECT identifier FROM alerts WHERE state = 'published' ORDER BY id"),
    ("/console/peringatan/aturan", "rule_id", "SELECT id FROM alert_rules ORDER BY id"),
    ("/console/peringatan/status/kontak", "contact_id", "SELECT id FROM emergency_contacts ORDER BY id"),
    ("/console/peringatan/status/pengungsian", "shelter_id", "SELECT id FROM shelters ORDER BY id"),
    ("/console/peringatan/umpan", "source_id", "SELECT id FROM alert_feed_sources ORDER BY id"),
    ("/console/peringatan/webhook", "subscription_id", "SELECT id FROM webhook_subscriptions ORDER BY id"),
    ("/console/peringatan", "alert_id", "SELECT id FROM alerts ORDER BY id"),
    ("/peringatan/langganan", "action", "berhenti"),
    ("/api/3/action", "name", "package_list"),
    ("/api/action", "name", "package_list"),
    ("/dataset/", "dataset_id", "SELECT d.name FROM opendata_datasets d JOIN opendata_resources r ON r.dataset_id = d.id WHERE r.storage_key IS NOT NULL AND d.classification = 'publik' ORDER BY d.name"),
    ("/dataset/", "resource_id", "SELECT r.id FROM opendata_resources r JOIN opendata_datasets d ON d.id = r.dataset_id WHERE r.storage_key IS NOT NULL AND d.classification = 'publik' ORDER BY d.name"),
    ("/dataset/", "filename", "data.csv"),
    ("/datastore/dump", "resource_id", "SELECT r.id FROM opendata_resources r JOIN opendata_datasets d ON d.id = r.dataset_id WHERE r.datastore_active AND d.classification = 'publik' ORDER BY r.id"),
    ("/", "name", "SELECT d.name FROM opendata_datasets d JOIN opendata_resources r ON r.dataset_id = d.id WHERE d.owner_org = :pd ORDER BY d.name"),
    ("/", "resource_id", "SELECT r.id FROM opendata_resources r JOIN opendata_datasets d ON d.id = r.dataset_id WHERE d.owner_org = :pd ORDER BY d.name"),
    ("/console/masterplan/pemantauan", "entry_id", "SELECT id FROM mp_realisations WHERE pd_kode = :pd ORDER BY id"),
    ("/api/v1/masterplan/realisations", "entry_id", "SELECT id FROM mp_realisations WHERE pd_kode = :pd ORDER BY id"),
    ("/console/masterplan/pemantauan/bukti", "evidence_id", "SELECT e.id FROM mp_evidence e ORDER BY e.id"),
    ("/console/masterplan/program", "activity_code", "SELECT a.code FROM mp_activities a ORDER BY a.id"),
    ("/console/masterplan/program", "code", "SELECT p.code FROM mp_programmes p JOIN mp_activities a ON a.programme_id = p.id ORDER BY a.id"),
    ("/", "code", "SELECT code FROM mp_indicators WHERE pd_kode = :pd ORDER BY code"),
    ("/console/masterplan/versi", "number", "SELECT number FROM mp_versions ORDER BY number"),
    ("/", "year", "SELECT year FROM mp_evaluations ORDER BY year DESC"),
    ("/console/masterplan/evaluasi/kerangka", "kind", "SELECT kind FROM mp_frameworks ORDER BY id"),
    ("/console/masterplan/evaluasi/rekomendasi", "item_id", "SELECT id FROM mp_recommendations ORDER BY id"),
    ("/smartcity", "kode", "SELECT kode FROM dimensi ORDER BY kode"),
    ("/", "line_id", "SELECT id FROM budget_lines WHERE pd_kode = :pd ORDER BY id"),
    ("/", "assessment_id", "SELECT id FROM assessments ORDER BY id"),
    ("/console/aset/templat-penilaian", "template_id", "SELECT id FROM assessment_templates ORDER BY id"),
    ("/console/aset/penilaian-sistem", "system_id", "SELECT id FROM asset_systems WHERE pd_kode = :pd ORDER BY id"),
    ("/console/aset/wifi", "row_id", "SELECT id FROM wifi_hotspots WHERE owner_pd = :pd ORDER BY id"),
    ("/wifi", "code", "SELECT code FROM wifi_hotspots ORDER BY code"),
    ("/", "idea_id", ":idea_id"),
    ("/console/partisipasi/moderasi/komentar", "comment_id", "SELECT id FROM par_comments ORDER BY id"),
    ("/", "adoption_id", "SELECT id FROM par_adoptions ORDER BY id"),
    ("/", "report_id", "SELECT id FROM par_adoption_reports WHERE photo_key IS NOT NULL ORDER BY id"),
    ("/console/partisipasi/moderasi", "decision", "tolak"),
    ("/console/analitik/kualitas-data", "flag_id", "SELECT id FROM an_quality_flags ORDER BY id"),
    ("/console/analitik/kualitas-data", "decision", "tolak"),
    ("/console/analitik/ruang-kerja", "query_id", "SELECT id FROM an_saved_queries ORDER BY id"),
    ("/console/pengingat", "reminder_id", "SELECT id FROM reminders ORDER BY id"),
    ("/sta/v1.1", "path", "Things"),
]  # fmt: skip


MISSING = "999999"


@dataclass
class Filler:
    """Concrete paths for route patterns, from the objects of one database."""

    database: Database
    planted: Planted
    _cache: dict[tuple[str, str], str | None]

    def _value(self, path: str, param: str, registry: Registry | None) -> str | None:
        if registry is not None and param in ("row_id", "doc_id"):
            return self._registry_value(registry, param)
        for prefix, name, source in FILL:
            if name == param and path.startswith(prefix):
                return self._resolve(source)
        return None

    def _resolve(self, source: str) -> str | None:
        planted = {
            ":tracking": self.planted.tracking,
            ":idea_id": str(self.planted.idea_id),
            ":owner_token": self.planted.owner_link.rsplit("/", 1)[1],
        }
        if source in planted:
            return planted[source]
        if not source.startswith("SELECT"):
            return source
        key = (source, "")
        if key not in self._cache:
            with self.database.engine.connect() as connection:
                params = {"pd": self.planted.pd_kode, "tracking": self.planted.tracking}
                wanted = {k: v for k, v in params.items() if f":{k}" in source}
                row = connection.execute(text(source), wanted).first()
            # No such object in the demo: the route is still asked (a missing object's answer).
            self._cache[key] = MISSING if row is None else str(row[0])
        return self._cache[key]

    def _registry_value(self, registry: Registry, param: str) -> str | None:
        table = registry.model.__tablename__
        if param == "doc_id":
            return self._resolve(
                "SELECT d.id FROM registry_documents d WHERE d.registry_name = "  # noqa: S608 - our names
                f"'{registry.name}' AND d.object_id = ({self._row_sql(registry, table)})"
            )
        for owned, with_documents in ((True, True), (True, False), (False, False)):
            value = self._resolve(self._row_sql(registry, table, owned, with_documents))
            if value != MISSING:
                return value
        return MISSING

    def _row_sql(
        self, registry: Registry, table: str, owned: bool = True, with_documents: bool = True
    ) -> str:
        owner = f" WHERE {registry.owner_field} = :pd" if registry.owner_field and owned else ""
        documents = (
            f" {'AND' if owner else 'WHERE'} id IN (SELECT object_id FROM registry_documents"  # noqa: S608
            f" WHERE registry_name = '{registry.name}')"
            if registry.documents and with_documents
            else ""
        )
        return f"SELECT id FROM {table}{owner}{documents} ORDER BY id"  # noqa: S608 - our names

    def fill(self, route: RouteInfo) -> tuple[str | None, list[str]]:
        """The route's path with every parameter filled, or None and the missing ones."""
        missing: list[str] = []

        def replace(match: re.Match[str]) -> str:
            param = match.group(1).split(":", 1)[0]
            value = self._value(route.path, param, route.registry)
            if value is None:
                missing.append(param)
                return ""
            return value

        path = re.sub(r"\{([^}]+)\}", replace, route.path)
        return (None, missing) if missing else (path, [])


def make_filler(database: Database, planted: Planted) -> Filler:
    """A filler over ``database``."""
    return Filler(database, planted, {})
