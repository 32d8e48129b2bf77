"""Alumni outcomes over the API: read only. A partner user reads only their own institution's alumni; the
outcomes are recorded by the alumni's private links and in the partner portal."""

from django.utils.translation import gettext_lazy as _

from cooperation.api.viewsets import RecordViewSet, documented
from programs.scholarships import selectors
from programs.scholarships.api.serializers import AlumniOutcomeSerializer
from programs.scholarships.filters import OutcomeFilter
from programs.scholarships.models import AlumniOutcome


@documented(list=_("List alumni outcomes"), retrieve=_("Show an alumni outcome"))
class AlumniOutcomeViewSet(RecordViewSet):
    model = AlumniOutcome
    serializer_class = AlumniOutcomeSerializer
    filterset_class = OutcomeFilter
    selectors = (selectors.outcome_list, selectors.outcome_get)
