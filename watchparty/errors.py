"""API errors: one class per kind, each rendered as `{detail, code}` (DESIGN §3).

Raise these from handlers and services; `watchparty.app` renders every one (and every
framework error) in the documented shapes. Field validation errors are a serializer map
`{field: [messages], non_field_errors: [...]}` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "APIError",
    "ValidationFailed",
    "ParseError",
    "NotAuthenticated",
    "AuthenticationFailed",
    "PermissionDenied",
    "NotFound",
    "MethodNotAllowed",
    "Conflict",
    "Gone",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "PaymentRequired",
    "Throttled",
    "NotImplementedYet",
    "ServiceUnavailable",
]


class APIError(Exception):
    # The base class is also the opaque 500 that unhandled exceptions become.
    status_code = 500
    default_detail = "A server error occurred."
    default_code = "server_error"

    def __init__(
        self,
        detail: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.code = code or self.default_code
        self.headers = dict(headers or {})
        super().__init__(self.detail)

    def body(self) -> object:
        return {"detail": self.detail, "code": self.code}


class ValidationFailed(APIError):
    """400 with a serializer error map; `errors` maps dotted field names to messages."""

    status_code = 400
    default_detail = "Invalid input."
    default_code = "invalid"

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        super().__init__()
        self.errors = {field: list(messages) for field, messages in errors.items()}

    @classmethod
    def field(cls, name: str, message: str) -> ValidationFailed:
        return cls({name: [message]})

    @classmethod
    def non_field(cls, message: str) -> ValidationFailed:
        return cls({"non_field_errors": [message]})

    def body(self) -> object:
        return self.errors


class ParseError(APIError):
    status_code = 400
    default_detail = "Malformed request body."
    default_code = "parse_error"


class NotAuthenticated(APIError):
    status_code = 401
    default_detail = "Authentication credentials were not provided."
    default_code = "not_authenticated"


class AuthenticationFailed(APIError):
    status_code = 401
    default_detail = "Incorrect authentication credentials."
    default_code = "authentication_failed"


class PermissionDenied(APIError):
    status_code = 403
    default_detail = "You do not have permission to perform this action."
    default_code = "permission_denied"


class NotFound(APIError):
    status_code = 404
    default_detail = "Not found."
    default_code = "not_found"


class MethodNotAllowed(APIError):
    status_code = 405
    default_detail = "Method not allowed."
    default_code = "method_not_allowed"


class Conflict(APIError):
    status_code = 409
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


class Gone(APIError):
    status_code = 410
    default_detail = "This is no longer available."
    default_code = "gone"


class PayloadTooLarge(APIError):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class UnsupportedMediaType(APIError):
    status_code = 415
    default_detail = "Unsupported media type."
    default_code = "unsupported_media_type"


class PaymentRequired(APIError):
    status_code = 402
    default_detail = "Payment required."
    default_code = "payment_required"


class Throttled(APIError):
    """429; `wait` seconds go into `Retry-After` and the message."""

    status_code = 429
    default_code = "throttled"

    def __init__(self, wait: int) -> None:
        self.wait = max(1, int(wait))
        super().__init__(
            f"Request was throttled. Expected available in {self.wait} seconds.",
            headers={"Retry-After": str(self.wait)},
        )


class ServiceUnavailable(APIError):
    status_code = 503
    default_detail = "Service unavailable; retry later."
    default_code = "service_unavailable"


class NotImplementedYet(APIError):
    status_code = 501
    default_detail = "This operation is not implemented yet."
    default_code = "not_implemented"
