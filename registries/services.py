"""The rules of gifts and reservations. Views, the admin, tasks and tests all call these."""

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry, PageViewRestriction, Revision

from core.caching import REGISTRY_DIRECTORY_SCOPE, cache_version_bump, registry_content_scope, registry_scope
from core.currency import format_money
from core.renditions import SOCIAL_IMAGE_FILTER, renditions_queue

from .addresses import Forwarding, registry_forwardings
from .blocks import DEFAULT_MINIMUM_CONTRIBUTION
from .emails import (
    pledge_couple_emails,
    pledge_guest_email,
    pledge_paid_email,
    pledge_released_email,
    reservation_couple_emails,
    reservation_guest_email,
    reservation_released_email,
)
from .listing import GIFT_IMAGE_FILTERS, HERO_IMAGE_FILTERS, SEARCH_CARD_IMAGE_FILTERS
from .models import Gift, OutsideGift, Pledge, RegistryPage, ReminderOptOut, Reservation
from .publishing import publish_problems
from .selectors import reservation_email_recipients

logger = logging.getLogger(__name__)

SCHEDULED_PUBLISH_REFUSED = "registries.publish.scheduled.refused"


class GiftUnavailable(Exception):
    """The gift is gone, or fewer are still wanted than the guest asked for."""

    def __init__(self, gift: Gift | None, remaining: int):
        self.gift = gift
        self.remaining = remaining
        super().__init__(f"only {remaining} remaining")


@dataclass(frozen=True)
class ReservationResult:
    reservation: Reservation
    created: bool


# What a Gift row keeps of its block (besides quantity_wanted, which never drops below what guests hold).
GIFT_ROW_FIELDS = ("title", "price", "category", "shop_name", "shop_url")
# What a row keeps of how guests give towards it (pledge_goal never drops below what guests pledged).
PLEDGE_ROW_FIELDS = ("kind", "group_gift", "pledge_goal", "minimum_contribution")
# Rows written per statement: constant queries for any registry up to this size, within PostgreSQL's
# 65,535 parameters per statement.
GIFT_SYNC_BATCH = 1000


def gifts_sync_from_live_page(*, registry: RegistryPage) -> None:
    """Make the registry's Gift rows match its live revision, in the same few queries however many gifts it has.

    Gifts on the live page are created or updated; gifts no longer there (or every gift, when the
    page is not live) become inactive. Reservations are never touched. Only rows that differ are written.
    """
    # The page row holds the live content; drafts live only in revisions.
    live_page = RegistryPage.objects.get(pk=registry.pk)
    live_blocks = _live_gift_fields(live_page) if live_page.live else {}

    with transaction.atomic():
        # Locked, so no reservation moves quantity_reserved while quantity_wanted is worked out from it.
        existing = {gift.block_id: gift for gift in Gift.objects.select_for_update().filter(registry=registry)}
        created, changed = [], []
        now = timezone.now()
        for block_id, fields in live_blocks.items():
            gift = existing.get(block_id)
            if gift is None:
                created.append(Gift(registry=registry, block_id=block_id, **fields))
                continue
            # Never below what guests hold already, so the CHECK constraints can't fire here.
            fields = {**fields, "quantity_wanted": max(fields["quantity_wanted"], gift.quantity_reserved)}
            if fields["group_gift"]:
                fields["pledge_goal"] = max(fields["pledge_goal"], gift.amount_pledged)
            if any(getattr(gift, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(gift, name, value)
                gift.updated_at = now  # bulk_update leaves auto_now to us
                changed.append(gift)
        Gift.objects.bulk_create(created, batch_size=GIFT_SYNC_BATCH)
        Gift.objects.bulk_update(
            changed,
            [*GIFT_ROW_FIELDS, *PLEDGE_ROW_FIELDS, "quantity_wanted", "active", "updated_at"],
            batch_size=GIFT_SYNC_BATCH,
        )
        gone = Gift.objects.filter(registry=registry, active=True).exclude(block_id__in=list(live_blocks))
        gone.update(active=False)
    _registry_content_changed(registry)


def _live_gift_fields(page: RegistryPage) -> dict[str, dict]:
    """Each gift block's fields as its Gift row keeps them, by block id, read from the stream's stored JSON.

    Only the fields a row keeps are converted: turning every block into values would load every picture.
    """
    child_blocks = page.gifts.stream_block.child_blocks
    gifts = {}
    for raw in page.gifts.raw_data:
        if raw["type"] not in ("gift", "fund"):
            continue
        children = child_blocks[raw["type"]].child_blocks
        value = raw["value"]

        def field(name, value=value, children=children):
            return children[name].to_python(value[name]) if name in value else children[name].get_default()

        if raw["type"] == "gift":
            fields = {name: field(name) for name in (*GIFT_ROW_FIELDS, "quantity_wanted", "group_gift")}
            fields["group_gift"] = bool(fields["group_gift"])
            goal = fields["price"] * fields["quantity_wanted"] if fields["group_gift"] else None
        else:  # a fund: one "unit", priced at its goal for sorting; guests give amounts towards it
            goal = field("goal")
            fields = {"title": field("title"), "price": goal or 0, "category": field("category"), "quantity_wanted": 1}
            fields.update(group_gift=False, shop_name="", shop_url="")
        gifts[raw["id"]] = {
            **fields,
            **{name: fields[name] or "" for name in ("category", "shop_name", "shop_url")},
            "kind": raw["type"],
            "pledge_goal": goal,
            "minimum_contribution": field("minimum_contribution") or DEFAULT_MINIMUM_CONTRIBUTION,
            "active": True,
        }
    return gifts


def registry_renditions_queue(*, registry: RegistryPage) -> None:
    """Have a worker make every picture size the live registry shows, before its guests ask for them."""

    live_page = RegistryPage.objects.get(pk=registry.pk)
    wanted: dict[int, set[str]] = {}
    if live_page.hero_image_id:
        hero_filters = HERO_IMAGE_FILTERS
        if live_page.visibility == RegistryPage.Visibility.LISTED:  # only listed registries have a search card
            hero_filters += SEARCH_CARD_IMAGE_FILTERS
        wanted.setdefault(live_page.hero_image_id, set()).update(hero_filters)
    if live_page.social_image_id:
        wanted.setdefault(live_page.social_image_id, set()).add(SOCIAL_IMAGE_FILTER)
    for block in live_page.gifts.raw_data:
        image_id = block["value"].get("image") if block["type"] in ("gift", "fund") else None
        if image_id:
            wanted.setdefault(image_id, set()).update(GIFT_IMAGE_FILTERS)
    renditions_queue(wanted=wanted)


def gifts_deactivate(*, registry: RegistryPage) -> None:
    Gift.objects.filter(registry=registry).update(active=False)
    _registry_content_changed(registry)


def _registry_content_changed(registry: RegistryPage) -> None:
    # Published, unpublished, moved or deleted: its page, and search results (which may list it, or have), are stale.
    cache_version_bump(registry_scope(registry.pk), registry_content_scope(registry.pk), REGISTRY_DIRECTORY_SCOPE)


def _registry_state_changed(registry_id: int) -> None:
    # Its row changed without a publish (RegistryPage.STATE_FIELDS): what was kept of the row is stale.
    cache_version_bump(registry_content_scope(registry_id))


def registry_package_set(*, registry_id: int, package_id: int | None) -> None:
    """Move a registry to a package: payments and staff grants. Publishing never changes it."""
    RegistryPage.objects.filter(pk=registry_id).update(package=package_id)
    _registry_state_changed(registry_id)


def reservation_create(
    *, gift: Gift, name: str, email: str, quantity: int, message: str, idempotency_key: uuid.UUID
) -> ReservationResult:
    """Reserve `quantity` of a gift for a guest, race-free, in one transaction.

    The unit count only moves through a conditional UPDATE, so two guests can never take the last
    one; a form submitted twice with the same key yields the first reservation (the key is unique).
    Many guests may want the same gift at once: the UPDATE comes last, so its row lock is held
    only while the couple's emails are written and the transaction commits.
    """
    couple = reservation_email_recipients(gift.registry)
    reservation, created = _promise_made(
        Reservation(gift=gift, quantity=quantity, name=name, email=email, message=message),
        idempotency_key=idempotency_key,
        guest_email=reservation_guest_email,
        taken=lambda: Gift.objects.filter(
            pk=gift.pk, active=True, quantity_reserved__lte=F("quantity_wanted") - quantity
        ).update(quantity_reserved=F("quantity_reserved") + quantity),
        refused=lambda: _gift_unavailable_now(gift),
        couple_emails=lambda reservation: reservation_couple_emails(reservation=reservation, recipients=couple),
    )
    return ReservationResult(reservation=reservation, created=created)


def _gift_unavailable_now(gift: Gift) -> GiftUnavailable:
    gift.refresh_from_db()
    return GiftUnavailable(gift, remaining=gift.quantity_remaining if gift.active else 0)


def _promise_made(promise, *, idempotency_key: uuid.UUID, guest_email, taken, refused, couple_emails):
    """Save a new reservation or pledge (`promise`, unsaved) with its guest's email, then take what it holds
    from its gift row, then write the couple's emails: all or nothing, and once per idempotency key.

    `taken()` is the conditional UPDATE that moves the gift's count (0 rows: not possible any more, and
    `refused()` is raised). It comes last, so the gift row's lock is held only while the couple's emails
    are written and the transaction commits. Returns (the promise, whether it is new).
    """

    def make():
        with transaction.atomic():
            promise.idempotency_key = idempotency_key
            promise.save(force_insert=True)
            guest_email(promise)
            if not taken():  # raising rolls back the row and its email: nothing is half-saved
                raise refused()
            couple_emails(promise)
        return promise

    made, created = _made_once(type(promise), idempotency_key=idempotency_key, make=make)
    if created:
        cache_version_bump(registry_scope(promise.gift.registry_id))
    return made, created


def _made_once(model, *, idempotency_key: uuid.UUID, make):
    """(`make()`, True), or (the row made before, False) when the same form was submitted before (or at the
    same moment, and won): the idempotency key is unique, so the second INSERT fails and the first row holds."""
    try:
        return make(), True
    except IntegrityError:
        earlier = model.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is None:
            raise
        return earlier, False


def _promise_released(promise: Reservation | Pledge, *, open_status: str, give_back: dict, **marks) -> bool:
    """Mark a reservation or pledge released, once, and give back to its gift row what it held (`give_back`).

    Only while it is still `open_status`: once the guest has bought the gift or paid, freeing it would invite
    a second one. `marks` are more fields to set with the release.
    """
    released = (
        type(promise)
        .objects.filter(pk=promise.pk, status=open_status)
        .update(status="released", released_at=timezone.now(), **marks)
    )
    if released:
        Gift.objects.filter(pk=promise.gift_id).update(**give_back)
        cache_version_bump(registry_scope(promise.gift.registry_id))
    promise.refresh_from_db()
    return bool(released)


@transaction.atomic
def reservation_release(*, reservation: Reservation, automatic: bool = False) -> Reservation:
    """The guest won't give it after all (or never confirmed, when `automatic`: it lapsed): the units are wanted again.

    Only a reservation not yet bought: freeing a bought gift would invite a second one. Releasing twice is
    harmless, and the guest hears about it once.
    """
    give_back = {"quantity_reserved": F("quantity_reserved") - reservation.quantity}
    if _promise_released(reservation, open_status=Reservation.Status.RESERVED, give_back=give_back, lapsed=automatic):
        reservation_released_email(reservation=reservation, automatic=automatic)
    return reservation


def reservation_mark_bought(*, reservation: Reservation) -> Reservation:
    """The guest bought it. A released reservation can't be marked bought (its units went back)."""
    bought = {"status": Reservation.Status.BOUGHT, "bought_at": timezone.now()}
    _promise_answered(reservation, open_status=Reservation.Status.RESERVED, **bought)
    return reservation


def _promise_answered(promise: Reservation | Pledge, *, open_status: str, **answer) -> bool:
    """Record the guest's answer (bought, paid) on a promise still `open_status`, once; False if it had moved on."""
    answered = type(promise).objects.filter(pk=promise.pk, status=open_status).update(**answer)
    if answered:
        cache_version_bump(registry_scope(promise.gift.registry_id))
    promise.refresh_from_db()
    return bool(answered)


def reservation_keep_bought(*, reservation: Reservation) -> Reservation:
    """A guest whose reservation lapsed did buy it after all: it is theirs again, as bought, if still wanted.

    Race-free like reservation_create: the units are taken back only by the conditional UPDATE, so a guest
    who reserved them since keeps them. Raises GiftUnavailable, changing nothing, if they are gone (or the
    gift left the registry). Saying so twice is harmless.
    """
    with transaction.atomic():
        kept = Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.RELEASED, lapsed=True).update(
            status=Reservation.Status.BOUGHT, bought_at=timezone.now(), released_at=None, lapsed=False
        )
        if kept:
            gift = reservation.gift
            taken = Gift.objects.filter(
                pk=gift.pk,
                active=True,
                registry__isnull=False,
                quantity_reserved__lte=F("quantity_wanted") - reservation.quantity,
            ).update(quantity_reserved=F("quantity_reserved") + reservation.quantity)
            if not taken:  # raising rolls the reservation back to lapsed
                gift.refresh_from_db()
                raise GiftUnavailable(gift, remaining=gift.quantity_remaining if gift.active else 0)
    if kept:
        cache_version_bump(registry_scope(reservation.gift.registry_id))
    reservation.refresh_from_db()
    return reservation


class PledgeRefused(Exception):
    """Not recorded: the amount is below the couple's minimum, more than a group gift still needs, or the
    gift no longer takes pledges. `remaining` is what a group gift still needs (None for a fund)."""

    def __init__(self, message: str, *, remaining: Decimal | None = None):
        self.remaining = remaining
        super().__init__(message)


@dataclass(frozen=True)
class PledgeResult:
    pledge: Pledge
    created: bool


def pledge_create(
    *, gift: Gift, name: str, email: str, amount: Decimal, message: str, idempotency_key: uuid.UUID
) -> PledgeResult:
    """Record a guest's promise of `amount` towards a fund or group gift, race-free, in one transaction.

    The money goes from the guest straight to the couple; we only keep count. A group gift's total only moves
    through a conditional UPDATE, so pledges together never pass its price however many guests give at once.
    """
    currency = gift.registry.currency
    if amount < gift.minimum_contribution:
        raise PledgeRefused(f"The smallest contribution is {format_money(gift.minimum_contribution, currency)}.")
    couple = reservation_email_recipients(gift.registry)
    # A fund takes any amount; a group gift only what its price leaves.
    room = Q(group_gift=False, kind="fund") | Q(group_gift=True, amount_pledged__lte=F("pledge_goal") - amount)
    counted = Gift.objects.filter(room, pk=gift.pk, active=True)

    def couple_emails(pledge):
        pledge_couple_emails(pledge=pledge, recipients=couple)

    pledge, created = _promise_made(
        Pledge(gift=gift, amount=amount, name=name, email=email, message=message),
        idempotency_key=idempotency_key,
        guest_email=pledge_guest_email,
        taken=lambda: counted.update(amount_pledged=F("amount_pledged") + amount),
        refused=lambda: _pledge_refused_now(gift),
        couple_emails=couple_emails,
    )
    return PledgeResult(pledge=pledge, created=created)


def _pledge_refused_now(gift: Gift) -> PledgeRefused:
    gift.refresh_from_db()
    if not (gift.active and gift.takes_pledges):
        return PledgeRefused("This gift isn't on the registry any more.", remaining=Decimal(0))
    remaining = gift.amount_remaining
    if not remaining:
        return PledgeRefused("Guests have just given the whole price of this gift.", remaining=remaining)
    currency = gift.registry.currency
    return PledgeRefused(
        f"Someone just gave towards this too: {format_money(remaining, currency)} is still needed.",
        remaining=remaining,
    )


@transaction.atomic
def pledge_release(*, pledge: Pledge, automatic: bool = False) -> Pledge:
    """The guest won't give after all (or never said they paid, when `automatic`): the amount is wanted again."""
    give_back = {"amount_pledged": F("amount_pledged") - pledge.amount}
    if _promise_released(pledge, open_status=Pledge.Status.PLEDGED, give_back=give_back):
        pledge_released_email(pledge=pledge, automatic=automatic)
    return pledge


def pledge_mark_paid(*, pledge: Pledge) -> Pledge:
    """The guest says they paid the couple (we can't know: the money never passes through us)."""
    if _promise_answered(pledge, open_status=Pledge.Status.PLEDGED, status=Pledge.Status.PAID, paid_at=timezone.now()):
        pledge_paid_email(pledge=pledge)
    return pledge


def pledge_reminders_stop(*, pledge: Pledge) -> None:
    Pledge.objects.filter(pk=pledge.pk, reminders_stopped_at=None).update(reminders_stopped_at=timezone.now())


# The couple's thank-you tracker.
def reminders_stop(*, reservation: Reservation) -> None:
    """The guest asked for no more reminders about this reservation (List-Unsubscribe, or the one-click link)."""
    ReminderOptOut.objects.get_or_create(reservation=reservation)


def reservations_reveal(*, registry: RegistryPage) -> RegistryPage:
    """The couple chose to see who gave what before the wedding. Cannot be undone."""
    if RegistryPage.objects.filter(pk=registry.pk, revealed_at__isnull=True).update(revealed_at=timezone.now()):
        _registry_state_changed(registry.pk)
    registry.refresh_from_db(fields=["revealed_at"])
    return registry


@transaction.atomic
def thank_you_ledger_update(
    *,
    registry: RegistryPage,
    received_ids: set[int],
    thanked_ids: set[int],
    thanked_outside_ids: set[int],
    pledge_received_ids: set[int] | None = None,
    pledge_thanked_ids: set[int] | None = None,
) -> None:
    """Tick "received" / "thanked" on the registry's ledger. Ids of other registries are ignored.

    Pledges are ticked only when their ids are given (a form showing them sends both sets).
    """
    promises = [(Reservation, received_ids, thanked_ids)]
    if pledge_received_ids is not None and pledge_thanked_ids is not None:
        promises.append((Pledge, pledge_received_ids, pledge_thanked_ids))
    for model, received_of, thanked_of in promises:
        rows = model.objects.filter(gift__registry=registry).exclude(status="released")
        for promise in rows.select_for_update():
            received, thanked = promise.pk in received_of, promise.pk in thanked_of
            if (received, thanked) != (promise.received, promise.thanked):
                model.objects.filter(pk=promise.pk).update(received=received, thanked=thanked)
    outside = OutsideGift.objects.filter(registry=registry)
    outside.filter(pk__in=thanked_outside_ids).update(thanked=True)
    outside.exclude(pk__in=thanked_outside_ids).update(thanked=False)


def outside_gift_create(*, registry: RegistryPage, giver: str, description: str, received_on=None) -> OutsideGift:
    return OutsideGift.objects.create(registry=registry, giver=giver, description=description, received_on=received_on)


def outside_gift_delete(*, registry: RegistryPage, outside_gift_id: int) -> bool:
    deleted, _ = OutsideGift.objects.filter(registry=registry, pk=outside_gift_id).delete()
    return bool(deleted)


@transaction.atomic
def registry_privacy_sync(*, registry: RegistryPage) -> None:
    """Make the registry's password restriction match its live visibility and guest password.

    A changed password gets a new restriction rather than an edited one: Wagtail remembers a
    guest's access by restriction id, so everyone who knew the old password is asked again.
    """
    live_page = RegistryPage.objects.get(pk=registry.pk)
    wanted = live_page.visibility == RegistryPage.Visibility.PASSWORD and live_page.guest_password
    restrictions = PageViewRestriction.objects.filter(
        page=live_page, restriction_type=PageViewRestriction.PASSWORD
    ).select_for_update()
    if wanted and [r.password for r in restrictions] == [live_page.guest_password]:
        return
    restrictions.delete()
    if wanted:
        PageViewRestriction.objects.create(
            page=live_page, restriction_type=PageViewRestriction.PASSWORD, password=live_page.guest_password
        )


def scheduled_publishes_refused_cancel() -> int:
    """Cancel the scheduled publishes now due that publishing would refuse (an unconfirmed address, a
    registry past its gift limit).

    Run just before Wagtail publishes what is due: the page would refuse to be saved anyway, and
    that error would stop every other scheduled publish. The couple reads why in their page's history.
    """
    cancelled = 0
    due = Revision.objects.filter(
        approved_go_live_at__lt=timezone.now(), content_type=ContentType.objects.get_for_model(RegistryPage)
    )
    for revision in due:
        page = revision.as_object()
        problems = publish_problems(registry=page, gifts=page.gifts)
        if not problems:
            continue
        reason = " ".join(problem.message for problem in problems)
        with transaction.atomic():
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            PageLogEntry.objects.log_action(
                page, SCHEDULED_PUBLISH_REFUSED, revision=revision, data={"reason": reason}
            )
        logger.warning("Scheduled publish refused: registry %s revision %s: %s", page.pk, revision.pk, reason)
        cancelled += 1
    return cancelled


def registry_forwardings_make_temporary(*, registry: RegistryPage) -> None:
    """Old addresses forward with 302s: a permanent redirect stays in browsers and proxies after it's removed."""
    Redirect.objects.filter(redirect_page=registry, is_permanent=True).update(is_permanent=False)


def registry_forwarding_remove(*, registry: RegistryPage, forwarding_id: int) -> Forwarding | None:
    """Stop one old address leading to the registry; None if it isn't one of this registry's."""
    forwarding = next((f for f in registry_forwardings(registry) if f.pk == forwarding_id), None)
    if forwarding is not None:
        Redirect.objects.get(pk=forwarding.pk).delete()  # one by one: its post_delete purges cached pages
    return forwarding
