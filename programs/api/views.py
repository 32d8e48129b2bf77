"""Programmes, participations and progress notes over the API.

Querysets come from the selectors, so a partner user reaches only their
organisation's records (anything else is 404); every write is a service call.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from cooperation.api.permissions import RolePermission, perm_required
from cooperation.api.viewsets import (
    CreateByService,
    DestroyByService,
    RecordViewSet,
    UpdateByService,
    documented,
    record_action,
    writes,
)
from cooperation.roles import Perm
from programs import selectors, services
from programs.api.filters import ParticipationFilter, ProgrammeUpdateFilter
from programs.api.serializers import (
    ParticipationCreateSerializer,
    ParticipationSerializer,
    ParticipationWriteSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateSerializer,
    ProgrammeUpdateWriteSerializer,
    ProgrammeWriteSerializer,
)
from programs.filters import ProgrammeFilter
from programs.models import Participation, Programme, ProgrammeUpdate


@documented(
    tag="programmes",
    list=_("List programmes"),
    retrieve=_("Show a programme"),
    create=_("Create a programme with its participants"),
    update=_("Replace a programme"),
    partial_update=_("Change some fields of a programme"),
)
class ProgrammeViewSet(CreateByService, UpdateByService, RecordViewSet):
    # No delete: a programme ends as closed or cancelled and keeps its history.
    model = Programme
    selectors = (selectors.programme_list, selectors.programme_get)
    list_prefetch = ("sectors", "objectives")
    create_service = (services.programme_create, "created_by")
    update_service = (services.programme_update, "updated_by")
    service_error_fields = ProgrammeWriteSerializer.SERVICE_ERROR_FIELDS
    serializer_class = ProgrammeSerializer
    write_serializer_classes = writes(create=ProgrammeWriteSerializer, update=ProgrammeWriteSerializer)
    # Participants, objectives and codes are nested lists: only JSON carries them.
    parser_classes = [JSONParser]
    # The filterset carries the search (`q`) and the `ordering` of the list page.
    filterset_class = ProgrammeFilter

    @record_action(
        permission=perm_required(Perm.ADD_PROGRAMME_UPDATE),
        output=ProgrammeUpdateSerializer,
        body=ProgrammeUpdateWriteSerializer,
        summary=_("Post a progress note on a programme"),
        description=_("A partner user posts on behalf of their organisation, only on its own programmes."),
        path="updates",
        created=True,
    )
    def post_update(self, request, *args, **kwargs):
        programme = self.get_object()  # 404 before anything is read or saved for a programme out of reach
        update = services.programme_update_post(programme=programme, author=request.user, **self.write_input())
        return Response(self.get_output_serializer(update).data, status=status.HTTP_201_CREATED)


@documented(
    tag="participations",
    list=_("List participations of partners in programmes"),
    retrieve=_("Show a participation"),
    create=_("Add a partner to a programme"),
    update=_("Change a partner's role or commitment"),
    partial_update=_("Change a partner's role or commitment"),
    destroy=_("Remove a partner from a programme"),
)
class ParticipationViewSet(CreateByService, UpdateByService, DestroyByService, RecordViewSet):
    model = Participation
    selectors = (selectors.participation_list,)
    # The role's permissions before the lookup, as this endpoint always answered: no record-first 404.
    permission_classes = [RolePermission]
    create_service = (services.participation_create, "created_by")
    update_service = (services.participation_update, "updated_by")
    destroy_service = (services.participation_delete, "deleted_by")
    serializer_class = ParticipationSerializer
    # The programme and partner of a participation are fixed; a change of either is a new participation.
    write_serializer_classes = writes(create=ParticipationCreateSerializer, update=ParticipationWriteSerializer)
    filterset_class = ParticipationFilter


@documented(tag="programme updates", list=_("List progress notes on programmes"), retrieve=_("Show a progress note"))
class ProgrammeUpdateViewSet(RecordViewSet):
    """Progress notes are posted on their programme: `POST /api/v1/programmes/{id}/updates/`."""

    model = ProgrammeUpdate
    selectors = (selectors.programme_updates,)
    permission_classes = [RolePermission]
    serializer_class = ProgrammeUpdateSerializer
    filterset_class = ProgrammeUpdateFilter
