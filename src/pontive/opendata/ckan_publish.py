"""The catalogue's CKAN write actions: ``package_create/update/patch/delete`` and
``resource_create/update/patch/delete``. Each calls the catalogue service, which checks the
caller may publish for the dataset's PD, validates, records the change and commits.
"""

from __future__ import annotations

from typing import Any

from pontive.core.errors import InvalidInput
from pontive.opendata import service
from pontive.opendata.actions import ActionContext, UploadedFile, action
from pontive.opendata.ckan_format import dataset_dict, load_names, resource_dict
from pontive.opendata.ckan_params import dataset_fields, required, resource_fields
from pontive.opendata.models import Dataset
from pontive.opendata.service_inputs import MISSING, DatasetInput, ResourceInput

_JSON = ("tags", "groups", "extras", "resources")


def _show(context: ActionContext, dataset: Dataset) -> dict[str, Any]:
    fresh = service.get_dataset(context.session, dataset.id, actor=context.actor)
    return dataset_dict(fresh, load_names(context.session), context.site_url)


def _resource_inputs(data: dict[str, Any]) -> list[tuple[str | None, ResourceInput]] | None:
    """The resources a dataset dict lists (``None`` when it lists none): ``(id, input)``."""
    if "resources" not in data:
        return None
    raw = data["resources"]
    if not isinstance(raw, list):
        raise InvalidInput(errors={"resources": ["Harus berupa daftar."]})
    found: list[tuple[str | None, ResourceInput]] = []
    errors: list[dict[str, list[str]]] = []
    for item in raw:
        if not isinstance(item, dict):
            errors.append({"url": [MISSING]})
            continue
        fields = resource_fields(item)
        errors.append({} if fields.get("url") or item.get("id") else {"url": [MISSING]})
        found.append((item.get("id"), ResourceInput(**fields)))
    if any(errors):
        raise InvalidInput(errors={"resources": errors})  # type: ignore[dict-item]
    return found


def _sync_resources(
    context: ActionContext, dataset: Dataset, wanted: list[tuple[str | None, ResourceInput]]
) -> None:
    """Make the dataset's resources those listed (CKAN ``package_update`` with resources)."""
    current = {r.id: r for r in dataset.resources if r.state.value != "deleted"}
    kept: set[str] = set()
    for resource_id, data in wanted:
        if resource_id and resource_id in current:
            kept.add(resource_id)
            service.update_resource(
                context.session,
                actor=context.actor,
                resource_id=resource_id,
                data=data,
                media=context.media,
            )
        else:
            service.add_resource(
                context.session,
                actor=context.actor,
                dataset_id_or_name=dataset.id,
                data=data,
                upload=None,
                media=context.media,
            )
    for resource_id in set(current) - kept:
        service.delete_resource(context.session, actor=context.actor, resource_id=resource_id)


@action("package_create", json_params=_JSON)
def package_create(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create a dataset (with link resources when ``resources`` are given)."""
    fields = dataset_fields(data)
    resources = _resource_inputs(data)
    missing = {k: [MISSING] for k in ("name", "owner_org") if not fields.get(k)}
    if missing:
        raise InvalidInput(errors=missing)
    fields.setdefault("title", "")
    dataset = service.create_dataset(
        context.session, actor=context.actor, data=DatasetInput(**fields)
    )
    if resources:
        _sync_resources(context, dataset, resources)
    return _show(context, dataset)


@action("package_update", json_params=_JSON)
def package_update(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a dataset's metadata (fields left out return to their defaults; resources
    stay unless ``resources`` is given)."""
    key = str(data.get("id") or data.get("name") or "")
    if not key:
        raise InvalidInput(errors={"id": [MISSING]})
    current = service.get_dataset(context.session, key, actor=context.actor)
    fields = dataset_fields(data, current_classification=current.classification.value)
    resources = _resource_inputs(data)
    fields.setdefault("name", current.name)
    fields.setdefault("title", "")
    fields.setdefault("owner_org", current.owner_org)
    dataset = service.update_dataset(
        context.session, actor=context.actor, id_or_name=current.id, data=DatasetInput(**fields)
    )
    if resources is not None:
        _sync_resources(context, dataset, resources)
    return _show(context, dataset)


@action("package_patch", json_params=_JSON)
def package_patch(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the fields given."""
    current = service.get_dataset(context.session, required(data, "id"), actor=context.actor)
    given = {k: v for k, v in data.items() if k != "id"}
    fields = dataset_fields(given, current_classification=current.classification.value)
    resources = _resource_inputs(given)
    dataset = service.patch_dataset(
        context.session, actor=context.actor, id_or_name=current.id, changes=fields
    )
    if resources is not None:
        _sync_resources(context, dataset, resources)
    return _show(context, dataset)


@action("package_delete")
def package_delete(context: ActionContext, data: dict[str, Any]) -> None:
    """Withdraw a dataset (kept, state ``deleted``)."""
    service.delete_dataset(context.session, actor=context.actor, id_or_name=required(data, "id"))


def _upload(context: ActionContext) -> UploadedFile | None:
    return context.uploads.get("upload")


@action("resource_create")
def resource_create(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Add a resource: a file sent as ``upload`` (multipart) or a link in ``url``."""
    package_id = required(data, "package_id")
    resource = service.add_resource(
        context.session,
        actor=context.actor,
        dataset_id_or_name=package_id,
        data=ResourceInput(**resource_fields(data)),
        upload=_upload(context),
        media=context.media,
    )
    return resource_dict(resource, context.site_url)


@action("resource_update")
def resource_update(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a resource's metadata; a new ``upload`` becomes its newest version."""
    resource = service.update_resource(
        context.session,
        actor=context.actor,
        resource_id=required(data, "id"),
        data=ResourceInput(**resource_fields(data)),
        upload=_upload(context),
        media=context.media,
    )
    return resource_dict(resource, context.site_url)


@action("resource_patch")
def resource_patch(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the resource fields given (and the file, when one is uploaded)."""
    changes = resource_fields({k: v for k, v in data.items() if k != "id"})
    resource = service.patch_resource(
        context.session,
        actor=context.actor,
        resource_id=required(data, "id"),
        changes=dict(changes),
        upload=_upload(context),
        media=context.media,
    )
    return resource_dict(resource, context.site_url)


@action("resource_delete")
def resource_delete(context: ActionContext, data: dict[str, Any]) -> None:
    """Withdraw a resource (its file versions are kept)."""
    service.delete_resource(context.session, actor=context.actor, resource_id=required(data, "id"))
