"""IgG replacement as a management rule: at scheduled check days, read serum IgG, infuse immunoglobulin if low.

Standard care after B-cell- and plasma-cell-directed therapy replaces IgG when it falls below about 4 g/L
(IVIG 0.4 g/kg, repeated while it stays low; Wang 2021 report prolonged hypogammaglobulinaemia after BCMA CAR T).
The rule is data (:class:`IggReplacementPolicy`): at each check day the integrator reads only the model observable
``igg_g_l`` and, below the threshold, adds the dose as a bolus to the dose-target state ``ivig_g``. A compiled
journey can apply the same rule (check times, one observable, one bolus) inside its integrator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ._config import IggReplacementConfig

#: The model state that receives infused immunoglobulin (grams).
IVIG_STATE = "ivig_g"
#: The model observable the rule reads.
IGG_OBSERVABLE = "igg_g_l"


@dataclass(frozen=True)
class IggReplacementPolicy:
    """When IgG is checked (days after infusion), the threshold below which immunoglobulin is given, the dose."""

    check_days: FloatArray
    threshold_g_l: float
    dose_g: float

    @classmethod
    def from_config(
        cls, config: IggReplacementConfig, weight_kg: float, followup_days: float, *, managed: bool = True
    ) -> IggReplacementPolicy:
        """The policy of a configuration; no checks when the policy is ``none`` or nothing is managed.

        >>> from lupuscart.journey._config import IggReplacementConfig
        >>> p = IggReplacementPolicy.from_config(IggReplacementConfig(), 70.0, 120.0)
        >>> p.check_days.tolist(), p.dose_g
        ([28.0, 56.0, 84.0, 112.0], 28.0)
        """
        if config.policy == "none" or not managed:
            days: FloatArray = np.empty(0)
        else:
            days = np.arange(config.check_every_days, followup_days, config.check_every_days, dtype=float)
        return cls(days, config.threshold_g_l, config.dose_g_per_kg * weight_kg)

    def dose_at_check(self, igg_g_l: float) -> float:
        """Grams of immunoglobulin to infuse at a check with serum IgG ``igg_g_l`` (0 when none is due).

        >>> from lupuscart.journey._config import IggReplacementConfig
        >>> p = IggReplacementPolicy.from_config(IggReplacementConfig(), 70.0, 120.0)
        >>> p.dose_at_check(3.2), p.dose_at_check(4.5)
        (28.0, 0.0)
        """
        return self.dose_g if igg_g_l < self.threshold_g_l else 0.0
