"""Reading configuration mappings (YAML files or dicts) and wording pydantic errors with dotted paths.

Shared by the simulation and the trial configuration so that both refuse bad input the same way: the file is read
with the one YAML reader (:func:`lupuscart._yaml.load_yaml`: YAML 1.2 numbers, unique keys, bounded size, depth
and aliases), and the message names the dotted path of each bad field, what is allowed and a short excerpt of
what came in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ._yaml import load_yaml
from .exceptions import InvalidConfigError, excerpt, shorten

#: Largest configuration file read (bytes); real ones are a few kilobytes.
MAX_CONFIG_BYTES = 1024 * 1024
#: Bad fields listed in one message (the rest are counted).
MAX_LISTED_ERRORS = 10
_FIELD_FIRST = re.compile(r"^[a-z_][a-z0-9_.]*: ")


def read_mapping(source: str | Path | dict[str, Any] | None, what: str) -> tuple[dict[str, Any], str]:
    """The mapping held by ``source`` (a YAML path, a dict, or ``None`` for empty) and a " in PATH" suffix.

    Raises
    ------
    InvalidConfigError
        The file is missing, unreadable (permissions, a directory), larger than :data:`MAX_CONFIG_BYTES`, not
        UTF-8 text, not valid YAML (see :func:`~lupuscart._yaml.load_yaml`), or not a mapping at the top level.

    >>> read_mapping({"a": 1}, "configuration")
    ({'a': 1}, '')
    """
    if source is None:
        return {}, ""
    if isinstance(source, dict):
        return source, ""
    path = Path(source)
    shown = shorten(str(path), 200)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise InvalidConfigError(f"{what} file not found: {shown}") from None
    except IsADirectoryError:
        raise InvalidConfigError(f"{what} file {shown} is a directory, not a YAML file") from None
    except OSError as exc:
        raise InvalidConfigError(f"{what} file {shown} cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise InvalidConfigError(
            f"{what} file {shown} is larger than {MAX_CONFIG_BYTES // 1024} KiB; a configuration is a few kilobytes"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidConfigError(
            f"{what} file {shown} must be UTF-8 text (YAML); byte {exc.start} is {raw[exc.start : exc.start + 1]!r}"
        ) from None
    if "\x00" in text:
        raise InvalidConfigError(f"{what} file {shown} must be UTF-8 text (YAML); it holds NUL bytes")
    data = load_yaml(text, f"{what} file {shown}")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidConfigError(
            f"{what} file {shown} must hold a mapping at the top level (key: value lines); got {excerpt(data)}"
        )
    return data, f" in {shown}"


def validation_message(exc: ValidationError, what: str, origin: str = "", prefix: str = "") -> str:
    """One paragraph naming each bad field by its dotted path (under ``prefix``), the rule and the value.

    Errors of rules that span fields (model validators) carry the location of their section only; their messages
    start with the dotted path of the field they name (e.g. ``model_parameters.ic_hill: ...``), which is put
    under the section and ``prefix``. At most
    :data:`MAX_LISTED_ERRORS` fields are listed and each value is shown as a short excerpt.
    """
    parts = []
    head = tuple(prefix.split(".")) if prefix else ()
    errors = exc.errors()
    for err in errors[:MAX_LISTED_ERRORS]:
        msg = shorten(err["msg"].removeprefix("Value error, "))
        if not err["loc"]:  # a rule spanning fields: its message starts with the dotted path of the field it names
            parts.append(".".join((*head, msg)))
            continue
        path = shorten(".".join(str(x) for x in (*head, *err["loc"])), 200)
        if err["type"] == "value_error" and _FIELD_FIRST.match(msg):  # a rule of a section naming its field
            parts.append(f"{path}.{msg}")
            continue
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not a configuration field)"
        got = err.get("input")
        shown = "" if err["type"] == "extra_forbidden" or isinstance(got, dict) else f"; got {excerpt(got)}"
        parts.append(f"{path}: {msg}{shown}")
    more = len(errors) - MAX_LISTED_ERRORS
    tail = f"; and {more} more" if more > 0 else ""
    return f"invalid {what}{origin}: " + "; ".join(parts) + tail
