"""What every Kerjasama admin screen shares: saves go through services, history is read-only and scoped.

The admin is one more front end on the same services and selectors as the pages
and the API: it never writes a model directly where a service exists, and it
only lists what the selector lets the user see.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey, Model
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from cooperation.access import sees_everything
from cooperation.money import money_display
from cooperation.roles import Perm


class ServiceRefused(Exception):
    """A service refused a save that the admin form had accepted; carries the service's errors."""

    def __init__(self, error: ValidationError, *, on_fields: bool = True):
        super().__init__(error)
        self.error = error
        self.on_fields = on_fields


def call_service(service, /, *, on_fields: bool = True, **kwargs):
    """Call a service; turn its ValidationError into ServiceRefused so the admin can show it on the form.

    ``on_fields=False`` puts every error at the top of the form: used for inline
    rows, whose field names would otherwise land on the parent's fields.
    """
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise ServiceRefused(error, on_fields=on_fields) from error


def add_service_errors(form, refused: ServiceRefused) -> None:
    error = refused.error
    if refused.on_fields and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def adopt_saved(target: Model, saved: Model) -> None:
    """Copy what a service saved onto the instance the admin holds (it logs and redirects with it)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def fresh_copy(instance: Model) -> Model:
    """The stored row: the admin form has already written its values onto ``instance``, and services
    compare against what is stored to know what changed."""
    return type(instance)._default_manager.get(pk=instance.pk)


MAX_ID = 2**63 - 1


class _KnownValuesOnly:
    """An autocomplete widget redrawing a form shows only the values its field could hold.

    Django's widget looks every submitted value up as it is: "abc" for a numeric id raises in the query
    instead of coming back as the field's own "Select a valid choice" error.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _holds(target, v)], attr)


def _holds(field, value) -> bool:
    try:
        python = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return not isinstance(python, int) or abs(python) <= MAX_ID


class KnownValuesAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class KnownValuesAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Autocomplete fields that redraw a bad submission with field errors, never a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownValuesAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownValuesAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ServiceAdminMixin(SafeAutocompleteMixin):
    """Saves call services; a ValidationError they raise is shown on the form and nothing is saved.

    ``changeform_view`` runs in a transaction: the refusal rolls it back, then the
    same POST is shown again with the service's errors added to the form.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            request._kerjasama_service_refusal = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        refused = getattr(request, "_kerjasama_service_refusal", None)
        if refused is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                add_service_errors(self, refused)
                return cleaned_data

        return RefusedForm

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Bulk delete would bypass delete_model (and so the services); admins that delete
        # through a service say so with bulk_delete_through_service and a delete_queryset.
        actions = super().get_actions(request, action_location=action_location)
        if not getattr(self, "bulk_delete_through_service", False):
            actions.pop("delete_selected", None)
        return actions


class MoneyHistoryContextHelper(HistoricalRecordContextHelper):
    """Shows the amounts of a history page's changes in their currency ("USD 1,234.50")."""

    def __init__(self, model, historical_record, *, money_fields, currency, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.money_fields, self.currency = set(money_fields), currency

    def prepare_delta_change_value(self, change, value):
        if change.field in self.money_fields and value is not None and self.currency is not None:
            return money_display(value, self.currency)
        return super().prepare_delta_change_value(change, value)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
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
    extra = 0
    can_delete = False
    show_change_link = True


# The user admin builds on the classes above; importing it registers it.
from cooperation import account_admin  # noqa: E402, F401
