"""Password reset: asked for on the page, looked up and mailed by the Celery worker.

The page answers the same way, after the same work, whether or not the address has an account:
it only counts the request and owes a `password_reset_send` delivery in the outbox
(studio/kernel/outbox.py); the worker looks the address up and mails a link when an active account has it. So neither the answer nor its timing tells a
stranger who has an account here.

Limits (accounts.ratelimit): PASSWORD_RESET_RATE per client address, answered with 429 (it stops
a script); PASSWORD_RESET_ADDRESS_RATE per e-mail address, silent (the same answer, no more
mail), so no one can flood a mailbox with reset links, nor learn anything from the limit.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from studio.kernel.errors import RateLimited
from studio.kernel.outbox import outbox_add

from . import emails, ratelimit
from .addresses import normalize_email_or_none
from .models import User

log = logging.getLogger(__name__)


def password_reset_request(*, email: str) -> bool:
    """Queue the reset e-mail for a normalised address, without looking it up; False (and
    nothing queued) past PASSWORD_RESET_ADDRESS_RATE for this address."""
    try:
        ratelimit.check(
            None, scope="password-reset-email", rate=settings.PASSWORD_RESET_ADDRESS_RATE, key=email
        )
    except RateLimited:
        return False
    with transaction.atomic():
        outbox_add(kind="password_reset_send", payload={"email": email}, about="Password reset")
    return True


def password_reset_link(user: User) -> str:
    """The one-time link to set a new password (Django's token: it ends once the password
    changes or the user logs in)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return emails.site_url(reverse("password_reset_confirm", args=[uid, token]))


def password_reset_send(*, email: str) -> int:
    """In the worker: mail a reset link to each active account with this address (none, or
    one); returns how many were sent. Accounts without a password yet (a guest who booked, a
    client made from an enquiry) get one too: it is how they set their first password."""
    address = normalize_email_or_none(email)
    if address is None:
        return 0
    sent = 0
    for user in User.objects.filter(email__iexact=address, is_active=True):
        emails.send(
            to=[user.email],
            subject="Set a new password",
            template="password_reset",
            context={"user": user, "link": password_reset_link(user)},
        )
        sent += 1
    log.info("password reset asked: %s e-mail(s) sent", sent)
    return sent
