"""The couple's view of their registry: how covered it is, and (once revealed) who gave what, as a ledger and a CSV."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from core.currency import format_money
from notifications.selectors import undeliverable_addresses

from .models import Gift, OutsideGift, Pledge, RegistryPage, Reservation


@dataclass(frozen=True)
class GiftProgress:
    title: str
    wanted: int
    reserved: int
    bought: int
    on_page: bool

    @property
    def taken(self) -> int:
        return self.reserved + self.bought

    @property
    def remaining(self) -> int:
        return max(self.wanted - self.taken, 0)


@dataclass(frozen=True)
class RegistryProgress:
    gifts: list[GiftProgress]

    @property
    def units_wanted(self) -> int:
        return sum(gift.wanted for gift in self.gifts if gift.on_page)

    @property
    def units_taken(self) -> int:
        return sum(min(gift.taken, gift.wanted) for gift in self.gifts if gift.on_page)

    @property
    def percent_covered(self) -> int:
        """Rounded down, so a registry shows 100 % only when every unit is taken."""
        if not self.units_wanted:
            return 0
        return self.units_taken * 100 // self.units_wanted


def registry_progress(*, registry: RegistryPage) -> RegistryProgress:
    """Per gift: wanted, reserved, bought. Gifts taken off the page still show while guests hold some."""
    gifts = (
        Gift.objects.filter(registry=registry)
        .exclude(Q(kind="fund") | Q(group_gift=True))  # given in money: see registry_pledge_progress
        .annotate(
            units_reserved=Sum("reservations__quantity", filter=Q(reservations__status=Reservation.Status.RESERVED)),
            units_bought=Sum("reservations__quantity", filter=Q(reservations__status=Reservation.Status.BOUGHT)),
        )
        .order_by("-active", "title", "pk")
    )
    return RegistryProgress(
        gifts=[
            GiftProgress(
                title=gift.title,
                wanted=gift.quantity_wanted,
                reserved=gift.units_reserved or 0,
                bought=gift.units_bought or 0,
                on_page=gift.active,
            )
            for gift in gifts
            if gift.active or gift.units_reserved or gift.units_bought
        ]
    )


@dataclass(frozen=True)
class PledgeProgress:
    """A fund or group gift as the couple may see it before the reveal: totals, never who."""

    title: str
    is_fund: bool
    goal: Decimal | None
    pledged: Decimal  # promised, not yet said to be paid
    paid: Decimal  # the guests say they paid (we never see the money)
    guests: int
    on_page: bool

    @property
    def given(self) -> Decimal:
        return self.pledged + self.paid

    @property
    def still_needed(self) -> Decimal | None:
        return max(self.goal - self.given, 0) if self.goal else None


def registry_pledge_progress(*, registry: RegistryPage) -> list[PledgeProgress]:
    """Per fund and group gift: what guests pledged and said they paid. Off the page, shown while pledges remain."""
    active = ~Q(pledges__status=Pledge.Status.RELEASED)
    gifts = (
        Gift.objects.filter(registry=registry)
        .filter(Q(kind="fund") | Q(group_gift=True))
        .annotate(
            pledged=Sum("pledges__amount", filter=Q(pledges__status=Pledge.Status.PLEDGED)),
            paid=Sum("pledges__amount", filter=Q(pledges__status=Pledge.Status.PAID)),
            guests=Count("pledges", filter=active),
        )
        .order_by("-active", "title", "pk")
    )
    return [
        PledgeProgress(
            title=gift.title,
            is_fund=gift.kind == "fund",
            goal=gift.pledge_goal,
            pledged=gift.pledged or Decimal(0),
            paid=gift.paid or Decimal(0),
            guests=gift.guests,
            on_page=gift.active,
        )
        for gift in gifts
        if gift.active or gift.guests
    ]


@dataclass(frozen=True)
class Ledger:
    reservations: list[Reservation]
    outside_gifts: list[OutsideGift]
    pledges: list[Pledge] = field(default_factory=list)


def registry_ledger(*, registry: RegistryPage) -> Ledger:
    """Everything the couple was given: reservations guests still hold, and gifts noted by hand.

    Names and messages: show it only when `reservations_revealed` says so. Each reservation's `email_problem`
    says why the guest's address stopped taking our emails (bounced, or marked them as spam), or is None:
    that guest may not have their link to mark it bought or cancel, so the couple may want to tell them.
    """
    reservations = list(
        Reservation.objects.filter(gift__registry=registry)
        .exclude(status=Reservation.Status.RELEASED)
        .select_related("gift")
        .order_by("created_at", "pk")
    )
    problems = undeliverable_addresses(reservation.email for reservation in reservations)
    for reservation in reservations:
        reservation.email_problem = problems.get(reservation.email.lower())
    pledges = list(
        Pledge.objects.filter(gift__registry=registry)
        .exclude(status=Pledge.Status.RELEASED)
        .select_related("gift")
        .order_by("created_at", "pk")
    )
    return Ledger(reservations=reservations, outside_gifts=list(registry.outside_gifts.all()), pledges=pledges)


PROGRESS_CSV_HEADER = ["Gift", "Wanted", "Reserved", "Bought", "Still wanted"]
LEDGER_CSV_HEADER = ["Gift", "From", "Quantity", "Status", "Message", "Received", "Thanked", "Source"]
PLEDGE_PROGRESS_CSV_HEADER = ["Fund or group gift", "Goal", "Pledged", "Paid", "Guests", "Still needed"]
PLEDGE_LEDGER_CSV_HEADER = ["Fund or group gift", "From", "Amount", "Status", "Message", "Received", "Thanked"]


def ledger_csv_rows(*, registry: RegistryPage, today: date | None = None) -> list[list[str]]:
    """The ledger as spreadsheet rows. Before the reveal: progress only, never a name or message."""
    if not registry.reservations_revealed(today):
        progress = registry_progress(registry=registry)
        rows = [PROGRESS_CSV_HEADER]
        rows += [[g.title, g.wanted, g.reserved, g.bought, g.remaining] for g in progress.gifts]
        rows.append([f"{progress.percent_covered} % of your registry is covered"])
        rows += _pledge_progress_csv_rows(registry)
        return [[_csv_safe(cell) for cell in row] for row in rows]

    ledger = registry_ledger(registry=registry)
    rows = [LEDGER_CSV_HEADER]
    for reservation in ledger.reservations:
        rows.append(
            [
                reservation.gift.title,
                reservation.name,
                reservation.quantity,
                reservation.get_status_display(),
                reservation.message,
                _yes_no(reservation.received),
                _yes_no(reservation.thanked),
                "Registry",
            ]
        )
    for outside in ledger.outside_gifts:
        rows.append([outside.description, outside.giver, "", "", "", "Yes", _yes_no(outside.thanked), "Added by you"])
    if ledger.pledges:
        rows += [[], PLEDGE_LEDGER_CSV_HEADER]
    for pledge in ledger.pledges:
        rows.append(
            [
                pledge.gift.title,
                pledge.name,
                format_money(pledge.amount, registry.currency),
                pledge.get_status_display(),
                pledge.message,
                _yes_no(pledge.received),
                _yes_no(pledge.thanked),
            ]
        )
    return [[_csv_safe(cell) for cell in row] for row in rows]


def _pledge_progress_csv_rows(registry: RegistryPage) -> list[list]:
    """Funds and group gifts before the reveal: totals only."""
    pledges = registry_pledge_progress(registry=registry)
    if not pledges:
        return []

    def money(amount):
        return format_money(amount, registry.currency) if amount is not None else ""

    rows = [[], PLEDGE_PROGRESS_CSV_HEADER]
    for gift in pledges:
        rows.append(
            [
                gift.title,
                money(gift.goal),
                money(gift.pledged),
                money(gift.paid),
                gift.guests,
                money(gift.still_needed),
            ]
        )
    return rows


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _csv_safe(value) -> str:
    """Guests type names and messages: never let a spreadsheet run one as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
