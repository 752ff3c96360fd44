"""Reading CKAN action parameters: booleans and numbers that arrive as text, lists given as
JSON or commas, and a CKAN dataset dict turned into ``DatasetInput`` fields.

Errors are ``InvalidInput`` with CKAN's field names, which the API returns as a CKAN
``Validation Error``.
"""

from __future__ import annotations

import json
from typing import Any

from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput
from pontive.opendata.ckan_format import EXTRA_KEYS, READ_ONLY_EXTRAS
from pontive.opendata.service_inputs import MISSING, ResourceInput

# CKAN dataset keys that map one to one onto ``DatasetInput`` fields.
_PLAIN = (
    "name",
    "title",
    "notes",
    "version",
    "url",
    "maintainer",
    "maintainer_email",
    "license_id",
    "state",
)
_OWN: tuple[str, ...] = ("konsep", "definisi", "satuan", "metode", "level_estimasi")
_OWN += ("kode_referensi", "frequency", "temporal_start", "temporal_end", "classification")


def as_bool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    """A boolean parameter (``true``/``True``/``1``/``yes`` or a JSON boolean)."""
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise InvalidInput(errors={name: ["Nilai benar/salah tidak valid."]})


def as_int(data: dict[str, Any], name: str, default: int, *, maximum: int | None = None) -> int:
    """A natural number parameter (CKAN ``natural_number_validator``)."""
    value = data.get(name, default)
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(errors={name: ["Bilangan bulat tidak valid."]}) from None
    if number < 0:
        raise InvalidInput(errors={name: ["Harus bilangan bulat positif atau nol."]})
    return min(number, maximum) if maximum is not None else number


def as_list(data: dict[str, Any], name: str) -> list[Any]:
    """A list parameter given as a list, JSON text or comma-separated text."""
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                decoded = json.loads(text)
            except ValueError:
                raise InvalidInput(errors={name: ["Bukan JSON yang valid."]}) from None
            if isinstance(decoded, list):
                return decoded
        return [part.strip() for part in text.split(",") if part.strip()]
    raise InvalidInput(errors={name: ["Harus berupa daftar."]})


def required(data: dict[str, Any], name: str) -> str:
    """A parameter that must be given (CKAN: ``Missing value``)."""
    value = data.get(name)
    if value is None or str(value).strip() == "":
        raise InvalidInput(errors={name: [MISSING]})
    return str(value).strip()


def dataset_fields(
    data: dict[str, Any], *, current_classification: str | None = None
) -> dict[str, Any]:
    """The ``DatasetInput`` fields a CKAN dataset dict gives (only those present)."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key in _PLAIN:
        if key in data and data[key] is not None:
            fields[key] = str(data[key])
    owner = data.get("owner_org", data.get("organization"))
    if isinstance(owner, dict):
        owner = owner.get("name") or owner.get("id")
    if owner is not None:
        fields["owner_org"] = str(owner)
    extras = _extras(data, errors)
    own = {key: value for key, value in extras.items() if key in EXTRA_KEYS}
    for key in _OWN:
        if key in data:
            own[key] = data[key]
    for key, value in own.items():
        if key in READ_ONLY_EXTRAS:
            continue
        if key == "spatial_codes":
            fields["spatial_codes"] = tuple(_names(value, key, errors))
        else:
            fields[key] = None if value is None else str(value)
    if "spatial_codes" in data:
        fields["spatial_codes"] = tuple(_names(data["spatial_codes"], "spatial_codes", errors))
    if "extras" in data:
        fields["extras"] = {k: v for k, v in extras.items() if k not in EXTRA_KEYS}
    if "private" in data and "classification" not in own:
        fields["classification"] = _classification(data, current_classification, errors)
    if "tags" in data or "tag_string" in data:
        fields["tags"] = tuple(_tags(data, errors))
    if "groups" in data:
        fields["groups"] = tuple(_names(data["groups"], "groups", errors))
    if errors:
        raise InvalidInput(errors=errors)
    return fields


def resource_fields(data: dict[str, Any]) -> dict[str, str]:
    """The ``ResourceInput`` fields a CKAN resource dict gives (only those present)."""
    names = ResourceInput.__dataclass_fields__
    return {key: str(data[key]) for key in names if key in data and data[key] is not None}


def _classification(data: dict[str, Any], current: str | None, errors: dict[str, list[str]]) -> str:
    try:
        private = as_bool(data, "private")
    except InvalidInput as error:
        errors |= error.errors
        return Classification.PUBLIK.value
    if not private:
        return Classification.PUBLIK.value
    if current and current != Classification.PUBLIK.value:
        return current  # already private: keep how private
    return Classification.TERBATAS.value


def _extras(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    raw = data.get("extras") or []
    if isinstance(raw, dict):
        return dict(raw)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            errors["extras"] = ["Bukan JSON yang valid."]
            return {}
    extras: dict[str, Any] = {}
    for item in raw if isinstance(raw, list) else [None]:
        if not isinstance(item, dict) or "key" not in item:
            errors["extras"] = ['Setiap tambahan berbentuk {"key": ..., "value": ...}.']
            return {}
        if item.get("deleted"):
            continue
        extras[str(item["key"])] = item.get("value", "")
    return extras


def _tags(data: dict[str, Any], errors: dict[str, list[str]]) -> list[str]:
    if "tags" not in data:
        text = str(data.get("tag_string") or "")
        return [part.strip() for part in text.split(",") if part.strip()]
    return _names(data["tags"], "tags", errors)


def _names(value: Any, name: str, errors: dict[str, list[str]]) -> list[str]:
    """Names from a list of dicts (``{"name": ...}`` or ``{"id": ...}``), a list of strings,
    JSON text or comma-separated text."""
    try:
        items = as_list({name: value}, name)
    except InvalidInput as error:
        errors |= error.errors
        return []
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and (item.get("name") or item.get("id")):
            names.append(str(item.get("name") or item.get("id")))
        elif isinstance(item, str):
            names.append(item)
        else:
            errors[name] = ['Setiap butir berupa nama atau {"name": ...}.']
    return names
