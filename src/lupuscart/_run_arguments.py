"""The arguments of a trial run, constrained once: ``lupuscart trial``, :func:`run_trial` and the Dask mapper all
check them here, with one wording (scikit-learn's ``_parameter_constraints`` habit, style.md 6).

The ranges of ``patients`` and ``seed`` are the trial configuration's own (:class:`~lupuscart.trial.TrialConfig`
uses the same constants), so a value given on the command line or as an argument can never escape the limits a
configuration file is held to. The module sits outside :mod:`lupuscart.trial` because the command line declares its
options with these limits: importing anything under ``lupuscart.trial`` runs that package (pandas, scipy), which
would make ``lupuscart --version`` slow (docs/engine.md, "Package structure and import time").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .exceptions import InvalidInputError, excerpt

#: Patients per arm, at most (a trial of 10⁷ patient-arms is hours on a cluster; above that, split it).
MAX_PATIENTS = 10_000_000
#: Largest seed (numpy's SeedSequence takes any non-negative integer; 2⁶³ − 1 keeps it in an int64 column).
MAX_SEED = 2**63 - 1
#: Local worker processes, at most.
MAX_WORKERS = 256
#: Patients per chunk, at most.
MAX_CHUNK_SIZE = 100_000
#: Replicate trials (parameter uncertainty), at most.
MAX_REPLICATES = 10_000


@dataclass(frozen=True)
class IntegerRange:
    """An integer argument in ``[low, high]``, named ``option`` on the command line."""

    option: str
    low: int
    high: int

    def check(self, name: str, value: object, *, caller: str) -> None:
        """Raise :class:`InvalidInputError` naming the argument, the range and the value unless it fits."""
        ok = isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high
        if not ok:
            what = f"The '{self.option}' option" if caller == "cli" else f"The '{name}' argument of {caller}"
            raise InvalidInputError(
                f"{what} must be an integer in [{self.low}, {self.high}]. Got {excerpt(value, 40)} instead."
            )


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: A host name, an IPv4 address or a bracketed IPv6 address.
_HOST = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"


@dataclass(frozen=True)
class SchedulerAddress:
    """A Dask scheduler address, ``[tcp|tls|ucx|ws|wss://]HOST:PORT`` (checked before any connection is tried)."""

    option: str
    pattern: re.Pattern[str] = re.compile(rf"^(?:(?:tcp|tls|ucx|ws|wss)://)?{_HOST}:(?P<port>[0-9]{{1,5}})$")

    def check(self, name: str, value: object, *, caller: str) -> None:
        """Raise :class:`InvalidInputError` naming the argument, the form and the value unless it fits."""
        match = self.pattern.match(value) if isinstance(value, str) and len(value) <= 300 else None
        if match is None or not 1 <= int(match["port"]) <= 65535:
            what = f"The '{self.option}' option" if caller == "cli" else f"The '{name}' argument of {caller}"
            raise InvalidInputError(
                f"{what} must be the address of a Dask scheduler, tcp://HOST:PORT (port 1-65535), e.g. "
                f"tcp://127.0.0.1:8786. Got {excerpt(value, 60)} instead."
            )


#: The constraints, by argument name (``None`` always means "take the configuration's value / the default").
RUN_ARGUMENTS: dict[str, IntegerRange | SchedulerAddress] = {
    "patients": IntegerRange("--patients", 1, MAX_PATIENTS),
    "seed": IntegerRange("--seed", 0, MAX_SEED),
    "workers": IntegerRange("--workers", 1, MAX_WORKERS),
    "chunk_size": IntegerRange("--chunk-size", 1, MAX_CHUNK_SIZE),
    "replicates": IntegerRange("--replicates", 0, MAX_REPLICATES),
    "scheduler": SchedulerAddress("--scheduler"),
}


def check_run_arguments(*, caller: str = "run_trial", **arguments: object) -> None:
    """Check trial-run arguments against :data:`RUN_ARGUMENTS`; ``None`` values are not checked.

    ``caller`` names the function in the message, or is ``"cli"`` to name the command-line option instead.

    Examples
    --------
    >>> check_run_arguments(patients=10, seed=0, workers=2, chunk_size=None)
    >>> check_run_arguments(patients=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidInputError: The 'patients' argument of run_trial must be ... Got 0 instead.
    >>> check_run_arguments(caller="cli", workers=0)
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidInputError: The '--workers' option must be an integer in [1, 256]. Got 0 instead.
    >>> check_run_arguments(caller="cli", scheduler="not a url")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidInputError: The '--scheduler' option must be the address of a Dask scheduler, ...
    """
    for name, value in arguments.items():
        if name not in RUN_ARGUMENTS:
            raise TypeError(f"unknown run argument {name!r}; declared: {sorted(RUN_ARGUMENTS)}")
        if value is not None:
            RUN_ARGUMENTS[name].check(name, value, caller=caller)
