"""Registers every command module on the root app; add one import per command group."""

from __future__ import annotations
from . import score  # noqa: F401
from . import export  # noqa: F401
from . import simulate  # noqa: F401
from . import dashboard  # noqa: F401
from . import trial  # noqa: F401
from . import demo  # noqa: F401
