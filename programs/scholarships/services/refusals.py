"""The stable codes of the scholarship services' refusals (the kernel's ``Refused`` codes cover the rest: wrong
status, permission, maker–checker, a missing reason, a duplicate)."""

from enum import StrEnum


class ScholarshipRefusal(StrEnum):
    CALL_NOT_OPEN = "call_not_open"
    # Applying online: spam refused, and the confirmation link.
    SPAM_SUSPECTED = "spam_suspected"  # the field hidden from people was filled in
    SENT_TOO_FAST = "sent_too_fast"  # sooner after the form was shown than a person could fill it in
    FORM_EXPIRED = "form_expired"  # the form's signed timestamp is missing, forged or too old
    TOO_MANY_SUBMISSIONS = "too_many_submissions"  # from one address or for one email, lately
    LINK_UNKNOWN = "link_unknown"
    LINK_EXPIRED = "link_expired"  # an online application's confirmation, or an alumnus's outcome link
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_FILE = "invalid_file"
    NOT_REVIEWED = "not_reviewed"  # no reviewer has scored the application: it cannot be ranked
    PASSES_OVER_BETTER_RANKED = "passes_over_better_ranked"  # needs a reason
    DATE_REQUIRED = "date_required"
    DATE_BEFORE_PREVIOUS_STEP = "date_before_previous_step"  # completion before enrolment, enrolment before award
    AWARD_ALREADY_PROPOSED = "award_already_proposed"
    NO_AWARD_PROPOSED = "no_award_proposed"
    AWARD_QUOTA_REACHED = "award_quota_reached"
    FEWER_AWARDS_THAN_MADE = "fewer_awards_than_made"
    RUBRIC_EMPTY = "rubric_empty"
    RUBRIC_INVALID = "rubric_invalid"
    RUBRIC_LOCKED = "rubric_locked"  # reviewers already scored against it
    INVALID_REVIEWER = "invalid_reviewer"
    NOT_ASSIGNED_REVIEWER = "not_assigned_reviewer"
    REVIEW_SCORED = "review_scored"  # a scored review stays
    CONFLICT_DECLARED = "conflict_declared"  # the reviewer is recused
    RECUSED = "recused"  # a recused reviewer cannot score
    SCHOLAR_NOT_ENROLLED = "scholar_not_enrolled"
    REPORT_NOT_ACCEPTED = "report_not_accepted"  # the progress report a tranche waits for
    ACTIVITY_CANCELLED = "activity_cancelled"
    SCHOLAR_NOT_COMPLETED = "scholar_not_completed"  # outcomes are recorded for alumni only
    OUTCOME_NOT_DUE = "outcome_not_due"  # the milestone has not come yet
    OUTCOME_LOCKED = "outcome_locked"  # a manager locked it, or its editing window ended
    LINK_INVALID = "link_invalid"  # no such private link
    LINK_USED = "link_used"  # the outcome was recorded: the link ended
