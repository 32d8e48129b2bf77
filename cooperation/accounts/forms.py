from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.accounts.twofactor import CODE_MAX_LENGTH


def _code_field(label: str, help_text: str, **attrs) -> forms.CharField:
    """A one-time code typed from the authenticator app, focused when the page opens."""
    return forms.CharField(
        label=label,
        max_length=CODE_MAX_LENGTH,
        strip=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **attrs, "autofocus": True}),
    )


class CodeForm(forms.Form):
    """One code: from the authenticator app (six digits) or, where allowed, a recovery code."""

    code = _code_field(
        _("Code"),
        _("The six-digit code your authenticator app shows now, or one of your recovery codes."),
        autocapitalize="none",
        spellcheck="false",
    )


class EnrolmentForm(forms.Form):
    code = _code_field(
        _("Code from the app"),
        _("Once the app shows Kerjasama, type the six-digit code it shows."),
        inputmode="numeric",
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        strip=True,
        help_text=_("What the token is for, so you recognise it later: “nightly report”, “field laptop”."),
    )
