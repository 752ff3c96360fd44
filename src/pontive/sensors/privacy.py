"""Sensors hold no personal data: names of devices, places and quantities."""

from __future__ import annotations

from pontive.privacy.declare import names_of_things
from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    ObservedProperty,
    Sensor,
    Thing,
)

names_of_things(
    Datastream.name,
    FeatureOfInterest.name,
    Location.name,
    ObservedProperty.name,
    Sensor.name,
    Thing.name,
)
