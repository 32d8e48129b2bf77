"""Building blocks shared by the API's viewsets."""


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
