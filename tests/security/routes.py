# ruff: noqa: E501 - the classification and fill tables read best one route a line
"""Every route of the app, how it is classified, and real values for its path parameters.

A route's access class comes, in this order, from:

1. the code's own declarations: a route of a declared registry (``core.registry``) is read
   under the registry's ``view_action`` (public registries: by anyone), its rows owned by the
   registry's ``owner_field``; any other route under ``/console`` is for staff (the console);
2. ``EXPLICIT`` below: one line per route outside the console and the registries.

A route in neither fails ``test_every_route_is_classified`` with its method and path, so a new
route cannot be added without saying who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from pontive.core import registry as registries
from pontive.core.registry import Registry

CONSOLE = "/console"
# The live event stream never ends: tests/core test it with a short read.
UNREAD = frozenset({"/api/v1/events/stream"})

# Access classes: ``public`` anyone (anonymous answered, not sent to sign in); ``staff`` staff
# roles only (anonymous asked to sign in, citizens refused); ``link`` a private link whose
# secret is in the path or query (strangers refused; tested by the private-link tests);
# ``write`` a citizen-facing write (forms, Open311, the enrolment of a camera);
# ``machine`` authenticated by its own secret (the restreamer's hooks, SensorThings writes);
# ``action:<name>`` derived from the permission table (``permissions.can``).
EXPLICIT_TEXT = """
GET /console/pengaduan/{tracking} action:complaints.view_internal
GET /console/pengaduan/{tracking}/foto/{photo_id} action:complaints.view_internal
POST /console/pengaduan/{tracking}/kontak action:complaints.view_contact
GET /console/akun staff-or-citizen
GET /console/akun/2fa staff-or-citizen
GET /masuk/verifikasi link
POST /masuk/verifikasi write
GET /lapor/{tracking}/data-saya link
POST /lapor/{tracking}/data-saya/unduh link
POST /lapor/{tracking}/data-saya/hapus link
GET /readyz public
GET /metrics public
POST /api/v1/auth/token write
GET /api/v1/auth/me public
GET /api/v1/audit/events action:audit.view
GET /api/v1/audit/verify action:audit.view
GET /api/v1/events/stream public
GET / public
GET /wilayah public
GET /masuk public
POST /masuk write
POST /keluar write
GET /api/docs public
GET /api/v1/reference/kecamatan public
GET /api/v1/reference/kelurahan.geojson public
GET /api/v1/reference/perangkat-daerah public
GET /api/v1/reference/dimensi public
GET /api/v1/reference/locate public
GET /api/v1/complaints/categories public
POST /api/v1/complaints/categories action:complaints.manage_catalogue
PATCH /api/v1/complaints/categories/{code} action:complaints.manage_catalogue
GET /api/v1/complaints/nearby public
GET /api/v1/complaints public
POST /api/v1/complaints write
GET /api/v1/complaints/{tracking} public
GET /api/v1/complaints/{tracking}/contact action:complaints.view_contact
POST /api/v1/complaints/{tracking}/transitions action:complaints.work
POST /api/v1/complaints/{tracking}/updates action:complaints.work
POST /api/v1/complaints/{tracking}/moderation action:complaints.work
GET /api/v1/datastreams/{datastream_id}/aggregate public
GET /api/v1/datastreams/{datastream_id}/latest public
GET /api/v1/datastreams/{datastream_id}/observations public
DELETE,GET,PATCH,POST,PUT /sta/v1.1/{path:path} machine
DELETE,GET,PATCH,POST,PUT /sta/v1.1 machine
GET /api/v1/alerts public
GET /api/v1/alerts/status public
POST /api/v1/alerts/status action:alerts.mode.declare
GET /api/v1/alerts/{identifier} public
POST /api/v1/alerts/{identifier}/approve action:alerts.approve
POST /api/v1/alerts/{identifier}/reject action:alerts.approve
POST /api/v1/alerts/{identifier}/cancel action:alerts.approve
GET /api/3/ public
GET /api/3 public
GET,POST /api/action/{name} public
GET,POST /api/3/action/{name} public
GET /dataset/{dataset_id}/resource/{resource_id}/download/{filename} public
GET /datastore/dump/{resource_id} public
GET /catalog.jsonld public
GET /catalog.ttl public
GET /dataset/{name}.jsonld public
GET /dataset/{name}.ttl public
GET /data.json public
GET /api/v1/cctv/cameras public
GET /api/v1/cctv/cameras/{code} staff
POST /api/v1/cctv/cameras action:cctv.manage
PUT /api/v1/cctv/cameras/{code} action:cctv.manage
POST /api/v1/cctv/cameras/{code}/review action:cctv.review
POST /api/v1/cctv/cameras/{code}/status action:cctv.manage
POST /api/v1/cctv/cameras/{code}/streams staff
POST /api/v1/cctv/cameras/{code}/owner staff
POST /api/v1/cctv/enrolments write
POST /api/v1/cctv/owner/{token}/{action} link
GET /api/v1/cctv/cameras/{code}/snapshot staff
POST /api/v1/cctv/cameras/{code}/views public
POST /api/v1/cctv/views/{view_id}/end public
GET /api/v1/cctv/cameras/{code}/stream staff
GET /api/v1/cctv/cameras/{code}/checks action:cctv.read_registry
GET /api/v1/cctv/cameras/{code}/uptime staff
GET /api/v1/cctv/coverage public
GET /api/v1/cctv/views action:cctv.read_views
POST /api/v1/cctv/cameras/{code}/footage-requests action:cctv.request_footage
GET /api/v1/cctv/footage-requests action:cctv.request_footage
POST /api/v1/cctv/footage-requests/{request_id}/cancel action:cctv.request_footage
POST /api/v1/cctv/footage-answers/{token} link
POST /api/v1/cctv/mediamtx/auth machine
POST /api/v1/cctv/mediamtx/unread machine
GET /api/v1/coordination/incidents action:coordination.read
POST /api/v1/coordination/incidents action:coordination.incident.manage
GET /api/v1/coordination/incidents/{code} action:coordination.read
PATCH /api/v1/coordination/incidents/{code} action:coordination.incident.manage
POST /api/v1/coordination/incidents/{code}/status action:coordination.incident.manage
POST /api/v1/coordination/incidents/{code}/entries action:coordination.incident.report
GET /api/v1/coordination/incidents/{code}/suggestions staff
POST /api/v1/coordination/incidents/{code}/links action:coordination.incident.manage
DELETE /api/v1/coordination/incidents/{code}/links/{link_id} action:coordination.incident.manage
POST /api/v1/coordination/incidents/{code}/agencies action:coordination.incident.manage
POST /api/v1/coordination/incidents/{code}/close action:coordination.incident.manage
POST /api/v1/coordination/incidents/{code}/publish action:coordination.incident.manage
GET /api/v1/coordination/incidents/{code}/report.pdf action:coordination.read
GET /api/v1/coordination/tasks action:coordination.read
POST /api/v1/coordination/tasks action:coordination.task.assign
GET /api/v1/coordination/tasks/{code} action:coordination.read
PATCH /api/v1/coordination/tasks/{code} action:coordination.task.assign
POST /api/v1/coordination/tasks/{code}/status action:coordination.task.work
GET /api/v1/coordination/meetings action:coordination.read
POST /api/v1/coordination/meetings action:coordination.meeting.manage
GET /api/v1/coordination/meetings/{code} action:coordination.read
POST /api/v1/coordination/meetings/{code}/minutes action:coordination.meeting.manage
POST /api/v1/coordination/meetings/{code}/decisions action:coordination.meeting.manage
POST /api/v1/coordination/meetings/{code}/decisions/{decision_id}/tasks action:coordination.task.assign
POST /api/v1/coordination/meetings/{code}/sign-off action:coordination.meeting.manage
GET /api/v1/coordination/meetings/{code}/minutes.pdf action:coordination.read
GET /api/v1/coordination/walls action:coordination.wall.view
GET /api/v1/coordination/walls/{code}/snapshot action:coordination.wall.view
GET /api/v1/coordination/executive action:coordination.executive.view
GET /api/v1/masterplan/dimensions public
GET /api/v1/masterplan/programmes public
GET /api/v1/masterplan/indicators public
GET /api/v1/masterplan/indicators/{code} public
POST /api/v1/masterplan/indicators/{code}/realisations action:masterplan.report
GET /api/v1/masterplan/realisations/{entry_id} action:masterplan.read
POST /api/v1/masterplan/realisations/import action:masterplan.report
POST /api/v1/masterplan/realisations/{entry_id}/review action:masterplan.verify
GET /api/v1/budget/lines public
GET /api/v1/budget/lines/{line_id} staff
POST /api/v1/budget/lines action:budget.manage
PATCH /api/v1/budget/lines/{line_id} action:budget.manage
POST /api/v1/budget/lines/{line_id}/realisation action:budget.report
GET /api/v1/budget/totals public
POST /api/v1/budget/import action:budget.manage
GET /api/v1/budget/export.csv public
GET /api/v1/budget/fiscal-data-package.zip public
GET /api/v1/assets/map.geojson action:assets.view
GET /api/v1/assets/integration-graph.svg action:assets.view
GET /api/v1/assets/assessments/{assessment_id:int}/answers action:assets.assessment.read
PUT /api/v1/assets/assessments/{assessment_id:int}/answers action:assets.assessment.manage
GET /api/v1/assets/assessments/{assessment_id:int}/score action:assets.assessment.read
GET /api/v1/assets/assessments/{assessment_id:int}/report.pdf action:assets.assessment.read
GET /api/v1/assets/wifi.geojson public
GET /api/v1/participation/gagasan public
GET /api/v1/participation/gagasan/{idea_id} public
POST /api/v1/participation/gagasan write
POST /api/v1/participation/gagasan/{idea_id}/kode write
POST /api/v1/participation/gagasan/{idea_id}/konfirmasi write
GET /api/v1/participation/adopsi public
GET /api/v1/analytics/triage/model action:analytics.view
POST /api/v1/analytics/triage/suggest action:analytics.view
GET /api/v1/analytics/triage/complaints/{tracking} staff
GET /api/v1/analytics/forecast/metrics public
GET /api/v1/analytics/forecast/{datastream_id} public
GET /api/v1/analytics/quality/flags action:analytics.view
GET /api/v1/analytics/hotspots.geojson public
POST /api/v1/analytics/workspace/query action:analytics.workspace
GET /api/v1/analytics/workspace/manifest action:analytics.workspace
GET /open311/v2/discovery.{fmt} public
GET /open311/v2/services.{fmt} public
GET /open311/v2/service/{code}.{fmt} public
GET /open311/v2/services/{code}.{fmt} public
GET /open311/v2/requests.{fmt} public
GET /open311/v2/requests/{request_id}.{fmt} public
GET /open311/v2/tokens/{token}.{fmt} public
POST /open311/v2/requests.{fmt} write
GET /lapor public
GET /lapor/kategori/{code}.json public
GET /lapor/sekitar.json public
POST /lapor write
GET /lapor/{tracking} public
POST /lapor/{tracking}/tanggapan link
POST /lapor/{tracking}/buka-kembali link
POST /lapor/{tracking}/nilai link
GET /media/complaints/{photo_id} public
GET /laporan public
GET /laporan/peta.json public
GET /statistik public
GET /statistik.csv public
GET /sensor public
GET /sensor/peta.json public
GET /sensor/{thing_id:int} public
GET /sensor/{thing_id:int}/grafik public
GET /alerts/feed.atom public
GET /alerts/{identifier}.xml public
GET /peringatan public
POST /peringatan/langganan write
GET /peringatan/langganan/{action} link
POST /peringatan/langganan/{action} link
GET /peringatan/{identifier} public
GET /situasi public
GET /situasi/data.json public
GET /data public
GET /data/{name}/sumber/{resource_id} public
GET /data/{name}/sumber/{resource_id}/titik.json public
GET /dataset/{name} public
GET /data/{name} public
GET /cctv public
GET /cctv/peta.json public
GET /cctv/cakupan public
GET /cctv/daftar public
POST /cctv/daftar write
GET /cctv/pemilik/{token}/terdaftar link
GET /cctv/pemilik/{token} link
GET /cctv/pemilik/{token}/tarik link
POST /cctv/pemilik/{token}/tindakan link
POST /cctv/pemilik/{token}/rekaman/{request_id} link
GET /cctv/rekaman/{token} link
POST /cctv/rekaman/{token} link
GET /cctv/{code} public
GET /cctv/{code}/status.json public
GET /insiden public
GET /insiden/{code} public
GET /insiden/{code}/laporan.pdf public
GET /smartcity/evaluasi/{year:int}.pdf public
GET /smartcity public
GET /smartcity/{kode} public
GET /dewan-smart-city public
GET /wifi/{code}/lapor public
POST /wifi/{code}/lapor write
GET /teknologi-mitra public
GET /teknologi-mitra/ajukan public
POST /teknologi-mitra/ajukan write
GET /wifi public
GET /gagasan public
GET /gagasan/baru public
POST /gagasan/baru write
GET /gagasan/{idea_id:int} public
POST /gagasan/{idea_id:int}/dukung write
POST /gagasan/{idea_id:int}/komentar write
GET /gagasan/{idea_id:int}/verifikasi link
POST /gagasan/{idea_id:int}/verifikasi link
GET /adopsi-fasilitas public
GET /adopsi-fasilitas/peta.json public
POST /adopsi-fasilitas write
GET /adopsi-fasilitas/{adoption_id:int} link
POST /adopsi-fasilitas/{adoption_id:int}/laporan link
GET /adopsi-fasilitas/{adoption_id:int}/foto/{report_id:int} link
"""


def _parse_explicit(source: str) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for line in source.strip().splitlines():
        methods, path, access = line.split()
        for method in methods.split(","):
            table[(method, path)] = access
    return table


EXPLICIT = _parse_explicit(EXPLICIT_TEXT)


@dataclass(frozen=True)
class RouteInfo:
    """One method of one route, with its access class."""

    method: str
    path: str
    endpoint: str
    access: str | None
    registry: Registry | None = None

    @property
    def label(self) -> str:
        """``METHOD /path (module.function)`` for failure messages."""
        return f"{self.method} {self.path} ({self.endpoint})"

    @property
    def is_write(self) -> bool:
        """Whether the method changes state."""
        return self.method not in ("GET", "HEAD", "OPTIONS")

    @property
    def action(self) -> str | None:
        """The permission action the route is read under, when there is one."""
        return (
            self.access.removeprefix("action:")
            if self.access and "action:" in self.access
            else None
        )


def _walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        child = getattr(route, "original_router", None)
        if child is not None:
            included = route.include_context.prefix  # type: ignore[attr-defined]
            yield from _walk(child.routes, prefix + included)
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def _registry_of(path: str) -> Registry | None:
    for registry in registries.all_registries():
        for base in (registry.path, registry.api_path):
            if path == base or path.startswith((base + "/", base + ".")):
                return registry
    return None


# A registry's forms and import pages are for its editors.
EDITOR_PAGES = ("/baru", "/ubah", "/templat.csv", "/impor")


def _registry_access(registry: Registry, method: str, path: str) -> str:
    is_api = path.startswith("/api/")
    if method == "GET" and is_api and registry.public and not path.endswith("/history"):
        return "public"
    if method == "GET" and not path.endswith(EDITOR_PAGES):
        return f"action:{registry.view_action}"
    return f"action:{registry.edit_action}"


def all_routes(app: FastAPI) -> list[RouteInfo]:
    """Every method of every endpoint route, classified (``access`` None: unclassified)."""
    found = []
    for path, route in _walk(app.router.routes):
        endpoint = f"{route.endpoint.__module__}.{route.endpoint.__name__}"
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            registry = _registry_of(path) if endpoint.startswith("pontive.registry.") else None
            if registry is not None:
                access: str | None = _registry_access(registry, method, path)
            elif path == CONSOLE or path.startswith(CONSOLE + "/"):
                access = EXPLICIT.get((method, path), "staff")
            else:
                access = EXPLICIT.get((method, path))
            found.append(RouteInfo(method, path, endpoint, access, registry))
    return found
