"""Background jobs of the budgets. Tasks take ids and are safe to run twice."""

from celery import shared_task

from programs.budgets import summaries


@shared_task
def refresh_budget_summaries(programme_ids: list[int] | None = None) -> int:
    """After a change, and on beat every night (a summary counts as stale from the next day on): recompute the
    budget summaries that are not fresh, of ``programme_ids`` only when given; how many were recomputed. Then the
    totals of every programme are worked out once, so that the next dashboard reads them."""
    stored = summaries.refresh(programme_ids)
    if stored:
        summaries.total_every_programme()
    return stored
