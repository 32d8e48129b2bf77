"""Scholarship calls, applications, reviews, stipend tranches, progress reports and exchange activities in and
out of the API.

Output serializers shape what a client reads (money and weights are decimal strings, never floats). Applicants'
email, date of birth and attachments are always in the answer, and null unless the list's
``personal_data_visible`` flag (computed in SQL by the selectors) admits the user. The ``...Write`` and action
serializers only check the shape and types of what a client sends; business rules stay in the services.
"""

from programs.scholarships.api.serializers.input import (
    ActivityCreateSerializer,
    ActivityParticipantWriteSerializer,
    ActivityReportSerializer,
    ActivityUpdateSerializer,
    ApplicationCreateSerializer,
    AttachmentWriteSerializer,
    CallCreateSerializer,
    CallUpdateSerializer,
    CompletionSerializer,
    ConflictSerializer,
    CriterionWriteSerializer,
    EnrolmentSerializer,
    MoveReasonSerializer,
    PassOverReasonSerializer,
    PaymentSerializer,
    ProgressReportWriteSerializer,
    ProposeAwardSerializer,
    ReviewAssignSerializer,
    ScoresSerializer,
    StipendWriteSerializer,
)
from programs.scholarships.api.serializers.output import (
    ActivityDetailSerializer,
    ActivitySerializer,
    AlumniOutcomeSerializer,
    ApplicationSerializer,
    AttachmentSerializer,
    CallSerializer,
    CriterionSerializer,
    ParticipantSerializer,
    ProgressReportSerializer,
    ReviewSerializer,
    ScoreSerializer,
    StipendSerializer,
    StipendTrancheSerializer,
)

__all__ = [
    "AlumniOutcomeSerializer",
    "ActivityCreateSerializer",
    "ActivityDetailSerializer",
    "ActivityParticipantWriteSerializer",
    "ActivityReportSerializer",
    "ActivitySerializer",
    "ActivityUpdateSerializer",
    "ApplicationCreateSerializer",
    "ApplicationSerializer",
    "AttachmentSerializer",
    "AttachmentWriteSerializer",
    "CallCreateSerializer",
    "CallSerializer",
    "CallUpdateSerializer",
    "CompletionSerializer",
    "ConflictSerializer",
    "CriterionSerializer",
    "CriterionWriteSerializer",
    "EnrolmentSerializer",
    "MoveReasonSerializer",
    "ParticipantSerializer",
    "PassOverReasonSerializer",
    "PaymentSerializer",
    "ProposeAwardSerializer",
    "ProgressReportSerializer",
    "ProgressReportWriteSerializer",
    "ReviewAssignSerializer",
    "ReviewSerializer",
    "ScoreSerializer",
    "ScoresSerializer",
    "StipendSerializer",
    "StipendTrancheSerializer",
    "StipendWriteSerializer",
]
