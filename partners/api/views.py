"""Partner organisations over the API, with the same permissions and scoping as the pages."""

from django.utils.translation import gettext_lazy as _

from cooperation.api.viewsets import CreateByService, PagedByIds, RecordViewSet, UpdateByService, documented, writes
from partners import selectors, services
from partners.api.serializers import OrganisationSerializer, OrganisationWriteSerializer
from partners.filters import OrganisationFilter
from partners.models import Organisation


@documented(
    list=_("List partner organisations"),
    retrieve=_("Show a partner organisation"),
    create=_("Create a partner organisation"),
    update=_("Replace a partner organisation"),
    partial_update=_("Change some fields of a partner organisation"),
)
class OrganisationViewSet(PagedByIds, CreateByService, UpdateByService, RecordViewSet):
    # No delete: a partner is made inactive, so what refers to it and its history stay readable.
    model = Organisation
    # Sorted, filtered and paged without the registered counts, which are read for the page's rows alone.
    rows_selector = staticmethod(selectors.organisation_choices)
    page_selector = staticmethod(selectors.organisation_page)
    selectors = (selectors.organisation_list, selectors.organisation_get)
    ordering = ("name", "pk")
    create_service = (services.organisation_create, "created_by")
    update_service = (services.organisation_update, "updated_by")
    serializer_class = OrganisationSerializer
    write_serializer_classes = writes(create=OrganisationWriteSerializer, update=OrganisationWriteSerializer)
    # The filterset carries the search (`q`) and the `ordering` of the list page.
    filterset_class = OrganisationFilter
