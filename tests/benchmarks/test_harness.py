"""The benchmark harness still runs: every entry answers, and its floor fetches rows (no timing is asserted)."""

import pytest
from django.core.management import call_command

from benchmarks.harness import run, summary, table
from benchmarks.harness_entries import lists
from programs.finance.models import ReminderLog


@pytest.mark.django_db
def test_every_entry_runs_against_its_floor_and_the_table_names_the_worst(manager):
    call_command("load_demo", verbosity=0)
    logs = ReminderLog.objects.count()

    results = run(rounds=1, user=manager)

    assert {result.name: result.error for result in results if result.error} == {}
    names = {result.name for result in results}
    for name, page_url, api_url, _rows in lists():
        if page_url:
            assert {f"{name} page, first", f"{name} page, last"} <= names
        if api_url:
            assert {f"{name} API, first", f"{name} API, last"} <= names
    for name in ("loan page", "shipment page", "application page", "programme page (hub)", "partner page (hub)"):
        assert name in names
    assert {"dashboard, plain", "dashboard, currency", "dashboard, period"} <= names
    assert "loan list export (CSV)" in names
    for result in results:
        assert result.floor_rows > 0, result.name
        assert result.floor_median_ms > 0, result.name
        assert result.app_output > 0, result.name
        if result.kind != "job":
            assert result.gzip_bytes > 0, result.name
        # Pages and API answers are also set against the stack's own cost of a signed-in answer that reads no data.
        if result.kind in ("export", "job"):
            assert result.stack_ms is None and result.stack_ratio is None, result.name
        else:
            assert result.stack_ms > 0, result.name
            assert result.stack_ratio == pytest.approx(
                result.app_median_ms / (result.floor_median_ms + result.stack_ms)
            ), result.name

    # The reminder run finds the same reminders as its hand-written floor, and both are rolled back.
    [reminders] = [result for result in results if result.name.startswith("loan reminders run")]
    assert reminders.app_output == reminders.floor_rows
    # The worker's refresh of the dashboard computes and renders the same page a reader is shown.
    refreshed = {result.name: result for result in results if result.name.endswith("refreshed by the worker")}
    assert {"dashboard, plain, refreshed by the worker", "dashboard, period, refreshed by the worker"} <= set(refreshed)
    plain = next(result for result in results if result.name == "dashboard, plain")
    assert refreshed["dashboard, plain, refreshed by the worker"].app_output <= plain.app_output
    for page in ("programme page (hub)", "partner page (hub)", "loan page", "shipment page"):
        assert f"{page}, after the reader's own change" in names
        read_back = next(result for result in results if result.name == page)
        assert 0 < refreshed[f"{page}, refreshed by the worker"].app_output <= read_back.app_output
    assert ReminderLog.objects.count() == logs

    printed, closing = table(results, weight=True), summary(results, weight=True)
    assert "| dashboard, plain |" in printed
    assert "KB |" in printed
    assert closing.startswith("worst ratio: ")
    assert "worst against floor + stack: " in closing
    assert "| over floor + stack |" in printed.splitlines()[0]
    assert "pages over 60 KB compressed: 0" in closing
