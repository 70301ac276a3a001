"""The ``lupuscart`` command: a thin shell over the library, one module per command group."""

from ._root import main as main

__all__ = ["main"]
