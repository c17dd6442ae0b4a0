"""The figures staff follow each day, counted from timestamps the other apps keep."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.currency import format_money
from registries.models import Gift, Package, Pledge, RegistryPage, Reservation

AVERAGE_OVER_DAYS = 7


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    queryset: object
    timestamp: str
    value: object = Count("pk")
    currency: str = ""  # set for sums of money, which are shown with their currency


def _metrics() -> list[Metric]:
    return [
        Metric("sign_ups", "Couples signed up", _couples(), "date_joined"),
        Metric("new_gifts", "Gifts added", Gift.objects.all(), "created_at"),
        Metric("reservations", "Gifts reserved", Reservation.objects.all(), "created_at"),
        Metric("bought", "Marked as bought", Reservation.objects.all(), "bought_at"),
        Metric("released", "Released", Reservation.objects.all(), "released_at"),
        Metric("upgrades", "Upgrades paid", _paid_orders(), "paid_at"),
        *(
            Metric(
                f"revenue_{currency.lower()}",
                f"Revenue in {currency} (face value)",
                _paid_orders().filter(currency=currency),
                "paid_at",
                value=Sum("amount"),
                currency=currency,
            )
            for currency in _revenue_currencies()
        ),
        Metric("pledges", "Pledges made", Pledge.objects.all(), "created_at"),
    ]


def _couples():
    """One account per couple: whoever signed up and owns the registry. Invited partners join an
    existing couple, and staff who own the index pages are not couples."""
    owners = RegistryPage.objects.filter(owner__isnull=False).values("owner_id")
    return get_user_model().objects.filter(pk__in=owners, is_staff=False, is_superuser=False)


def _revenue_currencies() -> list[str]:
    # Amounts in different currencies are never added up: one figure for each currency packages are
    # sold in, or that an order was paid in.
    from payments.models import Order

    sold_in = set(Package.objects.filter(price__gt=0).values_list("currency", flat=True))
    paid_in = set(Order.objects.filter(paid_at__isnull=False).values_list("currency", flat=True).distinct())
    return sorted(sold_in | paid_in)


def _paid_orders():
    from payments.models import Order

    # Refunded and reversed orders were paid on their day too: the refund is its own event.
    return Order.objects.filter(paid_at__isnull=False).exclude(status=Order.Status.GRANTED)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    average: float
    change_percent: float | None  # None when there is nothing to compare with
    currency: str = ""

    @property
    def display(self) -> str:
        return format_money(self.value, self.currency) if self.currency else str(self.value)

    @property
    def average_display(self) -> str:
        return format_money(self.average, self.currency) if self.currency else f"{self.average:.1f}"

    @property
    def change(self) -> str:
        if self.change_percent is None:
            return "new" if self.value else "no change"
        return f"{self.change_percent:+.0f}%"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    days: list[date]
    values: list[int]
    currency: str = ""

    def amount(self, value) -> str:
        return format_money(value, self.currency) if self.currency else str(value)


def daily_counts(*, first_day: date, last_day: date) -> dict[str, dict[date, int]]:
    """{metric key: {day: count}} for every day from `first_day` to `last_day` (zeros included): one query each."""
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    counts = {}
    for metric in _metrics():
        rows = (
            metric.queryset.filter(**{f"{metric.timestamp}__gte": start, f"{metric.timestamp}__lt": end})
            .annotate(day=TruncDate(metric.timestamp))
            .values("day")
            .annotate(n=metric.value)
            .values_list("day", "n")
        )
        found = dict(rows)
        counts[metric.key] = {day: found.get(day, 0) for day in days}
    return counts


def daily_figures(day: date) -> dict[str, int | Decimal]:
    """`day`'s figures by key (zeros included): what the metrics export sends."""
    return {key: by_day[day] or 0 for key, by_day in daily_counts(first_day=day, last_day=day).items()}


def figures_for_day(day: date) -> list[Figure]:
    """`day`'s figures, each with its change against the average of the 7 days before."""
    counts = daily_counts(first_day=day - timedelta(days=AVERAGE_OVER_DAYS), last_day=day)
    figures = []
    for metric in _metrics():
        by_day = counts[metric.key]
        value = by_day[day]
        average = sum(by_day[day - timedelta(days=n)] for n in range(1, AVERAGE_OVER_DAYS + 1)) / AVERAGE_OVER_DAYS
        change = (value - average) / average * 100 if average else None
        figures.append(Figure(metric.key, metric.label, value, average, change, metric.currency))
    return figures


def series_for_days(*, last_day: date, days: int = 90) -> list[Series]:
    first_day = last_day - timedelta(days=days - 1)
    counts = daily_counts(first_day=first_day, last_day=last_day)
    return [
        Series(metric.key, metric.label, list(counts[metric.key]), list(counts[metric.key].values()), metric.currency)
        for metric in _metrics()
    ]
