"""A small trial for the hostile tests (short follow-up, few resampling draws), as in ``tests/trial/_shared``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

SMALL: dict[str, Any] = {"protocol": {"followup": {"days": 400}}, "small_trial": {"sizes": [3], "draws": 50}}


def write_config(directory: Path, data: dict[str, Any] | None = None) -> Path:
    path = directory / "trial.yaml"
    path.write_text(yaml.safe_dump(data or SMALL))
    return path


def canonical(endpoints: dict[str, Any]) -> str:
    """The endpoints as the CLI prints them, with sorted keys (NaN spelt the same on both sides)."""
    from lupuscart.trial._execute import _json_default

    return json.dumps(json.loads(json.dumps(endpoints, default=_json_default)), sort_keys=True)
