"""What the modules' demo loaders share: the summary line each prints once its records are made."""

from collections.abc import Iterable, Mapping

from django.db.models import Count, QuerySet


def status_counts(records: QuerySet) -> dict:
    """How many of ``records`` are in each status (a status none is in is left out)."""
    return dict(records.order_by().values_list("status").annotate(count=Count("pk")))


def counted(counts: Mapping, choices: Iterable) -> str:
    """ "3 draft, 1 approved": the count of each of ``choices`` (in their order) found in ``counts``; else "none"."""
    return ", ".join(f"{counts[choice]} {choice.label.lower()}" for choice in choices if choice in counts) or "none"
