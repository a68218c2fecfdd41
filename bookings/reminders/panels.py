"""Dashboard panel: reminder counts on the staff workspace, linking to the reminders page."""

from django.utils import timezone

from bookings.reminders.selectors import reminder_counts
from studio.kernel.panels import panel


def workspace(request):
    counts = reminder_counts(user=request.user, now=timezone.now())
    return [
        panel(
            request,
            title="Reminders",
            template="bookings/reminders/panel.html",
            context={"counts": counts},
            order=80,
        )
    ]
