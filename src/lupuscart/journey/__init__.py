"""The patient journey and the clinical protocol as data: configuration, regimens, plan, protocol, and the
pipeline plan → integrate with assessments → post-process that simulates it."""

from ._config import SimulationConfig as SimulationConfig
from ._config import load_config as load_config
from ._events import Event as Event
from ._integrate import JourneyState as JourneyState
from ._management import ManagementPolicy as ManagementPolicy
from ._plan import JourneyEvent as JourneyEvent
from ._plan import PatientPlan as PatientPlan
from ._plan import apheresis_t_cells as apheresis_t_cells
from ._plan import manufacturing_failure_probability as manufacturing_failure_probability
from ._plan import mosteller_bsa_m2 as mosteller_bsa_m2
from ._plan import plan_patient as plan_patient
from ._protocol import Protocol as Protocol
from ._protocol import build_protocol as build_protocol
from ._regimens import PRODUCTS as PRODUCTS
from ._regimens import REGIMENS as REGIMENS
from ._regimens import Product as Product
from ._regimens import Regimen as Regimen
from ._result import PatientResult as PatientResult
from ._runner import simulate_patient as simulate_patient
from ._runner import simulate_patients as simulate_patients
from ._summary import PatientSummary as PatientSummary
from ._tables import TIMECOURSE_COLUMNS as TIMECOURSE_COLUMNS
from ._tables import events_frame as events_frame
from ._tables import parameter_record as parameter_record
from ._tables import timecourse_frame as timecourse_frame
from ._tables import timecourse_long as timecourse_long
from ._tables import visits_frame as visits_frame
from ._visits import VisitScore as VisitScore

__all__ = [
    "PRODUCTS",
    "REGIMENS",
    "TIMECOURSE_COLUMNS",
    "Event",
    "JourneyEvent",
    "JourneyState",
    "ManagementPolicy",
    "PatientPlan",
    "PatientResult",
    "PatientSummary",
    "Product",
    "Protocol",
    "Regimen",
    "SimulationConfig",
    "VisitScore",
    "apheresis_t_cells",
    "build_protocol",
    "events_frame",
    "load_config",
    "manufacturing_failure_probability",
    "mosteller_bsa_m2",
    "parameter_record",
    "plan_patient",
    "simulate_patient",
    "simulate_patients",
    "timecourse_frame",
    "timecourse_long",
    "visits_frame",
]
