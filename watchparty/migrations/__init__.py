"""Alembic migrations of the watchparty schema (run with `watchparty db upgrade`)."""
