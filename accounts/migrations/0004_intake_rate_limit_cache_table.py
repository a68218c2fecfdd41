"""Create the database cache table wherever migrations run (tests included).

Rate limits live in Django's cache so they hold across processes; the default cache is the
database cache, whose table `createcachetable` makes. Doing it here means a fresh test database
has it too. With a Redis cache configured this does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_intake_form_v1"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
