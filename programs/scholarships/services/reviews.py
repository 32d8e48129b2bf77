"""Reviews: officers assign reviewers; a reviewer declares a conflict of interest (and is recused) or scores
every criterion of the call's rubric from 0 to 10, with at most one decimal."""

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.roles import Perm
from programs.scholarships.models import MAX_SCORE, MIN_SCORE, UNDER_REVIEW, Application, Review, Score
from programs.scholarships.services._common import as_decimal, refuse, require_reason, save

REVIEWABLE = (UNDER_REVIEW, gettext_lazy("Reviews are done while an application is under review; this one is %s."))


def criterion_field(criterion) -> str:
    """The error key of one criterion's score, for forms with one field per criterion."""
    return f"criterion_{criterion.pk}"


def _require_under_review(application: Application) -> None:
    allowed, message = REVIEWABLE
    if application.status not in allowed:
        raise refuse(str(message) % application.get_status_display())


def _lock_review(review: Review, reviewer) -> Review:
    require_perm(reviewer, Perm.REVIEW_APPLICATION)
    review.refresh_from_db(from_queryset=Review.objects.select_for_update().select_related("application__call"))
    if review.reviewer_id != reviewer.pk:
        raise PermissionDenied(_("Only the reviewer assigned can do this."))
    _require_under_review(review.application)
    return review


@transaction.atomic
def review_assign(*, application: Application, reviewer, assigned_by) -> Review:
    require_perm(assigned_by, Perm.ADD_REVIEW)
    application.refresh_from_db(from_queryset=Application.objects.select_for_update())
    _require_under_review(application)
    reviewer = get_user_model().objects.filter(pk=getattr(reviewer, "pk", reviewer)).first()
    if reviewer is None or not (
        reviewer.is_active and reviewer.is_staff and reviewer.has_perm(Perm.REVIEW_APPLICATION)
    ):
        raise refuse(_("Choose an active officer or manager as reviewer."), "reviewer")
    review = Review(application=application, reviewer=reviewer, assigned_by=assigned_by)
    try:
        with transaction.atomic():
            save(review, assigned_by)
    except IntegrityError:
        raise refuse(_("This reviewer is already assigned to this application."), "reviewer") from None
    return review


@transaction.atomic
def review_unassign(*, review: Review, removed_by) -> None:
    """Take a reviewer off an application, as long as they have not scored it nor declared a conflict of interest
    (the declaration is what keeps them out of the applicant's personal data)."""
    require_perm(removed_by, Perm.ADD_REVIEW)
    review.refresh_from_db(from_queryset=Review.objects.select_for_update())
    if review.completed_at is not None:
        raise refuse(_("This reviewer has already scored the application: the review stays."))
    if review.conflict_declared_at is not None:
        raise refuse(_("This reviewer declared a conflict of interest: the declaration stays on record."))
    review._history_user = removed_by
    review.delete()


@transaction.atomic
def review_declare_conflict(*, review: Review, reviewer, note: str) -> Review:
    """The reviewer has a conflict of interest: they are recused, and any scores they gave no longer count."""
    note = require_reason(note, "conflict_note")
    _lock_review(review, reviewer)
    if review.conflict_declared_at is not None:
        raise refuse(_("You have already declared a conflict of interest on this application."))
    review.scores.all().delete()
    review.conflict_declared_at = timezone.now()
    review.conflict_note = note
    review.completed_at = None
    return save(review, reviewer, ["conflict_declared_at", "conflict_note", "completed_at"])


def _checked_scores(review: Review, scores: Mapping) -> list[Score]:
    given = {getattr(key, "pk", key): value for key, value in (scores or {}).items()}
    errors, rows = {}, []
    for criterion in review.application.call.criteria.all():
        field = criterion_field(criterion)
        raw = given.get(criterion.pk, given.get(str(criterion.pk)))
        value = as_decimal(raw) if raw not in (None, "") else None
        if raw in (None, ""):
            errors[field] = _("Score %(criterion)s.") % {"criterion": criterion.name}
        elif value is None:
            errors[field] = _("Enter a number.")
        elif not MIN_SCORE <= value <= MAX_SCORE:
            errors[field] = _("A score is from 0 to 10.")
        elif value != value.quantize(Decimal("0.1")):
            errors[field] = _("Use at most one decimal place.")
        else:
            rows.append(Score(review=review, criterion=criterion, score=value))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def review_submit_scores(*, review: Review, reviewer, scores: Mapping, comments: str = "") -> Review:
    """Score every criterion of the rubric (``scores`` maps a criterion or its id to 0–10). Scoring again while
    the application is still under review replaces the scores. Refused once a conflict is declared."""
    _lock_review(review, reviewer)
    if review.conflict_declared_at is not None:
        raise refuse(_("You declared a conflict of interest on this application, so you cannot score it."))
    rows = _checked_scores(review, scores)
    review.scores.all().delete()
    Score.objects.bulk_create(rows)
    review.completed_at = timezone.now()
    review.comments = (comments or "").strip()
    return save(review, reviewer, ["completed_at", "comments"])
