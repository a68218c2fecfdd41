"""Panels about passes: the client's credits (portal), a client's credits (client file) and
the owner's pass revenue and outstanding credits (reports)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import ClientProfile, User
from studio.kernel.panels import Panel, panel

from . import selectors

REPORT_DAYS = 30


def portal(request) -> list[Panel]:
    if request.user.role != User.Role.CLIENT:
        return []
    client = ClientProfile.objects.filter(user=request.user).first()
    if client is None:
        return []
    expiries = selectors.credits_expiries(client_id=client.pk)
    return [
        panel(
            request,
            title="My credits",
            template="bookings/passes/panel_portal.html",
            context={
                "balance": sum(e.credits for e in expiries),
                "next": expiries[0] if expiries else None,
                "memberships": selectors.memberships(client_id=client.pk),
            },
            order=25,
        )
    ]


def client_file(request, client=None) -> list[Panel]:
    if client is None or not request.user.is_studio_staff:
        return []
    return [
        panel(
            request,
            title="Credits",
            template="bookings/passes/panel_client_file.html",
            context={
                "client": client,
                "balance": selectors.credits_balance(client_id=client.pk),
                "memberships": selectors.memberships(client_id=client.pk),
            },
            order=35,
        )
    ]


def reports(request) -> list[Panel]:
    if not request.user.is_owner:
        return []
    now = timezone.now()
    return [
        panel(
            request,
            title=f"Passes (last {REPORT_DAYS} days)",
            template="bookings/passes/panel_reports.html",
            context={
                "revenue": selectors.pass_revenue(start=now - timedelta(days=REPORT_DAYS), end=now),
                "outstanding": selectors.credits_outstanding(now=now),
                "days": REPORT_DAYS,
            },
            order=64,
        )
    ]
