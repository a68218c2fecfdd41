from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Exercise catalog and programs"

    def ready(self) -> None:
        from accounts.signals import client_erase, client_export

        from . import privacy

        client_export.connect(privacy.on_client_export, dispatch_uid="programs-client-export")
        client_erase.connect(privacy.on_client_erase, dispatch_uid="programs-client-erase")
