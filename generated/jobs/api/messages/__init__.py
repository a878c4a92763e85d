"""Message models for watchparty job bus (API server)."""
