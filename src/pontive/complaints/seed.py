"""Rows the complaints domain ships: a realistic service catalogue and the year's holidays.

Run by ``pontive db upgrade``. Existing categories are left as operators edited them: only
missing ones are added. Holiday dates follow the SKB 3 Menteri and should be checked each year
(``pontive complaints holidays``).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import AttributeType
from pontive.complaints.models import CategoryAttribute, Holiday, ServiceCategory


def _data(name: str) -> Any:
    return resources.files("pontive.complaints").joinpath("data", name)


def seed(*, session: Session) -> int:
    """Add missing categories and holidays; returns rows added."""
    added = 0
    existing = set(session.scalars(select(ServiceCategory.code)))
    with _data("categories.json").open(encoding="utf-8") as handle:
        for item in json.load(handle):
            if item["code"] in existing:
                continue
            category = ServiceCategory(
                code=item["code"],
                name_id=item["name_id"],
                name_en=item["name_en"],
                description_id=item["description_id"],
                description_en=item["description_en"],
                group=item["group"],
                keywords=item["keywords"],
                pd_kode=item["pd"],
                routes_to_kecamatan=item.get("routes_to_kecamatan", False),
                sla_days=item["sla_days"],
                photo_expected=item["photo"],
                is_active=True,
            )
            category.attributes = [
                CategoryAttribute(
                    code=attr["code"],
                    datatype=AttributeType(attr["datatype"]),
                    required=attr["required"],
                    order=order,
                    description_id=attr["description_id"],
                    description_en=attr["description_en"],
                    values=attr["values"],
                )
                for order, attr in enumerate(item["attributes"], start=1)
            ]
            session.add(category)
            added += 1
    known_days = set(session.scalars(select(Holiday.day)))
    with _data("holidays.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row["day"])
            if day not in known_days:
                session.add(Holiday(day=day, name=row["name"]))
                added += 1
    session.commit()
    return added
