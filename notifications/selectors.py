"""Reads for emails: who on staff hears of the day's figures, and which addresses can't be reached."""

from django.contrib.auth import get_user_model

from .models import UndeliverableAddress


def staff_recipients() -> list[str]:
    """Who receives the daily metrics email: active staff."""
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted({email.lower() for email in staff.values_list("email", flat=True)})


def undeliverable_addresses(emails) -> dict[str, str]:
    """{address: reason label} for those of `emails` that bounced or complained."""
    lowered = {email.lower() for email in emails}
    rows = UndeliverableAddress.objects.filter(email__in=lowered)
    return {row.email: row.get_reason_display() for row in rows}
