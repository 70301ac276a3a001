"""Reading configuration mappings (YAML files or dicts) and wording pydantic errors with dotted paths.

Shared by the simulation and the trial configuration so that both refuse bad input the same way: the message
names the dotted path of each bad field, what is allowed and what came in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .exceptions import InvalidConfigError


def read_mapping(source: str | Path | dict[str, Any] | None, what: str) -> tuple[dict[str, Any], str]:
    """The mapping held by ``source`` (a YAML path, a dict, or ``None`` for empty) and a " in PATH" suffix.

    >>> read_mapping({"a": 1}, "configuration")
    ({'a': 1}, '')
    """
    if source is None:
        return {}, ""
    if isinstance(source, dict):
        return source, ""
    import yaml

    path = Path(source)
    if not path.is_file():
        raise InvalidConfigError(f"{what} file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise InvalidConfigError(f"{what} file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidConfigError(f"{what} file {path} must hold a mapping at the top level")
    return data, f" in {path}"


def validation_message(exc: ValidationError, what: str, origin: str = "", prefix: str = "") -> str:
    """One paragraph naming each bad field by its dotted path (under ``prefix``), the rule and the value.

    Errors of rules that span fields (model validators) carry no location; their messages start with the dotted
    path of the field they name (e.g. ``model_parameters.ic_hill: ...``), which is put under ``prefix``.
    """
    parts = []
    head = tuple(prefix.split(".")) if prefix else ()
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        if not err["loc"]:  # a rule spanning fields: its message starts with the dotted path of the field it names
            parts.append(".".join((*head, msg)))
            continue
        path = ".".join(str(x) for x in (*head, *err["loc"]))
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not a configuration field)"
        got = err.get("input")
        shown = "" if err["type"] == "extra_forbidden" or isinstance(got, dict) else f"; got {got!r}"
        parts.append(f"{path}: {msg}{shown}")
    return f"invalid {what}{origin}: " + "; ".join(parts)
