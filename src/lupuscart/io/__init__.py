"""Exchange formats: SBML export of a planned patient (validated in libRoadRunner by the tests) and the PEtab
export of the calibration problem (checked with the PEtab linter)."""

from ._petab import write_petab as write_petab
from ._sbml import sbml_consistency_errors as sbml_consistency_errors
from ._sbml import to_l3_formula as to_l3_formula
from ._sbml import to_sbml as to_sbml

__all__ = ["sbml_consistency_errors", "to_l3_formula", "to_sbml", "write_petab"]
