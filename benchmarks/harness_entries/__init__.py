"""What the harness measures: each page, API, record, hub, dashboard, export and daily job, with its raw-SQL floor.

An entry's app side is a request through Django's test ``Client`` (or the service a daily job runs); its floor
is the same rows fetched by hand-written SQL on the DB-API connection under Django's (psycopg on PostgreSQL,
sqlite3 on SQLite): the rows of the page plus the count, a record with the rows its page lists, the dashboard's
aggregates over the tables, the reminder run's one anti-join and bulk inserts. Table and column names come from
the models' metadata, so the SQL follows a renamed table; what it selects, joins and sorts is written out here.
"""

from benchmarks.harness_entries.common import Context, Entry, Failed
from benchmarks.harness_entries.dashboard import dashboard_entries
from benchmarks.harness_entries.jobs import export_entry, reminder_day, reminder_entry, rolled_back
from benchmarks.harness_entries.lists import list_entries, lists
from benchmarks.harness_entries.records import record_entries

__all__ = ["Context", "Entry", "Failed", "all_entries", "lists", "rolled_back"]


def all_entries(ctx: Context, cursor) -> list[Entry]:
    return [
        *list_entries(ctx, cursor),
        *record_entries(ctx, cursor),
        *dashboard_entries(ctx, cursor),
        export_entry(ctx),
        reminder_entry(reminder_day(cursor)),
    ]
