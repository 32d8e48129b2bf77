"""Reviewers score the rubric 0–10 or declare a conflict (and are recused); the ranking is the mean of the
reviews' weighted averages, computed in SQL, best first, with how many reviews are in."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import refusal_codes
from cooperation.roles import Role
from programs.scholarships import selectors, services
from programs.scholarships.models import Review, Score
from programs.scholarships.services import ScholarshipRefusal as Code
from tests.programs.scholarships.factories import CallFactory, scored, staff, submit

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def call():
    return CallFactory()  # rubric: Academic merit × 3, Motivation × 1


@pytest.fixture
def assignment(call):
    reviewer = staff()
    return services.review_assign(application=submit(call), reviewer=reviewer, assigned_by=staff())


def scores_for(review, *values):
    return dict(zip(review.application.call.criteria.all(), values, strict=True))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.5", "A score is from 0 to 10."),
        ("-1", "A score is from 0 to 10."),
        ("7.25", "Use at most one decimal place."),
        ("abc", "Enter a number."),
    ],
)
def test_scores_outside_0_to_10_are_refused_next_to_their_criterion(assignment, value, message):
    merit, motivation = assignment.application.call.criteria.all()
    with pytest.raises(ValidationError) as refused:
        services.review_submit_scores(
            review=assignment, reviewer=assignment.reviewer, scores={merit: value, motivation: "8"}
        )
    assert refused.value.message_dict == {services.criterion_field(merit): [message]}
    assert Score.objects.count() == 0
    assignment.refresh_from_db()
    assert assignment.completed_at is None


def test_every_criterion_must_be_scored(assignment):
    merit, motivation = assignment.application.call.criteria.all()
    with pytest.raises(ValidationError) as refused:
        services.review_submit_scores(review=assignment, reviewer=assignment.reviewer, scores={merit: "8"})
    assert refused.value.message_dict == {services.criterion_field(motivation): ["Score Motivation."]}


def test_0_and_10_are_valid_scores(assignment):
    services.review_submit_scores(
        review=assignment, reviewer=assignment.reviewer, scores=scores_for(assignment, "0", "10")
    )
    assert sorted(Score.objects.values_list("score", flat=True)) == [D("0.0"), D("10.0")]


def test_a_recused_reviewer_cannot_score(assignment):
    services.review_declare_conflict(review=assignment, reviewer=assignment.reviewer, note="My former student.")
    with pytest.raises(ValidationError) as refused:
        services.review_submit_scores(
            review=assignment, reviewer=assignment.reviewer, scores=scores_for(assignment, "8", "8")
        )
    assert Code.RECUSED in refusal_codes(refused.value)
    assert selectors.my_reviews(user=assignment.reviewer).get().state == "recused"


def test_a_conflict_declared_after_scoring_removes_the_scores(assignment):
    services.review_submit_scores(
        review=assignment, reviewer=assignment.reviewer, scores=scores_for(assignment, "9", "9")
    )
    services.review_declare_conflict(review=assignment, reviewer=assignment.reviewer, note="Cousin.")
    assert Score.objects.count() == 0
    row = selectors.ranking_of_call(assignment.application.call_id).get()
    assert (row.weighted_score, row.reviews_completed, row.reviews_recused) == (None, 0, 1)


def test_a_conflict_needs_a_note(assignment):
    with pytest.raises(ValidationError) as refused:
        services.review_declare_conflict(review=assignment, reviewer=assignment.reviewer, note="")
    assert refused.value.message_dict == {"conflict_note": ["Give a reason."]}


def test_only_the_assigned_reviewer_scores(assignment):
    with pytest.raises(PermissionDenied):
        services.review_submit_scores(review=assignment, reviewer=staff(), scores=scores_for(assignment, "8", "8"))


def test_a_reviewer_is_assigned_once_per_application(assignment):
    with pytest.raises(ValidationError) as refused:
        services.review_assign(application=assignment.application, reviewer=assignment.reviewer, assigned_by=staff())
    assert refused.value.message_dict == {"reviewer": ["This reviewer is already assigned to this application."]}


def test_reviewers_are_staff(assignment, partner_user, auditor):
    for outsider in (partner_user, auditor):
        with pytest.raises(ValidationError) as refused:
            services.review_assign(application=assignment.application, reviewer=outsider, assigned_by=staff())
        assert "reviewer" in refused.value.message_dict


def test_the_rubric_is_frozen_once_scoring_started(call):
    scored(submit(call), D("8"), D("8"))
    with pytest.raises(ValidationError) as refused:
        services.call_set_criteria(call=call, updated_by=staff(), criteria=[("Merit", "1")])
    assert Code.RUBRIC_LOCKED in refusal_codes(refused.value)


def test_ranking_numbers_computed_by_hand(call):
    a, b, c = (
        submit(call, applicant_name="Ana"),
        submit(call, applicant_name="Budi"),
        submit(call, applicant_name="Citra"),
    )
    scored(a, D("8"), D("6"))  # (8×3 + 6×1) / 4 = 7.5
    scored(a, D("6.5"), D("9"))  # (6.5×3 + 9×1) / 4 = 7.125 → mean 7.3125
    scored(b, D("9"), D("4"))  # (27 + 4) / 4 = 7.75
    services.review_assign(application=b, reviewer=staff(), assigned_by=staff())  # pending
    recused = services.review_assign(application=b, reviewer=(someone := staff()), assigned_by=staff())
    services.review_declare_conflict(review=recused, reviewer=someone, note="Co-author.")
    services.review_assign(application=c, reviewer=staff(), assigned_by=staff())

    rows = [
        (row.applicant_name, row.weighted_score, row.reviews_completed, row.reviews_assigned, row.reviews_recused)
        for row in selectors.ranking(user=staff(), call=call)
    ]
    assert rows == [
        ("Budi", D("7.75"), 1, 3, 1),
        ("Ana", D("7.31"), 2, 2, 0),
        ("Citra", None, 0, 1, 0),
    ]


def test_ranking_costs_the_same_queries_for_few_and_many(call, django_assert_num_queries):
    manager = staff(Role.MANAGER)
    manager.has_perm(Role.MANAGER)  # the permission cache fills once per user, not per row
    scored(submit(call), D("5"), D("5"))

    def read():
        with django_assert_num_queries(1):
            return len(list(selectors.ranking(user=manager, call=call)))

    assert read() == 1
    for _ in range(6):
        scored(submit(call), D("6"), D("7"))
    assert read() == 7


def test_partner_users_and_strangers_see_no_ranking(call, partner_user):
    scored(submit(call), D("5"), D("5"))
    assert list(selectors.ranking(user=partner_user, call=call)) == []
    assert Review.objects.count() == 1
