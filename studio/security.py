"""Login throttling responses (django-axes), shared by the token API and the login pages."""

from django.conf import settings
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
