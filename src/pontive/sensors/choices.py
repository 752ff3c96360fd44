"""Sensor vocabularies: quantities, device health, flood status, ISPU categories."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class Quantity(LabelledChoice):
    """What a datastream measures, as far as the city indices and pages need to know."""

    WATER_LEVEL = "water_level"
    RAINFALL = "rainfall"
    PM25 = "pm25"
    PM10 = "pm10"
    O3 = "o3"
    CO = "co"
    SO2 = "so2"
    NO2 = "no2"
    HC = "hc"
    TEMPERATURE = "temperature"
    HUMIDITY = "humidity"
    ISPU = "ispu"  # derived: Indeks Standar Pencemar Udara (PermenLHK 14/2020)
    FLOOD_STATUS = "flood_status"  # derived: Normal / Waspada / Siaga / Awas
    OTHER = "other"


ISPU_POLLUTANTS = (
    Quantity.PM10,
    Quantity.PM25,
    Quantity.SO2,
    Quantity.CO,
    Quantity.O3,
    Quantity.NO2,
    Quantity.HC,
)


class DeviceHealth(LabelledChoice):
    """How a device (Thing) is doing, from when it last reported."""

    UNKNOWN = "unknown"  # no expected interval, or never reported
    ONLINE = "online"
    STALE = "stale"  # late: more than 2 expected intervals without a reading
    OFFLINE = "offline"  # silent for more than 6 expected intervals


class FloodDatum(LabelledChoice):
    """The reference a water-level threshold is measured against."""

    GAUGE_CM = "gauge_cm"  # a staff gauge reading in centimetres
    TIDE_M = "tide_m"  # metres above the local tidal datum


class FloodStatus(LabelledChoice):
    """Flood status of a water-level station (the BPBD's four levels)."""

    NORMAL = "normal"
    WASPADA = "waspada"
    SIAGA = "siaga"
    AWAS = "awas"


class IspuCategory(LabelledChoice):
    """ISPU categories (PermenLHK 14/2020): Sedang is blue, not the US AQI's yellow."""

    BAIK = "baik"
    SEDANG = "sedang"
    TIDAK_SEHAT = "tidak_sehat"
    SANGAT_TIDAK_SEHAT = "sangat_tidak_sehat"
    BERBAHAYA = "berbahaya"


describe_choices(
    {
        Quantity.WATER_LEVEL: ChoiceMeta("Tinggi muka air", "Water level", "#1565c0"),
        Quantity.RAINFALL: ChoiceMeta("Curah hujan", "Rainfall", "#00838f"),
        Quantity.PM25: ChoiceMeta("PM2,5", "PM2.5", "#6d4c41"),
        Quantity.PM10: ChoiceMeta("PM10", "PM10", "#8d6e63"),
        Quantity.O3: ChoiceMeta("Ozon (O₃)", "Ozone (O₃)", "#5e35b1"),
        Quantity.CO: ChoiceMeta("Karbon monoksida (CO)", "Carbon monoxide (CO)", "#455a64"),
        Quantity.SO2: ChoiceMeta("Sulfur dioksida (SO₂)", "Sulphur dioxide (SO₂)", "#827717"),
        Quantity.NO2: ChoiceMeta("Nitrogen dioksida (NO₂)", "Nitrogen dioxide (NO₂)", "#bf360c"),
        Quantity.HC: ChoiceMeta("Hidrokarbon (HC)", "Hydrocarbons (HC)", "#4e342e"),
        Quantity.TEMPERATURE: ChoiceMeta("Suhu udara", "Air temperature", "#c62828"),
        Quantity.HUMIDITY: ChoiceMeta("Kelembapan", "Humidity", "#0277bd"),
        Quantity.ISPU: ChoiceMeta("ISPU", "Air quality index (ISPU)", "#2e7d32"),
        Quantity.FLOOD_STATUS: ChoiceMeta("Status banjir", "Flood status", "#1565c0"),
        Quantity.OTHER: ChoiceMeta("Lainnya", "Other", "#5b6b7a"),
    }
)
describe_choices(
    {
        DeviceHealth.UNKNOWN: ChoiceMeta("Belum diketahui", "Unknown", "#5b6b7a"),
        DeviceHealth.ONLINE: ChoiceMeta("Aktif", "Online", "#1b7f3b"),
        DeviceHealth.STALE: ChoiceMeta("Terlambat", "Stale", "#b26a00"),
        DeviceHealth.OFFLINE: ChoiceMeta("Mati / tidak melapor", "Offline", "#b3261e"),
    }
)
describe_choices(
    {
        FloodDatum.GAUGE_CM: ChoiceMeta("Papan duga (cm)", "Staff gauge (cm)"),
        FloodDatum.TIDE_M: ChoiceMeta("Di atas datum pasang (m)", "Above tidal datum (m)"),
    }
)
describe_choices(
    {
        FloodStatus.NORMAL: ChoiceMeta("Normal", "Normal", "#1b7f3b"),
        FloodStatus.WASPADA: ChoiceMeta("Waspada", "Alert", "#f9a825"),
        FloodStatus.SIAGA: ChoiceMeta("Siaga", "Warning", "#ef6c00"),
        FloodStatus.AWAS: ChoiceMeta("Awas", "Danger", "#b3261e"),
    }
)
describe_choices(
    {
        IspuCategory.BAIK: ChoiceMeta("Baik", "Good", "#2e7d32"),
        IspuCategory.SEDANG: ChoiceMeta("Sedang", "Moderate", "#1565c0"),
        IspuCategory.TIDAK_SEHAT: ChoiceMeta("Tidak sehat", "Unhealthy", "#f9a825"),
        IspuCategory.SANGAT_TIDAK_SEHAT: ChoiceMeta(
            "Sangat tidak sehat", "Very unhealthy", "#c62828"
        ),
        IspuCategory.BERBAHAYA: ChoiceMeta("Berbahaya", "Hazardous", "#212121"),
    }
)
