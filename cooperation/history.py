"""Change history for record pages, built from django-simple-history records.

Each record is compared with the previous record of the same object; the
previous one is found with a window function and related names are fetched in
bulk, so the query count does not grow with the number of records.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F, QuerySet, Window
from django.db.models.functions import Lag
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

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
    """Historical records of one model, already narrowed to the page's object(s)."""

    records: QuerySet
    subject: Callable[[object], str] = lambda record: ""


def history_entries(sources: Iterable[HistorySource], limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    entries = []
    for source in sources:
        entries.extend(_entries_of(source, limit))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _entries_of(source: HistorySource, limit: int) -> list[HistoryEntry]:
    history_model = source.records.model
    model = history_model.instance_type
    records = list(
        source.records.select_related("history_user")
        .annotate(
            previous_history_id=Window(
                Lag("history_id"), partition_by=[F("id")], order_by=[F("history_date").asc(), F("history_id").asc()]
            )
        )
        .order_by("-history_date", "-history_id")[:limit]
    )
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
    related = _related_objects(model, [change for _, changes in deltas.values() for change in changes])

    entries = []
    for record in records:
        action, changes = ACTIONS.get(record.history_type, "changed"), []
        if action == "changed":
            previous, field_changes = deltas.get(record.history_id, (None, []))
            changes = [_field_change(model._meta.get_field(c.field), c.old, c.new, related) for c in field_changes]
            if previous is not None:
                changes += _m2m_changes(model, m2m_values, previous.history_id, record.history_id)
            if not changes:
                continue  # a save that changed nothing the page shows
        entries.append(HistoryEntry(record.history_date, record.history_user, action, source.subject(record), changes))
    return entries


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


def _related_objects(model, changes) -> dict[str, dict]:
    """The objects that changed foreign keys point to, one query per foreign key that changed."""
    keys = defaultdict(set)
    for change in changes:
        if isinstance(model._meta.get_field(change.field), models.ForeignKey):
            keys[change.field] |= {change.old, change.new} - {None}
    return {
        name: model._meta.get_field(name).related_model._base_manager.in_bulk(values)
        for name, values in keys.items()
    }


def _field_change(model_field, old, new, related) -> FieldChange:
    return FieldChange(
        capfirst(model_field.verbose_name), _display(model_field, old, related), _display(model_field, new, related)
    )


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
