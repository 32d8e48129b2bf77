"""Admin saves, deletes and autocompletes that go through the services, and show their refusals on the form."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Model

from cooperation.admin.history import ScopedHistoryAdmin


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

    def save_through(self, obj: Model, service, /, **kwargs) -> None:
        """Save ``obj`` by calling ``service`` (a refusal is shown on the form); the admin goes on with the
        record the service saved."""
        adopt_saved(obj, call_service(service, **kwargs))


class ServiceHistoryAdmin(ServiceAdminMixin, ScopedHistoryAdmin):
    """A record the services write, with its scoped, read-only change history."""
