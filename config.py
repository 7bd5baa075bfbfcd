"""Configuration: defaults safe for local use, every setting overridable by an environment
variable of the same name (the extensions' own settings included)."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("MIPEVENTS_INSTANCE_PATH", ROOT / "instance"))


class Config:
    MIPEVENTS_ENV = "development"
    MIPEVENTS_BASE_URL = "http://127.0.0.1:5000"
    MIPEVENTS_TIMEZONE = "America/Chicago"
    MIPEVENTS_ORG_NAME = "Mayors Innovation Project"
    MIPEVENTS_CONTACT_EMAIL = ""      # where people write to us: in the footer and help texts when set
    MIPEVENTS_PROXY_HOPS = 0          # reverse proxies in front of the app (ProxyFix x_for)
    MIPEVENTS_WORKERS = 1             # processes serving this database: >1 warns on memory rate limits
    MIPEVENTS_CORS_ORIGINS = ""       # comma-separated origins allowed to POST registrations
    MIPEVENTS_FEED_REFRESH_MINUTES = 60

    SECRET_KEY = ""
    # Fernet keys (comma-separated, newest first) that encrypt private links kept to be shown again
    # (the personal feed address); never SECRET_KEY. Rotate by putting a new key first.
    MIPEVENTS_TOKEN_KEY = ""
    DATABASE_URL = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None        # the CSRF token lives as long as the signed session
    # A staff session ends this long after signing in, and after this long without a request.
    MIPEVENTS_STAFF_SESSION_SECONDS = 24 * 3600
    MIPEVENTS_STAFF_IDLE_SECONDS = 2 * 3600

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_REGISTRATION = "20 per minute;200 per hour"
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_LINK_REQUEST = "3 per hour"     # "email me my link", per address asked for

    CACHE_TYPE = "SimpleCache"
    CACHE_REDIS_URL = ""
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_KEY_PREFIX = "mipevents:"

    # Compiled templates kept between process starts (a new worker loads them in about 40 ms instead
    # of compiling them in about 900); empty: none kept. Only this application writes there.
    MIPEVENTS_TEMPLATE_CACHE_DIR = str(INSTANCE / "template-cache")

    MAIL_BACKEND = "file"             # "file" writes .eml files to MAIL_FILE_DIR; "smtp" sends
    MAIL_FILE_DIR = str(INSTANCE / "mail")
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 10
    # Whether the mail server takes SMTPUTF8 (RFC 6531): without it, forms refuse addresses with
    # letters outside ASCII before the @, which could never be delivered (domains are sent as IDNA).
    MAIL_SMTPUTF8 = False
    MAIL_DEFAULT_SENDER = "Mayors Innovation Project <events@mipevents.local>"
    MAIL_BACKGROUND = False           # deliver the outbox from a thread inside the web process
    MIPEVENTS_PRINT_BACKGROUND = True # build a meeting's badges in a thread (the request returns at once)
    MAIL_MAX_ATTEMPTS = 8
    MAIL_STALE_CLAIM_SECONDS = 600    # a claim this old belongs to a sender that died: offered again

    PASSWORD_HASH_TIME_COST = 0       # 0: Argon2's recommended cost (tests lower it)
    PASSWORD_HASH_MEMORY_KIB = 0

    SPEAKER_PHOTO_MAX_BYTES = 5 * 1024 * 1024
    MATERIAL_MAX_BYTES = 25 * 1024 * 1024      # slides and documents on sessions and webinars
    STORY_PHOTO_MAX_BYTES = 8 * 1024 * 1024    # a photo in a write-up (re-encoded, so stored smaller)
    SPEAKER_MATERIAL_MAX_BYTES = 25 * 1024 * 1024  # slides a speaker uploads through their private link
    # Empty: uploaded slides and documents are kept in the database. A directory (a volume every app
    # host mounts): kept there as files, the database keeping their keys (core/storage.py).
    MIPEVENTS_UPLOAD_DIR = ""


class ProductionConfig(Config):
    MIPEVENTS_ENV = "production"
    # __Host-: the browser sends it only over HTTPS, to this host alone, for the whole site.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


def _coerce(default, raw: str):
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load(overrides: dict | None = None) -> dict:
    """The settings for one app: class defaults, then the environment, then `overrides`."""
    env_name = (overrides or {}).get("MIPEVENTS_ENV") or os.environ.get("MIPEVENTS_ENV", "development")
    base = ProductionConfig if env_name == "production" else Config
    settings = {k: getattr(base, k) for k in dir(base) if k.isupper()}
    for key, value in os.environ.items():
        if key in settings:
            settings[key] = _coerce(settings[key], value)
        elif key.isupper() and key.startswith(("MAIL_", "RATELIMIT_", "CACHE_", "SQLALCHEMY_",
                                                "SESSION_", "REMEMBER_", "WTF_", "MIPEVENTS_")):
            settings[key] = {"true": True, "false": False}.get(value.strip().lower(), value)
    settings.update(overrides or {})
    settings["MIPEVENTS_ENV"] = env_name
    settings["SQLALCHEMY_DATABASE_URI"] = database_uri(settings.get("DATABASE_URL") or settings.get("SQLALCHEMY_DATABASE_URI", ""))
    if not settings["SECRET_KEY"] and env_name != "production":
        settings["SECRET_KEY"] = local_secret_key()
    if not settings["MIPEVENTS_TOKEN_KEY"] and env_name != "production":
        settings["MIPEVENTS_TOKEN_KEY"] = local_token_key()
    return settings


def database_uri(url: str) -> str:
    """DATABASE_URL as SQLAlchemy wants it: psycopg 3 for PostgreSQL, SQLite under instance/ by default."""
    if not url:
        INSTANCE.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE / 'mipevents.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def local_secret_key() -> str:
    """A key generated once into instance/ so local sessions survive restarts."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def local_token_key() -> str:
    """A Fernet key generated once into instance/ for local use (production sets MIPEVENTS_TOKEN_KEY)."""
    from cryptography.fernet import Fernet

    path = INSTANCE / "token_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_text().strip()


def token_key_problem(value: str) -> str | None:
    """Why MIPEVENTS_TOKEN_KEY cannot be used, or None."""
    from cryptography.fernet import Fernet

    keys = [key.strip() for key in (value or "").split(",") if key.strip()]
    if not keys:
        return "MIPEVENTS_TOKEN_KEY must be set (a Fernet key; comma-separated keys, newest first, to rotate)"
    try:
        for key in keys:
            Fernet(key)
    except ValueError:
        return "MIPEVENTS_TOKEN_KEY must hold Fernet keys (32 url-safe base64-encoded bytes each)"
    return None


def production_problems(settings: dict) -> list[str]:
    """Why a production configuration is unsafe (empty when it is fine)."""
    problems = []
    if len(settings.get("SECRET_KEY") or "") < 32:
        problems.append("SECRET_KEY must be set to at least 32 random characters")
    if settings.get("DEBUG"):
        problems.append("DEBUG must be off")
    token_problem = token_key_problem(settings.get("MIPEVENTS_TOKEN_KEY", ""))
    if token_problem:
        problems.append(token_problem)
    return problems


def production_warnings(settings: dict) -> list[str]:
    """What is allowed in production but worth a line in the log."""
    warnings = []
    if not str(settings.get("MIPEVENTS_BASE_URL", "")).startswith("https://"):
        warnings.append("MIPEVENTS_BASE_URL is not an https:// address; links in emails and feeds use it")
    if settings.get("RATELIMIT_STORAGE_URI", "").startswith("memory") and int(settings.get("MIPEVENTS_WORKERS", 1)) > 1:
        warnings.append("rate limits are kept in each process's memory; set RATELIMIT_STORAGE_URI to Redis "
                        "so they count across processes")
    return warnings
