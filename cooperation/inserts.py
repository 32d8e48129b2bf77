"""Many rows in one statement, skipping those whose unique key another row holds, reading back what was inserted.

``INSERT … ON CONFLICT DO NOTHING RETURNING …`` (PostgreSQL, and SQLite since 3.35): a daily run claims its
reminders and writes its emails a batch per statement, and learns at once which rows are its own, without a
second query to read them back.

On PostgreSQL the rows travel as one array per column (``SELECT * FROM UNNEST(%s::integer[], …)``): a statement
with a placeholder per column rather than one per value, which the driver prepares in the same time whatever the
number of rows (thousands of placeholders cost it seconds a batch).
"""

from collections.abc import Sequence

from django.db import connection, models


def insert_new(objects: Sequence[models.Model], returning: Sequence[str]) -> list[tuple]:
    """Insert the unsaved ``objects`` (all of one model) in ONE statement, skipping any whose unique key is taken;
    for each row inserted, the values of its ``returning`` fields (names, attnames or "pk") in Python's types."""
    if not objects:
        return []
    meta = objects[0]._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    read = [meta.pk if name == "pk" else meta.get_field(name) for name in returning]
    rows = [
        [field.get_db_prep_save(field.pre_save(instance, True), connection=connection) for field in fields]
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
