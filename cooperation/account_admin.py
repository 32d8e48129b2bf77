"""The user admin: roles (groups) and activation change through the account services, and every user
has a history page of who gave or removed which role and who activated or deactivated them.

Auditors read users, their roles and that history (``auth.view_user`` and ``VIEW_HISTORY``) and
change nothing; the password hash is never shown to someone who cannot change the account.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from cooperation import accounts
from cooperation.admin import ScopedHistoryAdmin

User = get_user_model()

if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ScopedHistoryAdmin, DjangoUserAdmin):
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
        accounts.user_set_active(user=obj, active=active, changed_by=request.user)
        return None

    def save_related(self, request, form, formsets, change):
        # Roles go through their service; direct permissions and anything else save as usual.
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            accounts.user_set_roles(user=form.instance, roles=[group.name for group in groups], changed_by=request.user)
