"""Reviews, rankings by weighted score, and the reviewers an officer may assign."""

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.http import Http404
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from programs.scholarships.models import (
    Application,
    Call,
    Review,
    Score,
)
from programs.scholarships.selectors._common import SCORE, count_of, may
from programs.scholarships.selectors.applications import visible_applications, with_personal_data_flag

# --- reviews and ranking ------------------------------------------------------------------------------------------


def _review_state() -> Case:
    return Case(
        When(conflict_declared_at__isnull=False, then=Value("recused")),
        When(completed_at__isnull=False, then=Value("completed")),
        default=Value("pending"),
    )


def my_reviews(*, user) -> QuerySet[Review]:
    """The reviewer's own assignments, pending first, with ``state`` (pending, recused, completed)."""
    if not may(user, Perm.REVIEW_APPLICATION):
        return Review.objects.none()
    return (
        Review.objects.filter(reviewer=user)
        .select_related("application__call", "application__nationality")
        .annotate(state=_review_state())
        .order_by("completed_at", "conflict_declared_at", "application__call__closes_on", "pk")
    )


def application_reviews(*, user, application: Application) -> QuerySet[Review]:
    """The assignments of one application (with ``state`` and the scores), for staff who see reviews."""
    if not (may(user, Perm.VIEW_REVIEW) and sees_everything(user)):
        return Review.objects.none()
    return (
        application.reviews.select_related("reviewer", "assigned_by")
        .prefetch_related("scores__criterion")
        .annotate(state=_review_state())
    )


def _weighted_score() -> Round:
    scored = Score.objects.filter(review__application=OuterRef("pk"), review__completed_at__isnull=False).order_by()
    per_application = scored.values("review__application")
    weighted_total = Subquery(
        per_application.annotate(total=Sum(F("score") * F("criterion__weight"))).values("total"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    weight_total = Subquery(
        per_application.annotate(total=Sum("criterion__weight")).values("total"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    # "* 1.0" keeps SQLite from dividing integers (7 * 2 stored as an integer is 14, and 31 / 4 would be 7).
    average = ExpressionWrapper(weighted_total * Value(Decimal("1.0")) / weight_total, output_field=SCORE)
    return Round(average, 2, output_field=SCORE)


def _ranking_annotations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(
        weighted_score=_weighted_score(),
        reviews_assigned=count_of(Review, "application"),
        reviews_completed=count_of(Review, "application", Q(completed_at__isnull=False)),
        reviews_recused=count_of(Review, "application", Q(conflict_declared_at__isnull=False)),
    ).order_by(F("weighted_score").desc(nulls_last=True), "submitted_on", "pk")


def ranking_of_call(call_id: int) -> QuerySet[Application]:
    """Every application of a call, best first, unscoped (the services use it)."""
    return _ranking_annotations(Application.objects.filter(call_id=call_id))


def ranking(*, user, call: Call) -> QuerySet[Application]:
    """The call's applications best first: ``weighted_score`` (the mean over completed reviews of each review's
    Σ score × weight / Σ weight, in SQL; null until a review is in), ``reviews_completed`` of
    ``reviews_assigned``, ``reviews_recused``, and ``personal_data_visible``.

    Every completed review scores the whole rubric, which cannot change once scoring started, so the mean
    of the reviews' weighted averages equals Σ score × weight / Σ weight over all their scores.
    """
    if not sees_everything(user):
        return Application.objects.none()
    queryset = _ranking_annotations(
        visible_applications(user).filter(call=call).select_related("nationality", "award_proposed_by")
    )
    return with_personal_data_flag(queryset, user)


def reviewer_candidates():
    """Active staff who may review: holders of REVIEW_APPLICATION through a role or directly, and administrators."""
    from django.contrib.auth import get_user_model

    app_label, codename = Perm.REVIEW_APPLICATION.value.split(".")
    holds = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    holders = get_user_model().objects.filter(Q(is_superuser=True) | holds).values("pk")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, pk__in=holders)
        .order_by("first_name", "last_name", "username")
    )


def review_get(*, user, pk) -> Review:
    """One assignment, for staff who see reviews (to take the reviewer off); anyone else gets 404."""
    if not (may(user, Perm.VIEW_REVIEW) and sees_everything(user)):
        raise Http404
    return get_object_or_404(Review.objects.select_related("application__call", "reviewer"), pk=pk)


def with_weighted_score(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``weighted_score`` as ``ranking`` computes it (null until a review is in), keeping the order."""
    return queryset.annotate(weighted_score=_weighted_score())


# --- reviews for the API ------------------------------------------------------------------------------------------


def review_list(*, user) -> QuerySet[Review]:
    """Every assignment for staff who see reviews (officers, managers, auditors); a reviewer without that sees only
    their own; anyone else nothing. With ``state`` (pending, recused, completed) and the scores prefetched."""
    if may(user, Perm.VIEW_REVIEW) and sees_everything(user):
        queryset = Review.objects.all()
    elif may(user, Perm.REVIEW_APPLICATION):
        queryset = Review.objects.filter(reviewer=user)
    else:
        return Review.objects.none()
    return (
        queryset.select_related("application__call", "reviewer", "assigned_by")
        .prefetch_related("scores__criterion")
        .annotate(state=_review_state())
        .order_by("-created_at", "-pk")
    )


def visible_review_get(*, user, pk) -> Review:
    """One assignment from ``review_list``: 404 for anyone who may not see it."""
    return get_object_or_404(review_list(user=user), pk=pk)
