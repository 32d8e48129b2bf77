"""Token login for API clients, logging a token out, and a user's own tokens."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation.accounts import lockout, selectors, services, twofactor
from cooperation.accounts.models import ApiToken, RevokeReason
from cooperation.api.authentication import ApiTokenAuthentication
from cooperation.api.throttling import ScopedClientRateThrottle

LOCKED_OUT_MESSAGE = _("Too many failed login attempts: this account is locked for a while. Try again later.")
CODE_NEEDED = _(
    "This account uses two-factor login: send the code your authenticator app shows now (or a recovery code) in otp."
)
CODE_WRONG = _("That code is not right.")
ENROL_FIRST = _("Your role requires two-factor login: turn it on from your profile on the web, then ask again.")


class AuthTokenSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150, write_only=True)
    password = serializers.CharField(
        label=_("Password"), max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        label=_("Two-factor code"),
        max_length=twofactor.CODE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "Required when the account uses two-factor login: the six-digit code the authenticator app shows now, "
            "or one of the account's recovery codes (each works once)."
        ),
    )
    name = serializers.CharField(
        label=_("Token name"),
        max_length=100,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("A name to recognise the token by in the list of your tokens."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            # django-axes refuses a locked-out username inside authenticate(); say so, rather
            # than "wrong credentials", which would invite the user to keep trying.
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(detail=LOCKED_OUT_MESSAGE)
            raise serializers.ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        if twofactor.has_two_factor(user):
            self._check_code(request, user, attrs.get("otp", ""))
        elif twofactor.two_factor_required(user):
            raise exceptions.PermissionDenied(ENROL_FIRST)
        attrs["user"] = user
        return attrs

    def _check_code(self, request, user, code):
        if not code:
            raise serializers.ValidationError({"otp": [CODE_NEEDED]}, code="otp_required")
        username = user.get_username()
        if lockout.is_locked_out(request, username):
            raise exceptions.Throttled(detail=LOCKED_OUT_MESSAGE)
        check = services.two_factor_check(user=user, code=code)
        if check.retry_after_seconds:
            raise exceptions.Throttled(wait=check.retry_after_seconds)
        if not check.accepted:
            if lockout.count_wrong_code(request, username):
                raise exceptions.Throttled(detail=LOCKED_OUT_MESSAGE)
            raise serializers.ValidationError({"otp": [CODE_WRONG]}, code="otp_invalid")


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Send it as `Authorization: Token <token>`."))
    expires_at = serializers.DateTimeField(read_only=True, help_text=_("After this moment the token opens nothing."))


class ObtainApiTokenView(APIView):
    # No session or token is needed to ask for a token, so no CSRF check either;
    # guessing is slowed by the throttle and by the login lockout, which counts wrong codes too.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedClientRateThrottle,)
    throttle_scope = "token"
    serializer_class = AuthTokenSerializer

    def get_serializer(self, *args, **kwargs):
        return AuthTokenSerializer(*args, context={"request": self.request, "view": self}, **kwargs)

    @extend_schema(
        operation_id="auth_token_create",
        summary=_("Obtain an API token"),
        request=AuthTokenSerializer,
        responses={200: ApiTokenSerializer},
        description=_(
            "Each login issues a new token, which ends after `API_TOKEN_TTL_HOURS` (24 hours by default), at "
            "`POST /api/v1/auth/logout/`, when its owner logs out of the web, and when the password changes. "
            "An account with two-factor login must send the current code in `otp`. Wrong credentials or a "
            "wrong or missing code answer 400. Repeated attempts are throttled, and a username with too many "
            "failed attempts (wrong passwords and wrong codes alike) is locked for a while; both answer 429. "
            "A user whose role requires two-factor login and who has not turned it on gets 403."
        ),
        auth=[],
        tags=["auth"],
        examples=[
            OpenApiExample("Login", value={"username": "officer", "password": "kerjasama-demo"}, request_only=True),
            OpenApiExample(
                "Login with two-factor code",
                value={"username": "manager", "password": "kerjasama-demo", "otp": "123456", "name": "report"},
                request_only=True,
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.api_token_issue(
            user=serializer.validated_data["user"], name=serializer.validated_data.get("name", "")
        )
        return Response(ApiTokenSerializer({"token": key, "expires_at": token.expires_at}).data)


class ApiLogoutView(APIView):
    """Ends the token that sends the request."""

    authentication_classes = (ApiTokenAuthentication,)
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="auth_logout",
        summary=_("Log out: revoke this token"),
        description=_("Revokes the token sent in the `Authorization` header; other tokens of the user stay."),
        request=None,
        responses={204: OpenApiResponse(description=_("The token no longer opens the API."))},
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        services.api_token_revoke(token=request.auth, reason=RevokeReason.LOGOUT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OwnApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(source="key_prefix", read_only=True, help_text=_("The key's first characters."))
    current = serializers.SerializerMethodField(help_text=_("Whether this is the token that sent the request."))

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        presented = getattr(self.context.get("request"), "auth", None)
        return isinstance(presented, ApiToken) and presented.pk == token.pk


@extend_schema_view(
    list=extend_schema(summary=_("Your live API tokens"), tags=["auth"]),
    retrieve=extend_schema(summary=_("One of your API tokens"), tags=["auth"]),
    destroy=extend_schema(
        summary=_("Revoke one of your API tokens"),
        description=_("Another user's token, or one that has ended, is a 404."),
        tags=["auth"],
    ),
)
class OwnApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's own tokens that still open the API (keys are never shown again)."""

    serializer_class = OwnApiTokenSerializer
    permission_classes = (IsAuthenticated,)
    lookup_value_converter = "int"
    filter_backends = ()

    def get_queryset(self):
        return selectors.own_live_api_tokens(self.request.user)

    def perform_destroy(self, instance):
        services.api_token_revoke(token=instance, reason=RevokeReason.OWNER)
