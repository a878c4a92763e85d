"""watchparty: contract-first backend for a watch-party platform."""

from pathlib import Path

__all__ = ["PROJECT_ROOT", "SPECS_DIR", "GENERATED_DIR"]

# Specs and generated code sit beside the package (editable install from a checkout).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = PROJECT_ROOT / "specs"
GENERATED_DIR = PROJECT_ROOT / "generated"
