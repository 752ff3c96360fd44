"""Creating a tree of SensorThings entities (deep insert) inside the caller's transaction.

``GraphWriter.create`` walks a ``Draft``: to-one links first (a Datastream's Thing, Sensor
and ObservedProperty, created or looked up), then the entity, then its collections (inline
children get this entity as their parent; links to existing children are re-pointed).
The integrity rules of 18-088 10.2 (table "Integrity constraints") are checked on the way.
Observations are collected and stored at the end in one batch through ingest (which
generates a FeatureOfInterest from the Thing's Location when none is linked, special case
#1). A Thing that gets Locations gets a HistoricalLocation (req
``create-update-delete/historical-location-auto-creation``). Nothing is committed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import ingest
from pontive.sensors.models import (
    HistoricalLocation,
    Observation,
    historical_location_locations,
    thing_locations,
)
from pontive.sensors.schemas import Draft, EntitySet, Link
from pontive.sensors.sta_errors import bad_request
from pontive.sensors.sta_meta import (
    SINGULAR,
    LinkKind,
    StaNavigation,
    association_columns,
    is_required,
    links,
    model,
    table,
    target_set,
)
from pontive.sensors.sta_upkeep import merge_times, numeric_times
from pontive.sensors.sta_values import GEOJSON_TYPES, representative_point


@dataclass
class GraphWriter:
    """Creates drafts in one session; remembers what it made for audit and events."""

    session: Session
    now: datetime = field(default_factory=utcnow)
    created: list[tuple[EntitySet, int]] = field(default_factory=list)
    observations: list[ingest.ObservationIn] = field(default_factory=list)
    moved_things: set[int] = field(default_factory=set)
    touched: dict[int, list[datetime]] = field(default_factory=dict)
    refresh: set[int] = field(default_factory=set)

    # --- entry points ----------------------------------------------------------------------

    def create(self, draft: Draft, fixed: Mapping[str, int] | None = None) -> int:
        """Create ``draft`` (``fixed``: to-one links set by the parent); its id, or for an
        Observation its position among the observations stored by ``finish``."""
        own = self._own_links(draft, fixed or {})
        if draft.entity_set is EntitySet.OBSERVATIONS:
            return self._observation(draft, own)
        if draft.entity_set is EntitySet.HISTORICAL_LOCATIONS and not draft.related.get(
            "Locations"
        ):
            raise bad_request("A HistoricalLocation needs at least one Location (Locations).")
        entity_id = self._insert(draft.entity_set, draft.values, own)
        for nav in links(draft.entity_set):
            if nav.is_to_many:  # to-one links were made before the insert
                for item in draft.related.get(nav.name, ()):
                    self._attach(nav, entity_id, item)
        if draft.entity_set is EntitySet.HISTORICAL_LOCATIONS:
            self._historical_location_added(entity_id, own["Thing"])
        return entity_id

    def resolve(self, item: Draft | Link) -> int:
        """The id of a linked entity (checked to exist) or of a newly created one."""
        if isinstance(item, Link):
            self.require(item.entity_set, item.id)
            return item.id
        return self.create(item)

    def require(self, entity_set: EntitySet, entity_id: int) -> None:
        """400 when the linked entity does not exist (FROST: NoSuchEntity on POST → 400)."""
        column = table(entity_set).c.id
        if self.session.scalar(select(column).where(column == entity_id)) is None:
            raise bad_request(f"No {SINGULAR[entity_set]} with id {entity_id} to link to.")

    def finish(self) -> list[int]:
        """Store the collected observations and the HistoricalLocations; the observation ids."""
        for thing_id in sorted(self.moved_things):
            self.record_move(thing_id)
        stored: list[int] = []
        if self.observations:
            stored = ingest.store_observations(
                session=self.session, items=self.observations, source="http"
            )
        return stored

    # --- links -----------------------------------------------------------------------------

    def _own_links(self, draft: Draft, fixed: Mapping[str, int]) -> dict[str, int]:
        own: dict[str, int] = {}
        for nav in links(draft.entity_set):
            if nav.kind is not LinkKind.OWN_KEY:
                continue
            items = draft.related.get(nav.name, ())
            given = fixed.get(nav.name)
            target = target_set(nav)
            if given is not None and items and items[0] != Link(target, given):
                raise bad_request(f"{nav.name}: conflicts with the {SINGULAR[target]} of the path.")
            if given is not None:
                own[nav.name] = given
            elif items:
                own[nav.name] = self.resolve(items[0])
            elif is_required(draft.entity_set, nav):
                raise bad_request(
                    f"A {SINGULAR[draft.entity_set]} must link to a {SINGULAR[target]} "
                    f"({nav.name})."
                )
        return own

    def _attach(self, nav: StaNavigation, entity_id: int, item: Draft | Link) -> None:
        if nav.kind is LinkKind.THEIR_KEY:
            if isinstance(item, Draft):
                self.create(item, {nav.inverse: entity_id})
            else:
                self.repoint(nav, entity_id, item.id)
            return
        self.associate(nav, entity_id, self.resolve(item))

    def associate(self, nav: StaNavigation, entity_id: int, other_id: int) -> None:
        """Add one association row (Thing and Location, HistoricalLocation and Location)."""
        assert nav.association is not None  # noqa: S101 - ASSOCIATION links only
        ours, theirs = association_columns(nav)
        exists = self.session.execute(
            select(ours).where(ours == entity_id, theirs == other_id)
        ).first()
        if exists is None:
            self.session.execute(
                insert(nav.association).values({ours.name: entity_id, theirs.name: other_id})
            )
        if nav.association is thing_locations:
            self.moved_things.add(entity_id if nav.ours == "thing_id" else other_id)

    def repoint(self, nav: StaNavigation, entity_id: int, child_id: int) -> None:
        """Make an existing child belong to ``entity_id`` (a collection link adds to it)."""
        target = target_set(nav)
        self.require(target, child_id)
        child = table(target)
        if target is EntitySet.OBSERVATIONS and nav.key == "datastream_id":
            self._moving_observation(child_id, entity_id)
        self.session.execute(
            update(child).where(child.c.id == child_id).values({nav.key: entity_id})
        )

    def _moving_observation(self, observation_id: int, datastream_id: int) -> None:
        obs = Observation.__table__.c
        old: int = self.session.execute(
            select(obs.datastream_id).where(obs.id == observation_id)
        ).scalar_one()
        times = numeric_times(self.session, obs.id == observation_id)
        self.touched = merge_times(self.touched, times, {datastream_id: times.get(old, [])})
        self.refresh |= {old, datastream_id}

    # --- inserts ---------------------------------------------------------------------------

    def _insert(
        self, entity_set: EntitySet, values: Mapping[str, Any], own: Mapping[str, int]
    ) -> int:
        columns = dict(values)
        for nav in links(entity_set):
            if nav.kind is LinkKind.OWN_KEY and nav.name in own:
                columns[nav.key] = own[nav.name]
        if entity_set is EntitySet.LOCATIONS:
            columns = self._place(columns)
        entity = model(entity_set)(**columns)
        self.session.add(entity)
        self.session.flush()
        entity_id: int = entity.id
        self.created.append((entity_set, entity_id))
        return entity_id

    def _place(self, columns: dict[str, Any]) -> dict[str, Any]:
        if columns.get("encoding_type", "application/geo+json") not in GEOJSON_TYPES:
            return columns | {"lon": None, "lat": None, "kelurahan_kode": None}
        lon, lat = representative_point(columns["location"], "location")
        place = reference.resolve_location(session=self.session, lon=lon, lat=lat)
        return columns | {"lon": lon, "lat": lat, "kelurahan_kode": place.kelurahan_kode}

    def _observation(self, draft: Draft, own: Mapping[str, int]) -> int:
        item = ingest.parse_observation_json(
            draft.values,
            datastream_id=own["Datastream"],
            feature_of_interest_id=own.get("FeatureOfInterest"),
        )
        self.observations.append(item)
        return len(self.observations) - 1

    # --- historical locations (18-088 10.2, 8.2.3) -----------------------------------------

    def record_move(self, thing_id: int) -> None:
        """A HistoricalLocation of ``thing_id`` at its current Locations, timed now."""
        location_ids = self.session.scalars(
            select(thing_locations.c.location_id).where(thing_locations.c.thing_id == thing_id)
        ).all()
        if not location_ids:
            return
        history = HistoricalLocation(thing_id=thing_id, time=self.now)
        self.session.add(history)
        self.session.flush()
        self.session.execute(
            insert(historical_location_locations),
            [{"historical_location_id": history.id, "location_id": i} for i in location_ids],
        )
        self.created.append((EntitySet.HISTORICAL_LOCATIONS, history.id))

    def _historical_location_added(self, history_id: int, thing_id: int) -> None:
        # SensorThings 1.1: a HistoricalLocation newer than all others moves the Thing.
        hl = HistoricalLocation.__table__.c
        newest = self.session.scalar(
            select(hl.id)
            .where(hl.thing_id == thing_id)
            .order_by(hl.time.desc(), hl.id.desc())
            .limit(1)
        )
        if newest != history_id:
            return
        location_ids = self.session.scalars(
            select(historical_location_locations.c.location_id).where(
                historical_location_locations.c.historical_location_id == history_id
            )
        ).all()
        self.session.execute(delete(thing_locations).where(thing_locations.c.thing_id == thing_id))
        self.session.execute(
            insert(thing_locations),
            [{"thing_id": thing_id, "location_id": i} for i in location_ids],
        )
        self.moved_things.discard(thing_id)
