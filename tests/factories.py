"""factory_boy factories shared by every test module."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import ClientProfile, SpecialistProfile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.CLIENT
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SpecialistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialistProfile

    user = factory.SubFactory(UserFactory, role=User.Role.SPECIALIST)
    timezone = "America/New_York"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProfile

    user = factory.SubFactory(UserFactory, role=User.Role.CLIENT)
    timezone = "America/New_York"


def owner(**kwargs) -> User:
    return UserFactory(role=User.Role.OWNER, is_staff=True, is_superuser=True, **kwargs)


# --- bookings -------------------------------------------------------------------------------


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bookings.Service"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    duration_minutes = 30
    price = 0
    deposit = 0
    currency = "USD"


def weekday_hours(specialist, start="09:00", end="17:00", weekdays=range(5)):
    """Give a specialist the same working range on each of the given weekdays."""
    from bookings.models import WeeklyHours

    return [
        WeeklyHours.objects.create(specialist=specialist, weekday=d, start=start, end=end)
        for d in weekdays
    ]


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking row written directly (no availability check): for tests of what follows.

    Its specialist joins the client's care team, as when the client or staff books
    (`care_team=False`: not, like a guest's booking made with the client's address)."""

    class Meta:
        model = "bookings.Booking"
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    specialist = factory.SubFactory(SpecialistFactory)
    service = factory.SubFactory(ServiceFactory)
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + o.service.duration)
    blocked_start = factory.LazyAttribute(lambda o: o.start)
    blocked_end = factory.LazyAttribute(lambda o: o.end)
    status = "confirmed"
    price = factory.LazyAttribute(lambda o: o.service.price)
    amount_due = factory.LazyAttribute(lambda o: o.service.amount_due_at_booking)
    currency = factory.LazyAttribute(lambda o: o.service.currency)

    @factory.post_generation
    def care_team(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            on_care_team(obj.client, obj.specialist, reason="booked")


def on_care_team(client, *specialists, reason: str = "added"):
    """Put specialists (profiles or their users) on a client's (profile or user) care team,
    as the owner adding them would: from then on they see the client (accounts/access.py)."""
    from accounts.models import CareTeamMember

    profile = getattr(client, "client", client)
    for specialist in specialists:
        specialist = getattr(specialist, "specialist", specialist)
        CareTeamMember.objects.get_or_create(
            client=profile, specialist=specialist, defaults={"reason": reason}
        )
    return client
