"""Editor panels for registries."""

from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.models import GroupPagePermission

# Panels only staff see: superusers and editors manage packages; couples never hold this permission.
STAFF_ONLY = "registries.change_package"


class PackagePanel(Panel):
    """Top of the couple's editor: their package, gifts used, and the way to upgrade.

    It also shows the gift-limit error from RegistryPageForm with a working upgrade link, which
    Wagtail's own error summary (plain text) cannot carry.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Your package")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "package"

    class BoundPanel(Panel.BoundPanel):
        template_name = "registries/panels/package_panel.html"

        def get_context_data(self, parent_context=None):
            from .models import Gift, RegistryPage

            context = super().get_context_data(parent_context)
            stored = RegistryPage.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
            errors = self.form.non_field_errors().as_data() if self.form.is_bound else []
            context.update(
                package=stored.effective_package if stored else None,
                gifts_published=Gift.objects.filter(registry=stored, active=True).count() if stored else 0,
                gift_limit_errors=[error for error in errors if error.code == "gift_limit"],
                plan_url=reverse("couple_plan"),
            )
            return context


class CoupleWelcomePanel(Panel):
    """A short "how to add gifts and publish" note for a couple editing their registry.

    Shown to the couple until they first publish, unless they dismiss it (remembered in their
    Wagtail user profile, like Wagtail's own dismissible banners).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "registries/panels/couple_welcome.html"

        @property
        def dismissible_id(self) -> str:
            return f"whispergifts-welcome-{self.instance.pk}"

        def is_shown(self):
            page, user = self.instance, self.request.user
            if not page.pk or page.first_published_at:
                return False
            profile = getattr(user, "wagtail_userprofile", None)
            if profile and profile.dismissibles.get(self.dismissible_id):
                return False
            return GroupPagePermission.objects.filter(page=page, group__user=user).exists()

        def show_panel_furniture(self):
            return False


class AddressConfirmationPanel(Panel):
    """Top of the editor while the couple's address is unconfirmed: why publishing is held, and the way on."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "registries/panels/address_confirmation.html"

        def is_shown(self):
            from .publishing import couple_address_unconfirmed

            return bool(self.instance.pk) and couple_address_unconfirmed(registry=self.instance)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["is_couple"] = GroupPagePermission.objects.filter(
                page=self.instance, group__user=self.request.user
            ).exists()
            context["email"] = self.request.user.email
            return context

        def show_panel_furniture(self):
            return False
