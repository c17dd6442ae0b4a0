"""The registry links that emails carry, built when each email is sent (see notifications.links)."""

from django.urls import reverse

from notifications.links import register_email_link

from .models import Reservation


@register_email_link("reservation-manage")
def reservation_manage_path(reservation_id: int) -> str | None:
    """The guest's private page for their reservation: its token is the guest's only key to it."""
    token = Reservation.objects.filter(pk=reservation_id).values_list("manage_token", flat=True).first()
    return reverse("reservation_manage", kwargs={"token": token}) if token else None
