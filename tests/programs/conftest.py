"""Fixtures for the programs tests: the demo catalog, a specialist, clients and programs."""

import pytest

from accounts.models import Condition
from programs import services
from programs.demo import seed_catalog
from programs.models import Exercise, ProgramTemplate, TemplateItem
from tests import factories


@pytest.fixture
def catalog(db) -> dict[str, Exercise]:
    """The demo exercise catalog (29 exercises) and the condition vocabulary."""
    return seed_catalog()


@pytest.fixture
def staff(db):
    return factories.SpecialistFactory().user


@pytest.fixture
def client_user(db, staff):
    """A client treated by `staff` (on the client's care team)."""
    return factories.on_care_team(factories.ClientFactory().user, staff)


@pytest.fixture
def other_client_user(db, staff):
    return factories.on_care_team(factories.ClientFactory().user, staff)


@pytest.fixture
def knee_client(client_user, catalog):
    """A client with knee bursitis (contraindicates e.g. the standing quad stretch)."""
    client_user.client.conditions.add(Condition.objects.get(slug="knee-bursitis"))
    return client_user


@pytest.fixture
def template(catalog, staff):
    template = ProgramTemplate.objects.create(
        title="Feet first", slug="feet-first", goal="Wake up the feet.", weekly_frequency=2
    )
    for position, slug in enumerate(["toe-spreading", "calf-stretch", "heel-raises"]):
        exercise = catalog[slug]
        TemplateItem.objects.create(
            template=template, exercise=exercise, position=position, **exercise.dosage()
        )
    return template


@pytest.fixture
def make_program(catalog, staff):
    """make_program(user, ["calf-stretch", ...], status="active") -> Program via the service,
    assigned by `staff` (put on the client's care team first, as assigning needs)."""

    def make(user, slugs=("calf-stretch", "toe-spreading"), status="active", **extra):
        factories.on_care_team(user, staff)
        return services.program_create(
            client=user.client,
            by=staff,
            title=extra.pop("title", "Feet and calves"),
            items=[{"exercise": catalog[slug]} for slug in slugs],
            status=status,
            **extra,
        )

    return make
