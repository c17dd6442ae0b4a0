"""Log-in throttling with django-axes: which account a log-in attempt is for, and the pauses staff can lift."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


def login_account(request, credentials: dict | None) -> str:
    """The account a log-in is for, written as the login form compares it: `Ada@Example.com ` is ada@example.com."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return get_user_model().objects.normalize_email(username.strip()).lower()


def login_paused(request, original_response=None, credentials: dict | None = None):
    """What a paused log-in sees: why, for how long, and what to do meanwhile (never whether the account exists)."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "accounts/login_paused.html",
        {"minutes": seconds // 60, "username": login_account(request, credentials)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


class SuperusersMayLiftPauses(ModelPermissionPolicy):
    """Pauses are made by failed log-ins only: superusers may look at them and lift them, nobody edits one."""

    def user_has_permission(self, user, action):
        return action in {"view", "delete"} and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class LoginPauseViewSet(ModelViewSet):
    model = AccessAttempt
    icon = "lock"
    menu_label = "Log-in pauses"
    add_to_settings_menu = True
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    exclude_form_fields = []  # required by ModelViewSet; the policy refuses every add and edit


register_permission_policy(AccessAttempt, SuperusersMayLiftPauses(AccessAttempt))
