"""A patient's protocol as data: scheduled doses, the assessment times, the management policy, the output grid.

Both integrators read the same :class:`Protocol` — the readable reference journey (``_integrate``) and the
compiled one (``_compiled``) — so they integrate between the same event times, assess at the same times and
apply the same policy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ..engine import Dose
from ._igg_replacement import IggReplacementPolicy
from ._management import ManagementPolicy
from ._plan import PatientPlan

#: Output grid: every day of the journey, plus every 6 h over the first month (CAR T peak, CRS).
FINE_STEP_DAYS = 0.25
FINE_UNTIL_DAY = 30.0


@dataclass(frozen=True)
class Protocol:
    """What will be done to one patient, and when (days relative to infusion).

    ``doses`` is empty and there are no assessments when manufacturing failed.
    """

    t_start: float
    t_end: float
    manufactured: bool
    doses: tuple[Dose, ...]
    assessment_days: FloatArray
    assessment_interval_days: float
    management: ManagementPolicy
    igg_replacement: IggReplacementPolicy
    output_days: FloatArray
    daily_days: FloatArray

    @property
    def boundaries(self) -> list[float]:
        """Times at which integration stops: doses, assessments, IgG checks and the end of follow-up, sorted."""
        checks = set(self.assessment_days.tolist()) | set(self.igg_replacement.check_days.tolist())
        return sorted({d.time_day for d in self.doses} | checks | {self.t_end})


def build_protocol(plan: PatientPlan, *, manufactured: bool, managed: bool) -> Protocol:
    """The protocol of a planned patient; without a product nothing is infused and nothing is assessed."""
    config = plan.config
    interval = config.monitoring.assessment_interval_hours / 24.0
    window = config.monitoring.assessment_window_days
    assessments = np.round(np.arange(0.0, window + 1e-9, interval), 9) if manufactured else np.empty(0)
    daily = np.arange(plan.t_start, plan.t_end + 1.0)
    fine = np.arange(0.0, FINE_UNTIL_DAY + 1e-9, FINE_STEP_DAYS)
    return Protocol(
        t_start=plan.t_start,
        t_end=plan.t_end,
        manufactured=manufactured,
        doses=plan.doses if manufactured else (),
        assessment_days=assessments,
        assessment_interval_days=interval,
        management=ManagementPolicy.from_config(config.management, config.patient.weight_kg, managed=managed),
        igg_replacement=IggReplacementPolicy.from_config(
            config.management.igg_replacement, config.patient.weight_kg, plan.t_end, managed=managed
        ),
        output_days=np.union1d(daily, fine),
        daily_days=daily,
    )
