from datetime import timedelta

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .selectors import figures_for_day, series_for_days

CHART_DAYS = 90
BAR_WIDTH = 4
CHART_HEIGHT = 60


class MetricsPanel(Component):
    """Yesterday's figures, and the 90 days up to today as bar charts (plain SVG: no script, no external assets)."""

    name = "whispergifts_metrics"
    template_name = "metrics/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        yesterday = today - timedelta(days=1)
        charts = []
        for series in series_for_days(last_day=today, days=CHART_DAYS):
            peak = max(series.values) or 1
            bars = []
            for index, (day, value) in enumerate(zip(series.days, series.values, strict=True)):
                height = round(value / peak * (CHART_HEIGHT - 2), 1) if value else 0
                bars.append(
                    {"x": index * BAR_WIDTH, "y": CHART_HEIGHT - height, "height": height, "day": day, "value": value}
                )
            charts.append(
                {
                    "series": series,
                    "bars": bars,
                    "total": series.amount(sum(series.values)),
                    "peak": series.amount(max(series.values)),
                    "zero": series.amount(0),
                }
            )
        return {
            "yesterday": yesterday,
            "first_day": today - timedelta(days=CHART_DAYS - 1),
            "figures": figures_for_day(yesterday),
            "charts": charts,
            "chart_width": CHART_DAYS * BAR_WIDTH,
            "chart_height": CHART_HEIGHT,
        }


@hooks.register("construct_homepage_panels")
def add_metrics_panel(request, panels):
    # Staff only: couples use the admin too, and must never see site-wide figures.
    if request.user.is_staff or request.user.is_superuser:
        panels.append(MetricsPanel())
