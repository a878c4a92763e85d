"""Password hashing (argon2id) and the password policy.

Hashing is slow on purpose, so every hash and verify runs in a worker thread, never on the
event loop. Unknown users are checked against a dummy hash so that a login for an email
that does not exist takes as long as one with a wrong password.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.concurrency import run_in_threadpool

from watchparty.settings import Settings

__all__ = [
    "hash_password",
    "verify_password",
    "verify_dummy",
    "needs_rehash",
    "password_problems",
    "MIN_PASSWORD_CHARS",
    "COMMON_PASSWORDS",
]

MIN_PASSWORD_CHARS = 8
# A password this close (0..1) to the username or the email's local part is refused.
MAX_SIMILARITY = 0.7
# The most used passwords of public breach lists that pass the length check; a short list
# catches most of the damage (a full list belongs in a data file when we need one).
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword
    12345678 123456789 1234567890 0123456789 87654321 11111111 00000000 12341234 11223344
    qwertyuiop qwerty123 qwerty1234 1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx asdfghjkl asdfasdf
    qazwsxedc iloveyou iloveyou1 sunshine princess football baseball superman batman123
    starwars dragon123 monkey123 letmein1 letmein123 welcome1 welcome123 trustno1 whatever
    abcd1234 abc12345 aa123456 changeme changeme123 computer internet michelle jennifer
    charlie1 shadow123 master123 freedom1 mustang1 access14 babygirl basketball liverpool
    chocolate butterfly pokemon1 starwars1 watchparty watchparty1 admin123 administrator
    secret123 default1 homealone summer2024 winter2024 spring2024
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@lru_cache(maxsize=4)
def _hasher(env: str) -> PasswordHasher:
    # Tests hash thousands of passwords; the cheapest parameters keep the suite fast. Hashes
    # carry their parameters, so verification works across profiles (and login rehashes).
    if env == "test":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


# Precomputed so that even the first unknown-user login of a process costs exactly one
# verification (hashing on demand would make that one slower, and so recognisable).
_DUMMY_HASHES = {
    "test": "$argon2id$v=19$m=8,t=1,p=1$ZzA/Nl0OC/Y$10/vBA",
    "default": (
        "$argon2id$v=19$m=65536,t=3,p=4$vpYs8MjX4c70enbXYbYEVQ"
        "$Jg/Gwd2+6EyiZi8VERIHT3Nt1QoYwzdijTlM3agknz0"
    ),
}


@lru_cache(maxsize=4)
def _dummy_hash(env: str) -> str:
    hasher = _hasher(env)
    stored = _DUMMY_HASHES["test" if env == "test" else "default"]
    # A library default that changed would make the stored hash cheaper or dearer than a real one.
    return hasher.hash("watchparty-dummy-password") if hasher.check_needs_rehash(stored) else stored


async def hash_password(password: str, *, settings: Settings) -> str:
    return await run_in_threadpool(_hasher(settings.env).hash, password)


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(password: str, password_hash: str, *, settings: Settings) -> bool:
    return await run_in_threadpool(_verify, _hasher(settings.env), password_hash, password)


async def verify_dummy(password: str, *, settings: Settings) -> None:
    """Spend the time of one verification, for a user that does not exist."""
    hasher = _hasher(settings.env)
    await run_in_threadpool(_verify, hasher, _dummy_hash(settings.env), password)


def needs_rehash(password_hash: str, *, settings: Settings) -> bool:
    try:
        return _hasher(settings.env).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _too_similar(password: str, attribute: str) -> bool:
    password, attribute = password.lower(), attribute.lower()
    if len(attribute) < 3:
        return False
    # "ana2024!" for user "ana" is mostly the username; "anagrams-in-spring" is not.
    if attribute in password and 2 * len(attribute) >= len(password):
        return True
    matcher = SequenceMatcher(a=password, b=attribute)
    return matcher.quick_ratio() >= MAX_SIMILARITY and matcher.ratio() >= MAX_SIMILARITY


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """Every reason `password` is refused (empty when it is acceptable)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_CHARS:
        problems.append(
            f"This password is too short. It must contain at least {MIN_PASSWORD_CHARS} characters."
        )
    local_part = email.partition("@")[0]
    if any(_too_similar(password, attr) for attr in (username, local_part, email) if attr):
        problems.append("The password is too similar to the username or email.")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("This password is too common.")
    if password.isdigit():
        problems.append("This password is entirely numeric.")
    return problems
