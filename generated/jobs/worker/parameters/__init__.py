"""Generated parameter TypedDict models for AsyncAPI channels."""

from typing import TypedDict

# No parameterized channels found in the specification

__all__ = []
