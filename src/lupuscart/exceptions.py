"""The one exception family of lupuscart.

Every error that is the user's to fix (a bad configuration value, a malformed visits file, an unknown option)
is an :class:`InvalidInputError`, a :class:`ValueError`, whose message names the field, what is allowed and what
came in. The command line maps it to exit status 2 and prints the message without a traceback.
"""

from __future__ import annotations


class LupuscartError(Exception):
    """Base class of all lupuscart errors."""


class InvalidInputError(LupuscartError, ValueError):
    """User input (configuration, data file, argument) is invalid; the message says which field and why."""


class InvalidConfigError(InvalidInputError):
    """A configuration file or mapping is malformed, has unknown keys or out-of-range values."""


class ModelDefinitionError(LupuscartError):
    """The model definition is inconsistent (audit failure); this is a bug in the model, please report it."""


class SolverError(LupuscartError):
    """A numerical solve failed; the message says what to try (tighter tolerances, more steps)."""


class FeatureNotSupportedError(LupuscartError):
    """An engine or exporter was asked for something it cannot do (e.g. state-dependent management in SBML)."""
