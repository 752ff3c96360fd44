"""Who may do what in analytics (``core.permissions``), and the console paths of each part."""

from __future__ import annotations

from pontive.core import permissions
from pontive.core.roles import Role

# Seeing the models' pages: forecasts, quality flags, hotspots, the models' metrics.
VIEW = permissions.register(
    "analytics.view",
    {Role.OPERATOR, Role.PETUGAS_PD, Role.TIM_TEKNIS, Role.DEWAN, Role.WALIKOTA, Role.ADMIN},
)
# Retraining a model, refitting forecasts, re-running the quality checks from the console.
TRAIN = permissions.register("analytics.train", {Role.TIM_TEKNIS, Role.ADMIN})
# Confirming or dismissing a sensor data-quality flag.
REVIEW_QUALITY = permissions.register(
    "analytics.quality.review", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)
# The analysis workspace: read-only queries over the Parquet export, saved queries.
WORKSPACE = permissions.register("analytics.workspace", {Role.TIM_TEKNIS, Role.ADMIN})

HOME_PATH = "/console/analitik"
TRIAGE_PATH = f"{HOME_PATH}/triase"
FORECAST_PATH = f"{HOME_PATH}/prakiraan"
QUALITY_PATH = f"{HOME_PATH}/kualitas-data"
HOTSPOT_PATH = f"{HOME_PATH}/titik-rawan"
WORKSPACE_PATH = f"{HOME_PATH}/ruang-kerja"
