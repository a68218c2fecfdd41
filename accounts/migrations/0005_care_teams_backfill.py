"""Care teams from what is already stored: who converted each client's enquiry, and each client's
assigned specialist. Bookings are backfilled by bookings' migration 0005."""

from django.db import migrations


def backfill(apps, schema_editor):
    CareTeamMember = apps.get_model("accounts", "CareTeamMember")
    Enquiry = apps.get_model("accounts", "Enquiry")
    ClientProfile = apps.get_model("accounts", "ClientProfile")
    SpecialistProfile = apps.get_model("accounts", "SpecialistProfile")
    specialist_of = dict(SpecialistProfile.objects.values_list("user_id", "pk"))
    seen = set(CareTeamMember.objects.values_list("client_id", "specialist_id"))
    rows = []

    def join(client_id, specialist_id, reason, added_by_id):
        if specialist_id is None or (client_id, specialist_id) in seen:
            return
        seen.add((client_id, specialist_id))
        rows.append(
            CareTeamMember(
                client_id=client_id,
                specialist_id=specialist_id,
                reason=reason,
                added_by_id=added_by_id,
            )
        )

    converted = Enquiry.objects.filter(client__isnull=False, converted_by__isnull=False)
    for client_id, by_id in converted.order_by("converted_at", "pk").values_list(
        "client_id", "converted_by_id"
    ):
        join(client_id, specialist_of.get(by_id), "converted", by_id)
    assigned = ClientProfile.objects.filter(assigned_specialist__isnull=False)
    for client_id, specialist_id in assigned.values_list("pk", "assigned_specialist_id"):
        join(client_id, specialist_id, "added", None)
    CareTeamMember.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_care_teams"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
