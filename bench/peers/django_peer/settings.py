"""Settings of the Django peer, from the environment bench/compare.py sets.

PEER_DATABASE_URL   our SQLAlchemy URL (sqlite+aiosqlite:///path or postgresql+asyncpg://...)
PEER_DATABASE_SCHEMA  PostgreSQL search_path (optional)
PEER_SECRET_KEY     the HS256 secret of our access tokens
PEER_CHANNEL_LAYER  memory (default), redis (channels_redis.core) or redis-pubsub
PEER_REDIS_URL, PEER_REDIS_PREFIX  for the redis layers
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

SECRET_KEY = os.environ["PEER_SECRET_KEY"]
JWT_SECRET = SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "django_peer.urls"
ASGI_APPLICATION = "django_peer.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "channels",
    "django_peer",
]
# An API project's middleware: no sessions, CSRF, messages or templates.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["django_peer.auth.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}


def _database(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return {
            "ENGINE": "django.db.backends.sqlite3",
            # sqlite:///relative or sqlite:////absolute, as SQLAlchemy spells them.
            "NAME": parts.path[1:],
            # The same connection setup as ours (watchparty.db): WAL, NORMAL sync, busy wait.
            "OPTIONS": {
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=5000",
            },
            "CONN_MAX_AGE": None,
        }
    schema = os.environ.get("PEER_DATABASE_SCHEMA")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": {"options": f"-c search_path={schema}"} if schema else {},
        # Persistent connections, as a production Django deployment has them.
        "CONN_MAX_AGE": 60,
    }


DATABASES = {"default": _database(os.environ["PEER_DATABASE_URL"])}

_layer = os.environ.get("PEER_CHANNEL_LAYER", "memory")
if _layer == "memory":
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"
            if _layer == "redis-pubsub"
            else "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [os.environ["PEER_REDIS_URL"]],
                "prefix": os.environ.get("PEER_REDIS_PREFIX", "asgi"),
            },
        }
    }
