"""What every Kerjasama admin screen shares: saves go through services, history is read-only and scoped.

The admin is one more front end on the same services and selectors as the pages
and the API: it never writes a model directly where a service exists, and it
only lists what the selector lets the user see.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.sites import all_sites
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey, Model, Q
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from cooperation import personal_data
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


# --- personal data ------------------------------------------------------------------------------------------------


class PersonalDataChangeList(ChangeList):
    """A list that answers a filter on personal data only from the rows whose data the user may see.

    A wholly personal model (an applicant's file) lists only those rows at all, its totals included.
    """

    def get_queryset(self, request, exclude_parameters=None):
        if personal_data.is_wholly_personal(self.model) and not getattr(self, "_rows_narrowed", False):
            self.root_queryset = self.root_queryset.filter(personal_data.condition(self.model, request.user))
            self._rows_narrowed = True
        queryset = super().get_queryset(request, exclude_parameters)
        for key in self.get_filters_params():
            if exclude_parameters and key in exclude_parameters:
                continue
            path = personal_data.personal_path(self.model, key)
            if path is not None:
                queryset = queryset.filter(path.visible_rows(request.user))
        return queryset


def _without(fields, hidden) -> tuple:
    """``fields`` (names, or tuples of names shown on one line) without the ``hidden`` ones."""
    kept = []
    for entry in fields:
        if isinstance(entry, list | tuple):
            line = _without(entry, hidden)
            if line:
                kept.append(line)
        elif entry not in hidden:
            kept.append(entry)
    return tuple(kept)


class PersonalDataAdminMixin:
    """Personal data (``cooperation.personal_data``) in the admin: only where the privacy rule admits the user.

    - A filter in the URL that reaches personal data (``?email__istartswith=``, ``?date_of_birth=``,
      ``?application__email=``, ``?attachments__isnull=``) is refused with a 400 for anyone without the
      personal-data permission, whether or not a row would match. For the others the list keeps only the rows whose
      data they may see, so a recusal answers like a value nobody has. Through a to-many relation it is refused
      for everyone: another related row could match.
    - Search looks into personal fields only for holders of the permission, and only on the rows whose data they
      may see; the other search fields still match every row.
    - A record whose data the user may not see shows neither the fields nor their changes in its history; a
      wholly personal record (an applicant's file) is not there at all, in lists or on its own page.
    - Personal data is never a list column, list filter, date hierarchy or sort order (a list cannot tell, row by
      row, whose data may be shown); the system check ``kerjasama.E104`` refuses an admin that asks for one.
    """

    def get_changelist(self, request, **kwargs):
        return PersonalDataChangeList

    # --- lookups and search

    def lookup_allowed(self, lookup, value, request):
        path = personal_data.personal_path(self.model, lookup)
        if path is not None and not (personal_data.may_look_up(request.user) and path.narrowable):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _personal_search(self, field):
        path = personal_data.personal_path(self.model, field)
        return path if path is not None and not self._own_row(path) else None

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        searches_personal = personal_data.may_look_up(request.user) and not getattr(request, "_plain_search", False)
        kept = []
        for field in fields:
            path = self._personal_search(field)
            if path is None or (searches_personal and path.narrowable):
                kept.append(field)
        return tuple(kept)

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        personal = [path for field in fields if (path := self._personal_search(field)) is not None]
        if not personal or not search_term:
            return super().get_search_results(request, queryset, search_term)
        visible = queryset.filter(*(path.visible_rows(request.user) for path in personal))
        on_every_field, _ = super().get_search_results(request, visible, search_term)
        matched = Q(pk__in=on_every_field.values("pk"))
        if len(personal) < len(fields):
            request._plain_search = True
            try:
                on_other_fields, _ = super().get_search_results(request, queryset, search_term)
            finally:
                del request._plain_search
            matched |= Q(pk__in=on_other_fields.values("pk"))
        return queryset.filter(matched), False

    # --- lists: never by personal data

    def _own_row(self, path) -> bool:
        """A wholly personal model's own fields: its lists hold only rows the user may see, so they may show them."""
        return path.model is self.model and not path.prefix and personal_data.is_wholly_personal(self.model)

    def _lists_personal(self, name) -> bool:
        if not isinstance(name, str):
            name = getattr(name, "admin_order_field", None) or ""
        attribute = getattr(self, name, None) if name else None
        ordering = getattr(attribute, "admin_order_field", None) if attribute is not None else None
        for candidate in filter(None, (name, ordering)):
            path = personal_data.personal_path(self.model, str(candidate))
            if path is not None and not self._own_row(path):
                return True
        return False

    def get_list_display(self, request):
        return [name for name in super().get_list_display(request) if not self._lists_personal(name)]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        names = [(entry, entry[0] if isinstance(entry, list | tuple) else entry) for entry in filters]
        return [entry for entry, name in names if not self._lists_personal(name)]

    def get_sortable_by(self, request):
        return [name for name in super().get_sortable_by(request) if not self._lists_personal(name)]

    def get_ordering(self, request):
        return [name for name in (super().get_ordering(request) or ()) if not self._lists_personal(name)]

    # --- one record and its history

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and personal_data.is_wholly_personal(self.model) and not self._sees(request, obj):
            return None
        return obj

    def _sees(self, request, obj) -> bool:
        """Whether the user may read ``obj``'s personal data: one query per record and request."""
        seen = request.__dict__.setdefault("_personal_data_rows", {})
        key = (self.model, obj.pk)
        if key not in seen:
            rows = self.model._default_manager.filter(pk=obj.pk)
            seen[key] = rows.filter(personal_data.condition(self.model, request.user)).exists()
        return seen[key]

    def hidden_personal_fields(self, request, obj) -> frozenset[str]:
        """The personal fields ``obj``'s page leaves out for this user (none on an add form: they are typing them)."""
        own = personal_data.personal_fields(self.model)
        if obj is None or obj.pk is None or not own or self._sees(request, obj):
            return frozenset()
        return own

    def get_exclude(self, request, obj=None):
        hidden = self.hidden_personal_fields(request, obj)
        excluded = tuple(super().get_exclude(request, obj) or ())
        return (*excluded, *sorted(hidden - set(excluded))) if hidden else (excluded or None)

    def get_fields(self, request, obj=None):
        return list(_without(super().get_fields(request, obj), self.hidden_personal_fields(request, obj)))

    def get_readonly_fields(self, request, obj=None):
        return _without(super().get_readonly_fields(request, obj), self.hidden_personal_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        hidden = self.hidden_personal_fields(request, obj)
        fieldsets = super().get_fieldsets(request, obj)
        if not hidden:
            return fieldsets
        return [
            (name, {**options, "fields": _without(options.get("fields", ()), hidden)}) for name, options in fieldsets
        ]

    def get_history_list_display(self, request):
        shown = getattr(super(), "get_history_list_display", lambda request: ())(request)
        return [name for name in shown if not self._lists_personal(name)]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The changes between versions, as simple-history lists them, without personal fields the user may not
        read on this record."""
        previous = None
        for current in historical_records:
            if previous is None:
                previous, hidden = current, sorted(self.hidden_personal_fields(request, current.instance))
                continue
            delta = previous.diff_against(current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs)
            helper = self.get_historical_record_context_helper(request, previous)
            previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


# --- the check that no admin forgets ------------------------------------------------------------------------------


def _entry_names(model_admin, entry) -> list[str]:
    """The lookup paths a list column, filter or sort entry uses: its name and the ordering it declares."""
    if isinstance(entry, list | tuple):
        entry = entry[0]
    names = [entry] if isinstance(entry, str) else []
    for owner in (model_admin, model_admin.model):
        attribute = getattr(owner, entry, None) if isinstance(entry, str) else entry
        ordering = getattr(attribute, "admin_order_field", None)
        if ordering:
            names.append(str(getattr(ordering, "name", ordering)))
    return names


def personal_data_errors(model_admin) -> list[checks.CheckMessage]:
    """What in one admin's declaration would show, filter, sort or search personal data unguarded."""
    model = model_admin.model
    label = type(model_admin).__qualname__
    guarded = isinstance(model_admin, PersonalDataAdminMixin)

    def reaches(name: str) -> personal_data.PersonalPath | None:
        path = personal_data.personal_path(model, name)
        own_row = path is not None and guarded and path.model is model and not path.prefix
        return None if own_row and personal_data.is_wholly_personal(model) else path

    errors = []
    listed = {
        "list_display": model_admin.list_display,
        "list_display_links": model_admin.list_display_links or (),
        "list_filter": model_admin.list_filter,
        "date_hierarchy": [model_admin.date_hierarchy] if model_admin.date_hierarchy else [],
        "ordering": model_admin.ordering or (),
        "sortable_by": model_admin.sortable_by or (),
        "history_list_display": getattr(model_admin, "history_list_display", ()) or (),
    }
    for option, entries in listed.items():
        for entry in entries:
            for name in _entry_names(model_admin, entry):
                if reaches(name):
                    errors.append(
                        checks.Error(
                            f"{label}.{option} uses {name!r}, which is personal data.",
                            hint="A list cannot tell, row by row, whose personal data may be shown: leave it to "
                            "the record's page.",
                            obj=type(model_admin),
                            id="kerjasama.E104",
                        )
                    )
    searched = [(field, reaches(field)) for field in model_admin.search_fields or ()]
    for field, path in searched:
        if path is not None and not path.narrowable:
            errors.append(
                checks.Error(
                    f"{label}.search_fields searches {field!r}, personal data behind a to-many relation.",
                    hint="Such a search cannot be narrowed to the rows whose data the user may see.",
                    obj=type(model_admin),
                    id="kerjasama.E105",
                )
            )
    needs_guard = bool(personal_data.personal_fields(model)) or any(path for _, path in searched)
    if needs_guard and not guarded:
        errors.append(
            checks.Error(
                f"{label} shows or searches personal data without PersonalDataAdminMixin.",
                hint="Put cooperation.admin.PersonalDataAdminMixin first in its bases.",
                obj=type(model_admin),
                id="kerjasama.E103",
            )
        )
    for inline in model_admin.inlines:
        if personal_data.personal_fields(inline.model):
            errors.append(
                checks.Error(
                    f"{label} has an inline of {inline.model.__name__}, which holds personal data.",
                    hint="Inlines are not guarded: link to the records' own admin instead.",
                    obj=type(model_admin),
                    id="kerjasama.E106",
                )
            )
    return errors


def check_personal_data(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every model's personal fields exist and have a rule; no admin shows, filters, sorts or searches them
    unguarded; no model sorts its rows by them (lists sorted by a relation use that order)."""
    errors = []
    for model in apps.get_models():
        for name in personal_data.undeclared_fields(model):
            errors.append(
                checks.Error(
                    f"{model.__name__}.PERSONAL_FIELDS names {name!r}, which is not one of its fields.",
                    obj=model,
                    id="kerjasama.E101",
                )
            )
    for model in personal_data.unruled_models():
        errors.append(
            checks.Error(
                f"{model.__name__} holds personal data but no rule says who may see it.",
                hint="Call cooperation.personal_data.register() from its module's AppConfig.ready().",
                obj=model,
                id="kerjasama.E102",
            )
        )
    for model in personal_data.personal_models():
        if personal_data.is_wholly_personal(model):
            continue
        for name in model._meta.ordering or ():
            if isinstance(name, str) and personal_data.personal_path(model, name):
                errors.append(
                    checks.Error(
                        f"{model.__name__}.Meta.ordering sorts by {name!r}, which is personal data.",
                        obj=model,
                        id="kerjasama.E107",
                    )
                )
    for site in all_sites:
        for model_admin in site._registry.values():
            errors.extend(personal_data_errors(model_admin))
    return errors
