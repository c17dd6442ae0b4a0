"""The editor's "fill in this gift from the link" button asks here (static/js/shop_link.js): JSON, nothing saved
but the shop's picture."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Collection

from core import ratelimit
from core.renditions import ADMIN_THUMBNAIL_FILTER

from .admin_views import _registry_or_404
from .selectors import registry_collection
from .shop_links import ShopLinkError, shop_link_read

SHOP_LINKS_PER_HOUR = 60
TOO_MANY = "You've filled in a lot of gifts from links this hour. Please fill this one in yourself, or try later."


@require_POST
def shop_link_details(request, registry_id: int):
    """What the shop's page says about its product, for the couple to check before they save (CSRF-protected)."""
    registry = _registry_or_404(request, registry_id)  # the couple's own registry, or any for superusers
    if not ratelimit.attempt_allowed(
        key=f"shop-link:{request.user.pk}", limit=SHOP_LINKS_PER_HOUR, window_seconds=3600
    ):
        return JsonResponse({"error": TOO_MANY}, status=429, headers={"Retry-After": "3600"})
    url = request.POST.get("url", "").strip()
    if not url:
        return JsonResponse({"error": "Paste the link to the gift's page in the shop first."}, status=422)
    try:
        result = shop_link_read(
            url=url,
            # A registry staff made has no couple's collection: its pictures go to the root one.
            collection=registry_collection(registry) or Collection.get_first_root_node(),
            user=request.user,
            registry_currency=registry.currency,
        )
    except ShopLinkError as error:
        return JsonResponse({"error": str(error)}, status=422)
    details = result.details
    return JsonResponse(
        {
            "title": details.title,
            "price": None if details.price is None else str(details.price),
            "currency": details.currency,
            "shop_name": details.shop_name,
            "image": _chosen_image(result.image),
            "warnings": result.warnings,
        }
    )


def _chosen_image(image) -> dict | None:
    """The image as Wagtail's chooser reports a choice, so the editor's widget shows it the same way."""
    if image is None:
        return None
    preview = image.get_rendition(ADMIN_THUMBNAIL_FILTER)
    return {
        "id": image.pk,
        "title": image.title,
        "edit_url": reverse("wagtailimages:edit", args=[image.pk]),
        "preview": {"url": preview.url, "width": preview.width, "height": preview.height},
    }
