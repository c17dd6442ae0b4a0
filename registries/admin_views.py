"""The couple's reservations in the admin: progress while it is a surprise, the thank-you ledger after."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .admin_forms import CoupleEmailPreferencesForm
from .card import CARD_FORMATS, CARD_SIZES, registry_card_file, registry_card_text
from .forms import OutsideGiftForm
from .models import RegistryPage
from .progress import ledger_csv_rows, registry_ledger, registry_pledge_progress, registry_progress
from .selectors import (
    email_preferences,
    ledger_download_allowed,
    packages_with_ledger_download,
    registries_managed_by,
    registries_open_to,
)
from .services import outside_gift_create, outside_gift_delete, reservations_reveal, thank_you_ledger_update


def _registry_or_404(request, registry_id: int) -> RegistryPage:
    # 404, not 403, for someone else's registry: don't even confirm it exists.
    registry = registries_open_to(request.user).filter(pk=registry_id).first()
    if registry is None:
        raise Http404("No registry of yours has this number.")
    return registry


def _registry_url(registry: RegistryPage) -> str:
    return reverse("registries_reservations:registry", args=[registry.pk])


@require_http_methods(["GET"])
def reservations_index(request):
    registries = list(registries_open_to(request.user).order_by("title")[:2])
    if len(registries) == 1:
        return redirect(_registry_url(registries[0]))
    return TemplateResponse(
        request,
        "registries/admin/reservations_index.html",
        {"registries": registries_open_to(request.user).order_by("title")},
    )


@require_http_methods(["GET", "POST"])
def registry_reservations(request, registry_id: int):
    registry = _registry_or_404(request, registry_id)
    revealed = registry.reservations_revealed()
    outside_form = OutsideGiftForm()
    if request.method == "POST":
        if not revealed:
            messages.error(request, "Your reservations are still a surprise: reveal them first.")
            return redirect(_registry_url(registry))
        if request.POST.get("action") == "add_outside_gift":
            outside_form = OutsideGiftForm(request.POST)
            if outside_form.is_valid():
                outside_gift_create(registry=registry, **outside_form.cleaned_data)
                messages.success(request, "Added to your thank-you list.")
                return redirect(_registry_url(registry))
        else:
            thank_you_ledger_update(
                registry=registry,
                received_ids=_ids(request.POST.getlist("received")),
                thanked_ids=_ids(request.POST.getlist("thanked")),
                thanked_outside_ids=_ids(request.POST.getlist("thanked_outside")),
                pledge_received_ids=_ids(request.POST.getlist("pledge_received")),
                pledge_thanked_ids=_ids(request.POST.getlist("pledge_thanked")),
            )
            messages.success(request, "Your thank-you list is saved.")
            return redirect(_registry_url(registry))

    context = {
        "registry": registry,
        "revealed": revealed,
        "progress": registry_progress(registry=registry),
        "pledge_progress": registry_pledge_progress(registry=registry),
        "ledger": registry_ledger(registry=registry) if revealed else None,
        "outside_form": outside_form,
        "ledger_download_allowed": ledger_download_allowed(registry),
        "ledger_packages": packages_with_ledger_download,
    }
    return TemplateResponse(
        request, "registries/admin/reservations.html", context, status=400 if outside_form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def reveal_reservations(request, registry_id: int):
    registry = _registry_or_404(request, registry_id)
    if registry.reservations_revealed():
        return redirect(_registry_url(registry))
    if request.method == "POST":
        reservations_reveal(registry=registry)
        messages.success(request, "Surprise revealed: here is who gave what.")
        return redirect(_registry_url(registry))
    return TemplateResponse(request, "registries/admin/reveal_confirm.html", {"registry": registry})


@require_POST
def delete_outside_gift(request, registry_id: int, outside_gift_id: int):
    registry = _registry_or_404(request, registry_id)
    if not outside_gift_delete(registry=registry, outside_gift_id=outside_gift_id):
        raise Http404("That gift is not on your list.")
    messages.success(request, "Removed from your thank-you list.")
    return redirect(_registry_url(registry))


@require_http_methods(["GET"])
def ledger_csv(request, registry_id: int):
    registry = _registry_or_404(request, registry_id)
    if not ledger_download_allowed(registry):
        context = {"registry": registry, "ledger_packages": packages_with_ledger_download}
        return TemplateResponse(request, "registries/admin/ledger_download_upgrade.html", context, status=403)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registry.slug}-gifts.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet apps read names with accents correctly
    csv.writer(response).writerows(ledger_csv_rows(registry=registry))
    return response


def _ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


# The couple's email settings: reservation emails, and the reminder loop.


def email_settings_index(request):
    registries = list(registries_managed_by(request.user).order_by("title"))
    if len(registries) == 1:
        return redirect("couple_email_settings", registry_id=registries[0].pk)
    return TemplateResponse(request, "registries/admin/email_settings_index.html", {"registries": registries})


def email_settings(request, registry_id: int):
    registry = get_object_or_404(RegistryPage, pk=registry_id)
    if not registry.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = CoupleEmailPreferencesForm(request.POST or None, instance=email_preferences(registry))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved.")
        return redirect("couple_email_settings", registry_id=registry.pk)
    return TemplateResponse(request, "registries/admin/email_settings.html", {"registry": registry, "form": form})


# The card for the invitations: the couple's own registry only.


def _couple_registry_or_404(request) -> RegistryPage:
    registry = registries_managed_by(request.user).first()
    if registry is None:
        raise Http404("Invitation cards are for couples with a registry.")
    return registry


@require_http_methods(["GET"])
def registry_card(request):
    registry = _couple_registry_or_404(request)
    context = {
        "registry": registry,
        "text": registry_card_text(registry),
        "sizes": CARD_SIZES,
        "formats": CARD_FORMATS,
    }
    return TemplateResponse(request, "registries/admin/registry_card.html", context)


@require_http_methods(["GET"])
def registry_card_download(request, size: str, file_format: str):
    registry = _couple_registry_or_404(request)
    if size not in CARD_SIZES or file_format not in CARD_FORMATS:
        raise Http404("There is no card of that size or format.")
    if not registry.live:
        messages.error(request, "Publish your registry first: until then the address on the card leads nowhere.")
        return redirect("registry_card")
    response = HttpResponse(
        registry_card_file(registry, size=size, file_format=file_format), content_type=CARD_FORMATS[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{registry.slug}-card-{size}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
