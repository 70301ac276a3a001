"""Exchange formats: SBML export of a planned patient (validated in libRoadRunner by the tests)."""

from ._sbml import sbml_consistency_errors as sbml_consistency_errors
from ._sbml import to_l3_formula as to_l3_formula
from ._sbml import to_sbml as to_sbml

__all__ = ["sbml_consistency_errors", "to_l3_formula", "to_sbml"]
