"""One typed settings object, read from the environment with the prefix ``PONTIVE_``.

Every field is documented in ``docs/configuration.md``; ``tests/test_docs.py`` fails
when one is not.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - the placeholder that is refused
DEFAULT_DATA_KEY = "dev-insecure-data-key"


class Environment(StrEnum):
    """Where the platform runs; only ``dev`` accepts the placeholder secrets."""

    DEV = "dev"
    TEST = "test"
    PRODUCTION = "production"


def job_intervals(value: str) -> dict[str, float]:
    """``PONTIVE_WORKER_JOB_INTERVALS`` read: job name -> seconds (at least 1)."""
    intervals: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, equals, seconds = item.partition("=")
        try:
            number = float(seconds)
        except ValueError:
            number = 0.0
        if not (equals and name.strip() and number >= 1):
            raise ValueError(f"worker_job_intervals: {item!r} is not name=seconds (>= 1)")
        intervals[name.strip()] = number
    return intervals


class Settings(BaseSettings):
    """Runtime configuration; see docs/configuration.md for each field."""

    model_config = SettingsConfigDict(env_prefix="PONTIVE_", extra="ignore")

    env: Environment = Environment.PRODUCTION
    database_url: str = "sqlite:///./var/pontive.db"
    mqtt_url: str = ""
    bus_url: str = "memory://"
    secret_key: str = DEFAULT_SECRET_KEY
    data_key: str = DEFAULT_DATA_KEY
    media_dir: Path = Path("./var/media")
    # /readyz reports the media folder "full" below this much free space (megabytes).
    media_min_free_mb: int = Field(default=100, ge=0)
    timezone: str = "Asia/Pontianak"
    base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    token_max_age_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    # Two-step verification for staff (core/totp.py); unset: on in production only.
    staff_2fa_required: bool | None = None
    db_pool_size: int = Field(default=5, ge=1)
    map_tile_url: str = ""
    # The analysis workspace's Parquet export (analytics/): history files DuckDB reads.
    analytics_dir: Path = Path("./var/analytics")
    # Notifications (complaints/delivery.py): empty means "log instead of sending".
    smtp_url: str = ""
    smtp_from: str = "Pontive Center <noreply@localhost>"
    whatsapp_gateway_url: str = ""
    whatsapp_gateway_token: str = ""
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    notify_max_attempts: int = Field(default=6, ge=1, le=20)
    # Retention of personal data (privacy/retention.py, docs/privacy.md): days after which
    # the privacy.retention job erases it.
    privacy_reporter_contact_days: int = Field(default=365, ge=1)
    privacy_notification_days: int = Field(default=180, ge=1)
    privacy_viewer_ip_days: int = Field(default=90, ge=1)
    privacy_verification_days: int = Field(default=30, ge=1)
    privacy_participant_contact_days: int = Field(default=365, ge=1)
    privacy_camera_owner_days: int = Field(default=365, ge=1)
    privacy_official_contact_days: int = Field(default=365, ge=1)
    # MQTT ingest (sensors/mqtt.py), run by `pontive worker` when mqtt_url is set.
    mqtt_client_id: str = Field(default="pontive-ingest", min_length=1, max_length=100)
    mqtt_shared_group: str = ""
    mqtt_batch_size: int = Field(default=2000, ge=1, le=10_000)
    mqtt_batch_ms: int = Field(default=50, ge=0, le=10_000)
    worker_metrics_address: str = ""
    worker_job_intervals: str = ""  # "name=seconds,…": overrides of jobs' intervals
    # Alerts (alerts/): who signs the CAP messages, and how often official feeds are read.
    alert_sender: str = Field(
        default="pusdalops@pontianak.go.id", min_length=3, max_length=120, pattern=r"^[^\s,&<]+$"
    )
    webhook_private_addresses: bool = False
    alert_sender_name: str = Field(
        default="Pemerintah Kota Pontianak — Pusat Komando", min_length=1, max_length=200
    )
    # CCTV (cctv/): the restreamer (MediaMTX) beside Pontive, and the camera health checks.
    cctv_restreamer_api_url: str = ""  # its control API, e.g. http://127.0.0.1:9997
    cctv_restreamer_public_url: str = ""  # where browsers fetch HLS, e.g. https://cctv.kota/
    cctv_restreamer_secret: str = ""  # shared by its auth callback, hooks and control API
    cctv_health_checks: bool = True  # this worker runs the camera health service
    cctv_check_interval_seconds: int = Field(default=60, ge=5, le=86_400)
    cctv_check_timeout_seconds: float = Field(default=8.0, gt=0, le=120)
    cctv_check_concurrency: int = Field(default=32, ge=1, le=512)
    # Coordination: the least CAP severity of an alert that opens an incident by itself.
    coordination_auto_incident: Literal["off", "Minor", "Moderate", "Severe", "Extreme"] = "Severe"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("bus_url")
    @classmethod
    def _known_bus(cls, value: str) -> str:
        if not value.startswith(("memory://", "nats://", "tls://")):
            raise ValueError("bus_url must start with memory://, nats:// or tls:// (NATS over TLS)")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _known_smtp(cls, value: str) -> str:
        if value and not value.startswith(("smtp://", "smtps://", "smtp+plain://")):
            raise ValueError(
                "smtp_url must start with smtp:// (STARTTLS), smtps:// or smtp+plain://"
            )
        return value

    @field_validator("mqtt_shared_group")
    @classmethod
    def _plain_group(cls, value: str) -> str:
        if any(char in value for char in "/+#"):
            raise ValueError("mqtt_shared_group must not contain '/', '+' or '#'")
        return value

    @field_validator("worker_metrics_address")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, colon, port = value.rpartition(":")
        if value and not (colon and host and port.isdigit() and 0 < int(port) < 65536):
            raise ValueError("worker_metrics_address must be host:port, e.g. 127.0.0.1:9108")
        return value

    @field_validator("worker_job_intervals")
    @classmethod
    def _job_intervals(cls, value: str) -> str:
        job_intervals(value)
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.env is Environment.DEV:
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            raise ValueError(
                "PONTIVE_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside PONTIVE_ENV=dev"
            )
        if self.data_key == DEFAULT_DATA_KEY or len(self.data_key) < 32:
            raise ValueError(
                "PONTIVE_DATA_KEY must be set to a random value of at least 32 characters "
                "outside PONTIVE_ENV=dev"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The display time zone (WIB by default)."""
        return ZoneInfo(self.timezone)

    @property
    def requires_staff_2fa(self) -> bool:
        """Whether staff must turn two-step verification on (``staff_2fa_required``, or by
        default in production only, so the demo and the tests sign in with passwords)."""
        if self.staff_2fa_required is None:
            return self.env is Environment.PRODUCTION
        return self.staff_2fa_required

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
