"""The Django + DRF + Channels peer of bench/compare.py (issue 9); never imported by the product.

    DJANGO_SETTINGS_MODULE=django_peer.settings PEER_DATABASE_URL=... PEER_SECRET_KEY=... \\
        python -m uvicorn --app-dir bench/peers django_peer.asgi:application

Django models mapped onto our tables (`managed = False`, `db_table`), DRF views and
serializers answering the same JSON as ours, and a Channels consumer for the party socket
(in-memory layer, or channels_redis with PEER_CHANNEL_LAYER=redis). See settings.py.
"""
