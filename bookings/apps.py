from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py loads before the app registry is ready.
        from accounts.signals import client_erase, client_export  # noqa: PLC0415 -- ready()

        from . import availability_cache, privacy  # noqa: PLC0415 -- ready()

        client_export.connect(privacy.on_client_export, dispatch_uid="bookings-client-export")
        client_erase.connect(privacy.on_client_erase, dispatch_uid="bookings-client-erase")
        availability_cache.connect_signals()
        self._register_outbox_handlers()

    @staticmethod
    def _register_outbox_handlers() -> None:
        """Side effects owed by booking changes, delivered through studio/kernel/outbox.py."""
        from bookings.payments.refunds import payment_refund_execute  # noqa: PLC0415 -- ready()
        from bookings.payments.sync import payment_intent_cancel  # noqa: PLC0415 -- ready()
        from studio.kernel import outbox  # noqa: PLC0415 -- ready()

        from .classes.waitlist import (  # noqa: PLC0415 -- ready()
            class_offer_send,
            class_offer_sms_send,
        )
        from .notifications import booking_notify  # noqa: PLC0415 -- ready()
        from .passes.notifications import pass_renewal_failed_notify  # noqa: PLC0415 -- ready()

        outbox.register("booking_notify", booking_notify, label="Booking e-mail")
        outbox.register("class_offer", class_offer_send, label="Waitlist offer e-mail")
        outbox.register("class_offer_sms", class_offer_sms_send, label="Waitlist offer SMS")
        outbox.register("payment_refund", payment_refund_execute, label="Refund")
        outbox.register(
            "payment_intent_cancel", payment_intent_cancel, label="Cancel an unpaid card payment"
        )
        outbox.register(
            "pass_renewal_failed", pass_renewal_failed_notify, label="Membership renewal e-mail"
        )
