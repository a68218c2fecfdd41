"""E-mails of the accounts app. Subjects are fixed strings: never a health detail in a subject."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from .models import Studio


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `accounts/email/<template>.txt` and send it; errors propagate (tasks retry)."""
    studio = Studio.get()
    body = render_to_string(
        f"accounts/email/{template}.txt",
        {"studio": studio, "site_url": settings.SITE_URL, **context},
    )
    reply_to = [studio.email] if studio.email else None
    EmailMessage(
        subject=f"{subject} · {studio.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    ).send(fail_silently=False)
