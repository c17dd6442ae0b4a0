from wagtail.admin.menu import MenuItem

from .selectors import registries_managed_by


class CoupleMenuItem(MenuItem):
    """A menu item only couples see: their own pages in the admin (staff have none)."""

    def is_shown(self, request):
        return registries_managed_by(request.user).exists()
