"""Page numbers that cost the same on the last page as on the first, for the API and the list pages alike.

A page deep in a long list read with ``OFFSET`` makes the database walk every row before it. This paginator
reads a page in the second half of the list from the other end instead (the ordering reversed, a small offset,
the rows put back in order), so the last page costs what the first does. It needs a total ordering: the list's
ordering gets the primary key as its last tie-breaker (in the direction of its last key, so one index serves
both ends).

It also finds the page before it computes the page's rows: the page's primary keys are chosen first (filters,
ordering and slice, with only the annotations a filter or the ordering uses), then the rows with all their
annotations and joins are read for those keys alone. A list whose rows carry per-row sums (a loan's arrears)
thus sums 25 rows, not every row before the offset. Both happen in one query, so query counts do not change.

Lists that are not plain model rows (``values()``, ``distinct()``, unions, aggregates grouped per row) are paged
as Django pages them.
"""

from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Func, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable
from rest_framework import pagination


def _descending(key) -> bool:
    if isinstance(key, str):
        return key.startswith("-")
    if isinstance(key, OrderBy):
        return key.descending
    return False


def _effective_ordering(queryset: QuerySet) -> list:
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(query.get_meta().ordering)
    return []


def totally_ordered(queryset: QuerySet) -> QuerySet:
    """``queryset`` in its own order, ties broken by the primary key (rows never swap places between pages)."""
    ordering = _effective_ordering(queryset)
    pk_names = {"pk", queryset.model._meta.pk.attname, queryset.model._meta.pk.name}
    for key in ordering:
        name = key.lstrip("-") if isinstance(key, str) else getattr(getattr(key, "expression", key), "name", None)
        if name in pk_names:
            return queryset
    tie_breaker = F("pk").desc() if ordering and _descending(ordering[-1]) else F("pk").asc()
    return queryset.order_by(*ordering, tie_breaker)


def _pages_from_keys(queryset) -> bool:
    """Whether ``queryset`` is plain model rows, which a page can pick by primary key."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return False
    query = queryset.query
    return not (query.is_sliced or query.combinator or query.distinct or query.group_by or query.extra)


class _AmongKeys(Func):
    """``key IN (keys)``; on PostgreSQL ``key = ANY(ARRAY(keys))``, which the planner reads as an index condition on
    the key (the page's few rows first, then their joins), however many tables the list joins."""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        key, key_params = compiler.compile(self.source_expressions[0])
        keys, keys_params = compiler.compile(self.source_expressions[1])
        return f"{key} IN {keys}", (*key_params, *keys_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        key, key_params = compiler.compile(self.source_expressions[0])
        keys, keys_params = compiler.compile(self.source_expressions[1])
        return f"{key} = ANY(ARRAY{keys})", (*key_params, *keys_params)


class FromEitherEndPaginator(Paginator):
    """Django's paginator, reading a deep page from the nearer end of the list and picking the page's rows by
    primary key before it reads them in full (see the module's documentation)."""

    def __init__(self, object_list, *args, **kwargs):
        if _pages_from_keys(object_list):
            object_list = totally_ordered(object_list)
        super().__init__(object_list, *args, **kwargs)

    def page(self, number):
        if not _pages_from_keys(self.object_list):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        nearer_the_end = bottom > self.count - top  # then the same rows are read counted from the other end
        keys = rows.reverse()[self.count - top : self.count - bottom] if nearer_the_end else rows[bottom:top]
        # One query: the page's keys as a subquery (ordered and limited), its rows in full in the list's order.
        return self._get_page(rows.filter(_AmongKeys(F("pk"), Subquery(keys.values("pk")))), number, self)


class FromEitherEndPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination (``count``, ``next``, ``previous``, ``results`` and the same links), whose last
    page costs what its first does (``FromEitherEndPaginator``)."""

    django_paginator_class = FromEitherEndPaginator
