"""Staff console pages for complaints: queues, the report desk, the service catalogue."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/console/pengaduan", include_in_schema=False)
