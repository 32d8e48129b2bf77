"""Building blocks shared by the API's viewsets."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation.api.permissions import RecordFirstPermission


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
