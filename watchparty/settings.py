"""Configuration: one `Settings` from `WATCHPARTY_*`, `DATABASE_URL` and `.env` (DESIGN §6).

With no configuration at all the server runs on a SQLite file and a generated secret, both
under `./var/` (`WATCHPARTY_DATA_DIR` moves it). `Settings.prepare()` is the one place that
touches the disk: it creates the data directory, refuses an unwritable one or a bad
`DATABASE_URL` with a `ConfigError` naming the problem, and persists the generated secret.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ConfigError", "Settings", "get_settings", "SUPPORTED_DRIVERS", "JWT_ALGORITHMS"]

# The async drivers `watchparty.db` knows how to open, by URL scheme.
SUPPORTED_DRIVERS = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql"}
# Plain scheme spellings people paste from other tools, mapped to the async driver we use.
_DRIVER_ALIASES = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}
# Tokens are signed with the shared secret, so only HMAC algorithms make sense; never "none".
JWT_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
SECRET_FILE_NAME = "secret_key"
MIN_PRODUCTION_SECRET_CHARS = 32
THIRTY_DAYS_SECS = 30 * 24 * 3600


class ConfigError(Exception):
    """The configuration cannot work; the message says what to change (serve exits 2)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WATCHPARTY_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "WATCHPARTY_DATABASE_URL", "database_url"),
        description="SQLAlchemy async URL; empty means the SQLite file under data_dir.",
    )
    # PostgreSQL only: put the tables in this schema (search_path). Tests use it to isolate runs.
    database_schema: str | None = None
    # Pooled connections per process (+ overflow opened and closed on demand); unset, per
    # database (`watchparty.db.POOL_DEFAULTS`): PostgreSQL 20 + 5, SQLite 8 + 0.
    database_pool_size: int | None = Field(default=None, gt=0)
    database_max_overflow: int | None = Field(default=None, ge=0)
    secret_key: SecretStr = SecretStr("")
    redis_url: str | None = None
    amqp_url: str | None = None
    jwt_algorithm: str = "HS256"
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=THIRTY_DAYS_SECS, gt=0)
    two_factor_challenge_ttl_seconds: int = Field(default=300, gt=0)
    password_reset_ttl_seconds: int = Field(default=3600, gt=0)
    # Check every response against the spec (an off-spec answer is a 500 and a log line).
    # Unset: on, except with `env=production`, where it costs 0.4 ms (getMe) to 5-8 ms
    # (party detail, party list) of CPU per request (docs/benchmarks.md); tests and the mock
    # keep it on.
    validate_responses: bool = Field(
        default_factory=lambda data: data.get("env") != "production",
    )
    throttle_enabled: bool = True
    public_base_url: str = "http://localhost:8000"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "watchparty@localhost"
    # True: implicit TLS from the first byte (port 465). False: STARTTLS when the server offers it.
    smtp_tls: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    # Operations (issue 11): origins allowed by CORS and the WebSocket Origin check
    # (comma-separated; `*` any; empty: same-origin only), the size limit of JSON request
    # bodies (larger: 413), log lines as JSON or for a terminal (`auto`: JSON unless stderr
    # is a terminal), the Prometheus exposition at /metrics, and how long a stopping server
    # lets in-flight requests finish.
    cors_origins: str = ""
    max_json_body_bytes: int = Field(default=1024 * 1024, gt=0)
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    metrics_enabled: bool = True
    graceful_shutdown_secs: int = Field(default=30, gt=0)
    # Support, store and billing (issue 7). Attachment limits are per ticket and per file;
    # every new user's credit balance starts with the grant; "sandbox" is the only payment
    # provider so far (watchparty.services.payments).
    support_max_attachments: int = Field(default=10, ge=0)
    support_max_attachment_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    store_starting_credits: int = Field(default=1000, ge=0)
    payment_provider: Literal["sandbox"] = "sandbox"
    # Realtime (WebSockets, issue 8): frame size limit (larger closes 1009), per-socket flood
    # limit (frames per second with a burst; over it closes 1008), how long before token
    # expiry a socket hears `auth.expiring`, how long a stalled player may hold the room, and
    # the prefix of every Redis key and channel the hub uses (tests use one per test).
    ws_max_frame_bytes: int = Field(default=65536, gt=0)
    ws_frames_per_second: float = Field(default=20.0, gt=0)
    ws_frame_burst: int = Field(default=60, gt=0)
    ws_auth_expiring_secs: int = Field(default=60, ge=0)
    ws_buffering_timeout_secs: float = Field(default=30.0, gt=0)
    # How long a dropped socket's user stays in the room (reconnecting is seamless) before
    # `presence.left` (`disconnected`); permessage-deflate (uvicorn's): off by default, its
    # zlib state costs ~46 KiB and the CPU of every frame per socket for small JSON frames
    # (docs/benchmarks.md, realtime).
    ws_reconnect_grace_secs: float = Field(default=10.0, ge=0)
    ws_per_message_deflate: bool = False
    realtime_redis_prefix: str = "watchparty:rt"
    # Parties (issue 5): how long a party invitation (and its mailed token) stays pending.
    invitation_ttl_seconds: int = Field(default=14 * 24 * 3600, gt=0)
    # Videos (issue 7): largest accepted file, roles that may upload (the plan must allow it
    # too), lifetime of pre-signed upload URLs and signed media URLs, the worker's job lease
    # (renewed while it works; an expired lease means a crashed worker and the job is queued
    # again) with the attempts allowed, how often the API sweeps for such jobs, and storage:
    # `local` (files under data_dir/media) or `s3` (any S3-compatible service; needs boto3).
    video_max_upload_bytes: int = Field(default=2 * 1024**3, gt=0)
    video_upload_roles: list[str] = ["user", "moderator", "admin"]
    video_upload_url_ttl_seconds: int = Field(default=3600, gt=0)
    media_url_ttl_seconds: int = Field(default=6 * 3600, gt=0)
    video_job_lease_seconds: int = Field(default=60, gt=0)
    video_job_max_attempts: int = Field(default=3, gt=0)
    video_job_sweep_seconds: float = Field(default=30.0, gt=0)
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    # Prepended to the job bus's queue and exchange names (tests; brokers shared by apps).
    amqp_name_prefix: str = ""

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'watchparty.sqlite3'}"
        scheme, sep, rest = self.database_url.partition("://")
        if sep and scheme in _DRIVER_ALIASES:
            self.database_url = f"{_DRIVER_ALIASES[scheme]}://{rest}"
        if not self.secret_key.get_secret_value() and self.env != "production":
            # Reading a persisted secret has no side effect; creating one waits for prepare().
            secret_file = self.data_dir / SECRET_FILE_NAME
            if secret_file.is_file():
                self.secret_key = SecretStr(secret_file.read_text(encoding="utf-8").strip())
        return self

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """`cors_origins` as a tuple; `("*",)` allows any origin."""
        return tuple(o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip())

    @property
    def database_dialect(self) -> str:
        """`sqlite` or `postgresql` (call after `prepare()`, which checks the URL)."""
        from sqlalchemy.engine import make_url

        return SUPPORTED_DRIVERS[make_url(self.database_url).drivername]

    def prepare(self) -> Settings:
        """Create the data directory, check the configuration, persist a generated secret.

        Raises:
            ConfigError: with a message that says what to fix.
        """
        self._check_data_dir()
        self._check_database_url()
        if self.jwt_algorithm not in JWT_ALGORITHMS:
            raise ConfigError(
                f"WATCHPARTY_JWT_ALGORITHM={self.jwt_algorithm!r} is not supported; "
                f"use one of {', '.join(sorted(JWT_ALGORITHMS))}."
            )
        self._ensure_secret()
        return self

    def _check_data_dir(self) -> None:
        path = self.data_dir
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Cannot create the data directory {path} ({exc.strerror}); "
                "set WATCHPARTY_DATA_DIR to a writable directory."
            ) from None
        try:
            with tempfile.TemporaryFile(dir=path):
                pass
        except OSError as exc:
            raise ConfigError(
                f"The data directory {path} is not writable ({exc.strerror}); "
                "set WATCHPARTY_DATA_DIR to a writable directory."
            ) from None

    def _check_database_url(self) -> None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        shown = _redact(self.database_url)
        try:
            url = make_url(self.database_url)
        except ArgumentError:
            raise ConfigError(
                f"DATABASE_URL {shown!r} is not a database URL; expected e.g. "
                "postgresql+asyncpg://user:password@host:5432/name or sqlite+aiosqlite:///var/db.sqlite3."
            ) from None
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ConfigError(
                f"DATABASE_URL {shown!r} uses {url.drivername!r}; supported are "
                f"{', '.join(sorted(SUPPORTED_DRIVERS))}."
            )
        if url.drivername.startswith("sqlite"):
            if not url.database or url.database == ":memory:":
                raise ConfigError(
                    f"DATABASE_URL {shown!r} is an in-memory SQLite database; give a file path "
                    "(the server and its migrations need to share it)."
                )
            parent = Path(url.database).parent
            if not parent.is_dir() or not os.access(parent, os.W_OK):
                raise ConfigError(
                    f"DATABASE_URL {shown!r}: directory {parent} does not exist or is not writable."
                )
        elif not url.database or not url.host:
            raise ConfigError(f"DATABASE_URL {shown!r} must name a host and a database.")

    def _ensure_secret(self) -> None:
        secret = self.secret_key.get_secret_value()
        if secret:
            if self.env == "production" and len(secret) < MIN_PRODUCTION_SECRET_CHARS:
                raise ConfigError(
                    f"WATCHPARTY_SECRET_KEY is shorter than {MIN_PRODUCTION_SECRET_CHARS} "
                    "characters; use a long random value in production."
                )
            return
        if self.env == "production":
            # A secret made up per machine would differ between the hosts of one deployment
            # and vanish with the data dir: production states its own.
            raise ConfigError(
                "WATCHPARTY_SECRET_KEY is not set; production needs an explicit secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
            )
        secret_file = self.data_dir / SECRET_FILE_NAME
        secret = secrets.token_urlsafe(48)
        try:
            # O_EXCL: two processes starting at once must not each write a different secret.
            fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            secret = secret_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"Cannot write {secret_file} ({exc.strerror}).") from None
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secret)
        self.secret_key = SecretStr(secret)


def _redact(url: str) -> str:
    """The URL without its password, for error messages and logs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment and `.env`."""
    return Settings()
