"""Currencies a couple can choose, and how an amount, or a date, is written where each is used."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dateformat import format as format_date

CURRENCY_SYMBOLS = {
    "AUD": "A$",
    "CAD": "CA$",
    "EUR": "€",
    "GBP": "£",
    "NZD": "NZ$",
    "USD": "US$",
}
CURRENCY_CHOICES = [
    ("AUD", "Australian dollar (A$)"),
    ("CAD", "Canadian dollar (CA$)"),
    ("EUR", "Euro (€)"),
    ("GBP", "Pound sterling (£)"),
    ("NZD", "New Zealand dollar (NZ$)"),
    ("USD", "US dollar (US$)"),
]


def format_money(amount, currency: str) -> str:
    """`format_money(Decimal("1234.5"), "GBP")` -> "£1,234.50"; whole amounts drop the pence."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    number = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{CURRENCY_SYMBOLS.get(currency, currency + ' ')}{number}"


# Dates as people write them where each currency is used.
DATE_FORMATS = {"USD": "l, F j, Y", "CAD": "l, F j, Y"}
DEFAULT_DATE_FORMAT = "l j F Y"


def format_day(day: date, currency: str) -> str:
    """`format_day(date(2031, 6, 1), "GBP")` -> "Sunday 1 June 2031"; in US dollars, "Sunday, June 1, 2031"."""
    return format_date(day, DATE_FORMATS.get(currency, DEFAULT_DATE_FORMAT))
