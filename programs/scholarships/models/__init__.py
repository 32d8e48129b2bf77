"""Scholarships from call to completion, and exchange activities (trainings, internships, research, culture).

A call's status (upcoming, open, closed) is derived from its dates, never stored. An application's
status moves only through the services (the allowed moves are declared in ``services.applications``);
ranking numbers, report due dates and stipend totals are derived, not stored.
"""

from programs.scholarships.models.activities import ActivityKind, ExchangeActivity, ExchangeStatus, Participant
from programs.scholarships.models.alumni import (
    IN_WORK,
    AlumniInvitation,
    AlumniOutcome,
    EmploymentStatus,
    Milestone,
)
from programs.scholarships.models.applications import (
    FINAL_STATUSES,
    HOLDS_AN_AWARD,
    UNDER_REVIEW,
    Application,
    ApplicationSource,
    ApplicationStatus,
    Attachment,
    Gender,
    Review,
    Score,
    attachment_path,
    private_storage,
)
from programs.scholarships.models.calls import (
    MAX_SCORE,
    MIN_SCORE,
    MONTHS_PER_PERIOD,
    SCORE_DIGITS,
    WEIGHT_DIGITS,
    Call,
    CallStatus,
    Criterion,
    Level,
    StipendFrequency,
)
from programs.scholarships.models.online import OnlineSubmission
from programs.scholarships.models.scholars import (
    ProgressReport,
    ReminderKind,
    ReminderLog,
    ReportStatus,
    StipendTranche,
    TrancheStatus,
)

__all__ = [
    "IN_WORK",
    "AlumniInvitation",
    "AlumniOutcome",
    "EmploymentStatus",
    "Milestone",
    "FINAL_STATUSES",
    "HOLDS_AN_AWARD",
    "MAX_SCORE",
    "MIN_SCORE",
    "MONTHS_PER_PERIOD",
    "SCORE_DIGITS",
    "UNDER_REVIEW",
    "WEIGHT_DIGITS",
    "ActivityKind",
    "Application",
    "ApplicationSource",
    "ApplicationStatus",
    "Attachment",
    "Call",
    "CallStatus",
    "Criterion",
    "ExchangeActivity",
    "ExchangeStatus",
    "Gender",
    "Level",
    "OnlineSubmission",
    "Participant",
    "ProgressReport",
    "ReminderKind",
    "ReminderLog",
    "ReportStatus",
    "Review",
    "Score",
    "StipendFrequency",
    "StipendTranche",
    "TrancheStatus",
    "attachment_path",
    "private_storage",
]
