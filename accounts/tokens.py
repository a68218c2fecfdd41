"""API tokens (../shared/API.md, "Tokens"), kept by django-rest-knox: only a hash of each token is
stored, each login issues its own token, and each token expires API_TOKEN_DAYS after it was
issued (REST_KNOX["TOKEN_TTL"] in settings). Logging out ends the token presented; a password
change or reset ends every token of that user (User.save); erasing a client ends theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

if TYPE_CHECKING:  # models.py calls tokens_revoke_all: the runtime import would be a cycle
    from .models import User

# Tokens one user may hold at once; logging in past this ends the oldest (a script that logs in
# in a loop cannot grow the table, and each authentication looks at the user's tokens).
MAX_TOKENS_PER_USER = 20


@transaction.atomic
def token_issue(*, user: User) -> tuple[str, AuthToken]:
    """A new token for this user (the only time its text exists), and its row."""
    mine = AuthToken.objects.filter(user=user)
    mine.filter(expiry__lte=timezone.now()).delete()
    row, text = AuthToken.objects.create(user=user)
    stale = list(mine.order_by("-created").values_list("pk", flat=True)[MAX_TOKENS_PER_USER:])
    if stale:
        AuthToken.objects.filter(pk__in=stale).delete()
    return text, row


def token_revoke(*, token: AuthToken) -> None:
    """End one token (logging out); the user's other tokens keep working."""
    token.delete()


def tokens_revoke_all(*, user: User) -> int:
    """End every token of this user (password changed, client erased); returns how many."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
