"""The one exception family of lupuscart.

Every error that is the user's to fix (a bad configuration value, a malformed visits file, an unknown option)
is an :class:`InvalidInputError`, a :class:`ValueError`, whose message names the field, what is allowed and what
came in; an output that cannot be written is an :class:`OutputError`. The command line maps them (and operating
system errors) to exit status 2 and prints the message without a traceback (``lupuscart.cli._errors``).
"""

from __future__ import annotations

import reprlib


class LupuscartError(Exception):
    """Base class of all lupuscart errors."""


class InvalidInputError(LupuscartError, ValueError):
    """User input (configuration, data file, argument) is invalid; the message says which field and why."""


class InvalidConfigError(InvalidInputError):
    """A configuration file or mapping is malformed, has unknown keys or out-of-range values."""


class OutputError(LupuscartError):
    """An output could not be written (disk full, permissions, a file where a folder should be); the message
    names it, and nothing partial was left: an earlier output of the same name is unchanged."""


class ModelDefinitionError(LupuscartError):
    """The model definition is inconsistent (audit failure); this is a bug in the model, please report it."""


class SolverError(LupuscartError):
    """A numerical solve failed; the message says what to try (tighter tolerances, more steps)."""


class FeatureNotSupportedError(LupuscartError):
    """An engine or exporter was asked for something it cannot do (e.g. state-dependent management in SBML)."""


def excerpt(value: object, limit: int = 60) -> str:
    """A short ``repr`` of ``value`` for error messages: never more than ``limit`` characters, and cheap even
    for a huge value (containers and strings are cut before they are rendered, with :mod:`reprlib`).

    >>> excerpt("x" * 1000, 20)
    "'xxxxxxx...xxxxxxxx'"
    >>> excerpt(list(range(10**6)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    short.maxlist = short.maxtuple = short.maxset = short.maxdict = 6
    short.maxlevel = 3
    text = short.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters (with "..."), for messages that quote something that came in.

    >>> shorten("abcdef", 5)
    'ab...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."
