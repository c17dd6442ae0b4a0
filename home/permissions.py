"""Permission policies shared by the apps' admin views."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records kept as evidence: those granted the model's view permission (and superusers) may look;
    nobody adds, edits or deletes them in the admin.
    """

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)
