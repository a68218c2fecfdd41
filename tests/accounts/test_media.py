"""Staff upload a specialist's photo: checked, thumbnailed, shown on the booking flow's card
(accounts/media.py); and the checks themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import media
from tests.media_helpers import MP4_HEAD, admin_upload, picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_validate_image_accepts_a_picture_and_refuses_a_renamed_text_file():
    media.validate_image(picture())
    with pytest.raises(ValidationError, match="not a picture"):
        media.validate_image(SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>"))


def test_validate_image_refuses_a_gif_and_a_file_over_5_mb(monkeypatch):
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        media.validate_image(picture("a.gif", fmt="GIF"))
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 100)
    with pytest.raises(ValidationError, match="at most"):
        media.validate_image(picture())


def test_validate_video_knows_mp4_by_its_bytes_not_its_name():
    media.validate_video(SimpleUploadedFile("move.mp4", MP4_HEAD))
    with pytest.raises(ValidationError, match="MP4 or WebM"):
        media.validate_video(SimpleUploadedFile("move.mp4", b"MZ\x90\x00 an executable"))


def test_staff_upload_a_specialist_photo_and_the_booking_card_shows_its_thumbnail(
    client, owner_user, desk
):
    client.force_login(owner_user)
    url = f"/admin/accounts/specialistprofile/{desk.specialist.pk}/change/"
    response = admin_upload(client, url, {"photo": picture()})
    assert response.status_code == 302, response.context["adminform"].form.errors
    desk.specialist.refresh_from_db()
    with desk.specialist.photo_thumb.open("rb") as stored, Image.open(stored) as thumb:
        assert max(thumb.size) == 480 and thumb.format == "JPEG"
    page = client.get("/book/consultation/").content.decode()
    assert f'src="{desk.specialist.photo_thumb.url}"' in page
    served = client.get(desk.specialist.photo_thumb.url)  # the embedded default serves it
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    served.close()


def test_staff_upload_of_a_non_picture_is_refused_with_a_message(client, owner_user, desk):
    client.force_login(owner_user)
    url = f"/admin/accounts/specialistprofile/{desk.specialist.pk}/change/"
    response = admin_upload(client, url, {"photo": SimpleUploadedFile("me.jpg", b"not a pic")})
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    desk.specialist.refresh_from_db()
    assert not desk.specialist.photo and not desk.specialist.photo_thumb
