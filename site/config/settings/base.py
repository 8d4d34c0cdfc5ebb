"""Settings shared by every environment.

Defaults are the *embedded* configuration: SQLite, the database search
backend, in-process matching, immediate background tasks and console e-mail.
Nothing external is needed to run the site this way.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import REPO_DIR, env

SITE_DIR = REPO_DIR / "site"
VAR_DIR = Path(env("DJANGO_VAR_DIR", default=str(REPO_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "matching.directory",
    "matching.notifications",
    "matching.audit",
    "matching.cases",
    "matching.offers",
    "matching.governance",
    "matching.coordination",
    "matching.publication",
    "matching.ledger",
    "matching.payments",
    "matching.funding",
    "matching.volunteering",
    "matching.inspections",
    "matching.supervision",
    "matching.organizations",
    "matching.scheduler",
    "cms",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_ratelimit",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# Forms on public pages render with Bootstrap 5 (vendored from npm into
# site/static/vendor/ by scripts/vendor.sh; docs/design.md).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "matching.directory.middleware.ProfileMemoMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "matching.governance.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "matching.governance.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# Axes watches every login (ours and the Wagtail admin's) and refuses a
# locked-out one before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matching.notifications.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/landing/"
WAGTAILADMIN_LOGIN_URL = LOGIN_URL

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Page content in both languages with Wagtail's own localisation (docs/design.md):
# English pages are translations of the Chinese ones, served at the same URLs.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "长春市社会救助服务平台"
# No Gravatar: staff e-mail hashes must not leave the platform (and the network is closed).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call home to releases.wagtail.org from staff browsers (the admin CSP forbids it too).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")

# Wagtail's own search index (admin search over pages) stays in the
# database; every Elasticsearch index is written by our ``search`` app only.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# Elasticsearch: empty means "not configured"; the search app then serves
# the in-process backend over the database.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Several nodes of one cluster (comma-separated URLs); when set, replaces ELASTICSEARCH_URL.
ELASTICSEARCH_HOSTS = env.list("ELASTICSEARCH_HOSTS", default=[])
# Shards and replicas of each index created from now on (a rebuild applies them to an
# existing one); one replica keeps every shard readable when a node is lost.
ELASTICSEARCH_SHARDS = env.int("ELASTICSEARCH_SHARDS", default=1)
ELASTICSEARCH_REPLICAS = env.int("ELASTICSEARCH_REPLICAS", default=0)
# A request that cannot connect is tried again on the next node, this many times.
ELASTICSEARCH_MAX_RETRIES = env.int("ELASTICSEARCH_MAX_RETRIES", default=3)
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="assist")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=10.0)
SEARCH_LIVE_INDEXING = env.bool("SEARCH_LIVE_INDEXING", default=True)
# Outbox rows Elasticsearch acknowledged are deleted after this many days
# (manage.py search_outbox_prune, daily; docs/operations.md).
SEARCH_OUTBOX_RETENTION_DAYS = env.int("SEARCH_OUTBOX_RETENTION_DAYS", default=7)

# Stripe: card giving is available only when both keys are configured.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Where verified webhook events are applied: "inline" in the webhook's own
# request (embedded default), or "worker" by `manage.py stripe_events_worker`
# (production: the webhook only records; docs/ledger.md).
STRIPE_EVENTS_APPLY = env("STRIPE_EVENTS_APPLY", default="inline")
# The payment methods Checkout offers, as the Stripe account enables them:
# e.g. card,alipay,wechat_pay (WeChat Pay is shown as a QR code on the web).
STRIPE_PAYMENT_METHOD_TYPES = env.list("STRIPE_PAYMENT_METHOD_TYPES", default=["card"])
# Offline giving (always offered; the only way to give without Stripe keys).
GIVING_BANK_ACCOUNT_NAME = env("GIVING_BANK_ACCOUNT_NAME", default="")
GIVING_BANK_NAME = env("GIVING_BANK_NAME", default="")
GIVING_BANK_ACCOUNT_NUMBER = env("GIVING_BANK_ACCOUNT_NUMBER", default="")
# The account itself is a Wagtail site setting (收款银行账户); the three above
# fill its empty fields. An offline pledge not paid within this many days
# expires (manage.py pledges_expire, job "pledges_expire"; docs/ledger.md).
GIVING_PLEDGE_DAYS = env.int("GIVING_PLEDGE_DAYS", default=14)
# The public giving form's POSTs per address (django-ratelimit).
GIVING_RATE = env("GIVING_RATE", default="20/m")
# The donor's account (docs/funding.md): who issues the PDF receipts, how long
# a sign-up or claim link sent by e-mail stays valid, and the rate of those forms.
DONATION_RECEIPT_ISSUER = env(
    "DONATION_RECEIPT_ISSUER", default="长春市社会救助服务平台（长春市民政局）"
)
DONOR_LINK_MAX_AGE = env.int("DONOR_LINK_MAX_AGE", default=2 * 24 * 3600)
DONOR_ACCOUNT_RATE = env("DONOR_ACCOUNT_RATE", default="10/h")

# The re-identification check: no published combination of quasi-identifiers
# may describe fewer than this many households (docs/publication.md).
PUBLICATION_K = env.int("PUBLICATION_K", default=5)

# The public pages of cases (django-ratelimit, per address): the status
# lookup and the online application form (docs/cases.md).
CASE_STATUS_LOOKUP_RATE = env("CASE_STATUS_LOOKUP_RATE", default="10/m")
CASE_APPLY_RATE = env("CASE_APPLY_RATE", default="20/h")
# Where every text message goes: a dotted path to an ``SmsSender`` subclass
# (docs/notifications.md). ``matching.notifications.sms.AliyunSmsSender`` needs
# the four ALIYUN_SMS_* settings below and refuses to start without them.
SMS_SENDER = env("SMS_SENDER", default="matching.notifications.sms.ConsoleSmsSender")
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_SIGN_NAME = env("ALIYUN_SMS_SIGN_NAME", default="")
# Event kind -> approved template code, as JSON: {"case_status": "SMS_123", ...}
ALIYUN_SMS_TEMPLATES = env.json("ALIYUN_SMS_TEMPLATES", default={})
# The public discovery report (/report/) and its follow page, per address.
DISCOVERY_REPORT_RATE = env("DISCOVERY_REPORT_RATE", default="5/h")
DISCOVERY_FOLLOW_RATE = env("DISCOVERY_FOLLOW_RATE", default="10/m")

# Encryption of personal data at rest (Fernet keys, newest first).
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
# The key of the blind index used to look people up by ID number; derived
# from the oldest data key when unset (docs/cases.md). Never rotate it
# without re-indexing.
PERSONAL_DATA_INDEX_KEY = env("PERSONAL_DATA_INDEX_KEY", default="")

# --- charities: registration, vetting, reporting duty (docs/organizations.md) ---
# Registration certificates and delivery photos before review: served only
# through views that check the reader, never from MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# How long a verification holds, and how early its administrators are reminded.
ORGANIZATION_VERIFICATION_DAYS = env.int("ORGANIZATION_VERIFICATION_DAYS", default=365)
ORGANIZATION_RENEWAL_NOTICE_DAYS = env.int("ORGANIZATION_RENEWAL_NOTICE_DAYS", default=30)
ORGANIZATION_CERTIFICATE_MAX_BYTES = env.int(
    "ORGANIZATION_CERTIFICATE_MAX_BYTES", default=5 * 1024 * 1024
)
ORGANIZATION_PHOTO_MAX_BYTES = env.int("ORGANIZATION_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Each attachment of a unit's rectification evidence (docs/inspections.md).
INSPECTION_EVIDENCE_MAX_BYTES = env.int("INSPECTION_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# The first administrator's e-mail confirmation link holds this long (seconds).
ORGANIZATION_CONFIRM_MAX_AGE = env.int("ORGANIZATION_CONFIRM_MAX_AGE", default=3 * 24 * 3600)
# Periodic reports: one per quarter, due this many days after it ends.
ORGANIZATION_REPORT_DUE_DAYS = env.int("ORGANIZATION_REPORT_DUE_DAYS", default=30)
ORGANIZATION_REGISTER_RATE = env("ORGANIZATION_REGISTER_RATE", default="10/h")

# --- fresh household economic data (docs/cases.md, "Fresh economic data") ---
# How many days after its ``as_of`` date a department's record is stale, per
# kind of data; city staff override per department kind in the admin
# (FreshnessRule). Stale income holds a verification; stale assets are flagged.
ECONOMIC_DATA_MAX_AGE_DAYS = {"income": 90, "asset": 180}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    },
}

# --- one scheduler (manage.py scheduler; docs/operations.md) ----------------
# Each job: a django-tasks task by dotted path and a cron expression (minute hour
# day month weekday, in TIME_ZONE). An empty "cron" switches a job off.
SCHEDULER_JOBS = {
    "referral_deadlines": {
        "task": "matching.cases.tasks.referral_deadlines_sweep",
        "cron": "*/15 * * * *",
    },
    "complaint_deadlines": {
        "task": "matching.governance.tasks.complaint_deadlines_sweep",
        "cron": "5 * * * *",
    },
    "meeting_task_deadlines": {
        "task": "matching.coordination.tasks.meeting_tasks_sweep",
        "cron": "25 * * * *",
    },
    "stripe_reconcile": {"task": "matching.payments.tasks.stripe_reconcile", "cron": "20 * * * *"},
    "pledges_expire": {
        "task": "matching.payments.pledge_tasks.pledges_expire",
        "cron": "10 2 * * *",
    },
    "recurring_gifts_closed_targets": {
        "task": "matching.payments.pledge_tasks.recurring_gifts_closed_targets",
        "cron": "40 2 * * *",
    },
    "unconfirmed_deliveries": {
        "task": "matching.funding.tasks.confirmations_flag_overdue",
        "cron": "0 7 * * *",
    },
    "notification_deliveries": {
        "task": "matching.notifications.tasks.deliveries_sweep",
        "cron": "*/5 * * * *",
    },
    "search_outbox_prune": {"task": "search.periodic.outbox_prune", "cron": "30 3 * * *"},
    "search_reconcile": {"task": "search.periodic.indexes_reconcile", "cron": "0 4 * * *"},
    "organization_verifications": {
        "task": "matching.organizations.tasks.verifications_expire",
        "cron": "10 6 * * *",
    },
    "organization_reporting_duty": {
        "task": "matching.organizations.tasks.reporting_duty_sweep",
        "cron": "20 6 * * *",
    },
    "rectification_deadlines": {
        "task": "matching.inspections.tasks.rectification_deadlines_sweep",
        "cron": "30 7 * * *",
    },
    "economic_refresh_overdue": {
        "task": "matching.cases.tasks.economic_refresh_overdue_sweep",
        "cron": "40 6 * * *",
    },
}

# --- security baseline (docs/governance.md) ---------------------------------

# Staff-side roles must pass a TOTP check before the admin; production turns it on.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "长春市社会救助服务平台"

# Lockout: five failures for one account from one address lock it for 30 minutes.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "matching.governance.views.lockout"
AXES_VERBOSE = False

# Behind the TLS proxy: how many proxies append to X-Forwarded-For (0: none).
# Rate limits and the lockout count by the address they vouch for (config.proxy).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "config.proxy.client_ip"
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"

# Rate limits answer 429 with a Chinese page (RatelimitMiddleware → this view).
RATELIMIT_VIEW = "matching.governance.views.rate_limited"
COMPLAINT_FILE_RATE = env("COMPLAINT_FILE_RATE", default="5/h")
COMPLAINT_FOLLOW_RATE = env("COMPLAINT_FOLLOW_RATE", default="10/m")
# For the public listings' filters and search (cms): see docs/governance.md.
PUBLIC_SEARCH_RATE = env("PUBLIC_SEARCH_RATE", default="60/m")
COMPLAINT_RESPONSE_WORKING_DAYS = env.int("COMPLAINT_RESPONSE_WORKING_DAYS", default=15)
# Matches whose amount exceeds this (fen) need a second, different approver.
MATCH_SECOND_APPROVAL_MINOR = env.int("MATCH_SECOND_APPROVAL_MINOR", default=1_000_000)
# Help given through the platform (an approved match, a payout, an in-kind gift)
# counts as assistance received in its categories for this many days
# (docs/cases.md, "Duplicate assistance").
PLATFORM_ASSISTANCE_DAYS = env.int("PLATFORM_ASSISTANCE_DAYS", default=365)

# --- disbursement, beneficiary confirmation, public tracking (docs/funding.md) --
# Above this amount (fen) a second, different staff member approves a payout.
DISBURSEMENT_SECOND_APPROVAL_MINOR = env.int("DISBURSEMENT_SECOND_APPROVAL_MINOR", default=500_000)
FUNDING_TRACK_RATE = env("FUNDING_TRACK_RATE", default="30/m")
FUNDING_CONFIRM_RATE = env("FUNDING_CONFIRM_RATE", default="10/m")
# Volunteers' self-service (docs/volunteers.md): how long the e-mailed link to
# confirm a sign-up stays valid, and how often one address may sign up or ask again.
VOLUNTEER_CONFIRM_MAX_AGE = env.int("VOLUNTEER_CONFIRM_MAX_AGE", default=48 * 3600)
VOLUNTEER_JOIN_RATE = env("VOLUNTEER_JOIN_RATE", default="10/h")
VOLUNTEER_VERIFY_RATE = env("VOLUNTEER_VERIFY_RATE", default="30/m")
# A receipt code: how long it stays valid, how many wrong tries lock it.
CONFIRMATION_CODE_VALID_DAYS = env.int("CONFIRMATION_CODE_VALID_DAYS", default=30)
CONFIRMATION_MAX_ATTEMPTS = env.int("CONFIRMATION_MAX_ATTEMPTS", default=5)
# Deliveries still unconfirmed this many days after delivery are flagged.
CONFIRMATION_DEADLINE_DAYS = env.int("CONFIRMATION_DEADLINE_DAYS", default=14)
# Where receipt codes go by text message (docs/funding.md).
CONFIRMATION_SMS_SENDER = env("CONFIRMATION_SMS_SENDER", default="matching.funding.sms.LogSender")
# Fewer needs than this in a district x category cell: merged into "其他".
TRANSPARENCY_MIN_NEEDS = env.int("TRANSPARENCY_MIN_NEEDS", default=3)
# Demo stories (matching/demo/stories.py): groups of five or six invented households
# per district in ``seed_demo``; 4 publishes about 315 needs, 0 none.
DEMO_STORY_GROUPS = env.int("DEMO_STORY_GROUPS", default=4)

# Content-Security-Policy: no inline script or style on public pages. The
# Wagtail admin gets its own, looser policy (GOVERNANCE_ADMIN_CSP) because
# its own templates carry inline styles and scripts we do not control.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
GOVERNANCE_ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@assist.changchun.example")

# The cache holds the rate-limit counters: several processes need one shared
# cache (CACHE_URL, e.g. redis://cache.internal:6379/0; production refuses to
# start without it). Unset, the embedded default is this process's memory.
CACHE_URL = env("CACHE_URL", default="")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="assist")
REDIS_CACHE_BACKEND = "config.cache.RedisCache"
if CACHE_URL:
    _cache = env.cache_url_config(CACHE_URL)
    if CACHE_URL.startswith(("redis://", "rediss://")):
        _cache["BACKEND"] = REDIS_CACHE_BACKEND
    CACHES = {"default": {**_cache, "KEY_PREFIX": CACHE_KEY_PREFIX}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit lists django-redis, not Django's own Redis backend, as supported.
    "django_ratelimit.W001",
]
if not CACHE_URL:
    # One process (runserver, the embedded demo): its own memory counts correctly.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Every handler redacts query strings, ID numbers, mobile and receipt numbers
# (config/logfilters.py, docs/governance.md "Logs"). Django's own loggers
# are re-declared so that none keeps a handler from its DEFAULT_LOGGING
# without the filter: "django" propagates to the root console, and
# "django.server" (runserver's access log) gets a filtered copy of its handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "config.logfilters.RedactPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "elasticsearch": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
        # One line per background task is noise; failures still log.
        "django_tasks": {"level": "WARNING"},
    },
}
