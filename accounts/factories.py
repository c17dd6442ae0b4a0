import factory

from .models import User


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct-horse-battery-staple")

    class Meta:
        model = User
        django_get_or_create = ["email"]
