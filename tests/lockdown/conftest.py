import pytest

from accounts.factories import make_couple
from registries.factories import gift, publish_gifts


@pytest.fixture
def couple(db):
    """A couple made as sign-up makes one, whose registry is published with one gift."""
    couple = make_couple("Alex", "Sam")
    publish_gifts(couple.registry, gift(title="Sofa"))
    return couple
