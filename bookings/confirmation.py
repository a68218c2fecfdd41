"""What the confirmation page offers besides the booking: "add to calendar" (an .ics file of
this one booking and a Google Calendar link, both the client's view of it: calendars.booking_event,
audience CLIENT) and the next step (the intake form, for the client who has not filled it in)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from accounts.models import Studio, User

from .calendars.events import Audience, booking_event, new_calendar
from .models import Booking

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"


def booking_ics(booking: Booking, studio: Studio) -> bytes:
    """The booking as a calendar file to open or import (METHOD:PUBLISH: nobody is invited;
    the same UID as the e-mailed invite, so importing both leaves one event)."""
    cal = new_calendar(method="PUBLISH")
    cal.add_component(booking_event(booking, audience=Audience.CLIENT, studio=studio))
    return cal.to_ical()


def _google_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(booking: Booking, studio: Studio) -> str:
    """Google Calendar's "create event" form, filled in. The manage link stays out of it: the
    token is the client's key to the booking, not something to copy into another service."""
    specialist = booking.specialist.user.name
    query = {
        "action": "TEMPLATE",
        "text": f"{booking.service.name} with {specialist}",
        "dates": f"{_google_time(booking.start)}/{_google_time(booking.end)}",
        "details": f"{booking.service.name} with {specialist} at {studio.name}.",
    }
    if studio.address:
        query["location"] = studio.address
    return f"{GOOGLE_TEMPLATE}?{urlencode(query)}"


def intake_due(booking: Booking, user: User) -> bool | None:
    """True when the logged-in client of this booking has no intake on file, False when they
    have; None for anyone else. The page is open to whoever holds the link, who may have typed
    someone else's address: they learn nothing about that person's health history."""
    if not user.is_authenticated or user.pk != booking.client.user_id:
        return None
    return not booking.client.intakes.exists()
