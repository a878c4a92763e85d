"""ASGI entry point: Django (DRF views) for HTTP, Channels for the party socket."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_peer.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()  # before importing anything that loads models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from django_peer.consumers import PartyConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi,
        "websocket": URLRouter([path("ws/party/<uuid:party_id>/", PartyConsumer.as_asgi())]),
    }
)
