"""Registers every command module on the root app; add one import per command group."""

from __future__ import annotations

from . import (
    dashboard,  # noqa: F401
    demo,  # noqa: F401
    export,  # noqa: F401
    score,  # noqa: F401
    simulate,  # noqa: F401
    trial,  # noqa: F401
)
