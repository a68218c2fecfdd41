"""Pictures and short videos that staff upload: checked, shrunk to thumbnails, stored through
Django's default storage (the filesystem in var/media/ embedded; S3-compatible storage in
production when MEDIA_S3_BUCKET is set, studio/settings.py).

Only public material goes here (a specialist's photo, an exercise's picture or video): never
anything about a client. Files are checked by their content, not their name, and each gets a
random name, so an upload can neither pose as another type nor overwrite another file.
"""

from __future__ import annotations

import secrets
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from django.views.static import serve
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_VIDEO_BYTES = 25 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Leading bytes of the two formats every browser plays: MP4 ("ftyp" box at offset 4), WebM (EBML).
VIDEO_SIGNATURES = {"mp4": (4, b"ftyp"), "webm": (0, b"\x1a\x45\xdf\xa3")}
THUMB_SIZE = (480, 480)
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


@deconstructible
class RandomName:
    """upload_to for a folder: a random file name keeping the extension, lower-cased."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, _instance, filename: str) -> str:
        return f"{self.folder}/{secrets.token_urlsafe(12)}{PurePosixPath(filename).suffix.lower()}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def _too_big(file, limit: int, what: str) -> None:
    if file.size > limit:
        raise ValidationError(f"{what} must be at most {limit // (1024 * 1024)} MB.")


def validate_image(file) -> None:
    """A JPEG, PNG or WebP of at most 5 MB and 40 megapixels. Raises ValidationError."""
    _too_big(file, MAX_IMAGE_BYTES, "A picture")
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError("Please upload a JPEG, PNG or WebP picture.")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("This picture has too many pixels.")
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not a picture we can read.") from exc
    finally:
        file.seek(0)


def validate_video(file) -> None:
    """An MP4 or WebM of at most 25 MB, known by its first bytes. Raises ValidationError."""
    _too_big(file, MAX_VIDEO_BYTES, "A video")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head[at : at + len(sig)] == sig for at, sig in VIDEO_SIGNATURES.values()):
        raise ValidationError("Please upload an MP4 or WebM video.")


def thumbnail(source: FieldFile) -> ContentFile:
    """A JPEG at most 480 px a side, upright (EXIF rotation applied, metadata dropped)."""
    source.open("rb")
    try:
        with Image.open(source) as opened:
            image = ImageOps.exif_transpose(opened)
            image.thumbnail(THUMB_SIZE)
            out = BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    finally:
        source.close()
    return ContentFile(
        out.getvalue(), name=f"{PurePosixPath(source.name or 'image').stem}-thumb.jpg"
    )


def thumbnail_refresh(instance, field: str, thumb_field: str) -> None:
    """Remake `thumb_field` from `field` (or clear it) after an upload; saves those columns."""
    source, thumb = getattr(instance, field), getattr(instance, thumb_field)
    if not source:
        if thumb:
            thumb.delete(save=False)
    else:
        made = thumbnail(source)
        thumb.save(made.name, made, save=False)
    type(instance).objects.filter(pk=instance.pk).update(**{thumb_field: thumb.name or ""})


class ThumbnailsAdminMixin:
    """For a ModelAdmin: remake each thumbnail whose source was uploaded or cleared in the form.
    `thumbnails` maps a source field to its thumbnail field."""

    thumbnails: dict[str, str] = {}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for field, thumb_field in self.thumbnails.items():
            if field in form.changed_data:
                thumbnail_refresh(obj, field, thumb_field)


def media_serve(request, path: str):
    """Uploaded files on the embedded default's filesystem (S3 serves its own). Django's static
    view, given MEDIA_ROOT as it is now rather than when the URLs were loaded."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
