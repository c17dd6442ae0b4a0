"""The refund/reversal notice to the couple, sent on commit through Django's mail API.

Receipts go through the outbox (notifications.services.email_payment_receipt).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Order


def _couple_address(order: Order) -> str | None:
    owner = order.registry.owner if order.registry else None
    return owner.email if owner and owner.email else None


def _send(order: Order, *, subject: str, template: str) -> None:
    recipient = _couple_address(order)
    if recipient is None:
        return
    context = {"order": order, "plan_url": settings.WAGTAILADMIN_BASE_URL + reverse("couple_plan")}
    send_mail(subject, render_to_string(template, context), None, [recipient])


def send_downgrade_notice(*, order_id: int) -> None:
    order = Order.objects.select_related("registry", "package", "previous_package").get(pk=order_id)
    _send(
        order,
        subject=f"Your {order.package} package payment was {order.get_status_display().lower()}",
        template="payments/emails/downgrade.txt",
    )
