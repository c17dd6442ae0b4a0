"""Currencies a couple can choose, and how an amount in each is written for people."""

from decimal import ROUND_HALF_UP, Decimal

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
