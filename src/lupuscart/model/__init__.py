"""The mechanistic model of CD19 CAR T therapy in SLE, defined once as data (see ``_spec``).

>>> from lupuscart.model import default_model
>>> m = default_model()
>>> len(m.definition.states)
41
"""

from __future__ import annotations

from functools import lru_cache

from ._calibrated import calibrated_values as calibrated_values
from ._calibrated import calibration_record as calibration_record
from ._codegen import CompiledModel as CompiledModel
from ._codegen import compile_model as compile_model
from ._definition import ModelDefinition as ModelDefinition
from ._definition import build_model as build_model
from ._definition import formula_names as formula_names
from ._document import model_markdown as model_markdown
from ._references import DOCUMENTS as DOCUMENTS
from ._references import REFERENCES as REFERENCES
from ._spec import EVIDENCE_TAGS as EVIDENCE_TAGS
from ._spec import Assignment as Assignment
from ._spec import Block as Block
from ._spec import Expression as Expression
from ._spec import Flux as Flux
from ._spec import Observable as Observable
from ._spec import Parameter as Parameter
from ._spec import Reference as Reference
from ._spec import State as State
from ._units import parse_unit_si as parse_unit_si

MODEL_VERSION = "0.1.0"


@lru_cache(maxsize=1)
def default_model() -> CompiledModel:
    """The compiled default model (built and audited once per process)."""
    return compile_model(build_model())


__all__ = [
    "DOCUMENTS",
    "EVIDENCE_TAGS",
    "MODEL_VERSION",
    "REFERENCES",
    "Assignment",
    "Block",
    "CompiledModel",
    "Expression",
    "Flux",
    "ModelDefinition",
    "Observable",
    "Parameter",
    "Reference",
    "State",
    "build_model",
    "calibrated_values",
    "calibration_record",
    "compile_model",
    "default_model",
    "formula_names",
    "model_markdown",
    "parse_unit_si",
]
