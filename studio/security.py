"""Login throttling responses (django-axes), shared by the token API and the login pages."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: 429 JSON under /api/, a readable page elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "Too many failed logins; try again later.", "code": "rate_limited"},
            status=429,
        )
    else:
        response = render(
            request,
            "accounts/message.html",
            {
                "title": "Too many failed logins",
                "text": "Logging in to this account is paused for a while after repeated "
                "failed attempts. Try again later, or reset your password.",
            },
            status=429,
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME * 3600))
    return response


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lockout group instead of one for all.

    AXES_LOCKOUT_PARAMETERS names two groups, in this order: (username, IP) and the IP alone.
    Axes sums each group's recent failures and compares the largest sum with AXES_FAILURE_LIMIT.
    One address may fail more often across many names (several people behind one office or
    carrier NAT) than for one name, so its sum is put on the pair's scale: it reaches
    AXES_FAILURE_LIMIT exactly when it reaches AXES_IP_FAILURE_LIMIT."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        per_pair, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit, address_limit = settings.AXES_FAILURE_LIMIT, max(1, settings.AXES_IP_FAILURE_LIMIT)
        return max(per_pair, per_address * limit // address_limit)
