"""Partner organisations over the API, with the same permissions and scoping as the pages."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from cooperation.api.viewsets import WriteSerializersMixin
from partners.api.serializers import OrganisationSerializer, OrganisationWriteSerializer
from partners.filters import OrganisationFilter
from partners.models import Organisation
from partners.selectors import organisation_get, organisation_list
from partners.services import organisation_create, organisation_update


@extend_schema_view(
    list=extend_schema(summary=_("List partner organisations")),
    retrieve=extend_schema(summary=_("Show a partner organisation")),
    create=extend_schema(
        summary=_("Create a partner organisation"),
        request=OrganisationWriteSerializer,
        responses={201: OrganisationSerializer},
    ),
    update=extend_schema(
        summary=_("Replace a partner organisation"),
        request=OrganisationWriteSerializer,
        responses={200: OrganisationSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a partner organisation"),
        request=OrganisationWriteSerializer,
        responses={200: OrganisationSerializer},
    ),
)
@extend_schema(tags=["partners"])
class OrganisationViewSet(
    WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # No delete: a partner is made inactive, so what refers to it and its history stay readable.
    serializer_class = OrganisationSerializer
    write_serializer_classes = {
        "POST": OrganisationWriteSerializer,
        "PUT": OrganisationWriteSerializer,
        "PATCH": OrganisationWriteSerializer,
    }
    # The filterset carries the search (`q`) and the `ordering` of the list page.
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganisationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return Organisation.objects.none()
        # The selector's count annotation groups rows, and Django drops Meta.ordering from grouped
        # queries: order explicitly so pages are stable (the filterset's `ordering` replaces it).
        return organisation_list(user=self.request.user).order_by("name", "pk")

    def get_object(self):
        organisation = organisation_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, organisation)
        return organisation

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(created_by=request.user, **serializer.validated_data)
        return Response(self.get_output_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        serializer = self.get_serializer(organisation, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        organisation = organisation_update(
            organisation=organisation, updated_by=request.user, **serializer.validated_data
        )
        return Response(self.get_output_serializer(organisation).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
