"""Reads about packages, orders and the couples they belong to."""

from dataclasses import dataclass

from django.db.models import QuerySet

from registries.models import Gift, Package, RegistryPage
from registries.selectors import registries_managed_by

from .models import Order


def couple_order(*, user, invoice: str) -> Order | None:
    """The order, if it belongs to one of this couple's registries; never another couple's."""
    return (
        Order.objects.select_related("package", "registry")
        .filter(invoice=invoice, registry__in=registries_managed_by(user))
        .first()
    )


def published_gift_count(*, registry: RegistryPage) -> int:
    return Gift.objects.filter(registry=registry, active=True).count()


@dataclass(frozen=True)
class PackageOption:
    package: Package
    is_current: bool
    is_upgrade: bool


@dataclass(frozen=True)
class Plan:
    registry: RegistryPage
    package: Package | None
    gifts_used: int
    options: list[PackageOption]

    @property
    def gift_limit(self) -> int | None:
        return self.package.gift_limit if self.package else None

    @property
    def over_limit(self) -> bool:
        return self.package is not None and not self.package.allows_gift_count(self.gifts_used)


def registry_plan(*, registry: RegistryPage) -> Plan:
    current = registry.effective_package
    options = [
        PackageOption(
            package=package,
            is_current=current is not None and package.pk == current.pk,
            is_upgrade=current is None or package.is_upgrade_from(current),
        )
        for package in Package.objects.all()
    ]
    return Plan(
        registry=registry,
        package=current,
        gifts_used=published_gift_count(registry=registry),
        options=options,
    )


def order_history(*, registry: RegistryPage) -> QuerySet[Order]:
    """What the couple has paid for (or been granted), newest first; unpaid attempts are left out."""
    orders = Order.objects.filter(registry=registry).exclude(status=Order.Status.AWAITING_PAYMENT)
    return orders.select_related("package")
