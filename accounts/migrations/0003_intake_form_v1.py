"""Publish version 1 of the intake questions (frozen in accounts/intake_v1.py)."""

from django.db import migrations


def publish_v1(apps, schema_editor):
    from accounts import intake_v1

    IntakeForm = apps.get_model("accounts", "IntakeForm")
    IntakeForm.objects.get_or_create(
        version=1, defaults={"title": intake_v1.TITLE, "questions": intake_v1.QUESTIONS}
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_intake_consent_and_conversion"),
    ]

    operations = [
        migrations.RunPython(publish_v1, migrations.RunPython.noop),
    ]
