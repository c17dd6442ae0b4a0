"""What publishing a registry asks, however it is published: a confirmed address and the package's gift limit."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from .models import Gift, Package, RegistryPage

ADDRESS_UNCONFIRMED = (
    "Please confirm your email address before you publish: follow the link in the email we sent you. "
    "Until one of you does, your registry can be edited and previewed, but guests can't see it."
)


def publish_problems(*, registry: RegistryPage, gifts) -> list[ValidationError]:
    """Why publishing `gifts` (the page's gift list) is refused now: empty when the registry may go live.

    The one rule every way of publishing follows: the editor, the admin API, scheduled publishing.
    """
    problems = []
    if couple_address_unconfirmed(registry=registry):
        problems.append(ValidationError(ADDRESS_UNCONFIRMED, code="address_unconfirmed"))
    gift_limit = gift_limit_problem(registry=registry, gifts=gifts)
    if gift_limit:
        problems.append(ValidationError(gift_limit, code="gift_limit"))
    return problems


def couple_address_unconfirmed(*, registry: RegistryPage) -> bool:
    """Whether the registry has a couple and none of them has confirmed their email address yet.

    Registries without a couple (made by staff) are never held.
    """
    if registry.pk is None:
        return False
    members = get_user_model().objects.filter(groups__page_permissions__page_id=registry.pk, is_superuser=False)
    counts = members.aggregate(
        members=Count("pk", distinct=True),
        confirmed=Count("pk", filter=Q(email_confirmed_at__isnull=False), distinct=True),
    )
    return bool(counts["members"]) and not counts["confirmed"]


def gift_limit_problem(*, registry: RegistryPage, gifts) -> str | None:
    """Why publishing `gifts` (the page's gift list) would take the registry past its package's limit, or None.

    A registry already over it (say, after a refund) keeps what it has published and may still
    publish edits, just not more gifts than are live now.
    """
    stored = RegistryPage.objects.filter(pk=registry.pk).select_related("package").first() if registry.pk else None
    package = stored.effective_package if stored else Package.default()
    wanted = sum(1 for block in gifts if block.block_type in ("gift", "fund"))
    if package is None or package.allows_gift_count(wanted):
        return None
    published = Gift.objects.filter(registry=stored, active=True).count() if stored else 0
    if wanted <= published:
        return None
    over = wanted - max(package.gift_limit, published)
    return (
        f"Your {package.name} package lets you publish up to {package.gift_limit} gifts, and this registry "
        f"would have {wanted}. Upgrade your package on the Plan page to publish more, or remove {over} "
        f"gift{'' if over == 1 else 's'}."
    )
