"""Logging in (password, then a code where the account has two-factor login), one's profile, two-factor login
and API tokens. Every write is a service call; every page shows only the signed-in user's own things."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from cooperation.accounts import lockout, selectors, services, sessions, twofactor
from cooperation.accounts.forms import CodeForm, EnrolmentForm, TokenCreateForm
from cooperation.accounts.models import RevokeReason
from cooperation.accounts.sessions import TwoFactorState
from cooperation.forms import add_service_error
from cooperation.pages import saved_from
from cooperation.roles import roles_of


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _enrolment_url(next_url: str) -> str:
    target = reverse("account:two_factor_enrol")
    if next_url:
        target = f"{target}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return target


# --- logging in ------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """The password step. An account with two-factor login is not logged in yet: the code step follows."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_two_factor(user):
            sessions.pending_login_start(self.request, user, next_url=self.get_redirect_url())
            return redirect("account:login_code")
        auth_login(self.request, user)
        if sessions.two_factor_gate(self.request) is TwoFactorState.ENROL:
            return redirect(_enrolment_url(self.get_redirect_url()))
        return HttpResponseRedirect(self.get_success_url())


@sensitive_post_parameters("code")
@never_cache
def login_code(request):
    """The code step: the authenticator app's code, or a recovery code. Wrong codes count toward the lockout."""
    pending = sessions.pending_login(request)
    if pending is None:
        sessions.pending_login_clear(request)
        messages.info(request, _("Log in with your username and password first."))
        return redirect("account:login")
    user, backend, next_url = pending
    username = user.get_username()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked_out(request, username):
            sessions.pending_login_clear(request)
            return render(request, "registration/login_code.html", {"form": form}, status=429)
        check = services.two_factor_check(user=user, code=form.cleaned_data["code"])
        if check.accepted:
            sessions.pending_login_clear(request)
            auth_login(request, user, backend=backend)
            otp_login(request, check.device)
            sessions.remember_two_factor_state(request, user)
            if check.used_recovery_code:
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You logged in with a recovery code; %(left)s are left. Make new ones from your profile.")
                    % {"left": left},
                )
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        if check.retry_after_seconds:
            form.add_error(
                "code",
                _("Too many wrong codes: wait %(seconds)s seconds and try again.")
                % {"seconds": check.retry_after_seconds},
            )
        else:
            if lockout.count_wrong_code(request, username):
                sessions.pending_login_clear(request)
            form.add_error("code", _("That code is not right. Type the newest code your app shows."))
    return render(request, "registration/login_code.html", {"form": form, "username": username})


def admin_login(request):
    """The admin's own login would skip the code step: it sends everyone to the one login page."""
    if request.user.is_authenticated:
        return redirect("home")  # signed in without admin rights: their own front door, not a login loop
    next_url = _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME)) or reverse("admin:index")
    return redirect_to_login(next_url)


# --- profile and two-factor login ------------------------------------------------------------------------


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "registration/profile.html",
        {
            "roles": sorted(role.value for role in roles_of(user)),
            "two_factor_on": twofactor.has_two_factor(user),
            "two_factor_required": twofactor.two_factor_required(user),
            "token_count": selectors.own_live_api_tokens(user).count(),
        },
    )


def _two_factor_page(request, *, regenerate_form=None, disable_form=None, status=200):
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "two_factor_on": twofactor.has_two_factor(user),
            "two_factor_required": twofactor.two_factor_required(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user),
            "regenerate_form": regenerate_form or CodeForm(prefix="regenerate"),
            "disable_form": disable_form or CodeForm(prefix="disable"),
            "events": selectors.own_security_events(user)[:10],
        },
        status=status,
    )


@login_required
def two_factor(request):
    return _two_factor_page(request)


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_enrol(request):
    """Show a new secret (QR code and text); the first code from the app confirms it."""
    user = request.user
    next_url = _safe_next(request, request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME))
    if twofactor.has_two_factor(user):
        return redirect(next_url or "account:two_factor")
    if request.session.get(sessions.TWO_FACTOR_STATE) == TwoFactorState.ENROL and not twofactor.two_factor_required(
        user
    ):
        # No longer required (the rule or the role changed since login): nothing is owed any more.
        sessions.remember_two_factor_state(request, user)
    secret = request.session.get(sessions.ENROLMENT_DRAFT)
    if not isinstance(secret, str) or len(secret) != 40:
        secret = request.session[sessions.ENROLMENT_DRAFT] = twofactor.new_secret()
    form = EnrolmentForm(request.POST or None)
    enrolled = saved_from(request, form, services.two_factor_enrol, user=user, secret=secret)
    if enrolled is not None:
        device, codes = enrolled
        request.session.pop(sessions.ENROLMENT_DRAFT, None)
        otp_login(request, device)
        sessions.remember_two_factor_state(request, user)
        return render(
            request,
            "registration/recovery_codes.html",
            {"codes": codes, "next_url": next_url or reverse("account:two_factor"), "first_time": True},
        )
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_code_svg(
                twofactor.setup_url(user, secret), title=_("QR code to scan with your authenticator app")
            ),
            "secret": twofactor.secret_for_typing(secret),
            "required": twofactor.two_factor_required(user),
            "next_url": next_url,
        },
    )


@sensitive_post_parameters("regenerate-code")
@never_cache
@require_POST
@login_required
def recovery_codes_regenerate(request):
    form = CodeForm(request.POST, prefix="regenerate")
    codes = saved_from(request, form, services.recovery_codes_regenerate, user=request.user)
    if codes is None:
        return _two_factor_page(request, regenerate_form=form, status=400)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next_url": reverse("account:two_factor"), "first_time": False},
    )


@sensitive_post_parameters("disable-code")
@require_POST
@login_required
def two_factor_disable(request):
    form = CodeForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            services.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            sessions.remember_two_factor_state(request, request.user)
            messages.success(request, _("Two-factor login is off. You log in with your password alone."))
            return redirect("account:two_factor")
    return _two_factor_page(request, disable_form=form, status=400)


# --- API tokens ------------------------------------------------------------------------------------------


def _tokens_page(request, *, form=None, new_key=None, new_token=None, status=200):
    return render(
        request,
        "registration/api_tokens.html",
        {
            "tokens": selectors.own_live_api_tokens(request.user),
            "form": form or TokenCreateForm(),
            "new_key": new_key,
            "new_token": new_token,
            "ttl_hours": settings.API_TOKEN_TTL_HOURS,
        },
        status=status,
    )


@never_cache
@login_required
def api_tokens(request):
    """One's own tokens; a new one is shown once, on the answer to the form that made it."""
    if request.method != "POST":
        return _tokens_page(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form=form, status=400)
    try:
        token, key = services.api_token_issue(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        add_service_error(form, error)
        return _tokens_page(request, form=form, status=400)
    return _tokens_page(request, new_key=key, new_token=token)


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    token = get_object_or_404(selectors.own_live_api_tokens(request.user), pk=pk)
    services.api_token_revoke(token=token, reason=RevokeReason.OWNER)
    messages.success(request, _("The token “%(name)s” no longer opens the API.") % {"name": token.name})
    return redirect("account:api_tokens")


@require_POST
@login_required
def api_tokens_revoke_all(request):
    ended = services.api_tokens_revoke_all(user=request.user, reason=RevokeReason.OWNER, by=request.user)
    messages.success(
        request, ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", ended) % {"count": ended}
    )
    return redirect("account:api_tokens")
