"""Documents over the API: listed and read as the user may see them (a partner user: only those visible to the
partner, of its own organisation or programmes), uploaded as multipart with their first file, given new versions,
changed and withdrawn through the module's services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import (
    CreateByService,
    RecordViewSet,
    UpdateByService,
    documented,
    record_action,
    validated_input,
    writes,
)
from cooperation.roles import Perm
from programs.documents import selectors, services
from programs.documents.api.serializers import (
    DocumentChangeSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    VersionCreateSerializer,
    WithdrawSerializer,
)
from programs.documents.models import Document


@documented(
    list=(_("List documents"), _("Partner users see the documents visible to the partner, of their own.")),
    retrieve=_("Show a document with all its versions"),
    create=(
        _("Upload a document"),
        _(
            "Multipart: the file and what the document is, on a `programme` or an `organisation` (exactly one). "
            "An empty, too large or unrecognised file is refused at `file` (`invalid_file`)."
        ),
    ),
    partial_update=_("Change a document's title, type, date or visibility"),
    update=_("Change a document's title, type, date and visibility"),
    moves={"withdraw": (_("Withdraw a document"), _("Partners no longer see it; its files are kept."))},
)
class DocumentViewSet(CreateByService, UpdateByService, RecordViewSet):
    model = Document
    serializer_class = DocumentSerializer
    detail_serializer_class = DocumentDetailSerializer
    write_serializer_classes = writes(create=DocumentCreateSerializer, update=DocumentChangeSerializer)
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    selectors = (selectors.document_list, selectors.document_get)
    create_service = (services.document_upload, "uploaded_by")
    update_service = (services.document_change, "changed_by")
    move_perms = {"withdraw": Perm.CHANGE_DOCUMENT}
    moves = {"withdraw": (services.document_withdraw, "withdrawn_by", WithdrawSerializer)}

    @record_action(
        permission=perm_on_visible_record(Perm.ADD_DOCUMENT),
        output=DocumentDetailSerializer,
        body=VersionCreateSerializer,
        summary=_("Add a version of a document"),
        description=_("Multipart: the new file and a note. The older versions are kept."),
        created=True,
        upload=True,
    )
    def versions(self, request, *args, **kwargs):
        document = self.get_object()
        data = validated_input(self, VersionCreateSerializer)
        with service_errors():
            services.version_add(document=document, uploaded_by=request.user, **data)
        return self.detail_response(document, status.HTTP_201_CREATED)
