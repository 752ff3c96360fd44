"""The console's short lists: units of measurement (UCUM) and observed-property definitions per
quantity, so that registering a Datastream is a choice, not JSON typing. The demo uses the
same lists, so demo streams look like the ones an operator registers.

Symbols are what people read and what the city indices parse (``flood.length_factor`` reads
cm/m/mm, ``ispu.to_micrograms_factor`` µg/m³, mg/m³, ppb, ppm); the definition carries the
UCUM code (https://ucum.org) as ``ucum:<code>``. Property definitions point at published
vocabularies: CF standard names (NERC) for water and weather, the EEA air-quality pollutant
list for the ISPU gases and particles.
"""

from __future__ import annotations

from dataclasses import dataclass

from pontive.sensors.choices import Quantity

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
_CF = "http://vocab.nerc.ac.uk/standard_name/"
_EEA = "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of measurement as SensorThings writes it."""

    code: str  # UCUM
    symbol: str
    name_id: str
    name_en: str

    def as_json(self) -> dict[str, str]:
        """The SensorThings ``unitOfMeasurement`` object."""
        return {"name": self.name_en, "symbol": self.symbol, "definition": f"ucum:{self.code}"}

    def label(self, lang: str) -> str:
        """``cm (sentimeter)`` in ``lang``."""
        return f"{self.symbol} ({self.name_en if lang == 'en' else self.name_id})"


UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in (
        Unit("cm", "cm", "sentimeter", "centimetre"),
        Unit("m", "m", "meter", "metre"),
        Unit("mm", "mm", "milimeter", "millimetre"),
        Unit("mm/h", "mm/h", "milimeter per jam", "millimetres per hour"),
        Unit("ug/m3", "µg/m³", "mikrogram per meter kubik", "micrograms per cubic metre"),
        Unit("mg/m3", "mg/m³", "miligram per meter kubik", "milligrams per cubic metre"),
        Unit("[ppb]", "ppb", "bagian per miliar", "parts per billion"),
        Unit("[ppm]", "ppm", "bagian per juta", "parts per million"),
        Unit("Cel", "°C", "derajat Celsius", "degrees Celsius"),
        Unit("%", "%", "persen", "per cent"),
        Unit("m/s", "m/s", "meter per detik", "metres per second"),
        Unit("hPa", "hPa", "hektopaskal", "hectopascals"),
        Unit("1", "1", "tanpa satuan", "dimensionless"),
    )
}


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """What a quantity's ObservedProperty is called and which units make sense for it."""

    definition: str
    description: str
    units: tuple[str, ...]  # UCUM codes, the first is the default


_MASS = ("ug/m3", "mg/m3")
_GAS = ("ug/m3", "mg/m3", "[ppb]", "[ppm]")

PROPERTIES: dict[Quantity, PropertySpec] = {
    Quantity.WATER_LEVEL: PropertySpec(
        _CF + "water_surface_height_above_reference_datum/",
        "Tinggi muka air terhadap nol papan duga atau datum pasang surut. / Water surface "
        "height above the gauge zero or the tidal datum.",
        ("cm", "m", "mm"),
    ),
    Quantity.RAINFALL: PropertySpec(
        _CF + "thickness_of_rainfall_amount/",
        "Jumlah hujan dalam selang waktu pengamatan. / Rain fallen over the observation interval.",
        ("mm", "mm/h"),
    ),
    Quantity.PM25: PropertySpec(
        _EEA + "6001", "Partikulat berdiameter ≤ 2,5 µm. / Particulate matter ≤ 2.5 µm.", _MASS
    ),
    Quantity.PM10: PropertySpec(
        _EEA + "5", "Partikulat berdiameter ≤ 10 µm. / Particulate matter ≤ 10 µm.", _MASS
    ),
    Quantity.O3: PropertySpec(_EEA + "7", "Ozon permukaan. / Ground-level ozone.", _GAS),
    Quantity.CO: PropertySpec(_EEA + "10", "Karbon monoksida. / Carbon monoxide.", _GAS),
    Quantity.SO2: PropertySpec(_EEA + "1", "Sulfur dioksida. / Sulphur dioxide.", _GAS),
    Quantity.NO2: PropertySpec(_EEA + "8", "Nitrogen dioksida. / Nitrogen dioxide.", _GAS),
    Quantity.HC: PropertySpec(
        "urn:pontive:def:observed-property:hc",
        "Hidrokarbon non-metana, parameter ISPU (PermenLHK 14/2020). / Non-methane "
        "hydrocarbons, an ISPU parameter.",
        _MASS,
    ),
    Quantity.TEMPERATURE: PropertySpec(
        _CF + "air_temperature/", "Suhu udara. / Air temperature.", ("Cel",)
    ),
    Quantity.HUMIDITY: PropertySpec(
        _CF + "relative_humidity/", "Kelembapan relatif udara. / Relative humidity.", ("%",)
    ),
}

# Quantities an operator may register by hand (the derived ones are made by the indices).
REGISTRABLE = tuple(q for q in Quantity if q not in (Quantity.ISPU, Quantity.FLOOD_STATUS))


def units_for(quantity: Quantity) -> tuple[Unit, ...]:
    """The units offered for ``quantity`` (every unit for ``other``)."""
    spec = PROPERTIES.get(quantity)
    if spec is None:
        return tuple(UNITS.values())
    return tuple(UNITS[code] for code in spec.units)


def default_unit(quantity: Quantity) -> Unit:
    """The unit a new stream of ``quantity`` starts with."""
    return units_for(quantity)[0]
