"""REST operations, bound by operationId from specs/openapi.yaml (handlers/<tag>.py)."""
