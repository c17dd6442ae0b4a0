from datetime import date, timedelta

import factory

from registries.factories import registry_index

from .models import User
from .services import couple_create


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct-horse-battery-staple")

    class Meta:
        model = User
        django_get_or_create = ["email"]


def make_couple(partner_one: str = "Alex", partner_two: str = "Sam", *, slug: str | None = None, **overrides):
    """A couple made the way sign-up makes one (`couple_create`), with a draft registry."""
    slug = slug or f"{partner_one}-and-{partner_two}".lower()
    arguments = {
        "email": f"{slug}@example.com",
        "password": "correct-horse-battery-staple",
        "partner_one": partner_one,
        "partner_two": partner_two,
        "wedding_date": date.today() + timedelta(days=60),
        "currency": "GBP",
        "slug": slug,
        "parent": registry_index(),
        "email_confirmed": True,  # as most couples are by the time they publish; sign-up tests make their own
    }
    arguments.update(overrides)
    return couple_create(**arguments)
