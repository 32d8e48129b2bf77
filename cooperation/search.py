"""One search box: each module contributes ``(user, query) -> list[SearchGroup]`` through
``registry.contribute(registry.SEARCH, ...)``, reading through its own selectors so a user finds only what they
may see (no applicant's personal data for who may not see it).

``matching`` is the one text match every module uses: PostgreSQL's full-text search (with prefix matching, so
"flor" finds "Flores") where the database is PostgreSQL, a case-insensitive containment test elsewhere, and
always a containment test on the code fields (``LN-2026-0007``, ``WB-…``), which full-text search would split.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet

from cooperation import registry

HITS_PER_GROUP = 10
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchGroup:
    key: str  # "finance.loans"
    label: str  # "Loans"
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0


def cleaned(query: str) -> str:
    """The query as searched: NULs and control characters dropped, spaces collapsed, at most 200 characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", query or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(user, query: str) -> list[SearchGroup]:
    query = cleaned(query)
    if not query or not (user and user.is_authenticated):
        return []
    return [
        group for provider in registry.contributors(registry.SEARCH) for group in provider(user, query) if group.total
    ]


def _words(query: str) -> list[str]:
    return [word for word in re.split(r"[^\w]+", query) if word]


def matching(queryset: QuerySet, query: str, *, text: tuple[str, ...], codes: tuple[str, ...] = ()) -> QuerySet:
    """``queryset`` narrowed to rows whose ``text`` fields hold every word of ``query`` (full-text on PostgreSQL)
    or contain the query as typed (an email address, a fragment inside a word), or whose ``codes`` fields
    contain it."""
    query = cleaned(query)
    words = _words(query)
    if not words:
        return queryset.none()
    by_code = Q()
    for code_field in codes:
        by_code |= Q(**{f"{code_field}__icontains": query})
    if connection.vendor == "postgresql":
        # Full-text search splits an email address or a code differently from how people type part of it.
        for text_field in text:
            by_code |= Q(**{f"{text_field}__icontains": query})
        from django.contrib.postgres.search import SearchQuery, SearchVector

        terms = " & ".join(f"{word}:*" for word in words)
        vector = SearchVector(*text, config="simple")
        found = queryset.annotate(_search=vector).filter(_search=SearchQuery(terms, config="simple", search_type="raw"))
        by_text = Q(pk__in=found.values("pk"))
        return queryset.filter(by_text | by_code)
    by_text = Q()
    for word in words:
        any_field = Q()
        for text_field in text:
            any_field |= Q(**{f"{text_field}__icontains": word})
        by_text &= any_field
    return queryset.filter(by_text | by_code)


def group(key: str, label, queryset: QuerySet, hit) -> SearchGroup:
    """A group of the first ``HITS_PER_GROUP`` rows of ``queryset`` (already narrowed and ordered), each made a
    ``SearchHit`` by ``hit(row)``, with the total."""
    total = queryset.count()
    if not total:
        return SearchGroup(key, str(label))
    return SearchGroup(key, str(label), [hit(row) for row in queryset[:HITS_PER_GROUP]], total)
