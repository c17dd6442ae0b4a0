"""The couple's email settings in the Wagtail admin: reservation emails, and the reminder loop."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from registries.models import RegistryPage
from registries.selectors import registries_managed_by

from .forms import CoupleEmailPreferencesForm
from .selectors import email_preferences


def email_settings_index(request):
    registries = list(registries_managed_by(request.user).order_by("title"))
    if len(registries) == 1:
        return redirect("notifications_email_settings", registry_id=registries[0].pk)
    return TemplateResponse(request, "notifications/admin/email_settings_index.html", {"registries": registries})


def email_settings(request, registry_id: int):
    registry = get_object_or_404(RegistryPage, pk=registry_id)
    if not registry.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = CoupleEmailPreferencesForm(request.POST or None, instance=email_preferences(registry))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved.")
        return redirect("notifications_email_settings", registry_id=registry.pk)
    return TemplateResponse(request, "notifications/admin/email_settings.html", {"registry": registry, "form": form})
