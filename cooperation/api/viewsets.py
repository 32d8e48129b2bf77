"""Building blocks shared by the API's viewsets."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation import kept
from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import RecordFirstPermission, perm_on_visible_record


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


def writes(*, create=None, update=None) -> dict:
    """Each write method's input serializer, for ``write_serializer_classes``: ``create`` checks a POST's body,
    ``update`` a PUT's and a PATCH's alike (a PATCH checks only the fields it sends)."""
    methods = {"POST": create, "PUT": update, "PATCH": update}
    return {method: serializer for method, serializer in methods.items() if serializer}


def record_action(
    *, permission, output, body=None, summary=None, description="", name=None, path=None, created=False, upload=False
):
    """A POST action on one record that calls one service: its permission class, input and documented answer.

    ``name`` is the URL path and URL name when the method's own name cannot carry it (``dispatch`` and
    ``return`` are taken); ``path`` the URL path alone. ``created`` answers 201 (the action adds a record), and
    ``upload`` reads the body as a form with files.
    """

    def decorate(method):
        name_in_url = name or method.__name__.replace("_", "-")
        routed = action(
            detail=True,
            methods=["post"],
            url_path=path or name_in_url,
            url_name=name_in_url,
            permission_classes=[permission],
            filter_backends=[],
            serializer_class=output,
            write_serializer_classes={"POST": body} if body else {},
            **({"parser_classes": [MultiPartParser, FormParser]} if upload else {}),
        )(method)
        # After @action, which replaces the method's kwargs, where drf-spectacular keeps the documentation.
        request = {"multipart/form-data": body} if upload else body
        answer = {status.HTTP_201_CREATED if created else status.HTTP_200_OK: output}
        return extend_schema(summary=summary, description=description, request=request, responses=answer)(routed)

    return decorate


class move_action:  # noqa: N801 - used like the decorators it replaces
    """A status move of one record declared as data: the method that finds the record, checks the body with
    ``input``, calls ``service`` and answers with the record read back, routed and documented like
    ``record_action``: ``reject = move_action(services.loan_reject, "rejected_by", ReasonSerializer, summary=...)``.
    A viewset with several moves declares them in its ``moves`` table instead, and documents them with ``documented``.

    The service gets the record under the viewset's ``record_keyword``, the user under ``actor`` and the checked
    body as keywords. The permission, checked once the selector has found the record, is the one the module's
    services give the move in the viewset's ``move_perms`` (by ``name``, else the attribute's name) unless
    ``permission`` names it; the answer is documented as the viewset's detail serializer unless ``output`` says.
    """

    def __init__(
        self, service, actor: str, input=None, *, summary=None, description="", name=None, permission=None, output=None
    ):
        self.service, self.actor, self.input, self.name = service, actor, input, name
        self.permission, self.output = permission, output
        self.documented = dict(body=input, summary=summary, description=description, name=name)

    def __set_name__(self, owner, attribute):
        def move(view, request, *args, **kwargs):
            record = view.get_object()
            data = validated_input(view, self.input) if self.input else {}
            with service_errors():
                self.service(**{view.record_keyword: record, self.actor: request.user}, **data)
            return view.detail_response(record)

        move.__name__ = move.__qualname__ = attribute
        permission = self.permission or owner.move_perms[self.name or attribute]
        output = self.output or owner.detail_serializer_class or owner.serializer_class
        routed = record_action(permission=perm_on_visible_record(permission), output=output, **self.documented)
        setattr(owner, attribute, routed(move))


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
    list_prefetch: tuple = ()  # what each row of the list shows beside itself, in one query each, not one per row
    detail_serializer_class = None  # one record's fuller shape, for retrieve and every write's answer
    record_keyword = ""  # how the module's services name this record (``loan=``): the model's name unless set
    move_perms: dict = {}  # each move's permission, as the module's services declare it
    # Each status move by name: ``(service, actor, input serializer or None)``, one ``move_action`` each; the method
    # is named after the move unless a view already has that name (``dispatch``): then ``<move>_<record_keyword>``.
    moves: dict = {}
    move_methods: dict = {}  # each move's method, by the move's name
    service_error_fields: dict | None = None  # a service's field names -> where the API input carries them

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None and not cls.record_keyword:
            cls.record_keyword = cls.model._meta.model_name
        cls.move_methods = dict(cls.move_methods)
        for name, (service, actor, input) in cls.__dict__.get("moves", {}).items():
            method = f"{name}_{cls.record_keyword}" if hasattr(cls, name) else name
            move_action(service, actor, input, name=name if method != name else None).__set_name__(cls, method)
            cls.move_methods[name] = method

    def get_serializer_class(self):
        if self.detail_serializer_class and getattr(self, "action", None) == "retrieve":
            return self.detail_serializer_class
        return super().get_serializer_class()

    def get_output_serializer(self, *args, **kwargs):
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    def list_queryset(self):
        records = self.selectors[0](user=self.request.user).prefetch_related(*self.list_prefetch)
        return records.order_by(*self.ordering) if self.ordering else records

    def get_record(self, pk):
        if len(self.selectors) == 1:  # no selector of one record: it is one of the list's
            return get_object_or_404(self.list_queryset(), pk=pk)
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

    def list(self, request, *args, **kwargs):
        """A page of the list; answered as JSON, it is kept for each state of the data, for the same user and query,
        and after someone else's change answered as last computed while the worker computes it afresh, saying when
        in the ``Figures-As-Of`` header (``cooperation.kept.latest_kept``). Throttles and permissions have been
        applied."""
        latest = None
        if request.accepted_renderer.format == "json":
            latest = kept.latest_kept(request, f"api:{self.basename}")
        if latest is not None and latest.kept is not None:
            response = Response(latest.kept["body"])
            if latest.updating:
                response[kept.FIGURES_AS_OF] = latest.kept["at"].isoformat(timespec="seconds")
            return response
        response = super().list(request, *args, **kwargs)
        if latest is not None and response.status_code == status.HTTP_200_OK:
            latest.computed({"body": response.data})
        return response

    def write_input(self, record=None, *, partial=False) -> dict:
        """The request's body checked by the method's input serializer (a 400 with field errors otherwise), as the
        service's keyword arguments: the serializer's ``service_arguments()`` when it shapes them itself."""
        serializer = self.get_serializer(record, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if hasattr(serializer, "service_arguments"):
            return serializer.service_arguments()
        return dict(serializer.validated_data)


class PagedByIds:
    """A list sorted, filtered and paged without the figures of its rows (``rows_selector(user=)``), which
    ``page_selector(ids, user=)`` then reads for the page's rows alone: the OFFSET walks an index, not every row's
    sums."""

    rows_selector = None
    page_selector = None

    def list_queryset(self):
        if getattr(self, "action", None) != "list":
            return super().list_queryset()
        rows = self.rows_selector(user=self.request.user)
        return rows.order_by(*self.ordering) if self.ordering else rows

    def paginate_queryset(self, queryset):
        if getattr(self, "action", None) != "list":
            return super().paginate_queryset(queryset)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return None if ids is None else self.page_selector(ids, user=self.request.user)


class CreateByService:
    """POST on the list: the body checked by the input serializer, one service creates the record (201).

    ``create_service = (service, actor)`` calls ``service(<actor>=user, **body)``; a viewset whose body needs more
    than that overrides ``create_record``.
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


class DestroyByService(mixins.DestroyModelMixin):
    """DELETE on one record: one service removes it (204).

    ``destroy_service = (service, actor)`` calls ``service(<record_keyword>=record, <actor>=user)``.
    """

    destroy_service: tuple = ()

    def perform_destroy(self, instance):
        service, actor = self.destroy_service
        with service_errors(self.service_error_fields):
            service(**{self.record_keyword: instance, actor: self.request.user})


WRITE_OPERATIONS = {"create": ("POST", 201), "update": ("PUT", 200), "partial_update": ("PATCH", 200)}


def documented(*, tag: str = "", moves: dict | None = None, **operations):
    """The viewset's operations in the schema under ``tag`` (its model's module unless set): each operation's
    summary, or ``(summary, description)``.

    A write's request is the viewset's input serializer for its method and its answer the record's detail shape,
    as the viewset declares them: ``@documented(tag="loans", list=_("List loans"), create=_("Draft a loan"))``.
    ``moves`` documents each move of the viewset's ``moves`` table by its name in the same way
    (``moves={"submit": _("Submit a draft loan for approval")}``).
    """

    def decorate(viewset):
        answer = viewset.detail_serializer_class or viewset.serializer_class
        schemas = {}
        named = {**operations, **{viewset.move_methods[move]: text for move, text in (moves or {}).items()}}
        for operation, text in named.items():
            summary, *description = text if isinstance(text, tuple) else (text,)
            documented = {"summary": summary, **({"description": description[0]} if description else {})}
            if operation in WRITE_OPERATIONS:
                method, status_code = WRITE_OPERATIONS[operation]
                documented.update(request=viewset.write_serializer_classes[method], responses={status_code: answer})
            schemas[operation] = extend_schema(**documented)
        return extend_schema_view(**schemas)(extend_schema(tags=[tag or viewset.model._meta.app_label])(viewset))

    return decorate
