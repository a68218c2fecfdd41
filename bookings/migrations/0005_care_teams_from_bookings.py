"""Care teams from past bookings: a specialist joins the team of each client they have (had) a
booking with, when the booking was made by a logged-in person (the client, or staff), or when an
anonymous booking created the client (the client's first booking, within ten minutes of the
account). An anonymous booking made with an existing client's address does not open that
client's file to the specialist: anyone can type an address (accounts/care_team.py)."""

from datetime import timedelta

from django.db import migrations

NEW_CLIENT_WINDOW = timedelta(minutes=10)


def backfill(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    CareTeamMember = apps.get_model("accounts", "CareTeamMember")
    seen = set(CareTeamMember.objects.values_list("client_id", "specialist_id"))
    first_booking: dict[int, int] = {}
    rows = []
    bookings = Booking.objects.order_by("created", "pk").values_list(
        "pk", "client_id", "specialist_id", "created_by_id", "created", "client__created"
    )
    for pk, client_id, specialist_id, by_id, created, client_created in bookings:
        first_booking.setdefault(client_id, pk)
        made_the_client = (
            first_booking[client_id] == pk and created - client_created <= NEW_CLIENT_WINDOW
        )
        if (client_id, specialist_id) in seen or not (by_id or made_the_client):
            continue
        seen.add((client_id, specialist_id))
        rows.append(
            CareTeamMember(
                client_id=client_id, specialist_id=specialist_id, reason="booked", added_by_id=by_id
            )
        )
    CareTeamMember.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_care_teams_backfill"),
        ("bookings", "0004_practice_nudges"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
