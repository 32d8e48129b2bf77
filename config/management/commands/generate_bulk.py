"""Generate a national portfolio's worth of data for measuring the application at scale.

``generate_bulk --scale 1.0`` makes about 800 partners and 800 programmes, 45,813 loans with their 1,000,919
installments and 341,880 repayments, 10,015 shipments with 100,381 items, 20,020 scholarship applications, and
results frameworks and budgets in proportion; every figure grows linearly with ``--scale`` (0.001 takes seconds).

Each module contributes its generator with ``registry.contribute(registry.BULK, "<module>.bulk.generate")`` in its
``AppConfig.ready()``; the generators run in the order of their ``ORDER`` attribute (partners, then programmes,
then the modules), each called as ``generate(run=run)`` and finding what it hangs on (partners, programmes) in the
database through the ``BULK-`` marks the earlier generators left. ``run`` (``BulkRun``) carries the scale, the
day, a seeded random generator, the accounts the rows are recorded by, and ``run.table(...)``: a writer that
streams rows with PostgreSQL's COPY (or batched inserts elsewhere), so nothing passes through a model's
``save()``, no history and no outbox row is written, no signal fires.

Generated rows are recognisable: partners' names, programmes' codes, loans' references and shipments' waybills
start with ``BULK-``. The command refuses a database that holds partners or programmes it did not generate
(``--force`` adds the generated data beside them), and refuses a second run on a database it has already filled:
generate into a fresh database instead (``dropdb``/``createdb``, ``migrate``), so two runs never mix.
"""

import datetime
import itertools
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from cooperation import registry

PREFIX = "BULK-"
BATCH_ROWS = 20_000
# The accounts generated rows are recorded by: they cannot log in (no usable password, not active).
ACCOUNTS = {
    "officer": ("bulk-officer", "Generated", "Officer"),
    "manager": ("bulk-manager", "Generated", "Manager"),
    "partner": ("bulk-partner", "Generated", "Partner user"),
}


class TableWriter:
    """Rows of one table, buffered and written ``BATCH_ROWS`` at a time: one COPY per batch on PostgreSQL, one
    ``executemany`` per batch elsewhere. Columns left out get their field's default (now, for timestamps)."""

    def __init__(self, run: "BulkRun", model: type[models.Model], columns: Sequence[str]):
        self.run, self.model = run, model
        fields = {item.attname: item for item in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
        self.fields = [fields[name] for name in columns]
        # A primary key left out is the database's to number.
        missing = [item for name, item in fields.items() if name not in columns and not item.primary_key]
        self.fields += missing
        self.defaults = tuple(self._default(item) for item in missing)
        self.json_positions = [
            index for index, item in enumerate(self.fields) if item.get_internal_type() == "JSONField"
        ]
        self.rows: list[tuple] = []

    def _default(self, item):
        if getattr(item, "auto_now", False) or getattr(item, "auto_now_add", False):
            return self.run.now
        return item.get_default()

    def add(self, *values) -> None:
        self.rows.append(values + self.defaults if self.defaults else values)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(item.column) for item in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                self._copy(cursor, table, names)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self._prepared())  # noqa: S608
        self.run.written[self.model._meta.label] = self.run.written.get(self.model._meta.label, 0) + len(self.rows)
        self.rows = []

    def _copy(self, cursor, table: str, names: str) -> None:
        from psycopg.types.json import Jsonb

        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in self.rows:
                if self.json_positions:
                    row = list(row)
                    for index in self.json_positions:
                        row[index] = Jsonb(row[index])
                copy.write_row(row)

    def _prepared(self) -> Iterable[list]:
        for row in self.rows:
            yield [item.get_db_prep_save(value, connection) for item, value in zip(self.fields, row, strict=True)]


@dataclass
class BulkRun:
    """What the generators share: the scale and the day, a seeded random generator, the accounts rows are
    recorded by (``users["officer"]``, ``"manager"``, ``"partner"``), and the table writers."""

    scale: float
    today: datetime.date
    now: datetime.datetime
    random: random.Random
    users: dict
    written: dict[str, int] = field(default_factory=dict)
    writers: list[TableWriter] = field(default_factory=list)
    explicit_ids: set = field(default_factory=set)

    def count(self, at_full_scale: int, minimum: int = 1) -> int:
        """How many of something to make: ``at_full_scale`` times the scale, at least ``minimum``."""
        return max(minimum, round(at_full_scale * self.scale))

    def table(self, model: type[models.Model], columns: Sequence[str]) -> TableWriter:
        """A writer of ``model`` rows with the given columns (attribute names, ``programme_id``), in that order."""
        writer = TableWriter(self, model, columns)
        self.writers.append(writer)
        if model._meta.pk.attname in columns:
            self.explicit_ids.add(model)
        return writer

    def ids(self, model: type[models.Model]) -> Iterable[int]:
        """Fresh primary keys for ``model``'s new rows, counted on from the highest one stored; the sequences are
        moved past them at the end. On PostgreSQL the table is locked against other writers (readers go on) until
        the run commits, so nobody else takes those numbers meanwhile."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
        highest = model._base_manager.aggregate(highest=models.Max("pk"))["highest"] or 0
        return itertools.count(highest + 1)

    def flush(self) -> None:
        for writer in self.writers:
            writer.flush()

    def moment(self, day: datetime.date, *, hour: int | None = None) -> datetime.datetime:
        """An aware moment in the working hours of ``day``, never after now."""
        hour = self.random.randint(8, 17) if hour is None else hour
        naive = datetime.datetime.combine(day, datetime.time(hour, self.random.randint(0, 59)))
        return min(timezone.make_aware(naive), self.now)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.random.randint(0, (last - first).days))


def generators() -> list:
    """The registered generators, in the order their modules declare (``ORDER``): what others hang on first."""
    return sorted(registry.contributors(registry.BULK), key=lambda generate: sys.modules[generate.__module__].ORDER)


class Command(BaseCommand):
    help = "Generate a large, internally consistent data set (partners, programmes and every module's records)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 is a national portfolio (45,813 loans).")
        parser.add_argument(
            "--seed", type=int, default=14, help="Seed of the random generator (same seed and day, same data)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Add the generated data to a database that holds other data."
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("generate_bulk makes made-up records for measuring; it refuses production mode.")
        if not 0 < scale <= 10:
            raise CommandError("--scale is a number above 0 and at most 10.")
        self._refuse_mixing(force)
        started = time.monotonic()
        with transaction.atomic():
            run = BulkRun(
                scale=scale,
                today=timezone.localdate(),
                now=timezone.now(),
                random=random.Random(seed),
                users=self._accounts(),
            )
            for generate in generators():
                step = time.monotonic()
                generate(run=run)
                run.flush()
                self.stdout.write(f"  {generate.__module__}: {time.monotonic() - step:.1f} s")
            self._reset_sequences(run)
        self._analyze(run)
        for label, rows in sorted(run.written.items()):
            self.stdout.write(f"  {label:<36} {rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"Generated {sum(run.written.values()):,} rows in {time.monotonic() - started:.1f} s.")
        )

    def _refuse_mixing(self, force: bool) -> None:
        from partners.models import Organisation
        from programs.models import Programme

        if Organisation.objects.filter(name__startswith=PREFIX).exists():
            raise CommandError(
                "This database already holds generated data; generate into a fresh database (drop it, create it, "
                "migrate) so that two runs never mix."
            )
        other = Organisation.objects.exists() or Programme.objects.exists()
        if other and not force:
            raise CommandError(
                "This database holds partners or programmes that were not generated; run with --force to add the "
                "generated data beside them."
            )

    def _accounts(self) -> dict:
        user_model = get_user_model()
        usernames = [username for username, _first, _last in ACCOUNTS.values()]
        existing = {user.username: user for user in user_model.objects.filter(username__in=usernames)}
        new = []
        for username, first_name, last_name in ACCOUNTS.values():
            if username not in existing:
                user = user_model(username=username, first_name=first_name, last_name=last_name, is_active=False)
                user.set_unusable_password()
                new.append(user)
        # In bulk: the accounts are part of the generated data, with no history of their own.
        user_model.objects.bulk_create(new)
        existing = {user.username: user for user in user_model.objects.filter(username__in=usernames)}
        return {key: existing[username] for key, (username, _first, _last) in ACCOUNTS.items()}

    def _reset_sequences(self, run: BulkRun) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(run.explicit_ids, key=str))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _analyze(self, run: BulkRun) -> None:
        """Fresh planner statistics, so the first pages read the new rows with sensible plans; outside a
        transaction, a vacuum too, so index-only scans need not visit freshly copied pages."""
        if connection.vendor != "postgresql":
            return
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = {writer.model._meta.db_table for writer in run.writers}
        with connection.cursor() as cursor:
            for table in sorted(tables):
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")
