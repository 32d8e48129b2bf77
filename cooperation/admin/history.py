"""Read-only, scoped history pages and the admin's read-only and ordered helpers."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from cooperation.access import sees_everything
from cooperation.money import money_display
from cooperation.roles import Perm


class MoneyHistoryContextHelper(HistoricalRecordContextHelper):
    """Shows the amounts of a history page's changes in their currency ("USD 1,234.50")."""

    def __init__(self, model, historical_record, *, money_fields, currency, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.money_fields, self.currency = set(money_fields), currency

    def prepare_delta_change_value(self, change, value):
        if change.field in self.money_fields and value is not None and self.currency is not None:
            return money_display(value, self.currency)
        return super().prepare_delta_change_value(change, value)


class SelectorRows:
    """The admin lists what its module's list selector lets the user see: ``list_selector(user=...)``, in the
    admin's ordering (without one, the model's rows as Django lists them)."""

    list_selector = None

    def get_queryset(self, request):
        if type(self).list_selector is None:
            return super().get_queryset(request)
        return ordered(self, request, type(self).list_selector(user=request.user))


class ScopedHistoryAdmin(SelectorRows, SimpleHistoryAdmin):
    """Change history for holders of ``VIEW_HISTORY``, limited to records the user may see; no revert.

    Reverting writes the old version straight to the table, around the services,
    so the revert button is hidden and a POST to a past version is refused.
    ``history_money_fields`` are amounts in ``history_currency(obj)``, shown with it.
    """

    history_money_fields: tuple[str, ...] = ()

    def history_currency(self, obj):
        return None

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # As the library's, but without select_related() and no names (deprecated) when no foreign key is
        # tracked, as for a user's history.
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        tracked = [f.name for f in history_manager.model.tracked_fields if isinstance(f, ForeignKey)]
        return records.select_related(*tracked) if tracked else records

    def get_historical_record_context_helper(self, request, historical_record):
        if not self.history_money_fields:
            return super().get_historical_record_context_helper(request, historical_record)
        return MoneyHistoryContextHelper(
            self.model,
            historical_record,
            money_fields=self.history_money_fields,
            currency=getattr(request, "_kerjasama_history_currency", None),
        )

    def has_view_history_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_HISTORY) and self.has_view_or_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return False

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return self.has_view_history_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return True

    def _require_visible(self, request, object_id) -> None:
        # A deleted record's history is for those who see everything; anything else must be
        # visible through the admin's (selector-based) queryset.
        obj = self.get_object(request, unquote(object_id))
        if obj is None and not sees_everything(request.user):
            raise Http404
        if obj is not None and self.history_money_fields:
            request._kerjasama_history_currency = self.history_currency(obj)

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def ordered(model_admin: admin.ModelAdmin, request, queryset):
    """Apply the admin's ordering to a selector's queryset, as ModelAdmin.get_queryset would."""
    ordering = model_admin.get_ordering(request)
    return queryset.order_by(*ordering) if ordering else queryset


class ReadOnlyAdminMixin:
    """Rows that only the services write: viewable by whoever may view them, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A record's parts, shown on its page: every one of ``fields`` read-only."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields
