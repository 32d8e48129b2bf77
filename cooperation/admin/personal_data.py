"""Personal data in the admin: hidden from lists, searches, filters, sorting and history for who may not see it."""

from django.contrib.admin.views.main import ChangeList
from django.db.models import Q

from cooperation import personal_data


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
