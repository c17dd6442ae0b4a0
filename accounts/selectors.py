"""Reads about couples: which registry a user shares, and who shares it."""

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection

from registries.models import Gift, Pledge, RegistryPage, Reservation

from .models import User


def couple_group_for_registry(registry: RegistryPage) -> Group | None:
    return Group.objects.filter(page_permissions__page=registry).order_by("pk").first()


def couple_members(registry: RegistryPage) -> list[User]:
    return list(User.objects.filter(groups__page_permissions__page=registry).distinct().order_by("date_joined"))


def couple_export(registry: RegistryPage, *, base_url: str) -> dict:
    """Everything we hold about a couple, for them to download as JSON.

    Reservations are listed by gift, quantity, status and date: who gave what stays the guests' own
    (and the couple's surprise), and guests' email addresses are never shown to couples.
    """
    draft = registry.get_latest_revision_as_object()
    collections = Collection.objects.filter(group_permissions__group__page_permissions__page=registry).distinct()
    return {
        "exported_at": timezone.now(),
        "registry": {
            "title": draft.title,
            "address": base_url + (registry.get_url() or f"/registries/{registry.slug}/"),
            "slug": registry.slug,
            "partner_one": draft.partner_one,
            "partner_two": draft.partner_two,
            "wedding_date": draft.wedding_date,
            "place": draft.place,
            "welcome": draft.welcome,
            "currency": draft.currency,
            "visibility": draft.visibility,
            "guest_password": draft.guest_password,
            "package": str(registry.effective_package or ""),
            "published": registry.live,
            "first_published_at": registry.first_published_at,
            "last_published_at": registry.last_published_at,
            "gifts_in_editor": [_stream_child_export(child) for child in draft.gifts],
        },
        "gifts": [
            {
                "block_id": gift.block_id,
                "title": gift.title,
                "price": gift.price,
                "category": gift.category,
                "quantity_wanted": gift.quantity_wanted,
                "quantity_reserved": gift.quantity_reserved,
                "on_published_page": gift.active,
            }
            for gift in Gift.objects.filter(registry=registry).order_by("pk")
        ],
        "reservations": [
            {
                "gift": reservation.gift.title,
                "gift_block_id": reservation.gift.block_id,
                "quantity": reservation.quantity,
                "status": reservation.status,
                "created_at": reservation.created_at,
            }
            for reservation in Reservation.objects.filter(gift__registry=registry).select_related("gift")
        ],
        "pledges": [
            {
                "gift": pledge.gift.title,
                "gift_block_id": pledge.gift.block_id,
                "amount": pledge.amount,
                "status": pledge.status,
                "created_at": pledge.created_at,
            }
            for pledge in Pledge.objects.filter(gift__registry=registry).select_related("gift")
        ],
        "images": [
            {"title": image.title, "file": base_url + image.file.url, "uploaded_at": image.created_at}
            for image in get_image_model().objects.filter(collection__in=collections).order_by("pk")
        ],
        "users": [
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
            }
            for user in couple_members(registry)
        ],
        "partner_invitations": [
            {
                "email": invitation.email,
                "sent_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in registry.invitations.all()
        ],
    }


def _stream_child_export(child) -> dict:
    if child.block_type != "gift":
        return {"type": child.block_type, "id": child.id, **child.value}
    value = dict(child.value)
    image = value.pop("image")
    return {"type": "gift", "id": child.id, **value, "image": image.title if image else None}
