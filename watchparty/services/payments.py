"""The payment-provider interface, and the local sandbox provider (docs/billing.md).

Billing and the store charge money only through `payment_provider(settings)`; a real
provider (Stripe, ...) is another class with the same `charge`. The sandbox moves no money:
it accepts every payment method except `pm_card_declined`, and answers a reference derived
from the caller's idempotency key, so a retried charge has the same reference (as a real
provider's idempotent charge API would). Invoices are recorded by the caller, with the
provider's name and reference.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Protocol

from watchparty.settings import Settings

__all__ = ["Charge", "PaymentProvider", "SandboxProvider", "payment_provider", "DECLINED_METHOD"]

DECLINED_METHOD = "pm_card_declined"


@dataclass(frozen=True, slots=True)
class Charge:
    """A charge's outcome: `reference` is the provider's id for it, also when declined."""

    ok: bool
    reference: str
    failure: str | None = None


class PaymentProvider(Protocol):
    name: str

    async def charge(
        self,
        *,
        user_id: uuid.UUID,
        amount_cents: int,
        currency: str,
        description: str,
        payment_method: str | None,
        idempotency_key: str,
    ) -> Charge: ...


class SandboxProvider:
    name = "sandbox"

    async def charge(
        self,
        *,
        user_id: uuid.UUID,
        amount_cents: int,
        currency: str,
        description: str,
        payment_method: str | None,
        idempotency_key: str,
    ) -> Charge:
        digest = hashlib.sha256(f"{user_id}:{idempotency_key}".encode()).hexdigest()[:16]
        reference = f"sbx_ch_{digest}"
        if payment_method == DECLINED_METHOD:
            return Charge(ok=False, reference=reference, failure="Your card was declined.")
        return Charge(ok=True, reference=reference)


_PROVIDERS: dict[str, type[SandboxProvider]] = {"sandbox": SandboxProvider}


def payment_provider(settings: Settings) -> PaymentProvider:
    """The configured provider (`WATCHPARTY_PAYMENT_PROVIDER`; only `sandbox` exists)."""
    return _PROVIDERS[settings.payment_provider]()
