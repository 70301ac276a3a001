"""Exchange formats: NONMEM-style event tables, SBML and Antimony export of a planned patient, and the PEtab
export of the calibration problem (checked with the PEtab linter)."""

from ._antimony import to_antimony as to_antimony
from ._event_table import NONMEM_COLUMNS as NONMEM_COLUMNS
from ._event_table import dosable_compartments as dosable_compartments
from ._event_table import event_table as event_table
from ._event_table import parse_event_table as parse_event_table
from ._event_table import read_event_table as read_event_table
from ._petab import write_petab as write_petab
from ._sbml import TIME_ORIGINS as TIME_ORIGINS
from ._sbml import sbml_consistency_errors as sbml_consistency_errors
from ._sbml import sbml_unit_warnings as sbml_unit_warnings
from ._sbml import to_l3_formula as to_l3_formula
from ._sbml import to_sbml as to_sbml

__all__ = [
    "NONMEM_COLUMNS",
    "TIME_ORIGINS",
    "dosable_compartments",
    "event_table",
    "parse_event_table",
    "read_event_table",
    "sbml_consistency_errors",
    "sbml_unit_warnings",
    "to_antimony",
    "to_l3_formula",
    "to_sbml",
    "write_petab",
]
