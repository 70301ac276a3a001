"""Validation of the model against published cohorts and directions (``lupuscart validate``).

>>> from lupuscart.validation import PUBLISHED, DIRECTIONS
>>> {p.role for p in PUBLISHED} == {"calibration", "parameter source", "validation"}
True
"""

from ._directions import DIRECTIONS as DIRECTIONS
from ._directions import Direction as Direction
from ._published import PUBLISHED as PUBLISHED
from ._published import Published as Published
from ._validate import Comparison as Comparison
from ._validate import DirectionResult as DirectionResult
from ._validate import ValidationReport as ValidationReport
from ._validate import compare as compare
from ._validate import judge as judge
from ._validate import suite_config as suite_config
from ._validate import validate as validate
from ._validate import write_report as write_report

__all__ = [
    "DIRECTIONS",
    "PUBLISHED",
    "Comparison",
    "Direction",
    "DirectionResult",
    "Published",
    "ValidationReport",
    "compare",
    "judge",
    "suite_config",
    "validate",
    "write_report",
]
