"""Permission policies shared by the apps' admin views, and what Wagtail's own policies allow."""

from wagtail.images import get_image_model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records kept as evidence: those granted the model's view permission (and superusers) may look;
    nobody adds, edits or deletes them in the admin.
    """

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


def images_user_may_choose(user):
    """The images `user` may put on a page, as Wagtail's collection permissions say (a couple: their own)."""
    policy = policy_registry.get_by_type(get_image_model())
    return policy.instances_user_has_any_permission_for(user, ["choose"])
