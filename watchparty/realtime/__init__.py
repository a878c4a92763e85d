"""Realtime: WebSocket channels of specs/asyncapi.yaml and the hub that fans events out."""
