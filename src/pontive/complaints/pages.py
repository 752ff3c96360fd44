"""Complaint pages: the public ones here, the staff console's in ``console.py``."""

from __future__ import annotations

from fastapi import APIRouter

from pontive.complaints import console

router = APIRouter(include_in_schema=False)
router.include_router(console.router)
