"""Settings: typed, from the environment, refusing placeholder secrets outside dev."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pontive.settings import DEFAULT_SECRET_KEY, Environment, Settings

STRONG = "s" * 40


def test_default_secret_is_refused_outside_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PONTIVE_SECRET_KEY", raising=False)
    monkeypatch.setenv("PONTIVE_ENV", "production")
    with pytest.raises(ValidationError, match="PONTIVE_SECRET_KEY"):
        Settings()


def test_short_data_key_is_refused_outside_dev() -> None:
    with pytest.raises(ValidationError, match="PONTIVE_DATA_KEY"):
        Settings(env=Environment.TEST, secret_key=STRONG, data_key="short")


def test_dev_accepts_the_placeholders() -> None:
    settings = Settings(env=Environment.DEV)
    assert settings.secret_key == DEFAULT_SECRET_KEY


def test_settings_read_the_pontive_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONTIVE_ENV", "test")
    monkeypatch.setenv("PONTIVE_SECRET_KEY", STRONG)
    monkeypatch.setenv("PONTIVE_DATA_KEY", STRONG)
    monkeypatch.setenv("PONTIVE_DATABASE_URL", "postgresql://pontive@db/pontive")
    settings = Settings()
    assert settings.database_url == "postgresql://pontive@db/pontive"
    assert not settings.is_sqlite
    assert str(settings.zone) == "Asia/Pontianak"


@pytest.mark.parametrize(
    ("field", "value"), [("timezone", "Mars/Olympus"), ("bus_url", "kafka://x")]
)
def test_invalid_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings(env=Environment.DEV, **{field: value})  # type: ignore[arg-type]
