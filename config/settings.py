"""Kerjasama settings, read from the environment with safe development defaults.

Production mode (``KERJASAMA_PRODUCTION=1``) refuses to start without a real
secret key and turns on every transport-security setting the deploy check asks for.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from cooperation.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KERJASAMA_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("KERJASAMA_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)

_DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105 - refused in production mode
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production mode.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cooperation",
    "cooperation.reference",
    "cooperation.accounts",
    "cooperation.outbox",
    "cooperation.exports",
    "partners",
    "programs",
    "programs.finance",
    "programs.shipments",
    "programs.scholarships",
    "programs.results",
    "programs.budgets",
    "programs.documents",
    "programs.reporting",
    "config",  # last: the configuration, with `load_demo`, which fills every module
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files already compressed; above everything that writes a body.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cooperation.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cooperation.middleware.RememberWritesMiddleware",
    "cooperation.accounts.middleware.SessionIdleTimeoutMiddleware",
    "cooperation.accounts.middleware.TwoFactorGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cooperation.context_processors.navigation",
            ],
        },
    },
]
# Django's widget templates, with selects' options written out in Python (hundreds of countries or currencies).
FORM_RENDERER = "cooperation.form_rendering.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kerjasama.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A connection kept open across requests is tested before a request uses it: after a database
        # restart the request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker share the file: take the write lock when a transaction starts and wait
    # for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # The summaries' indexes carry extra columns on PostgreSQL, read from the index alone; SQLite builds them
    # without those columns, which is all it can, and the check saying so is noise.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", False):
    # The app's queries are short: PostgreSQL's JIT compiles their plans for longer than they run (seconds on
    # the large sums of a national portfolio). DATABASE_JIT=true leaves the server's own setting.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds counters every web server must share (the API throttles, the online applications' rate limits):
# Redis in production (CACHE_URL=redis://…); without it, each process's own memory.
_CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The dashboard's rendered body is kept for each state of the data, where the cache is shared (cooperation.changes).
KERJASAMA_KEEP_RENDERED = env_bool("KERJASAMA_KEEP_RENDERED", True)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for new passwords: its hook ends every API token when a password changes (form, reset, admin).
    {"NAME": "cooperation.accounts.passwords.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account:login"

# Repeated failed logins: lock the username from that address for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind a proxy every request comes from the proxy's address: the lockout and the API throttles key on the
# client address that KERJASAMA_TRUSTED_PROXIES implies (see cooperation.network).
AXES_CLIENT_IP_CALLABLE = "cooperation.network.client_ip"

# How many reverse proxies (TLS terminators, load balancers) stand in front of the app and append to
# X-Forwarded-For. With 0 the header is ignored entirely: anyone can write it.
KERJASAMA_TRUSTED_PROXIES = env_int("KERJASAMA_TRUSTED_PROXIES", 0)
if KERJASAMA_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("KERJASAMA_TRUSTED_PROXIES is a number of proxies: 0 or more.")

# Two-factor login (TOTP apps and one-time recovery codes). Required for administrators, superusers and
# managers when enforced — by default in production only, so the demo logs in with its password in
# development; KERJASAMA_2FA_FOR_ALL_STAFF extends the rule to officers and auditors. Partner users may
# turn it on from their profile; whoever has it on is always asked for a code.
KERJASAMA_2FA_ENFORCED = env_bool("KERJASAMA_2FA_ENFORCED", PRODUCTION)
KERJASAMA_2FA_FOR_ALL_STAFF = env_bool("KERJASAMA_2FA_FOR_ALL_STAFF", False)
OTP_TOTP_ISSUER = "Kerjasama"

# Sessions end after this long without a request, and in any case this long after logging in.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
# API tokens end this long after they are issued (and earlier on logout or a password change).
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 24)
for _name in ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "API_TOKEN_TTL_HOURS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Applicants' attachments: outside MEDIA_ROOT and static, never served by URL; views stream them to those allowed.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
if not PRODUCTION:
    # The embedded defaults keep their files (SQLite, broker queue, static files) under var/.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files browsers ask for at the site's root: /favicon.ico, for pages that name no icon (JSON, the admin).
WHITENOISE_ROOT = BASE_DIR / "public"

# Email: printed to the console in development; SMTP when EMAIL_HOST is set.
_EMAIL_HOST = env_str("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if _EMAIL_HOST
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": (
            {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            }
            if _EMAIL_HOST
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kerjasama <no-reply@kerjasama.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: an embedded filesystem broker by default, Redis or RabbitMQ via CELERY_BROKER_URL.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {}
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The outbox: every email is a row written with the change that causes it; a task delivers it after commit and
# a sweep on beat delivers whatever is still pending. Failed attempts wait about 1, 2, 4 … minutes (at most
# OUTBOX_RETRY_MAX_SECONDS) and the message fails after OUTBOX_MAX_ATTEMPTS; a deliverer that dies mid-send
# leaves its claim to the sweep once OUTBOX_CLAIM_SECONDS are over.
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 120)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 300)
OUTBOX_SWEEP_BATCH = env_int("OUTBOX_SWEEP_BATCH", 200)
DIGEST_HOUR = env_int("KERJASAMA_DIGEST_HOUR", 7)
# Loan repayment reminders: when the daily run starts, and which days before / after a due date.
LOAN_REMINDER_HOUR = env_int("LOAN_REMINDER_HOUR", 6)
LOAN_REMINDER_MINUTE = env_int("LOAN_REMINDER_MINUTE", 30)
LOAN_REMINDER_UPCOMING_DAYS = tuple(int(d) for d in env_list("LOAN_REMINDER_UPCOMING_DAYS", ["14", "3"]))
LOAN_REMINDER_OVERDUE_DAYS = tuple(int(d) for d in env_list("LOAN_REMINDER_OVERDUE_DAYS", ["1", "7", "30"]))
# An overdue reminder missed for longer than this is left to the officers rather than sent late.
LOAN_REMINDER_CATCH_UP_DAYS = env_int("LOAN_REMINDER_CATCH_UP_DAYS", 30)
# Shipments past their expected arrival: the daily alert run.
SHIPMENT_ALERT_HOUR = env_int("SHIPMENT_ALERT_HOUR", 7)
# Goods on the way (or arrived, not yet received) that expire within this many days: the officer and the consignee
# are told, once per shipment and expiry date, by the same daily run.
SHIPMENT_EXPIRY_WARNING_DAYS = env_int("SHIPMENT_EXPIRY_WARNING_DAYS", 30)
# Scholarship reminders (progress reports due, stipend tranches due): the daily run, and how many days
# before a tranche falls due the responsible officer hears of it.
SCHOLARSHIP_REMINDER_HOUR = env_int("SCHOLARSHIP_REMINDER_HOUR", 6)
SCHOLARSHIP_REMINDER_MINUTE = env_int("SCHOLARSHIP_REMINDER_MINUTE", 45)
STIPEND_REMINDER_DAYS_BEFORE = env_int("STIPEND_REMINDER_DAYS_BEFORE", 7)
# Online scholarship applications: how long a confirmation link works (the submission is deleted after), the
# least time a person takes to fill in the form, and how many applications one address may send an hour and one
# email address receive a day (counted in the cache).
ONLINE_APPLICATION_CONFIRM_HOURS = env_int("ONLINE_APPLICATION_CONFIRM_HOURS", 48)
ONLINE_APPLICATION_MIN_SECONDS = env_int("ONLINE_APPLICATION_MIN_SECONDS", 5)
ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR = env_int("ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR", 10)
ONLINE_APPLICATIONS_PER_EMAIL_PER_DAY = env_int("ONLINE_APPLICATIONS_PER_EMAIL_PER_DAY", 3)
# Alumni outcomes one, three and five years after completion: the daily invitation run; how long an alumnus's
# private link lasts (it also ends once used), and how long after recording the host may still correct an outcome
# (a manager may lock it sooner).
ALUMNI_REMINDER_HOUR = env_int("ALUMNI_REMINDER_HOUR", 7)
ALUMNI_REMINDER_MINUTE = env_int("ALUMNI_REMINDER_MINUTE", 15)
ALUMNI_LINK_DAYS = env_int("ALUMNI_LINK_DAYS", 183)
ALUMNI_OUTCOME_EDIT_DAYS = env_int("ALUMNI_OUTCOME_EDIT_DAYS", 90)
# Results reports: the daily reminder run, and how many days before a report is due the partner hears of it.
RESULTS_REMINDER_HOUR = env_int("RESULTS_REMINDER_HOUR", 6)
RESULTS_REMINDER_MINUTE = env_int("RESULTS_REMINDER_MINUTE", 50)
# Totals across currencies: the organisation's reporting currency, and how many days old an exchange rate may be
# and still convert a money event (the latest rate on or before the event's date).
REPORTING_CURRENCY = env_str("REPORTING_CURRENCY", "USD").upper()
# Where the application is reached from outside (scheme, host and port, no trailing slash): absolute links in
# files read elsewhere, such as the IATI file's links to documents, start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EXCHANGE_RATE_MAX_AGE_DAYS = env_int("EXCHANGE_RATE_MAX_AGE_DAYS", 31)
# IATI publication: the publishing organisation's identifier (the prefix of every activity identifier; empty: the
# files are refused until it is set; a development checkout publishes under a made-up one), its name and IATI
# organisation type.
IATI_ORGANISATION_IDENTIFIER = env_str("IATI_ORGANISATION_IDENTIFIER", "" if PRODUCTION else "XI-KERJASAMA")
IATI_ORGANISATION_NAME = env_str("IATI_ORGANISATION_NAME", "" if PRODUCTION else "Kerjasama")
IATI_ORGANISATION_TYPE = env_str("IATI_ORGANISATION_TYPE", "10")
RESULTS_REMINDER_DAYS_BEFORE = env_int("RESULTS_REMINDER_DAYS_BEFORE", 7)
# An indicator at or above this percent of its target to date is on track; at or above the second, at risk.
RESULTS_ON_TRACK_PERCENT = env_int("RESULTS_ON_TRACK_PERCENT", 90)
RESULTS_AT_RISK_PERCENT = env_int("RESULTS_AT_RISK_PERCENT", 60)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 8 * 1024 * 1024)
# A partner's risk flags, asked before every new commitment: how late a loan is a warning, then serious; how long
# goods may wait uncounted, a host's scholar report stay overdue, a results report pass its due date and a payment
# to a partner lack its receipt before each is flagged.
FINANCE_ARREARS_WARNING_DAYS = env_int("FINANCE_ARREARS_WARNING_DAYS", 30)
FINANCE_ARREARS_DANGER_DAYS = env_int("FINANCE_ARREARS_DANGER_DAYS", 90)
SHIPMENT_RECEIPT_GRACE_DAYS = env_int("SHIPMENT_RECEIPT_GRACE_DAYS", 14)
SCHOLARSHIPS_REPORT_GRACE_DAYS = env_int("SCHOLARSHIPS_REPORT_GRACE_DAYS", 0)
SCHOLARSHIPS_REPORT_DUE_SOON_DAYS = env_int("SCHOLARSHIPS_REPORT_DUE_SOON_DAYS", 30)
RESULTS_OVERDUE_GRACE_DAYS = env_int("RESULTS_OVERDUE_GRACE_DAYS", 0)
BUDGET_RECEIPT_GRACE_DAYS = env_int("BUDGET_RECEIPT_GRACE_DAYS", 30)
# The largest receipt an expenditure may carry, and the largest document (agreement, report, photo) on a
# programme or a partner.
BUDGET_RECEIPT_MAX_BYTES = env_int("BUDGET_RECEIPT_MAX_BYTES", 8 * 1024 * 1024)
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cooperation.api.authentication.ApiTokenAuthentication",
        "cooperation.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cooperation.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cooperation.api.pagination.FromEitherEndPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "cooperation.api.schema.AutoSchema",
    # One error shape for every answer (cooperation.api.exceptions); the schema documents it per operation.
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kerjasama API",
    "DESCRIPTION": "Partners, programmes and the resources of international cooperation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would send the schema's address to an outside service.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DacCategoryEnum": "partners.models.DacCategory.choices",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "cooperation.api.schema.ThrottledCode.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        "RequestErrorCodeEnum": "cooperation.api.schema.RequestErrorCode.choices",
        "DocumentKindEnum": "programs.documents.models.DocumentKind.choices",
        "OrganisationKindEnum": "cooperation.reference.codes.OrganisationType.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "cooperation.api.schema.postprocess_error_responses",
    ],
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "cooperation.api.exceptions.ApiExceptionHandler",
    "ERROR_SCHEMAS": {429: "cooperation.api.schema.ThrottledResponseSerializer"},
}

# Headers every response carries, in every mode (development and tests too, so they prove the real policy).
# Every asset is served by the application itself: no remote source, no inline script or style attribute. The
# nonce admits the few inline blocks that carry per-request data: the API docs' start-up script and the
# Django admin's own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # the API docs' stylesheet draws its icons from data: URLs
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page of Kerjasama uses, denied to the pages and anything they might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Exports: lists of more rows than this are written on the worker (with a progress page) instead of at once, and
# the files are kept for their requester this many days.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
EXPORT_FILE_DAYS = env_int("EXPORT_FILE_DAYS", 7)
# Scheduled reports (saved views sent as XLSX weekly or monthly) are sent by an hourly run at this minute.
SCHEDULED_REPORTS_MINUTE = env_int("SCHEDULED_REPORTS_MINUTE", 15)
