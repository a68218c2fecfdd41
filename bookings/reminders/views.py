"""The staff page listing upcoming and recent reminders with their state and errors."""

from django.shortcuts import render
from django.utils import timezone

from accounts.selectors import viewer_timezone
from accounts.views.access import staff_required
from bookings.models import Reminder
from bookings.reminders.kinds import MAX_GRACE
from bookings.reminders.selectors import (
    present,
    reminder_counts,
    reminder_list_recent,
    reminder_list_upcoming,
)
from bookings.reminders.services import CLAIM_LEASE, MAX_ATTEMPTS


@staff_required
def reminders_page(request):
    now = timezone.now()
    state = request.GET.get("state", "")
    state = state if state in Reminder.Status.values else ""
    context = {
        "title": "Reminders",
        "zone": viewer_timezone(request.user),
        "counts": reminder_counts(user=request.user, now=now),
        "upcoming": [present(r) for r in reminder_list_upcoming(user=request.user)],
        "recent": [
            present(r) for r in reminder_list_recent(user=request.user, now=now, state=state)
        ],
        "state": state,
        "states": [
            (v, label.split(" (")[0]) for v, label in Reminder.Status.choices if v != "pending"
        ],
        "max_attempts": MAX_ATTEMPTS,
        "max_grace_hours": int(MAX_GRACE.total_seconds() // 3600),
        "lease_minutes": int(CLAIM_LEASE.total_seconds() // 60),
    }
    return render(request, "bookings/reminders/page.html", context)
