"""Building blocks shared by the API's viewsets."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action


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
