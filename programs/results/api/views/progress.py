"""``/programmes/{id}/results/progress/``: how far each indicator of a programme's framework has come, as the
framework page shows it. Whoever may not read the programme's framework gets a 404, as for a programme that does
not exist (a partner user reads the frameworks of the programmes their organisation takes part in)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from programs.models import Programme
from programs.results import selectors
from programs.results.api.serializers.progress import ProgrammeProgressSerializer
from programs.results.selectors.progress import thresholds


class SignedIn(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class ProgrammeResultsViewSet(viewsets.GenericViewSet):
    permission_classes = [SignedIn]
    lookup_value_converter = "int"
    queryset = Programme.objects.none()
    serializer_class = ProgrammeProgressSerializer

    @extend_schema(
        tags=["results"],
        summary=_("A programme's results progress"),
        description=_(
            "Each indicator of the programme's framework, highest-level result first: its baseline, the target due "
            "by the last period with an approved value, the approved actual to date, how far along it is in "
            "percent (whichever way it should move) and whether that is on track, at risk or off track, with "
            "each period's target and approved value. Only approved values count."
        ),
        responses={200: ProgrammeProgressSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="results/progress",
        url_name="results-progress",
        filter_backends=[],
        pagination_class=None,
    )
    def results_progress(self, request, pk=None):
        programme = selectors.programme_for_framework(user=request.user, pk=pk)
        progress = selectors.programme_progress(user=request.user, programme=programme)
        on_track, at_risk = thresholds()
        answer = {
            "programme": programme,
            "on_track_percent": on_track,
            "at_risk_percent": at_risk,
            "counts": {status.value: count for status, count in selectors.status_counts(progress).items()},
            "indicators": progress,
        }
        return Response(ProgrammeProgressSerializer(answer).data)
