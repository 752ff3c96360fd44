"""Photos from phones: checked by content, size-limited, turned upright, resized, and saved
as JPEG without any metadata (EXIF carries GPS positions and device serials)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import insert
from sqlalchemy.engine import Connection

from pontive.complaints.models import ComplaintPhoto
from pontive.core.errors import InvalidInput
from pontive.core.storage import MediaStore, StorageFull

pillow_heif.register_heif_opener()

MAX_PHOTOS = 5
MAX_UPLOAD_BYTES = 12 * 1024 * 1024
MAX_SIDE = 1600
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF"})
# A 12 MB upload may not unpack to a decompression bomb.
Image.MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes without metadata."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def _refuse(message_id: str, message_en: str) -> InvalidInput:
    return InvalidInput(message_id, message_en, errors={"photos": [message_id]})


def process_photo(raw: bytes) -> ProcessedPhoto:
    """Validate an uploaded image by its content and return a clean, resized JPEG."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _refuse("Foto terlalu besar (maksimal 12 MB).", "Photo too large (12 MB at most).")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in ACCEPTED_FORMATS:
            raise _refuse(
                "Format foto tidak didukung: gunakan JPEG, PNG, WebP atau HEIC.",
                "Unsupported photo format: use JPEG, PNG, WebP or HEIC.",
            )
        with Image.open(io.BytesIO(raw)) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            if upright.mode in ("RGBA", "LA", "P"):
                upright = upright.convert("RGBA")
                flattened = Image.new("RGB", upright.size, (255, 255, 255))
                flattened.paste(upright, mask=upright.split()[-1])
                upright = flattened
            elif upright.mode != "RGB":
                upright = upright.convert("RGB")
            output = io.BytesIO()
            # A fresh save with no exif/icc arguments writes no metadata at all.
            upright.save(output, format="JPEG", quality=85, optimize=True)
            return ProcessedPhoto(output.getvalue(), upright.width, upright.height)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise _refuse(
            "Berkas ini bukan foto yang dapat dibaca.", "This file is not a readable photo."
        ) from error


def store_photos(
    connection: Connection,
    media: MediaStore,
    complaint_id: int,
    processed: Sequence[ProcessedPhoto],
    now: datetime,
) -> list[str]:
    """Store the photos and their rows; the storage keys (none kept when one fails)."""
    try:
        keys = media.save_all([p.data for p in processed], folder="complaints", suffix=".jpg")
    except StorageFull as full:
        raise StorageFull("photos") from full
    rows = [
        {
            "complaint_id": complaint_id,
            "storage_key": key,
            "content_type": photo.content_type,
            "width": photo.width,
            "height": photo.height,
            "size_bytes": len(photo.data),
            "is_fix": False,
            "is_public": False,
            "created_at": now,
        }
        for key, photo in zip(keys, processed, strict=True)
    ]
    if rows:
        connection.execute(insert(ComplaintPhoto), rows)
    return keys
