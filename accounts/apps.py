from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and intake"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py loads before the app registry is ready.
        from studio.kernel import outbox  # noqa: PLC0415 -- ready()

        from . import enquiries, intake, passwords  # noqa: PLC0415 -- ready()

        # E-mails owed by committed changes, delivered through the outbox (studio/kernel/outbox.py).
        outbox.register(
            "enquiry_notify_studio", enquiries.enquiry_notify_studio, label="New enquiry e-mail"
        )
        outbox.register(
            "enquiry_acknowledge", enquiries.enquiry_acknowledge, label="Enquiry thank-you e-mail"
        )
        outbox.register("intake_send_link", intake.intake_send_link, label="Intake link e-mail")
        outbox.register(
            "intake_notify_studio", intake.intake_notify_studio, label="Intake received e-mail"
        )
        outbox.register(
            "password_reset_send", passwords.password_reset_send, label="Password reset e-mail"
        )
