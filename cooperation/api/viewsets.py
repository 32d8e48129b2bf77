"""Building blocks shared by the API's viewsets."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import RecordFirstPermission, perm_on_visible_record
from cooperation.roles import Perm


class WriteSerializersMixin:
    """Reads use ``serializer_class`` (output); each write method has its own small input serializer.

    ``get_serializer_class`` follows the HTTP method, so OPTIONS, the browsable
    API's forms and ``self.get_serializer(data=...)`` in a write handler all see
    the input serializer, while responses are always shaped by the output one.
    """

    write_serializer_classes: dict = {}

    def get_serializer_class(self):
        method = getattr(getattr(self, "request", None), "method", "GET")
        return self.write_serializer_classes.get(method) or super().get_serializer_class()

    def get_output_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, context=self.get_serializer_context(), **kwargs)


def record_action(*, permission, output, body=None, summary, description="", name=None):
    """A POST action on one record that calls one service: its permission class, input and documented answer.

    ``name`` is the URL path and URL name when the method's own name cannot carry it (``dispatch`` and
    ``return`` are taken).
    """

    def decorate(method):
        name_in_url = name or method.__name__.replace("_", "-")
        routed = action(
            detail=True,
            methods=["post"],
            url_path=name_in_url,
            url_name=name_in_url,
            permission_classes=[permission],
            filter_backends=[],
            serializer_class=output,
            write_serializer_classes={"POST": body} if body else {},
        )(method)
        # After @action, which replaces the method's kwargs, where drf-spectacular keeps the documentation.
        return extend_schema(summary=summary, description=description, request=body, responses={200: output})(routed)

    return decorate


class move_action:  # noqa: N801 - used like the decorators it replaces
    """A status move of one record declared as data: the method that finds the record, checks the body with
    ``input``, calls ``service`` and answers with the record read back, routed and documented like
    ``record_action``.

    The service is called with the record under the viewset's ``record_keyword``, the user under ``actor`` and
    the checked body as keywords: ``submit = move_action(services.loan_submit, actor="submitted_by", ...)``.
    ``permission`` is the role's permission, checked once the selector has found the record.
    """

    def __init__(self, service, *, actor, permission: Perm, output, input=None, summary, description="", name=None):
        self.service = service
        self.actor = actor
        self.input = input
        self.documented = dict(
            permission=perm_on_visible_record(permission),
            output=output,
            body=input,
            summary=summary,
            description=description,
            name=name,
        )

    def __set_name__(self, owner, name):
        def move(view, request, *args, **kwargs):
            record = view.get_object()
            data = validated_input(view, self.input) if self.input else {}
            with service_errors():
                self.service(**{view.record_keyword: record, self.actor: request.user}, **data)
            return view.detail_response(record)

        move.__name__ = move.__qualname__ = name
        setattr(owner, name, record_action(**self.documented)(move))


def validated_input(view, serializer_class) -> dict:
    """The request's body checked by ``serializer_class`` (a 400 with field errors otherwise)."""
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RecordViewSet(WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A module's records through its selectors: lists scoped to the user, one record found before any permission
    is checked (so a record the user may not see is a 404 whatever they ask of it), and every write answered with
    the record read back through the selector.

    A viewset names ``model`` and ``selectors = (list_selector, get_selector)``: ``list_selector(user=...)``
    returns the records the user may see, ``get_selector(user=..., pk=...)`` one of them or raises Http404.
    It may override ``list_queryset``/``get_record`` when its selectors take more than the user.
    """

    permission_classes = [RecordFirstPermission]
    filter_backends = [DjangoFilterBackend]
    lookup_value_converter = "int"
    model = None
    selectors: tuple = ()
    ordering: tuple = ()  # the list's default order, when its filter sets none
    record_keyword = ""  # the keyword the module's services take this record by (``loan=``)
    service_error_fields: dict | None = None  # a service's field names -> where the API input carries them

    def list_queryset(self):
        records = self.selectors[0](user=self.request.user)
        return records.order_by(*self.ordering) if self.ordering else records

    def get_record(self, pk):
        return self.selectors[1](user=self.request.user, pk=pk)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return self.model.objects.none()
        return self.list_queryset()

    def get_object(self):
        record = self.get_record(self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def detail_response(self, record, status_code=status.HTTP_200_OK) -> Response:
        """The answer to a write: the record as stored, read back as this user may see it."""
        record = self.get_record(record.pk)
        return Response(self.get_output_serializer(record).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_output_serializer(self.get_object()).data)

    def write_input(self, record=None, *, partial=False) -> dict:
        """The request's body checked by the method's input serializer (a 400 with field errors otherwise)."""
        serializer = self.get_serializer(record, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class CreateByService:
    """POST on the list: the body checked by the input serializer, one service creates the record (201).

    ``create_service = (service, actor)`` calls ``service(<actor>=user, **body)``; a viewset whose body needs
    more than that overrides ``create_record``.
    """

    create_service: tuple = ()

    def create(self, request, *args, **kwargs):
        data = self.write_input()
        with service_errors(self.service_error_fields):
            record = self.create_record(data)
        return self.detail_response(record, status.HTTP_201_CREATED)

    def create_record(self, data: dict):
        service, actor = self.create_service
        return service(**{actor: self.request.user}, **data)


class UpdateByService:
    """PUT and PATCH on one record: the body checked by the input serializer, one service changes the record.

    ``update_service = (service, actor)`` calls ``service(<record_keyword>=record, <actor>=user, **body)``.
    """

    update_service: tuple = ()

    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        data = self.write_input(record, partial=partial)
        with service_errors(self.service_error_fields):
            self.update_record(record, data)
        return self.detail_response(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def update_record(self, record, data: dict) -> None:
        service, actor = self.update_service
        service(**{self.record_keyword: record, actor: self.request.user}, **data)
