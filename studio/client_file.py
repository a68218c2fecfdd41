"""The staff client file: one page gathering every app's sections about a client.

Each app contributes through a `client_file(request, client)` hook in its panels module
(accounts: contact, red flags, health, intake, enquiries, privacy; bookings and programs add
theirs). Opening the file is recorded in the client's audit trail.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from accounts import selectors, services
from accounts.audit import request_ip
from studio.kernel.errors import NotFound
from studio.kernel.panels import collect_panels


@login_required
def client_file(request, pk: int):
    if not request.user.is_studio_staff:
        return render(
            request, "studio/error.html", {"title": "This page is for studio staff."}, status=403
        )
    try:
        client = selectors.client_file_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    services.client_viewed(
        client=client, by=request.user, what="client file", ip=request_ip(request)
    )
    with timezone.override(selectors.viewer_timezone(request.user)):
        panels = collect_panels("client_file", request, client=client)
        return render(request, "studio/client_file.html", {"client": client, "panels": panels})


urlpatterns = [path("accounts/clients/<id:pk>/", client_file, name="client-file")]
