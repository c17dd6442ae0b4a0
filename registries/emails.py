"""The emails about registries and their reservations: what each says, written into the outbox.

Guests get their confirmation (with their private link), reminders and a release notice; couples hear of
each reservation or get a daily digest, and see who gave what only once `reservations_revealed` says so.
"""

from datetime import date, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.currency import format_day, format_money
from notifications.emails import register_email_kind
from notifications.links import absolute_url, email_link
from notifications.models import OutboxEmail
from notifications.services import outbox_add, outbox_add_for_each, outbox_add_new, outbox_email, outbox_erase

from .email_links import one_click_link
from .models import Gift, Pledge, RegistryPage, ReminderOptOut, Reservation
from .payment_details import payment_details_for
from .selectors import couple_recipients

RESERVATION_GUEST = register_email_kind(
    "reservation_guest", label="Reservation confirmation (guest)", templates="registries/email/reservation_guest"
)
RESERVATION_COUPLE = register_email_kind(
    "reservation_couple", label="A gift was reserved (couple)", templates="registries/email/reservation_couple"
)
RESERVATION_RELEASED = register_email_kind(
    "reservation_released", label="Reservation released (guest)", templates="registries/email/reservation_released"
)
RESERVATION_REMINDER = register_email_kind(
    "reservation_reminder", label="Did you buy it? (guest)", templates="registries/email/reservation_reminder"
)
PLEDGE_GUEST = register_email_kind(
    "pledge_guest", label="Pledge confirmation and how to pay (guest)", templates="registries/email/pledge_guest"
)
PLEDGE_COUPLE = register_email_kind(
    "pledge_couple", label="A guest pledged (couple)", templates="registries/email/pledge_couple"
)
PLEDGE_PAID = register_email_kind(
    "pledge_paid", label="Thanks for paying (guest)", templates="registries/email/pledge_paid"
)
PLEDGE_REMINDER = register_email_kind(
    "pledge_reminder", label="Did you pay? (guest)", templates="registries/email/pledge_reminder"
)
PLEDGE_RELEASED = register_email_kind(
    "pledge_released", label="Pledge released (guest)", templates="registries/email/pledge_released"
)
COUPLE_DIGEST = register_email_kind(
    "couple_digest", label="Daily reservations digest (couple)", templates="registries/email/couple_digest"
)


def registry_email_context(registry: RegistryPage) -> dict:
    """What every email about a registry names: the couple, their day and the registry's address."""
    return {
        "couple_names": registry.couple_names,
        "wedding_date": format_day(registry.wedding_date, registry.currency),
        "registry_url": absolute_url(registry.get_url() or "/"),
    }


def _gift_context(reservation: Reservation) -> dict:
    gift = reservation.gift
    registry = gift.registry
    return {
        "gift_title": gift.title,
        "quantity": reservation.quantity,
        "price": format_money(gift.price, registry.currency),
        "total": format_money(gift.price * reservation.quantity, registry.currency)
        if reservation.quantity > 1
        else "",
        "shop_name": gift.shop_name,
        "shop_url": gift.shop_url,
        "reserved_on": format_day(timezone.localdate(reservation.created_at), registry.currency),
    }


def _guest_context(reservation: Reservation) -> dict:
    registry = reservation.gift.registry
    return {
        **registry_email_context(registry),
        **_gift_context(reservation),
        "guest_name": reservation.name,
        "manage_url": email_link("reservation-manage", reservation.pk),
    }


def reservation_guest_email(reservation: Reservation) -> None:
    """The guest's confirmation with their private link: written in the reservation's transaction.

    Written before the units are taken (so the gift's row is locked only briefly): how many are still
    wanted after this reservation is worked out from the gift as the guest's request read it, which is
    exact unless another guest reserved the same gift at the same moment (then it says one too many).
    """
    remaining = max(reservation.gift.quantity_remaining - reservation.quantity, 0)
    outbox_add_new(
        [
            outbox_email(
                key=f"reservation:{reservation.pk}:reservation_guest:{reservation.email.lower()}",
                kind=RESERVATION_GUEST,
                to_email=reservation.email,
                context={**_guest_context(reservation), "remaining": remaining},
                reservation=reservation,
            )
        ]
    )


def reservation_couple_emails(*, reservation: Reservation, recipients: list[str]) -> None:
    """Tell each of `recipients` (selectors.reservation_email_recipients, read beforehand) that a gift was reserved.

    Written after the units are taken, in the same transaction, because it says how many are still wanted.
    """
    if not recipients:
        return
    registry = reservation.gift.registry
    remaining = Gift.objects.values_list(F("quantity_wanted") - F("quantity_reserved"), flat=True).get(
        pk=reservation.gift_id
    )
    context = {
        **registry_email_context(registry),
        **_gift_context(reservation),
        **_couple_reveal_context(registry),
        "reservation": _reservation_summary(registry, reservation),
        "remaining": remaining,
        "unsubscribe_url": one_click_link(scope="registry", action="stop-reservation-emails", object_id=registry.pk),
    }
    outbox_add_new(
        [
            outbox_email(
                key=f"reservation:{reservation.pk}:reservation_couple:{email}",
                kind=RESERVATION_COUPLE,
                to_email=email,
                context=context,
                reservation=reservation,
            )
            for email in recipients
        ]
    )


def reservation_released_email(*, reservation: Reservation, automatic: bool) -> None:
    """Tell the guest their reservation ended, and why; when it lapsed, one click keeps it theirs if they bought it."""
    if reservation.gift.registry is None:
        return  # the registry was deleted: there is nothing left to point the guest to
    context = {**_guest_context(reservation), "automatic": automatic}
    if automatic:
        context["keep_url"] = one_click_link(scope="reservation", action="keep", object_id=reservation.pk)
    outbox_add(
        key=f"reservation:{reservation.pk}:reservation_released:{reservation.email.lower()}",
        kind=RESERVATION_RELEASED,
        to_email=reservation.email,
        context=context,
        reservation=reservation,
    )


def reservation_reminder_email(*, reservation: Reservation, number: int, release_on: date) -> OutboxEmail | None:
    """Reminder `number` (1 or 2): did you buy it? One click to say so, or to let it go."""
    registry = reservation.gift.registry
    return outbox_add(
        key=f"reservation:{reservation.pk}:reservation_reminder:{number}",
        kind=RESERVATION_REMINDER,
        to_email=reservation.email,
        context={
            **_guest_context(reservation),
            "number": number,
            "release_on": format_day(release_on, registry.currency),
            "bought_url": one_click_link(scope="reservation", action="bought", object_id=reservation.pk),
            "release_url": one_click_link(scope="reservation", action="release", object_id=reservation.pk),
            "unsubscribe_url": one_click_link(scope="reservation", action="stop-reminders", object_id=reservation.pk),
        },
        reservation=reservation,
    )


# Pledges: a guest's promise of money towards a fund or group gift, paid straight to the couple. Their keys start
# with the registry's, so erasing a registry's emails takes them too.


def _pledge_key(pledge: Pledge, kind: str) -> str:
    return f"registry:{pledge.gift.registry_id}:pledge:{pledge.pk}:{kind}"


def _pledge_context(pledge: Pledge) -> dict:
    gift = pledge.gift
    registry = gift.registry
    return {
        **registry_email_context(registry),
        "gift_title": gift.title,
        "is_fund": gift.kind == "fund",
        "amount": format_money(pledge.amount, registry.currency),
        "pledged_on": format_day(timezone.localdate(pledge.created_at), registry.currency),
        "guest_name": pledge.name,
        "manage_url": email_link("pledge-manage", pledge.pk),
    }


def _payment_context(pledge: Pledge) -> dict:
    """How the guest pays the couple: their own link and details, shown to guests who pledged."""
    details = payment_details_for(registry_id=pledge.gift.registry_id)
    return {"paypal_me_url": details.paypal_me_url, "bank_transfer_details": details.bank_transfer_details}


def pledge_guest_email(pledge: Pledge) -> None:
    """The guest's confirmation: how to pay the couple, and their private link. In the pledge's transaction."""
    context = {**_pledge_context(pledge), **_payment_context(pledge)}
    outbox_add_new([_pledge_email(_pledge_key(pledge, PLEDGE_GUEST), PLEDGE_GUEST, pledge.email, context)])


def pledge_couple_emails(*, pledge: Pledge, recipients: list[str]) -> None:
    """Tell the couple a guest pledged: who and their message only once revealed; written after the total moved."""
    if not recipients:
        return
    gift = Gift.objects.get(pk=pledge.gift_id)
    registry = pledge.gift.registry
    revealed = registry.reservations_revealed()
    context = {
        **_pledge_context(pledge),
        **_couple_reveal_context(registry),
        "guest_name": pledge.name if revealed else "",
        "message": pledge.message if revealed else "",
        "total_pledged": format_money(gift.amount_pledged, registry.currency),
        "goal": format_money(gift.pledge_goal, registry.currency) if gift.pledge_goal else "",
        "unsubscribe_url": one_click_link(scope="registry", action="stop-reservation-emails", object_id=registry.pk),
    }
    del context["manage_url"]  # the guest's key, never the couple's
    key = _pledge_key(pledge, PLEDGE_COUPLE)
    outbox_add_new([_pledge_email(f"{key}:{email}", PLEDGE_COUPLE, email, context) for email in recipients])


def _pledge_email(key: str, kind: str, to_email: str, context: dict) -> OutboxEmail:
    # Pledge emails name no reservation: their keys (registry:<id>:pledge:…) tie them to the registry.
    return outbox_email(key=key, kind=kind, to_email=to_email, context=context, reservation=None)


def pledge_paid_email(*, pledge: Pledge) -> None:
    """Thank the guest for saying they paid."""
    outbox_add(
        key=_pledge_key(pledge, PLEDGE_PAID), kind=PLEDGE_PAID, to_email=pledge.email, context=_pledge_context(pledge)
    )


def pledge_released_email(*, pledge: Pledge, automatic: bool) -> None:
    """Tell the guest their pledge ended, and why."""
    if pledge.gift.registry is None:
        return  # the registry was deleted: there is nothing left to point the guest to
    outbox_add(
        key=_pledge_key(pledge, PLEDGE_RELEASED),
        kind=PLEDGE_RELEASED,
        to_email=pledge.email,
        context={**_pledge_context(pledge), "automatic": automatic},
    )


def pledge_reminder_email(*, pledge: Pledge, number: int, release_on: date) -> OutboxEmail | None:
    """Reminder `number` (1 or 2): did you pay? One click to say so, or to let it go."""
    links = {"paid_url": "paid", "release_url": "release", "unsubscribe_url": "stop-reminders"}
    context = {
        **_pledge_context(pledge),
        **_payment_context(pledge),
        **{name: one_click_link(scope="pledge", action=action, object_id=pledge.pk) for name, action in links.items()},
        "number": number,
        "release_on": format_day(release_on, pledge.gift.registry.currency),
    }
    key = f"{_pledge_key(pledge, PLEDGE_REMINDER)}:{number}"
    return outbox_add(key=key, kind=PLEDGE_REMINDER, to_email=pledge.email, context=context)


def couple_digest_email(*, registry: RegistryPage, day: date, reservations: list[Reservation]) -> int:
    """One email per partner listing `day`'s reservations. Returns how many were written."""
    if not reservations:
        return 0
    context = {
        **registry_email_context(registry),
        **_couple_reveal_context(registry),
        "day": format_day(day, registry.currency),
        "reservations": [_reservation_summary(registry, reservation) for reservation in reservations],
        "unsubscribe_url": one_click_link(scope="registry", action="stop-reservation-emails", object_id=registry.pk),
    }
    return outbox_add_for_each(
        recipients=couple_recipients(registry),
        key=f"registry:{registry.pk}:couple_digest:{day.isoformat()}",
        kind=COUPLE_DIGEST,
        context=context,
    )


def _couple_reveal_context(registry: RegistryPage) -> dict:
    return {
        "revealed": registry.reservations_revealed(),
        "reveal_on": format_day(registry.wedding_date + timedelta(days=1), registry.currency),
        "admin_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[registry.pk])),
        "settings_url": absolute_url(reverse("couple_email_settings", kwargs={"registry_id": registry.pk})),
    }


def _reservation_summary(registry: RegistryPage, reservation: Reservation) -> dict:
    """One reservation as the couple may see it: the giver and message only once revealed."""
    summary = {
        "gift_title": reservation.gift.title,
        "quantity": reservation.quantity,
        "price": format_money(reservation.gift.price, registry.currency),
    }
    if registry.reservations_revealed():
        summary.update(guest_name=reservation.name, message=reservation.message)
    return summary


def registry_emails_erase(
    *, registry: RegistryPage, invitation_ids: list[int], couple_addresses: set[str], forgotten_addresses: set[str]
) -> None:
    """Delete every email about `registry`, the delivery events about them, and what we know of
    `forgotten_addresses` (bounces, complaints): addresses that belong to nobody else any more.

    An email is about the registry when it is about one of its reservations (guests' and the couple's),
    its digest, one of its invitations, or is to the couple with no reservation (welcome, password
    reset, receipts). A couple's address that is also a guest of another registry keeps those emails.
    """
    about_registry = (
        Q(reservation__gift__registry=registry)
        | Q(key__startswith=f"registry:{registry.pk}:")
        | Q(to_email__in=couple_addresses, reservation=None)
    )
    for invitation_id in invitation_ids:
        about_registry |= Q(key__startswith=f"invitation:{invitation_id}:")
    ReminderOptOut.objects.filter(reservation__gift__registry=registry).delete()
    outbox_erase(emails=OutboxEmail.objects.filter(about_registry), forgotten_addresses=forgotten_addresses)
