"""Staff upload an exercise's picture and video; they are stored through django-storages in a
real S3 API (moto's server over HTTP), read back, and shown in the catalog and the program."""

import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs.models import Exercise
from tests.media_helpers import MP4_HEAD, admin_upload, picture

pytestmark = pytest.mark.django_db


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- the test's own S3
        return response.read()


def test_exercise_picture_and_video_go_to_s3_and_back(
    client, owner_user, catalog, s3_storage, s3_server, make_program, client_user
):
    client.force_login(owner_user)
    exercise = catalog["calf-stretch"]
    photo = picture("calf.jpg", fmt="JPEG")
    response = admin_upload(
        client,
        f"/admin/programs/exercise/{exercise.pk}/change/",
        {"image": photo, "video": SimpleUploadedFile("calf.mp4", MP4_HEAD)},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(pk=exercise.pk)

    # Stored in the bucket (not on disk), and read back through the storage and over HTTP.
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert exercise.image.url.startswith(f"{s3_server}/{s3_storage}/exercises/")
    photo.seek(0)
    with default_storage.open(exercise.image.name) as stored:
        assert stored.read() == photo.read()
    assert fetch(exercise.video.url) == MP4_HEAD
    with default_storage.open(exercise.image_thumb.name) as stored, Image.open(stored) as thumb:
        assert max(thumb.size) == 480

    catalog_page = client.get("/programs/exercises/").content.decode()
    assert f'src="{exercise.image_thumb.url}"' in catalog_page
    make_program(client_user, ["calf-stretch"])
    client.force_login(client_user)
    program = client.get("/portal/program/").content.decode()
    assert f'src="{exercise.image_thumb.url}"' in program
    assert f'src="{exercise.video.url}"' in program
