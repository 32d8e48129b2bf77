"""Programmes, participations and progress notes over the API.

Querysets come from the selectors, so a partner user reaches only their
organisation's records (anything else is 404); every write is a service call.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_required
from cooperation.api.viewsets import WriteSerializersMixin
from cooperation.roles import Perm
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
from programs.selectors import participation_list, programme_get, programme_list, programme_updates
from programs.services import (
    participation_create,
    participation_delete,
    participation_update,
    programme_create,
    programme_update,
    programme_update_post,
)


@extend_schema_view(
    list=extend_schema(summary=_("List programmes")),
    retrieve=extend_schema(summary=_("Show a programme")),
    create=extend_schema(
        summary=_("Create a programme with its participants"),
        request=ProgrammeWriteSerializer,
        responses={201: ProgrammeSerializer},
    ),
    update=extend_schema(
        summary=_("Replace a programme"),
        request=ProgrammeWriteSerializer,
        responses={200: ProgrammeSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a programme"),
        request=ProgrammeWriteSerializer,
        responses={200: ProgrammeSerializer},
    ),
)
@extend_schema(tags=["programmes"])
class ProgrammeViewSet(
    WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # No delete: a programme ends as closed or cancelled and keeps its history.
    serializer_class = ProgrammeSerializer
    write_serializer_classes = {
        "POST": ProgrammeWriteSerializer,
        "PUT": ProgrammeWriteSerializer,
        "PATCH": ProgrammeWriteSerializer,
    }
    # Participants, objectives and codes are nested lists: only JSON carries them.
    parser_classes = [JSONParser]
    # The filterset carries the search (`q`) and the `ordering` of the list page.
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProgrammeFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return Programme.objects.none()
        # The list shows sectors and objectives too: fetch them in one query each, not one per row.
        return programme_list(user=self.request.user).prefetch_related("sectors", "objectives")

    def get_object(self):
        programme = programme_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, programme)
        return programme

    def _read_back(self, programme: Programme) -> dict:
        # Read the saved programme through the selector: the response shows what is stored.
        return self.get_output_serializer(programme_get(user=self.request.user, pk=programme.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors(ProgrammeWriteSerializer.SERVICE_ERROR_FIELDS):
            programme = programme_create(created_by=request.user, **serializer.service_arguments())
        return Response(self._read_back(programme), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        programme = self.get_object()
        serializer = self.get_serializer(programme, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        with service_errors(ProgrammeWriteSerializer.SERVICE_ERROR_FIELDS):
            programme_update(programme=programme, updated_by=request.user, **serializer.service_arguments())
        return Response(self._read_back(programme))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary=_("Post a progress note on a programme"),
        description=_("A partner user posts on behalf of their organisation, only on its own programmes."),
        request=ProgrammeUpdateWriteSerializer,
        responses={201: ProgrammeUpdateSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="updates",
        url_name="post-update",
        permission_classes=[perm_required(Perm.ADD_PROGRAMME_UPDATE)],
        filter_backends=[],
        serializer_class=ProgrammeUpdateSerializer,
        write_serializer_classes={"POST": ProgrammeUpdateWriteSerializer},
    )
    def post_update(self, request, *args, **kwargs):
        programme = self.get_object()  # 404 before anything is read or saved for a programme out of reach
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = programme_update_post(programme=programme, author=request.user, **serializer.validated_data)
        return Response(self.get_output_serializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List participations of partners in programmes")),
    retrieve=extend_schema(summary=_("Show a participation")),
    create=extend_schema(
        summary=_("Add a partner to a programme"),
        request=ParticipationCreateSerializer,
        responses={201: ParticipationSerializer},
    ),
    update=extend_schema(
        summary=_("Change a partner's role or commitment"),
        request=ParticipationWriteSerializer,
        responses={200: ParticipationSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a partner's role or commitment"),
        request=ParticipationWriteSerializer,
        responses={200: ParticipationSerializer},
    ),
    destroy=extend_schema(summary=_("Remove a partner from a programme")),
)
@extend_schema(tags=["participations"])
class ParticipationViewSet(
    WriteSerializersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ParticipationSerializer
    # The programme and partner of a participation are fixed; a change of either is a new participation.
    write_serializer_classes = {
        "POST": ParticipationCreateSerializer,
        "PUT": ParticipationWriteSerializer,
        "PATCH": ParticipationWriteSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = ParticipationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        return participation_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = participation_create(created_by=request.user, **serializer.validated_data)
        return Response(self.get_output_serializer(participation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        participation = self.get_object()
        serializer = self.get_serializer(participation, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        participation = participation_update(
            participation=participation, updated_by=request.user, **serializer.validated_data
        )
        return Response(self.get_output_serializer(participation).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        participation_delete(participation=instance, deleted_by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary=_("List progress notes on programmes")),
    retrieve=extend_schema(summary=_("Show a progress note")),
)
@extend_schema(tags=["programme updates"])
class ProgrammeUpdateViewSet(viewsets.ReadOnlyModelViewSet):
    """Progress notes are posted on their programme: `POST /api/v1/programmes/{id}/updates/`."""

    serializer_class = ProgrammeUpdateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProgrammeUpdateFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgrammeUpdate.objects.none()
        return programme_updates(user=self.request.user)
