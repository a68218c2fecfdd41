from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from accounts.signals import client_erase, client_export

        from . import availability_cache, privacy

        client_export.connect(privacy.on_client_export, dispatch_uid="bookings-client-export")
        client_erase.connect(privacy.on_client_erase, dispatch_uid="bookings-client-erase")
        availability_cache.connect_signals()
