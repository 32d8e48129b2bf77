"""Token login for API clients."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from cooperation.api.services import api_token_issue

LOCKED_OUT_MESSAGE = _("Too many failed login attempts: this account is locked for a while. Try again later.")


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Send it as `Authorization: Token <token>`."))


class ObtainApiTokenView(ObtainAuthToken):
    # No session or token is needed to ask for a token, so no CSRF check either;
    # guessing is slowed by the throttle and by the login lockout.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        summary=_("Obtain an API token"),
        request=AuthTokenSerializer,
        responses={200: ApiTokenSerializer},
        description=_(
            "Wrong credentials answer 400. Repeated attempts are throttled, and a username with too many "
            "failed attempts is locked for a while; both answer 429."
        ),
        auth=[],
        tags=["auth"],
        examples=[
            OpenApiExample(
                "Login", value={"username": "officer", "password": "kerjasama-demo"}, request_only=True
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes refuses a locked-out username inside authenticate(); say so, rather
            # than "wrong credentials", which would invite the user to keep trying.
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(detail=LOCKED_OUT_MESSAGE)
            raise exceptions.ValidationError(serializer.errors)
        token = api_token_issue(user=serializer.validated_data["user"])
        return Response(ApiTokenSerializer({"token": token.key}).data)
