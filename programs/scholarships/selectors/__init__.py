"""Reads of calls, applications, reviews, rankings, stipends, progress reports and exchange activities,
scoped to who asks.

Who sees what:
- Officers, managers, auditors and administrators (``sees_everything``) see every record.
- A partner user sees the calls their organisation hosts, its scholars (applications awarded at some
  point, whatever happened after), their reports and stipends, and the activities it hosts or takes part
  in; anything else is 404.
- A reviewer sees the applications assigned to them.

Applicants' personal data (email, date of birth, attachments) is a narrower circle than seeing the
application: officers and managers (``Perm.SEE_PERSONAL_DATA``; administrators hold every permission),
the reviewers assigned to that application, and the host institution's users once the application was
awarded. Recusal overrides all of these, application by application: whoever declared a conflict of interest
on an application (a reviewer, a manager, an administrator) no longer sees its personal data, whatever else
their role allows. Auditors see applications and aggregates, never personal data.

``personal_data_condition`` is that rule, as one SQL condition: lists carry it as the ``personal_data_visible``
annotation, so pages, API, admin, history and downloads decide it in the query, in one place (it is registered
with ``cooperation.personal_data`` for the admin's filters and search).
"""

from programs.scholarships.selectors._common import REDACTED, SCORE
from programs.scholarships.selectors.activities import activity_get, activity_list, activity_participants
from programs.scholarships.selectors.alumni import (
    AlumniRates,
    FollowUp,
    alumni_follow_up,
    alumni_rates,
    invitation_get,
    outcome_get,
    outcome_list,
    scholar_outcomes,
)
from programs.scholarships.selectors.applications import (
    application_attachments,
    application_get,
    application_list,
    application_page,
    application_rows,
    attachment_condition,
    attachment_get,
    award_proposals,
    awards_and_proposals,
    awards_made,
    call_choices,
    call_criteria,
    call_get,
    call_list,
    call_page,
    call_quotas,
    call_rows,
    call_status_expression,
    can_see_personal_data,
    open_calls,
    personal_data_condition,
    personal_data_ids,
    recent_awards,
    redacted,
    scholar_list,
    with_personal_data_flag,
)
from programs.scholarships.selectors.dashboard import (
    AS,
    CALLS_SHOWN,
    PAST_ELIGIBILITY,
    PAST_SHORTLIST,
    SCHOLAR_STATUSES,
    TOP_NATIONALITIES,
    CallFigures,
    KindParticipants,
    ScholarshipDashboard,
    StipendProgress,
    scholarship_dashboard,
)
from programs.scholarships.selectors.online import (
    online_status,
    online_submission_condition,
    public_call,
    published_calls,
)
from programs.scholarships.selectors.reviews import (
    application_reviews,
    my_reviews,
    ranking,
    ranking_of_call,
    review_get,
    review_list,
    reviewer_candidates,
    visible_review_get,
    with_weighted_score,
)
from programs.scholarships.selectors.stipends import (
    hosted_scholars,
    progress_report_get,
    progress_report_list,
    report_due_next,
    report_queue,
    scholar_get,
    tranche_get,
    tranche_list,
    tranche_queue,
    tranche_report_gate,
    tranches_due,
)
from programs.selectors import CountRow as LabelCount  # one row type for every count chart

__all__ = [
    "AlumniRates",
    "FollowUp",
    "alumni_follow_up",
    "invitation_get",
    "alumni_rates",
    "outcome_get",
    "outcome_list",
    "scholar_outcomes",
    "AS",
    "CALLS_SHOWN",
    "CallFigures",
    "KindParticipants",
    "LabelCount",
    "PAST_ELIGIBILITY",
    "PAST_SHORTLIST",
    "REDACTED",
    "SCHOLAR_STATUSES",
    "SCORE",
    "ScholarshipDashboard",
    "StipendProgress",
    "TOP_NATIONALITIES",
    "activity_get",
    "activity_list",
    "activity_participants",
    "application_attachments",
    "application_get",
    "application_list",
    "application_page",
    "application_rows",
    "application_reviews",
    "attachment_condition",
    "attachment_get",
    "award_proposals",
    "awards_and_proposals",
    "awards_made",
    "call_choices",
    "call_criteria",
    "call_get",
    "call_list",
    "call_page",
    "call_rows",
    "call_quotas",
    "call_status_expression",
    "can_see_personal_data",
    "hosted_scholars",
    "my_reviews",
    "online_status",
    "online_submission_condition",
    "open_calls",
    "personal_data_condition",
    "personal_data_ids",
    "progress_report_get",
    "public_call",
    "published_calls",
    "progress_report_list",
    "ranking",
    "ranking_of_call",
    "recent_awards",
    "redacted",
    "report_due_next",
    "report_queue",
    "review_get",
    "review_list",
    "reviewer_candidates",
    "scholar_get",
    "scholar_list",
    "scholarship_dashboard",
    "tranche_get",
    "tranche_list",
    "tranche_queue",
    "tranche_report_gate",
    "tranches_due",
    "visible_review_get",
    "with_personal_data_flag",
    "with_weighted_score",
]
