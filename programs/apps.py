from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Exercise catalog and programs"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py loads before the app registry is ready.
        from accounts.signals import client_erase, client_export  # noqa: PLC0415 -- ready()

        from . import privacy  # noqa: PLC0415 -- ready()

        client_export.connect(privacy.on_client_export, dispatch_uid="programs-client-export")
        client_erase.connect(privacy.on_client_erase, dispatch_uid="programs-client-erase")
