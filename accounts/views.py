import hashlib

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.admin.views import account as wagtail_account_views

from core import ratelimit
from ops.headers import secret_link_headers
from ops.proxy import client_address
from registries.models import RegistryIndexPage
from registries.selectors import registries_managed_by

from .forms import InvitationExistingAccountForm, InvitationNewAccountForm, SignupForm
from .models import User
from .services import (
    EmailConfirmationError,
    InvitationError,
    couple_sign_up,
    email_confirm,
    invitation_from_token,
    partner_invitation_accept,
    sign_up_with_a_taken_address,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGNUPS_PER_ADDRESS = 10
SIGNUP_WINDOW_SECONDS = 60 * 60
PASSWORD_RESET_EMAILS_PER_ADDRESS = 3
PASSWORD_RESET_EMAIL_WINDOW_SECONDS = 60 * 60
PASSWORD_RESET_REQUESTS_PER_CLIENT = 10
PASSWORD_RESET_CLIENT_WINDOW_SECONDS = 15 * 60


def registry_editor_url(registry) -> str:
    return reverse("wagtailadmin_pages:edit", args=[registry.pk])


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    registry = registries_managed_by(request.user).first()
    if registry is not None:
        return redirect(registry_editor_url(registry))

    index = RegistryIndexPage.objects.first()
    if index is None:
        return TemplateResponse(request, "accounts/signup_closed.html", status=503)

    if request.method != "POST":
        return TemplateResponse(request, "accounts/signup.html", {"form": SignupForm()})
    # Only registries created count towards the limit: a form sent back with its mistakes is given back.
    limit_key = f"signups:{client_address(request)}"
    if not ratelimit.attempt_allowed(key=limit_key, limit=SIGNUPS_PER_ADDRESS, window_seconds=SIGNUP_WINDOW_SECONDS):
        return ratelimit.refusal_response(
            request, "accounts/signup_rate_limited.html", window_seconds=SIGNUP_WINDOW_SECONDS
        )
    response = _sign_up(request, index)
    if response.status_code != 302:
        ratelimit.attempt_forgiven(key=limit_key)
    return response


def _sign_up(request, index):
    form = SignupForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "accounts/signup.html", {"form": form})
    data = form.cleaned_data
    if User.objects.filter(email__iexact=data["email"]).exists():
        return _address_has_an_account(request, data["email"])
    try:
        couple = couple_sign_up(
            email=data["email"],
            password=data["password"],
            partner_one=data["partner_one"],
            partner_two=data["partner_two"],
            wedding_date=data["wedding_date"],
            currency=data["currency"],
            slug=data["slug"],
            parent=index,
        )
    except (IntegrityError, ValidationError):
        # Someone took the email or the address between our check and the save: say which.
        if User.objects.filter(email__iexact=data["email"]).exists():
            return _address_has_an_account(request, data["email"])
        form = SignupForm(request.POST)
        if form.is_valid():
            form.add_error(None, "We couldn't create your registry just now. Nothing was saved; please try again.")
        return TemplateResponse(request, "accounts/signup.html", {"form": form})
    login(request, couple.user, backend=MODEL_BACKEND)
    messages.success(
        request,
        f"Welcome, {couple.user.first_name}! Your registry is ready for its first gifts. We've sent a link to "
        f"{couple.user.email}: follow it to confirm your address, and you can publish whenever you're ready.",
    )
    if form.wedding_date_in_past:
        messages.warning(
            request,
            f"Your wedding date, {data['wedding_date']:%-d %B %Y}, is in the past. If that's a typo, "
            "correct it under “The couple” below.",
        )
    return redirect(registry_editor_url(couple.registry))


def _address_has_an_account(request, email: str):
    """Say only that we emailed the address: its owner learns from that email that they have an account."""
    sign_up_with_a_taken_address(email=email)
    return TemplateResponse(request, "accounts/signup_check_inbox.html", {"email": email})


@never_cache
@require_http_methods(["GET"])
def email_confirm_view(request, token: str):
    """The link in a confirmation email: proves the address (or moves the account to its new one)."""
    try:
        user = email_confirm(token=token)
    except EmailConfirmationError as problem:
        response = TemplateResponse(request, "accounts/email_confirmation_problem.html", {"problem": str(problem)})
        response.status_code = 410
        return secret_link_headers(response, referrer_policy="no-referrer")
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        registry = registries_managed_by(user).first()
        return redirect(registry_editor_url(registry) if registry else "wagtailadmin_home")
    confirmed = TemplateResponse(request, "accounts/email_confirmed.html", {"email": user.email})
    return secret_link_headers(confirmed, referrer_policy="no-referrer")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def partner_invitation_accept_view(request, token: str):
    """The invited partner sets a password (or logs in, if they have an account) and joins the registry."""
    try:
        invitation = invitation_from_token(token)
    except InvitationError as error:
        return _invitation_problem(request, error, status=410)

    existing = User.objects.filter(email__iexact=invitation.email).first()
    data = request.POST if request.method == "POST" else None
    if existing is not None:
        form = InvitationExistingAccountForm(data, user=existing)
    else:
        form = InvitationNewAccountForm(
            data, email=invitation.email, initial={"first_name": invitation.registry.partner_two}
        )

    if form.is_valid():
        try:
            user = partner_invitation_accept(
                invitation=invitation,
                user=existing,
                first_name=form.cleaned_data.get("first_name", ""),
                password=form.cleaned_data["password"],
            )
        except InvitationError as error:
            return _invitation_problem(request, error, status=409)
        except IntegrityError:
            problem = InvitationError("An account for this email was created a moment ago. Reload this page to join.")
            return _invitation_problem(request, problem, status=409)
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, f"Welcome! You now look after {invitation.registry.couple_names} together.")
        return redirect(registry_editor_url(invitation.registry))

    context = {"invitation": invitation, "form": form, "has_account": existing is not None}
    return TemplateResponse(request, "accounts/invitation_accept.html", context)


def _invitation_problem(request, error: InvitationError, *, status: int):
    return TemplateResponse(request, "accounts/invitation_problem.html", {"problem": str(error)}, status=status)


class PasswordResetView(wagtail_account_views.PasswordResetView):
    """The admin's "Forgotten password?", limited so nobody can flood an inbox with reset emails.

    Past the limit for one address the page answers exactly as if the email went, so it never tells
    whether an address has an account; one client asking for too many resets is told to wait.
    """

    def post(self, request, *args, **kwargs):
        allowed = ratelimit.attempt_allowed(
            key=f"password-reset-client:{client_address(request)}",
            limit=PASSWORD_RESET_REQUESTS_PER_CLIENT,
            window_seconds=PASSWORD_RESET_CLIENT_WINDOW_SECONDS,
        )
        if not allowed:
            return ratelimit.refusal_response(
                request,
                "accounts/password_reset_rate_limited.html",
                window_seconds=PASSWORD_RESET_CLIENT_WINDOW_SECONDS,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Hashed: the cache holds no email addresses.
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        allowed = ratelimit.attempt_allowed(
            key=f"password-reset-address:{address}",
            limit=PASSWORD_RESET_EMAILS_PER_ADDRESS,
            window_seconds=PASSWORD_RESET_EMAIL_WINDOW_SECONDS,
        )
        if allowed:
            return super().form_valid(form)  # sends the email, if the address has an account
        return HttpResponseRedirect(self.get_success_url())
