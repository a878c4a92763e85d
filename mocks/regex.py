"""Seeded strings that match a regular expression (for schema `pattern`s).

A small walker over the parse tree of Python's own regex parser, so what it generates is
exactly what `re.search` accepts. Readable characters are preferred: a class that admits
letters and digits yields letters and digits, the rest only when nothing else fits.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

# Python 3.11 keeps the parser here; the old `sre_parse` name warns on import.
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["generate_match"]

# Characters a class or `.` may yield: printable ASCII, readable ones first.
_UNIVERSE = [chr(c) for c in range(0x20, 0x7F)]
_READABLE = set(string.ascii_letters + string.digits)
# Unbounded repeats (`+`, `*`) get at most this many extra rounds.
_OPEN_REPEAT_EXTRA = 8
_BOUNDED_REPEAT_EXTRA = 12

_CATEGORY_TEST: dict[Any, Callable[[str], bool]] = {
    sre_constants.CATEGORY_DIGIT: str.isdigit,
    sre_constants.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
    sre_constants.CATEGORY_SPACE: str.isspace,
    sre_constants.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sre_constants.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre_constants.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def generate_match(pattern: str, rng: random.Random) -> str:
    """
    A string in which `re.search(pattern, ...)` finds a match (the whole string matches
    when the pattern is anchored with `^...$`).

    Args:
        pattern: a Python-compatible regular expression.
        rng: the source of every choice, so one seed gives one string.
    """
    return "".join(_emit(sre_parse.parse(pattern), rng))


def _emit(items: Any, rng: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        out.extend(_emit_one(op, arg, rng))
    return out


def _emit_one(op: Any, arg: Any, rng: random.Random) -> list[str]:
    if op is sre_constants.LITERAL:
        return [chr(arg)]
    if op is sre_constants.NOT_LITERAL:
        return [_pick([c for c in _UNIVERSE if c != chr(arg)], rng)]
    if op is sre_constants.ANY:
        return [_pick(_UNIVERSE, rng)]
    if op is sre_constants.IN:
        return [_pick(_class_members(arg), rng)]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, sub = arg
        extra = (
            _OPEN_REPEAT_EXTRA
            if high is sre_constants.MAXREPEAT
            else min(high - low, _BOUNDED_REPEAT_EXTRA)
        )
        out: list[str] = []
        for _ in range(low + rng.randint(0, extra)):
            out.extend(_emit(sub, rng))
        return out
    if op is sre_constants.SUBPATTERN:
        return _emit(arg[-1], rng)
    if op is sre_constants.BRANCH:
        return _emit(rng.choice(arg[1]), rng)
    if op is sre_constants.AT:
        return []
    raise ValueError(f"regex construct {op} is not supported by the mock data generator")


def _class_members(items: Any) -> list[str]:
    negate = any(op is sre_constants.NEGATE for op, _ in items)
    members = [c for c in _UNIVERSE if _in_class(c, items) != negate]
    if not members:
        raise ValueError("a character class admits no printable ASCII character")
    return members


def _in_class(char: str, items: Any) -> bool:
    code = ord(char)
    for op, arg in items:
        if op is sre_constants.LITERAL and code == arg:
            return True
        if op is sre_constants.RANGE and arg[0] <= code <= arg[1]:
            return True
        if op is sre_constants.CATEGORY and _CATEGORY_TEST[arg](char):
            return True
    return False


def _pick(members: list[str], rng: random.Random) -> str:
    readable = [c for c in members if c in _READABLE]
    return rng.choice(readable or members)
