"""Pictures and videos for upload tests, and a staff upload through a Django admin change page."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# The first bytes of an MP4 (an "ftyp" box): enough for the type check, not a playable film.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def picture(name="photo.png", size=(1200, 900), fmt="PNG") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, (61, 122, 106)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def admin_upload(client, change_url: str, files: dict):
    """POST an admin change form as it stands plus `files`: what staff do in the browser."""
    form = client.get(change_url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or name in files:
            continue
        data[name] = "on" if value is True else value
    return client.post(change_url, {**data, **files})
