"""Editor panels for the couple's registry page."""

from wagtail.admin.panels import Panel
from wagtail.models import GroupPagePermission


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
