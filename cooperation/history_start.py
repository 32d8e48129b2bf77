"""The first history row of records that existed before their model kept a history (used by data migrations).

Without it, the first change after the upgrade would have nothing to be compared with,
and record pages would not show what it changed. The row is a "changed" row by no user
(the system), dated when the migration ran, with the record as it stood then; record
pages list it as nothing (there is nothing before it to compare), the admin's history
pages show it with its reason.
"""

from django.utils import timezone

BATCH = 2000
REASON = "State when its change history began"


def start_history(apps, schema_editor, *, model: str, history_model: str, m2m: dict[str, str] | None = None) -> None:
    """One history row for every ``model`` row ("app_label.Model") that has none yet.

    ``m2m`` maps a many-to-many field of the model to the history model of its values, so
    the first row records them too (a user's groups).
    """
    source = apps.get_model(model)
    history = apps.get_model(history_model)
    alias = schema_editor.connection.alias
    fields = [
        f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_") and f.attname != "id"
    ]
    now = timezone.now()
    recorded = set(history.objects.using(alias).values_list("id", flat=True).distinct())
    pending = []
    for row in source._base_manager.using(alias).order_by("pk").iterator(chunk_size=BATCH):
        if row.pk in recorded:
            continue
        pending.append(
            history(
                id=row.pk,
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
                history_user=None,
                **{name: getattr(row, name) for name in fields},
            )
        )
        if len(pending) >= BATCH:
            _save(apps, alias, source, pending, m2m)
            pending = []
    if pending:
        _save(apps, alias, source, pending, m2m)


def _save(apps, alias, source, records, m2m) -> None:
    created = type(records[0]).objects.using(alias).bulk_create(records)
    for name, m2m_history_name in (m2m or {}).items():
        through = source._meta.get_field(name).remote_field.through
        m2m_history = apps.get_model(m2m_history_name)
        own = next(f for f in through._meta.fields if f.related_model is source)
        other = next(f for f in through._meta.fields if f.is_relation and f is not own)
        by_owner = {record.id: record for record in created}
        rows = through.objects.using(alias).filter(**{f"{own.attname}__in": list(by_owner)})
        m2m_history.objects.using(alias).bulk_create(
            m2m_history(
                history=by_owner[getattr(row, own.attname)],
                id=row.pk,
                **{own.attname: getattr(row, own.attname), other.attname: getattr(row, other.attname)},
            )
            for row in rows
        )
