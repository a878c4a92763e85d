"""Users for the API tests: `user` (plain) and `totp_user` (2FA on), on this test's database."""

from __future__ import annotations

import pyotp
import pytest

from tests.utils.factories import TotpUser, make_user
from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.tables import User


@pytest.fixture
async def user(db: Database, settings: Settings) -> User:
    return await make_user(db, settings)


@pytest.fixture
async def totp_user(db: Database, settings: Settings) -> TotpUser:
    """A user with TOTP on, and the secret their authenticator app holds."""
    secret = pyotp.random_base32()
    return await make_user(db, settings, totp_secret=secret), secret
