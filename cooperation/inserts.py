"""Many rows in one statement, skipping those whose unique key another row holds, reading back what was inserted.

``INSERT … ON CONFLICT DO NOTHING RETURNING …`` (PostgreSQL, and SQLite since 3.35): a daily run claims its
reminders and writes its emails a batch per statement, and learns at once which rows are its own, without a
second query to read them back.

On PostgreSQL the rows travel as one array per column (``SELECT * FROM UNNEST(%s::integer[], …)``): a statement
with a placeholder per column rather than one per value, which the driver prepares in the same time whatever the
number of rows (thousands of placeholders cost it seconds a batch).
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

# Values every backend stores as they are, by the field's internal type: text in a text column, a whole number in
# a whole-number column, true or false in a boolean one, and nothing (NULL) in any of these or in a date, time, UUID
# or decimal column. Preparing each of them through its field gave back the same value, at a cost paid for every
# value of every row; any other value (a date, a decimal, a lazy or safe text…) is prepared by its field.
_TEXT, _WHOLE = (str,), (int,)
_NOTHING_ONLY = frozenset({"DateTimeField", "DateField", "TimeField", "UUIDField", "DecimalField"})
_PLAIN = {
    "CharField": _TEXT,
    "TextField": _TEXT,
    "EmailField": _TEXT,
    "SlugField": _TEXT,
    "URLField": _TEXT,
    "BooleanField": (bool,),
    "IntegerField": _WHOLE,
    "SmallIntegerField": _WHOLE,
    "BigIntegerField": _WHOLE,
    "PositiveIntegerField": _WHOLE,
    "PositiveSmallIntegerField": _WHOLE,
    "PositiveBigIntegerField": _WHOLE,
    "AutoField": _WHOLE,
    "BigAutoField": _WHOLE,
    "SmallAutoField": _WHOLE,
}


def _plain_kinds(field) -> tuple:
    """The types of value ``field`` stores as they are (a foreign key as the field it points at does). A field of a
    class of our own, or pointing at one, may prepare its values its own way: each of them is prepared by it."""
    stored = field.target_field if field.is_relation else field
    if not all(type(each).__module__.startswith("django.db.models.") for each in (field, stored)):
        return ()
    kind = stored.get_internal_type()
    if kind in _PLAIN:
        return (*_PLAIN[kind], type(None))
    return (type(None),) if kind in _NOTHING_ONLY else ()


def insert_new(objects: Sequence[models.Model], returning: Sequence[str]) -> list[tuple]:
    """Insert the unsaved ``objects`` (all of one model) in ONE statement, skipping any whose unique key is taken;
    for each row inserted, the values of its ``returning`` fields (names, attnames or "pk") in Python's types."""
    if not objects:
        return []
    meta = objects[0]._meta
    # The connection itself, not ``django.db.connection``: each attribute read through that proxy looks the
    # connection up again, and every value of every row is prepared through it.
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    read = [meta.pk if name == "pk" else meta.get_field(name) for name in returning]
    columns = [(field, _plain_kinds(field)) for field in fields]
    rows = [
        [
            value
            if type(value := field.pre_save(instance, True)) in kinds
            else field.get_db_prep_save(value, connection=connection)
            for field, kinds in columns
        ]
        for instance in objects
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
        # Column types from the model, values as parameters: nothing typed by a user is in the text.
        source = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        row = f"({', '.join(['%s'] * len(fields))})"
        source, params = f"VALUES {', '.join([row] * len(objects))}", [value for values in rows for value in values]
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"{source} ON CONFLICT DO NOTHING RETURNING {', '.join(quote(field.column) for field in read)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        inserted = cursor.fetchall()
    # Back in Python's types (SQLite hands dates back as text).
    return [tuple(field.to_python(value) for field, value in zip(read, values, strict=True)) for values in inserted]
