"""Analytics tables, one module per part; importing this module registers them all."""

from __future__ import annotations

from pontive.analytics import forecast_models, quality_models, triage_models, workspace_models

__all__ = ["forecast_models", "quality_models", "triage_models", "workspace_models"]
