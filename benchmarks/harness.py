"""Benchmark harness: every list page and list API (first and last page), record pages, hubs, the manager dashboard
(plain and with each filter), the loan export and the daily loan reminder run, each timed against its raw-SQL floor.

    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kerjasama_bench \\
        .venv/bin/python benchmarks/harness.py [--rounds 7] [--only loans] [--json out.json] [--weight]
    .venv/bin/python benchmarks/harness.py --database-url postgres://... --generate 0.01   # fill first (throwaway DB)
    .venv/bin/python benchmarks/harness.py --database-url postgres://... --slow-3g          # dashboard in Chromium
    .venv/bin/python benchmarks/harness.py --load http://127.0.0.1:8001 http://127.0.0.1:8002 --duration 30

The app side goes through Django's test ``Client`` in this process, signed in as a manager; the floor is the same
rows fetched by hand-written SQL on the DB-API connection (harness_entries). Each round runs the app and the
floor of one entry back to back, alternating which goes first, so both see the same cache and the same load.
The database is the one named by ``--database-url`` or ``BENCHMARK_DATABASE_URL``, never the configured
``DATABASE_URL``; the daily job's rounds (and its floor's inserts) are rolled back, so nothing else is written but,
where the database has no manager, the harness's own (``harness_manager``).
"""

import argparse
import fnmatch
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEIGHT_LIMIT = 60 * 1024  # a page's compressed size on first load


@dataclass
class Result:
    name: str
    kind: str
    url: str
    rounds: int
    app_median_ms: float
    app_p95_ms: float
    floor_median_ms: float
    floor_p95_ms: float
    ratio: float
    app_output: int  # bytes of the response, or reminders sent
    floor_rows: int
    note: str = ""
    bytes: int | None = None
    gzip_bytes: int | None = None
    error: str = ""
    stack_ms: float | None = None  # the stack's own floor for this kind of answer (harness_stack)
    stack_ratio: float | None = None  # app median / (floor median + stack floor)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def configure(database_url: str) -> None:
    """Point Django at ``database_url`` (and a throwaway folder for files), then set it up."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("KERJASAMA_VAR_DIR", tempfile.mkdtemp(prefix="kerjasama-harness-"))
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("AXES_ENABLED", "0")
    os.environ.setdefault("KERJASAMA_2FA_ENFORCED", "0")
    os.environ.setdefault("DEBUG", "0")  # as deployed: no log of every statement, no template debugging
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def manager_user():
    """A manager who can see everything: the demo's ``manager``, else any member of the Manager role, else a
    superuser."""
    from django.contrib.auth import get_user_model

    from cooperation.roles import Role

    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(username="manager").first()
        or users.filter(groups__name=Role.MANAGER.value).order_by("pk").first()
        or users.filter(is_superuser=True).order_by("pk").first()
    )


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return (time.perf_counter() - start) * 1000, value


def measure(entry, cursor, rounds: int, budget: float | None = None) -> Result:
    """``rounds`` rounds of app and floor after a warm-up of each; with a ``budget`` (seconds), no new round starts
    once the entry has taken that long (a page of several seconds at scale), so it may run fewer."""
    from benchmarks.harness_entries import rolled_back

    def app():
        return rolled_back(entry.app) if entry.rolled_back else entry.app()

    def floor():
        return rolled_back(entry.floor, cursor) if entry.rolled_back else entry.floor(cursor)

    app_times, floor_times, output, rows = [], [], 0, 0
    started = time.monotonic()
    try:
        if entry.before is not None:
            entry.before()
        app()  # one warm-up of each: compiled templates, the planner's statistics, the OS cache
        floor()
        for number in range(rounds):
            if number and budget is not None and time.monotonic() - started > budget:
                break
            pair = ((app, app_times), (floor, floor_times))
            for function, times in pair if number % 2 == 0 else reversed(pair):
                if function is app and entry.before is not None:
                    entry.before()
                elapsed, value = timed(function)
                times.append(elapsed)
                if function is app:
                    output = value
                else:
                    rows = value
    except Exception as error:  # one failing entry is reported; the others are still measured
        return Result(entry.name, entry.kind, entry.url, 0, 0, 0, 0, 0, 0, 0, 0, entry.note, error=repr(error))
    app_median, floor_median = statistics.median(app_times), statistics.median(floor_times)
    return Result(
        name=entry.name,
        kind=entry.kind,
        url=entry.url,
        rounds=len(app_times),
        app_median_ms=app_median,
        app_p95_ms=percentile(app_times, 0.95),
        floor_median_ms=floor_median,
        floor_p95_ms=percentile(floor_times, 0.95),
        ratio=app_median / floor_median if floor_median > 0 else float("inf"),
        app_output=output,
        floor_rows=rows,
        note=entry.note,
    )


def harness_manager():
    """A manager for a database without one (generated data has no one who can sign in): ``harness-manager``, made
    the first time and left there, with no password, so that nobody can sign in as it. It is committed, as a real
    manager is: the dashboard keeps its rendered body only for a reader whose transaction has written nothing."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from cooperation.roles import Role

    unusable = make_password(None)
    user, _created = get_user_model().objects.get_or_create(
        username="harness-manager", defaults={"is_staff": True, "password": unusable}
    )
    user.groups.add(Group.objects.get(name=Role.MANAGER.value))
    return user


def run(*, rounds: int = 5, only: str | None = None, user=None, budget: float | None = None) -> list[Result]:
    """Measure every entry (or those whose name matches ``only``, a substring or a shell pattern) on the database
    Django is connected to, ``rounds`` times each, signed in as ``user`` (by default the database's manager; where
    there is none, ``harness_manager()``)."""
    user = user or manager_user() or harness_manager()
    return measure_all(rounds=rounds, only=only, user=user, budget=budget)


def measure_all(*, rounds: int, only: str | None, user, budget: float | None) -> list[Result]:
    from django.db import connection
    from django.test import Client

    from benchmarks.harness_entries import Context, all_entries
    from benchmarks.harness_entries.jobs import tidy_rolled_back_rounds
    from benchmarks.harness_stack import harness_urls, stack_floor_of, stack_floors

    client = Client()
    client.force_login(user)
    context = Context(client, user)
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # the DB-API cursor itself: psycopg or sqlite3, no Django layer
    entries = all_entries(context, cursor)
    if only:
        pattern = only if any(mark in only for mark in "*?[") else f"*{only}*"
        entries = [entry for entry in entries if fnmatch.fnmatch(entry.name.lower(), pattern.lower())]
    tidy_rolled_back_rounds(cursor)  # what earlier runs' rolled-back reminder rounds left dead
    results = []
    with harness_urls():
        before = stack_floors(client)
        for entry in entries:
            result = measure(entry, cursor, rounds, budget)
            if entry.url in context.weights:
                result.bytes, result.gzip_bytes = context.weights[entry.url]
            results.append(result)
            print(
                f"  {entry.name}: app {result.app_median_ms:,.1f} ms (p95 {result.app_p95_ms:,.1f}), "
                f"floor {result.floor_median_ms:,.2f} ms, {result.ratio:,.1f}×, {result.rounds} rounds {result.error}",
                file=sys.stderr,
                flush=True,
            )
        after = stack_floors(client)
    tidy_rolled_back_rounds(cursor)
    floors = {kind: statistics.median([before[kind], after[kind]]) for kind in before}
    print(
        f"  stack floor (signed in, no data read): empty page {floors['page']:,.1f} ms, "
        f"empty API list {floors['api']:,.1f} ms",
        file=sys.stderr,
    )
    for result in results:
        result.stack_ms = stack_floor_of(result.kind, floors)
        if result.stack_ms is not None and not result.error:
            result.stack_ratio = result.app_median_ms / (result.floor_median_ms + result.stack_ms)
    return results


def is_page(result: Result) -> bool:
    """What a browser loads as a page (the export is a file: its size is the data's)."""
    return result.kind not in ("export", "job")


def table(results: list[Result], *, weight: bool = False) -> str:
    head = "| page | app median | app p95 | floor median | ratio | rounds | stack floor | over floor + stack |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if weight:
        head += " gzip |"
        rule += "---:|"
    lines = [head, rule]
    for result in results:
        if result.error:
            lines.append(f"| {result.name} | failed: {result.error} | | | | | | |" + (" |" if weight else ""))
            continue
        stack = "" if result.stack_ms is None else f"{result.stack_ms:,.1f} ms"
        over = "" if result.stack_ratio is None else f"{result.stack_ratio:,.1f}×"
        line = (
            f"| {result.name} | {result.app_median_ms:,.1f} ms | {result.app_p95_ms:,.1f} ms | "
            f"{result.floor_median_ms:,.2f} ms | {result.ratio:,.1f}× | {result.rounds} | {stack} | {over} |"
        )
        if weight:
            size = "" if result.gzip_bytes is None else f"{result.gzip_bytes / 1024:,.1f} KB"
            if is_page(result) and result.gzip_bytes is not None and result.gzip_bytes > WEIGHT_LIMIT:
                size += " **over 60 KB**"
            line += f" {size} |"
        lines.append(line)
    return "\n".join(lines)


def summary(results: list[Result], *, weight: bool = False) -> str:
    measured = [result for result in results if not result.error]
    lines = []
    if measured:
        worst = max(measured, key=lambda result: result.ratio)
        lines.append(
            f"worst ratio: {worst.ratio:,.1f}× — {worst.name} "
            f"({worst.app_median_ms:,.1f} ms against {worst.floor_median_ms:,.2f} ms)"
        )
    with_stack = [result for result in measured if result.stack_ratio is not None]
    if with_stack:
        worst = max(with_stack, key=lambda result: result.stack_ratio)
        within = [result for result in measured if (result.stack_ratio or result.ratio) <= 3]
        lines.append(
            f"worst against floor + stack: {worst.stack_ratio:,.1f}× — {worst.name}; within 3× of floor + stack "
            f"(of the raw floor for the export and the daily job): {len(within)} of {len(measured)} entries"
        )
    failed = [result for result in results if result.error]
    if failed:
        lines.append(f"failed: {len(failed)} — " + "; ".join(f"{result.name}: {result.error}" for result in failed))
    notes = sorted({f"{result.name.rsplit(',', 1)[0]}: {result.note}" for result in measured if result.note})
    lines += [f"note: {note}" for note in notes]
    from benchmarks.harness_entries.common import AFTER_A_CHANGE, AFTER_OWN_CHANGE, REFRESHED_BY_THE_WORKER

    if any(result.name.endswith(AFTER_A_CHANGE) for result in measured):
        lines.append(
            f"note: {AFTER_A_CHANGE}: someone else's: the state of the data moved on before each view (as any "
            "committed write moves it); every list page, API list, hub, the dashboard and a loan's and a shipment's "
            "page are shown as last computed, saying when, while the worker refreshes them"
        )
    if any(result.name.endswith(AFTER_OWN_CHANGE) for result in measured):
        lines.append(
            f"note: {AFTER_OWN_CHANGE}: as after a change, with the reader's session saying they wrote since: the "
            "page or list is computed while they wait, so that their own change shows at once"
        )
    if any(result.name.endswith(REFRESHED_BY_THE_WORKER) for result in measured):
        lines.append(
            f"note: {REFRESHED_BY_THE_WORKER}: the worker computing the dashboard, a hub or a record's page for "
            "the state a change left: how long after a change the page says its figures are catching up"
        )
    if weight:
        heavy = [result for result in measured if is_page(result) and (result.gzip_bytes or 0) > WEIGHT_LIMIT]
        lines.append(
            f"pages over 60 KB compressed: {len(heavy)}"
            + (" — " + ", ".join(f"{r.name} ({r.gzip_bytes / 1024:,.0f} KB)" for r in heavy) if heavy else "")
        )
    return "\n".join(lines)


def database_summary() -> str:
    from django.apps import apps
    from django.db import connection

    counts = []
    for label in (
        "finance.Loan",
        "finance.Installment",
        "finance.Repayment",
        "shipments.Shipment",
        "scholarships.Application",
    ):
        number = apps.get_model(label)._base_manager.count()
        counts.append(f"{number:,} {label.split('.')[1].lower()}s")
    return f"{connection.vendor} {connection.settings_dict['NAME']}: " + ", ".join(counts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCHMARK_DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--entry-seconds",
        type=float,
        help="start no new round of an entry once it has taken this long (it then runs fewer rounds)",
    )
    parser.add_argument("--only", help="entries whose name contains this (or matches this shell pattern)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--generate", type=float, metavar="SCALE", help="fill the database first (generate_bulk)")
    parser.add_argument("--weight", action="store_true", help="each page's compressed size; flag those over 60 KB")
    parser.add_argument("--slow-3g", action="store_true", help="the dashboard's first render in Chromium on slow 3G")
    parser.add_argument("--load", nargs="+", metavar="BASE_URL", help="drive these servers with concurrent clients")
    parser.add_argument("--duration", type=float, default=30, help="seconds of --load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of --load")
    parser.add_argument("--username", default="manager", help="who --load and --slow-3g sign in as")
    parser.add_argument("--password", default=os.environ.get("BENCHMARK_PASSWORD", "kerjasama-demo"))
    options = parser.parse_args(argv)

    if options.load:
        from benchmarks.harness_browser import load

        report = load(
            options.load,
            duration=options.duration,
            clients=options.clients,
            username=options.username,
            password=options.password,
        )
        print(report.text())
        if options.json:
            options.json.write_text(json.dumps(asdict(report), indent=2))
        return 1 if report.errors else 0

    if not options.database_url:
        parser.error("name the database: --database-url or BENCHMARK_DATABASE_URL (never the configured one)")
    configure(options.database_url)
    if options.generate is not None:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("generate_bulk", scale=options.generate, force=False)

    output = {}
    if options.slow_3g:
        from benchmarks.harness_browser import slow_3g

        render = slow_3g(options.database_url, username=options.username, password=options.password)
        print(render.text())
        output["slow_3g"] = asdict(render)
        if not (options.only or options.weight):
            if options.json:
                options.json.write_text(json.dumps(output, indent=2))
            return 0

    print(database_summary())
    results = run(rounds=options.rounds, only=options.only, budget=options.entry_seconds)
    print(table(results, weight=options.weight))
    print(summary(results, weight=options.weight))
    if options.json:
        output["database"] = database_summary()
        output["rounds"] = options.rounds
        output["results"] = [asdict(result) for result in results]
        options.json.write_text(json.dumps(output, indent=2, default=str))
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
