"""The daily figures sent to Mixpanel: off by default, counts only, once per day, retried like emails.
Mixpanel is a loopback stand-in answering with its documented payloads."""

from datetime import datetime, time

import pytest
import time_machine
from django.utils import timezone

from metrics.models import MixpanelExport
from metrics.services import metrics_export_day
from metrics.tasks import export_daily_metrics
from registries.factories import RegistryPageFactory, gift

from .fake_mixpanel import INVALID, RATE_LIMITED, TOKEN, UNAVAILABLE, FakeMixpanel
from .test_metrics import DAY, known_data  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

FIGURES = {"sign_ups", "new_gifts", "reservations", "bought", "released", "upgrades", "revenue_gbp", "pledges"}


@pytest.fixture
def mixpanel(settings):
    with FakeMixpanel() as fake:
        settings.MIXPANEL_TOKEN = TOKEN
        settings.MIXPANEL_API_URL = fake.url("")
        yield fake


def test_nothing_is_sent_without_a_token(settings):
    with FakeMixpanel() as fake:
        settings.MIXPANEL_API_URL = fake.url("")
        assert settings.MIXPANEL_TOKEN == ""

        export_daily_metrics.delay(DAY.isoformat())

        assert fake.requests == []
        assert not MixpanelExport.objects.exists()


def test_the_days_figures_go_to_the_import_api_as_one_event_with_counts_only(known_data, mixpanel):  # noqa: F811
    export_daily_metrics.delay(DAY.isoformat())

    [request] = mixpanel.requests
    assert request["path"] == "/import?strict=1"
    assert request["credentials"] == f"{TOKEN}:"  # the project token as user name, no password
    [event] = request["events"]
    assert event["event"] == "Daily figures"
    properties = event["properties"]
    assert properties["$insert_id"] == "daily-figures-2027-03-10"
    assert properties["time"] == int(timezone.make_aware(datetime.combine(DAY, time(12))).timestamp())
    assert properties["distinct_id"] == ""
    assert {key: properties[key] for key in ("reservations", "sign_ups", "new_gifts", "bought", "pledges")} == {
        "reservations": 3,
        "sign_ups": 0,
        "new_gifts": 2,
        "bought": 1,
        "pledges": 0,
    }
    # Nothing but the figures: no names, addresses, registries or ids of anyone.
    assert set(properties) == FIGURES | {"time", "distinct_id", "$insert_id", "day"}
    assert "@" not in str(event) and "Guest" not in str(event)
    assert MixpanelExport.objects.get(day=DAY).sent_at is not None


def test_each_day_is_sent_once(mixpanel):
    assert metrics_export_day(day=DAY) is True
    assert metrics_export_day(day=DAY) is False

    assert len(mixpanel.requests) == 1


def test_beat_sends_yesterday(mixpanel):
    RegistryPageFactory(gifts=[gift(title="Teapot")])

    with time_machine.travel(timezone.make_aware(datetime(2027, 3, 11, 8, 0)), tick=False):
        export_daily_metrics.delay()

    [event] = mixpanel.imported
    assert event["properties"]["day"] == "2027-03-10"


def test_a_failed_send_is_retried_with_the_same_event_until_mixpanel_takes_it(mixpanel):
    mixpanel.script = [UNAVAILABLE, RATE_LIMITED]

    export_daily_metrics.delay(DAY.isoformat())  # in tests, retries run at once

    assert [request["status"] for request in mixpanel.requests] == [503, 429, 200]
    assert len({request["events"][0]["properties"]["$insert_id"] for request in mixpanel.requests}) == 1
    export = MixpanelExport.objects.get(day=DAY)
    assert (export.attempts, export.last_error) == (3, "")
    assert export.sent_at is not None


def test_out_of_retries_the_day_waits_for_the_next_beat(mixpanel):
    mixpanel.script = [UNAVAILABLE] * 7

    export_daily_metrics.delay(DAY.isoformat())

    assert len(mixpanel.requests) == 7  # the first try and 6 retries
    export = MixpanelExport.objects.get(day=DAY)
    assert export.sent_at is None
    assert "503" in export.last_error

    export_daily_metrics.delay(DAY.isoformat())

    assert mixpanel.requests[-1]["status"] == 200
    assert MixpanelExport.objects.get(day=DAY).sent_at is not None


def test_an_event_mixpanel_refuses_is_not_sent_again(mixpanel, caplog):
    mixpanel.script = [INVALID]

    export_daily_metrics.delay(DAY.isoformat())
    export_daily_metrics.delay(DAY.isoformat())

    assert len(mixpanel.requests) == 1
    export = MixpanelExport.objects.get(day=DAY)
    assert export.refused_at is not None and export.sent_at is None
    assert "failed validation" in export.last_error and "daily-figures-2027-03-10" in export.last_error
    assert "Mixpanel refused the figures for 2027-03-10" in caplog.text


def test_a_wrong_token_is_refused_and_recorded(mixpanel, settings):
    settings.MIXPANEL_TOKEN = "not-our-token"

    assert metrics_export_day(day=DAY) is False

    assert "401" in MixpanelExport.objects.get(day=DAY).last_error


def test_mixpanel_unreachable_is_retried(settings):
    with FakeMixpanel() as fake:
        url = fake.url("")
    settings.MIXPANEL_TOKEN = TOKEN
    settings.MIXPANEL_API_URL = url  # closed: nothing listens there any more

    export_daily_metrics.delay(DAY.isoformat())

    export = MixpanelExport.objects.get(day=DAY)
    assert export.attempts == 7 and export.sent_at is None
    assert "unreachable" in export.last_error


def test_no_guest_page_loads_anything_of_mixpanels(client, mixpanel):
    registry = RegistryPageFactory(gifts=[gift(title="Teapot")])

    page = client.get(registry.url)

    assert page.status_code == 200
    assert b"mixpanel" not in page.content.lower()


def test_the_export_is_off_in_production_until_the_token_is_set():
    from tests.ops.test_settings import PRODUCTION_ENV, settings_value

    assert settings_value("whispergifts.settings.production", "repr(settings.MIXPANEL_TOKEN)", PRODUCTION_ENV) == "''"
    with_token = {**PRODUCTION_ENV, "MIXPANEL_TOKEN": "project-token"}
    assert settings_value("whispergifts.settings.production", "settings.MIXPANEL_TOKEN", with_token) == "project-token"


def test_revenue_goes_as_money_per_currency_pence_and_all(mixpanel):
    from payments.models import Order
    from registries.factories import RegistryPageFactory
    from registries.models import Package

    from .test_metrics import at

    plus = Package.objects.get(name="Plus")
    order = Order.objects.create(
        registry=RegistryPageFactory(), package=plus, amount="29.50", currency="GBP", invoice="WG-9", status="paid"
    )
    Order.objects.filter(pk=order.pk).update(paid_at=at(DAY))

    metrics_export_day(day=DAY)

    [request] = mixpanel.requests
    assert request["events"][0]["properties"]["revenue_gbp"] == 29.5
