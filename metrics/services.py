"""The daily metrics email to staff."""

from datetime import date

from django.urls import reverse

from core.currency import format_day
from notifications.emails import register_email_kind
from notifications.links import absolute_url
from notifications.selectors import staff_recipients
from notifications.services import outbox_add_for_each

from .selectors import figures_for_day

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
