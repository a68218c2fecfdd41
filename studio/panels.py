"""The owner's view of the outbox: e-mails and refunds that have not gone out yet."""

from zoneinfo import ZoneInfo

from accounts.models import Studio
from studio.kernel.outbox import label, outbox_stuck
from studio.kernel.panels import panel


def reports(request) -> list:
    """Shown only while something is waiting to retry or has failed: then it needs eyes."""
    if not request.user.is_owner:
        return []
    rows = [{"message": m, "what": label(m.kind)} for m in outbox_stuck()]
    if not rows:
        return []
    return [
        panel(
            request,
            title="Not delivered yet",
            template="studio/panel_outbox.html",
            context={"rows": rows, "tz": ZoneInfo(Studio.get().timezone)},
            order=5,
            wide=True,
        )
    ]
