"""Accounts in the admin: users, API tokens (revoke), security events (read), resetting a user's two-factor login.

A user's roles (groups) and activation change through the account services, and every user has a history
page of who gave or removed which role and who activated or deactivated them. Auditors read users, their roles
and that history (``auth.view_user`` and ``VIEW_HISTORY``) and change nothing; the password hash is never shown
to someone who cannot change the account.

django-otp's own device screens are removed: they show secrets and would let an
administrator add a device for someone else. Devices change only through the
services: the user enrols, or an administrator resets.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.accounts import services, user_access
from cooperation.accounts.models import ApiToken, RevokeReason, SecurityEvent
from cooperation.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin
from cooperation.roles import Perm

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_reason"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "key_prefix"]
    search_help_text = _("Token name, username, or the first characters of the key.")
    fields = list_display + ["revoked_reason"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        ended = sum(services.api_token_revoke(token=token, reason=RevokeReason.ADMINISTRATOR) for token in queryset)
        self.message_user(
            request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", ended) % {"count": ended}
        )

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.change_apitoken")


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "user", "kind", "by", "note"]
    list_filter = ["kind"]
    list_select_related = ["user", "by"]
    search_fields = ["user__username"]
    search_help_text = _("Username of the account.")
    date_hierarchy = "at"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class KerjasamaUserAdmin(ScopedHistoryAdmin, UserAdmin):
    list_display = [*UserAdmin.list_display, "two_factor"]
    actions = ["reset_two_factor"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            return super().save_model(request, obj, form, change)
        # Activation goes through its service (and its history row); the rest of the form saves as usual.
        active = obj.is_active
        obj.is_active = type(obj)._base_manager.values_list("is_active", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        user_access.user_set_active(user=obj, active=active, changed_by=request.user)
        return None

    def save_related(self, request, form, formsets, change):
        # Roles go through their service; direct permissions and anything else save as usual.
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            user_access.user_set_roles(
                user=form.instance, roles=[group.name for group in groups], changed_by=request.user
            )

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(devices))

    @admin.display(boolean=True, description=_("two-factor login"), ordering="has_two_factor")
    def two_factor(self, user):
        return user.has_two_factor

    @admin.action(
        description=_("Reset two-factor login (lost authenticator): the user enrols again"),
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request, queryset):
        reset = 0
        for user in queryset:
            try:
                reset += services.two_factor_reset(user=user, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{user}: {' '.join(_messages(error))}", level=messages.ERROR)
        self.message_user(
            request,
            ngettext("Two-factor login reset for %(count)d user.", "Two-factor login reset for %(count)d users.", reset)
            % {"count": reset},
        )

    def has_reset_two_factor_permission(self, request):
        return request.user.has_perm(Perm.RESET_TWO_FACTOR)


def _messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])
