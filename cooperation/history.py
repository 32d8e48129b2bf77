"""Change history for record pages, built from django-simple-history records.

Each record is compared with the previous record of the same object; the
previous one is found with a window function and related names are fetched in
bulk, so the query count does not grow with the number of records. Rows created
together in bulk (a loan's schedule) can be shown as one entry, counted in SQL.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import FirstValue, Lag
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.money import money_display
from cooperation.roles import Perm

HISTORY_LIMIT = 50
TEXT_PREVIEW_CHARS = 160
ACTIONS = {"+": "created", "-": "deleted"}  # any other history type is a change


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: object  # the user, or None when the change was made outside a request
    action: str  # "created", "changed" or "deleted"
    subject: str  # what the record is about when it is not the page's own record ("Contact: Ana")
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class HistorySource:
    """Historical records of one model, already narrowed to the page's object(s).

    ``money_fields`` are amounts in ``currency`` and are shown with it ("USD 1,234.50").
    ``shown_on_creation`` lists the fields a "created" entry shows (an allocation's amounts).
    ``created_together``, when given, turns the records created at one moment by one user
    into a single entry, named by calling it with their count (a generated schedule).
    """

    records: QuerySet
    subject: Callable[[object], str] = lambda record: ""
    currency: object = None
    money_fields: frozenset[str] = frozenset()
    shown_on_creation: tuple[str, ...] = ()
    created_together: Callable[[int], str] | None = None


def history_entries(sources: Iterable[HistorySource], limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    entries = []
    for source in sources:
        entries.extend(_entries_of(source, limit))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def history_for(user, sources: Iterable[HistorySource], limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """``history_entries`` read for ``user``, who must be allowed to read change history (a 403 otherwise)."""
    require_perm(user, Perm.VIEW_HISTORY)
    return history_entries(sources, limit)


def _entries_of(source: HistorySource, limit: int) -> list[HistoryEntry]:
    history_model = source.records.model
    model = history_model.instance_type
    records = source.records.select_related("history_user").annotate(
        previous_history_id=Window(
            Lag("history_id"), partition_by=[F("id")], order_by=[F("history_date").asc(), F("history_id").asc()]
        )
    )
    entries = []
    if source.created_together is not None:
        entries += _created_together(source, limit)
        # Filtered on a window value, the database leaves the created records out only after finding
        # each record's previous one: a first change is still compared with its creation.
        records = records.annotate(own_type=Window(FirstValue("history_type"), partition_by=[F("history_id")])).filter(
            own_type__in=["~", "-"]
        )
    records = list(records.order_by("-history_date", "-history_id")[:limit])
    by_id = {record.history_id: record for record in records}
    missing = {r.previous_history_id for r in records if r.previous_history_id and r.previous_history_id not in by_id}
    if missing:
        by_id.update({r.history_id: r for r in history_model.objects.filter(history_id__in=missing)})

    m2m_names = [f.name for f in getattr(history_model, "_history_m2m_fields", [])]
    m2m_values = _m2m_labels(history_model, m2m_names, by_id.keys())
    deltas = {}
    for record in records:
        previous = by_id.get(record.previous_history_id)
        if record.history_type == "~" and previous is not None:
            deltas[record.history_id] = (previous, record.diff_against(previous, excluded_fields=m2m_names).changes)
    created = [
        (name, getattr(record, model._meta.get_field(name).attname))
        for record in records
        if record.history_type == "+"
        for name in source.shown_on_creation
    ]
    related = _related_objects(
        model,
        [(c.field, c.old, c.new) for _, changes in deltas.values() for c in changes]
        + [(n, None, v) for n, v in created],
    )

    for record in records:
        action, changes = ACTIONS.get(record.history_type, "changed"), []
        if action == "changed":
            previous, field_changes = deltas.get(record.history_id, (None, []))
            changes = [
                _field_change(model._meta.get_field(c.field), c.old, c.new, related, source) for c in field_changes
            ]
            if previous is not None:
                changes += _m2m_changes(model, m2m_values, previous.history_id, record.history_id)
            if not changes:
                continue  # a save that changed nothing the page shows
        elif action == "created":
            for name in source.shown_on_creation:
                model_field = model._meta.get_field(name)
                value = getattr(record, model_field.attname)
                if value is None or value == "" or (isinstance(value, Decimal) and not value):
                    continue  # nothing to say: no interest in an allocation of principal only
                changes.append(_field_change(model_field, None, value, related, source))
        entries.append(HistoryEntry(record.history_date, record.history_user, action, source.subject(record), changes))
    return entries


def _created_together(source: HistorySource, limit: int) -> list[HistoryEntry]:
    """One "created" entry per moment and user that created records of ``source`` (counted by the database)."""
    groups = list(
        source.records.filter(history_type="+")
        .order_by()
        .values("history_date", "history_user")
        .annotate(count=Count("history_id"))
        .order_by("-history_date")[:limit]
    )
    user_ids = {group["history_user"] for group in groups} - {None}
    users = get_user_model()._base_manager.in_bulk(user_ids) if user_ids else {}
    return [
        HistoryEntry(
            group["history_date"],
            users.get(group["history_user"]),
            "created",
            source.created_together(group["count"]),
        )
        for group in groups
    ]


def _m2m_labels(history_model, names: list[str], history_ids) -> dict[str, dict[int, list[str]]]:
    """For each many-to-many field, the sorted labels of the related objects as of each record."""
    labels: dict[str, dict[int, list[str]]] = {}
    for name in names:
        m2m_history_model = getattr(history_model, name).model
        target = history_model.instance_type._meta.get_field(name).related_model
        target_field = next(f.name for f in m2m_history_model._meta.fields if f.related_model is target)
        by_record = defaultdict(list)
        rows = m2m_history_model._default_manager.filter(history_id__in=list(history_ids)).select_related(target_field)
        for row in rows:
            by_record[row.history_id].append(str(getattr(row, target_field)))
        labels[name] = {history_id: sorted(values) for history_id, values in by_record.items()}
    return labels


def _m2m_changes(model, m2m_values, old_id: int, new_id: int) -> list[FieldChange]:
    changes = []
    for name, by_record in m2m_values.items():
        old, new = by_record.get(old_id, []), by_record.get(new_id, [])
        if old != new:
            label = capfirst(model._meta.get_field(name).verbose_name)
            changes.append(FieldChange(label, ", ".join(old) or "—", ", ".join(new) or "—"))
    return changes


def _related_objects(model, values: list[tuple[str, object, object]]) -> dict[str, dict]:
    """The objects that shown foreign keys point to (``(field, old, new)`` values), one query per foreign key."""
    keys = defaultdict(set)
    for name, old, new in values:
        if isinstance(model._meta.get_field(name), models.ForeignKey):
            keys[name] |= {old, new} - {None}
    return {
        name: model._meta.get_field(name).related_model._base_manager.in_bulk(values) for name, values in keys.items()
    }


def _field_change(model_field, old, new, related, source: HistorySource) -> FieldChange:
    def display(value):
        if source.currency is not None and model_field.name in source.money_fields and value is not None:
            return money_display(value, source.currency)
        return _display(model_field, value, related)

    return FieldChange(capfirst(model_field.verbose_name), display(old), display(new))


def _display(model_field, value, related) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ForeignKey):
        obj = related.get(model_field.name, {}).get(value)
        if obj is None:
            return _("deleted record %(id)s") % {"id": value}
        full_name = getattr(obj, "get_full_name", lambda: "")()
        return full_name or str(obj)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value()
        return formats.number_format(int(value) if whole else value.normalize(), use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.datetime):
        # Stored in UTC: shown in the organisation's time, as the rest of the page is.
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return Truncator(str(value)).chars(TEXT_PREVIEW_CHARS)
