"""Message models for watchparty job bus (worker)."""
