"""The studio report over a range of local dates (the studio's zone, both ends included).

Money is counted per booking, for the bookings that start in the range, from bookings/money.py:
so a report's revenue is exactly the sum of the money each of those bookings' own pages shows
(a card payment taken in May for a June session counts in June). Fixed query count: the
bookings with their payment rows (3), the specialists' schedules (5), closures (1) and the
clients' first bookings (1), whatever the range holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils import timezone

from accounts.models import SpecialistProfile, Studio

from ..availability import Interval, working_time
from ..models import Booking, Closure
from ..money import MONEY_PREFETCH, booking_money
from ..selectors import local_window, schedules_load
from .classes import ClassRow, class_rows

MAX_DAYS = 366
# Bookings whose time was given to the client (utilisation counts them; so do no-show rates).
TOOK_PLACE = Booking.TOOK_PLACE


@dataclass
class Revenue:
    paid_online: int = 0
    paid_in_studio: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.paid_online + self.paid_in_studio - self.refunded

    def add(self, money) -> None:
        self.paid_online += money.paid_online
        self.paid_in_studio += money.paid_in_studio
        self.refunded += money.refunded

    def as_dict(self) -> dict:
        return {
            "paid_online": self.paid_online,
            "paid_in_studio": self.paid_in_studio,
            "refunded": self.refunded,
            "net": self.net,
        }


@dataclass
class SpecialistRow:
    specialist: int
    name: str
    booked_minutes: int = 0
    available_minutes: int = 0
    revenue: Revenue = field(default_factory=Revenue)

    @property
    def utilisation(self) -> float:
        return _ratio(self.booked_minutes, self.available_minutes)

    def as_dict(self) -> dict:
        return {
            "specialist": self.specialist,
            "name": self.name,
            "booked_minutes": self.booked_minutes,
            "available_minutes": self.available_minutes,
            "utilisation": self.utilisation,
            "net": self.revenue.net,
        }


@dataclass
class Week:
    monday: date
    bookings: int = 0
    revenue: Revenue = field(default_factory=Revenue)

    def as_dict(self) -> dict:
        return {
            "week": self.monday.isoformat(),
            "bookings": self.bookings,
            **self.revenue.as_dict(),
        }


@dataclass
class Report:
    start: date
    end: date
    currency: str
    revenue: Revenue
    by_specialist: list[SpecialistRow]
    weeks: list[Week]
    no_show_rate: float
    late_cancel_rate: float
    new_clients: int
    returning_clients: int
    classes: list[ClassRow]
    bookings: list[Booking]

    def as_dict(self) -> dict:
        """The API's answer (../shared/API.md)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "currency": self.currency,
            "revenue": self.revenue.as_dict(),
            "by_specialist": [row.as_dict() for row in self.by_specialist],
            "weeks": [week.as_dict() for week in self.weeks],
            "no_show_rate": self.no_show_rate,
            "late_cancel_rate": self.late_cancel_rate,
            "new_clients": self.new_clients,
            "returning_clients": self.returning_clients,
            "classes": [row.as_dict() for row in self.classes],
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _mondays(start: date, end: date) -> list[date]:
    """The Monday of every week touching [start, end], empty weeks included."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


def _bookings(window: Interval) -> list[Booking]:
    return list(
        Booking.objects.filter(start__gte=window.start, start__lt=window.end)
        .exclude(status=Booking.Status.HELD)
        .select_related("specialist__user")
        .prefetch_related(*MONEY_PREFETCH)
        .order_by("start", "pk")
    )


def _specialist_rows(window: Interval, bookings: list[Booking]) -> dict[int, SpecialistRow]:
    """Every active specialist, and any inactive one with bookings in the range."""
    ids = {b.specialist_id for b in bookings}
    specialists = list(
        SpecialistProfile.objects.filter(is_active=True).select_related("user")
        | SpecialistProfile.objects.filter(pk__in=ids).select_related("user")
    )
    specialists.sort(key=lambda s: (s.name.lower(), s.pk))
    closed = [
        Interval.from_utc(start, end)
        for start, end in Closure.objects.filter(
            start__lt=window.end, end__gt=window.start
        ).values_list("start", "end")
    ]
    rows = {}
    schedules = schedules_load(specialists=specialists, window=window, now=timezone.now())
    for specialist, schedule in zip(specialists, schedules, strict=True):
        available = working_time(schedule, window, closed)
        rows[specialist.pk] = SpecialistRow(
            specialist=specialist.pk,
            name=specialist.name,
            available_minutes=int(available.total_seconds() // 60),
        )
    return rows


def _clients(window: Interval, bookings: list[Booking]) -> tuple[int, int]:
    """New clients (their first session ever is in the range) and returning ones (they had one
    before), counting sessions that took place or were booked to."""
    seen = {b.client_id for b in bookings if b.status in TOOK_PLACE}
    firsts = (
        Booking.objects.filter(client_id__in=seen, status__in=TOOK_PLACE)
        .values("client_id")
        .annotate(first=Min("start"))
    )
    new = sum(1 for row in firsts if row["first"] >= window.start)
    return new, len(seen) - new


def studio_report(*, start: date, end: date, studio: Studio | None = None) -> Report:
    """The report for local dates start..end (inclusive) in the studio's zone. Raises Invalid
    for a range that ends before it starts or is longer than a year."""
    studio = studio or Studio.get()
    zone = ZoneInfo(studio.timezone)
    window = local_window(start, end, zone, max_days=MAX_DAYS)
    bookings = _bookings(window)
    rows = _specialist_rows(window, bookings)
    weeks = {monday: Week(monday) for monday in _mondays(start, end)}
    total = Revenue()
    counts: dict[str, int] = defaultdict(int)
    taught: set[int] = set()  # classes whose time is already in their instructor's minutes
    for booking in bookings:
        money = booking_money(booking, late_cancel_fee=studio.late_cancel_fee)
        row = rows[booking.specialist_id]
        local = booking.start.astimezone(zone).date()
        week = weeks[local - timedelta(days=local.weekday())]
        for revenue in (total, row.revenue, week.revenue):
            revenue.add(money)
        week.bookings += 1
        counts[booking.status] += 1
        counts["late"] += booking.late_cancellation
        if booking.status in TOOK_PLACE and booking.occurrence_id not in taught:
            # A class's places are the instructor's time once, however many clients came.
            if booking.occurrence_id is not None:
                taught.add(booking.occurrence_id)
            row.booked_minutes += int((booking.end - booking.start).total_seconds() // 60)
    took_place = sum(counts[s] for s in TOOK_PLACE)
    new, returning = _clients(window, bookings)
    return Report(
        start=start,
        end=end,
        currency=studio.currency,
        revenue=total,
        by_specialist=list(rows.values()),
        weeks=list(weeks.values()),
        no_show_rate=_ratio(counts[Booking.Status.NO_SHOW], took_place),
        late_cancel_rate=_ratio(counts["late"], took_place + counts[Booking.Status.CANCELLED]),
        new_clients=new,
        returning_clients=returning,
        classes=class_rows(window),
        bookings=bookings,
    )


def default_range(*, studio: Studio, now: datetime | None = None) -> tuple[date, date]:
    """The last four full weeks, this one and the next (sessions already paid for), in the
    studio's zone."""
    today = timezone.localtime(now or timezone.now(), ZoneInfo(studio.timezone)).date()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=4), monday + timedelta(days=13)
