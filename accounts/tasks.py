"""Thin Celery tasks: load by id, call a service. E-mail sends retry with exponential backoff."""

from celery import shared_task

from . import enquiries, intake, passwords

# Any send error (SMTP down, ESP timeout) retries: 1 s, 2 s, 4 s ... capped at 10 minutes.
RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRYING)
def enquiry_notify_studio_task(enquiry_id: int) -> bool:
    """Tell the studio about a new enquiry (once)."""
    return enquiries.enquiry_notify_studio(enquiry_id=enquiry_id)


@shared_task(**RETRYING)
def enquiry_acknowledge_task(enquiry_id: int) -> bool:
    """Thank the enquirer (once)."""
    return enquiries.enquiry_acknowledge(enquiry_id=enquiry_id)


@shared_task(**RETRYING)
def intake_send_link_task(client_id: int) -> bool:
    """E-mail a client their signed intake link."""
    return intake.intake_send_link(client_id=client_id)


@shared_task(**RETRYING)
def intake_notify_studio_task(submission_id: int) -> bool:
    """Tell the studio an intake form arrived."""
    return intake.intake_notify_studio(submission_id=submission_id)


@shared_task(**RETRYING)
def password_reset_send_task(email: str) -> int:
    """Look the address up and mail a reset link if an account has it (the page never looks)."""
    return passwords.password_reset_send(email=email)
