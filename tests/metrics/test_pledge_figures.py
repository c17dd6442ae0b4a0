"""Pledges towards funds and group gifts count in the daily figures on the day they were made."""

from datetime import timedelta
from decimal import Decimal

import pytest

from metrics.selectors import figures_for_day
from registries.factories import RegistryPageFactory, fund, pledge
from registries.models import Pledge

from .test_metrics import DAY, at


@pytest.mark.django_db
def test_pledges_count_on_the_day_they_were_made():
    registry = RegistryPageFactory(gifts=[fund(title="Honeymoon")])
    for days_before in (0, 0, 3):
        made = pledge(registry, "Honeymoon", Decimal("25"))
        Pledge.objects.filter(pk=made.pk).update(created_at=at(DAY - timedelta(days=days_before)))

    figures = {figure.key: figure for figure in figures_for_day(DAY)}

    assert figures["pledges"].value == 2
