"""Reviews: officers assign reviewers; a reviewer declares a conflict of interest (and is recused) or scores
every criterion of the call's rubric from 0 to 10, with at most one decimal."""

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.refusals import Refusal, Refused, enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import (
    Move,
    as_decimal,
    create_unique,
    lock_row,
    move_refusal,
    permission_refusal,
    require_reason,
    save_by,
)
from programs.scholarships.models import MAX_SCORE, MIN_SCORE, UNDER_REVIEW, Application, Review, Score
from programs.scholarships.services.refusals import ScholarshipRefusal

REVIEW_MOVES = {
    "review": Move(UNDER_REVIEW, gettext_lazy("Reviews are done while an application is under review; this one is %s."))
}


def criterion_field(criterion) -> str:
    """The error key of one criterion's score, for forms with one field per criterion."""
    return f"criterion_{criterion.pk}"


def review_move_refusal(review: Review, user, move: str) -> Refusal | None:
    """Why ``user`` may not ``score`` or ``declare_conflict`` on this review now (None when they may): only the
    reviewer assigned, while the application is under review, and not once they declared a conflict."""
    refusal = permission_refusal(user, Perm.REVIEW_APPLICATION)
    if refusal is None and review.reviewer_id != user.pk:
        refusal = Refusal(Refused.NOT_PERMITTED, _("Only the reviewer assigned can do this."), offered=False)
    refusal = refusal or move_refusal(review.application, REVIEW_MOVES, "review")
    if refusal is None and review.conflict_declared_at is not None:
        if move == "declare_conflict":
            message = _("You have already declared a conflict of interest on this application.")
            return Refusal(ScholarshipRefusal.CONFLICT_DECLARED, message, offered=False)
        message = _("You declared a conflict of interest on this application, so you cannot score it.")
        return Refusal(ScholarshipRefusal.RECUSED, message)
    return refusal


def unassign_refusal(review: Review, user) -> Refusal | None:
    """A reviewer is taken off an application unless they scored it or declared a conflict of interest (the
    declaration is what keeps them out of the applicant's personal data)."""
    refusal = permission_refusal(user, Perm.ADD_REVIEW)
    if refusal is None and review.completed_at is not None:
        message = _("This reviewer has already scored the application: the review stays.")
        return Refusal(ScholarshipRefusal.REVIEW_SCORED, message)
    if refusal is None and review.conflict_declared_at is not None:
        message = _("This reviewer declared a conflict of interest: the declaration stays on record.")
        return Refusal(ScholarshipRefusal.CONFLICT_DECLARED, message)
    return refusal


def _lock_review(review: Review, reviewer, move: str) -> Review:
    enforce(review_move_refusal(review, reviewer, move))
    review.refresh_from_db(from_queryset=Review.objects.select_for_update().select_related("application__call"))
    enforce(review_move_refusal(review, reviewer, move))
    return review


@transaction.atomic
def review_assign(*, application: Application, reviewer, assigned_by) -> Review:
    require_perm(assigned_by, Perm.ADD_REVIEW)
    lock_row(application)
    enforce(move_refusal(application, REVIEW_MOVES, "review"))
    reviewer = get_user_model().objects.filter(pk=getattr(reviewer, "pk", reviewer)).first()
    if reviewer is None or not (
        reviewer.is_active and reviewer.is_staff and reviewer.has_perm(Perm.REVIEW_APPLICATION)
    ):
        raise refuse(
            ScholarshipRefusal.INVALID_REVIEWER, _("Choose an active officer or manager as reviewer."), "reviewer"
        )
    review = Review(application=application, reviewer=reviewer, assigned_by=assigned_by)
    already_assigned = _("This reviewer is already assigned to this application.")
    return create_unique(review, assigned_by, Refusal(Refused.DUPLICATE, already_assigned, "reviewer"))


@transaction.atomic
def review_unassign(*, review: Review, removed_by) -> None:
    """Take a reviewer off an application, as long as ``unassign_refusal`` allows it."""
    require_perm(removed_by, Perm.ADD_REVIEW)
    lock_row(review)
    enforce(unassign_refusal(review, removed_by))
    review._history_user = removed_by
    review.delete()


@transaction.atomic
def review_declare_conflict(*, review: Review, reviewer, note: str) -> Review:
    """The reviewer has a conflict of interest: they are recused, and any scores they gave no longer count."""
    enforce(review_move_refusal(review, reviewer, "declare_conflict"))
    note = require_reason(note, "conflict_note")
    _lock_review(review, reviewer, "declare_conflict")
    review.scores.all().delete()
    review.conflict_declared_at = timezone.now()
    review.conflict_note = note
    review.completed_at = None
    return save_by(review, reviewer, ["conflict_declared_at", "conflict_note", "completed_at"])


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
    _lock_review(review, reviewer, "score")
    rows = _checked_scores(review, scores)
    review.scores.all().delete()
    Score.objects.bulk_create(rows)
    review.completed_at = timezone.now()
    review.comments = (comments or "").strip()
    return save_by(review, reviewer, ["completed_at", "comments"])
