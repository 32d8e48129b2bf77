"""Keeping ``IndicatorStanding`` current, and rebuilding it from scratch.

``indicator_percents`` is how far each indicator has come, worked out from its programme's periods, its targets
and the approved values, as the framework page works it out: the dashboard's live computation and what is stored
are the same code. Every service that moves it (a report approved, an indicator created or changed, targets set,
periods cut again, a partner renamed) calls ``refresh`` for the programme or the indicator it touched, in its own
transaction, with the programme's row locked so that two changes of one programme queue;
``rebuild`` recomputes the whole table (the backfill, ``generate_bulk``, and ``manage.py refresh_results`` for
repairs after data was written around the services).
"""

from decimal import Decimal

from django.apps import apps as global_apps

from programs.models import Programme
from programs.results.models import Indicator, IndicatorStanding
from programs.results.selectors.progress import indicator_percents

BATCH = 2000


def _store(percents: list[tuple[int, int, Decimal | None]], Standing) -> None:
    Standing.objects.bulk_create(
        [
            Standing(indicator_id=pk, programme_id=programme_id, percent=percent)
            for pk, programme_id, percent in percents
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=["programme", "percent"],
    )


def _lock(programme_ids: list[int]) -> None:
    """Queue the refreshes of the same programmes: the second reads what the first committed, so neither writes
    over the other with figures that miss its change (two reports of a programme approved at once)."""
    list(Programme.objects.select_for_update().filter(pk__in=programme_ids).order_by("pk").values_list("pk"))


def refresh(*, programme_id: int | None = None, indicator_id: int | None = None) -> None:
    """Bring the standings of the programme's indicators (or of the one indicator) in line with what they are now:
    called by the services, in their transaction, after the write."""
    if indicator_id is None:
        refresh_programmes([programme_id])
        return
    programme_id = Indicator.objects.filter(pk=indicator_id).values_list("result__programme_id", flat=True).first()
    if programme_id is not None:  # else removed: its standing went with it
        _lock([programme_id])
        _store(indicator_percents([programme_id], indicator_ids=[indicator_id]), IndicatorStanding)


def refresh_programmes(programme_ids: list[int]) -> None:
    """Bring the standings of the indicators of ``programme_ids`` in line with what they are now."""
    if not programme_ids:
        return
    _lock(programme_ids)
    percents = indicator_percents(programme_ids)
    IndicatorStanding.objects.filter(programme_id__in=programme_ids).exclude(
        indicator_id__in=[pk for pk, _programme, _percent in percents]
    ).delete()
    _store(percents, IndicatorStanding)


def rebuild(*, apps=global_apps) -> int:
    """Recompute every indicator's standing from scratch (in the caller's transaction): the number stored."""
    Standing = apps.get_model("results", "IndicatorStanding")
    percents = indicator_percents(apps=apps)
    Standing.objects.all().delete()
    _store(percents, Standing)
    return len(percents)
