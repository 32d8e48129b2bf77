"""Reading one record for its page.

A record's page shows the records its links point at (the programme, the partners, who created and approved it).
Joined into the record's own query, each of them is another table PostgreSQL has to place in the join order: a
dozen joins of a single row take it tens of milliseconds to plan and a fraction of one to run. So the page reads
the record with its annotations and the links it cannot do without, then the others by id, one query per model.
A list's page of records does the same for all of them at once (``with_related_all``)."""

from collections import defaultdict

from django.db.models import Model


def with_related(record: Model, *names: str) -> Model:
    """``record`` with the records its foreign keys ``names`` point at cached on it, as ``select_related`` would
    have them: one query per model they point at (``in_bulk``), none for a link left empty."""
    return with_related_all([record], *names)[0]


def with_related_all(records: list[Model], *names: str) -> list[Model]:
    """``records`` (of one model: a list's page) with what their foreign keys ``names`` point at cached on each, as
    ``with_related`` gives one record: one query per model they point at, whatever the number of records."""
    if not records:
        return records
    wanted: dict[tuple, set] = defaultdict(set)
    fields = [records[0]._meta.get_field(name) for name in names]
    for record in records:
        for field in fields:
            value = getattr(record, field.attname)
            if value is not None:
                wanted[(field.related_model, field.target_field.name)].add(value)
    found = {
        (model, target): model._base_manager.in_bulk(list(values), field_name=target)
        for (model, target), values in wanted.items()
    }
    for record in records:
        for field in fields:
            value = getattr(record, field.attname)
            related = None if value is None else found[(field.related_model, field.target_field.name)].get(value)
            field.set_cached_value(record, related)
    return records
