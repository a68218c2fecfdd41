"""factory_boy factories shared by every test module."""

import factory

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
