"""The daily metrics email to staff, and the same figures sent to Mixpanel when it is configured."""

import logging
from datetime import date, datetime, time

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.currency import format_day
from notifications.emails import register_email_kind
from notifications.links import absolute_url
from notifications.selectors import staff_recipients
from notifications.services import outbox_add_for_each

from . import mixpanel
from .models import MixpanelExport
from .selectors import daily_figures, figures_for_day

logger = logging.getLogger(__name__)
MIXPANEL_EVENT = "Daily figures"

DAILY_METRICS = register_email_kind(
    "daily_metrics", label="Daily metrics (staff)", templates="metrics/email/daily_metrics"
)


def metrics_email_daily(*, day: date) -> int:
    """Write `day`'s figures to every member of staff, once per day. Returns how many were written."""
    figures = figures_for_day(day)
    context = {
        "day": format_day(day, "GBP"),
        "figures": [
            {"label": f.label, "value": f.display, "average": f.average_display, "change": f.change} for f in figures
        ],
        "dashboard_url": absolute_url(reverse("wagtailadmin_home")),
    }
    return outbox_add_for_each(
        recipients=staff_recipients(),
        key=f"metrics:{day.isoformat()}:daily_metrics",
        kind=DAILY_METRICS,
        context=context,
    )


def daily_figures_event(day: date) -> dict:
    """`day`'s figures as one Mixpanel event: counts only, nobody's name, address or id.

    Dated at noon of the day, so it falls on that day in any project time zone near ours; `$insert_id`
    names the day, so Mixpanel keeps one event per day however often it is sent.
    """
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    # Revenue is money (one figure per currency, revenue_gbp…); every other figure is a count.
    figures = {
        key: float(value) if key.startswith("revenue_") else int(value) for key, value in daily_figures(day).items()
    }
    return {
        "event": MIXPANEL_EVENT,
        "properties": {
            "time": int(noon.timestamp()),
            "distinct_id": "",  # Mixpanel's value for an event that is about no user
            "$insert_id": f"daily-figures-{day.isoformat()}",
            "day": day.isoformat(),
            **figures,
        },
    }


def metrics_export_day(*, day: date) -> bool:
    """Send `day`'s figures to Mixpanel once, if MIXPANEL_TOKEN is set. True when they were sent now.

    Raises mixpanel.TransientExportError when Mixpanel couldn't take them: the task retries.
    """
    if not mixpanel.is_configured():
        return False
    export, _ = MixpanelExport.objects.get_or_create(day=day)
    if export.sent_at or export.refused_at:
        return False
    MixpanelExport.objects.filter(pk=export.pk).update(attempts=F("attempts") + 1)
    try:
        mixpanel.import_events([daily_figures_event(day)])
    except mixpanel.TransientExportError as error:
        MixpanelExport.objects.filter(pk=export.pk).update(last_error=str(error))
        raise
    except mixpanel.PermanentExportError as error:
        logger.error("Mixpanel refused the figures for %s: %s", day, error)
        MixpanelExport.objects.filter(pk=export.pk).update(refused_at=timezone.now(), last_error=str(error))
        return False
    MixpanelExport.objects.filter(pk=export.pk).update(sent_at=timezone.now(), last_error="")
    return True
