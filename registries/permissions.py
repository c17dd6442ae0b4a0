"""What people may do with registry pages in the admin, beyond Wagtail's inherited page permissions.

Page permissions in Wagtail flow down the tree, so staff with rights on the home page would also
edit every couple's registry. Registries are the couples' own: only permissions granted on the
registry itself (the couple's group) count, and deleting, moving or copying one is for superusers.
"""

from wagtail.models import PagePermissionTester


class RegistryPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.get_cached_permissions_for_user(user)
                if perm.page_id == page.pk
            }

    def can_delete(self, ignore_bulk=False):
        return self.user.is_active and self.user.is_superuser

    def can_move(self):
        return self.can_delete()

    def can_copy(self):
        return self.can_delete()


class RegistryIndexPagePermissionTester(PagePermissionTester):
    """Staff may edit the index's intro; new registries come from sign-up, not the explorer."""

    def can_add_subpage(self):
        return self.user.is_active and self.user.is_superuser and super().can_add_subpage()
