"""Generated AsyncAPI Python package."""

from .application import Application
from .router import ProducerRouter, ConsumerRouter

__all__ = [
    "Application",
    "ProducerRouter",
    "ConsumerRouter",
]

__version__ = "1.0.0"
