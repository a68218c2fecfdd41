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
        self._register_outbox_handlers()

    @staticmethod
    def _register_outbox_handlers() -> None:
        """Side effects owed by booking changes, delivered through studio/outbox.py."""
        from studio import outbox

        from .classes.waitlist import class_offer_send
        from .notifications import booking_notify
        from .passes.notifications import pass_renewal_failed_notify
        from .payments_refunds import payment_refund_execute
        from .payments_sync import payment_intent_cancel

        outbox.register("booking_notify", booking_notify, label="Booking e-mail")
        outbox.register("class_offer", class_offer_send, label="Waitlist offer e-mail")
        outbox.register("payment_refund", payment_refund_execute, label="Refund")
        outbox.register(
            "payment_intent_cancel", payment_intent_cancel, label="Cancel an unpaid card payment"
        )
        outbox.register(
            "pass_renewal_failed", pass_renewal_failed_notify, label="Membership renewal e-mail"
        )
