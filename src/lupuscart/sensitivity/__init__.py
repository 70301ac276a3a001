"""Global sensitivity analysis of the model's clinical outputs (SALib: Morris screening, Sobol indices).

>>> from lupuscart.sensitivity import OUTPUT_KEYS
>>> OUTPUT_KEYS[:2]
('doris_month3', 'drug_free_remission_month24')
"""

from ._analysis import morris_indices as morris_indices
from ._analysis import sobol_indices as sobol_indices
from ._analysis import top_factors as top_factors
from ._design import SampleDesign as SampleDesign
from ._design import SensitivityConfig as SensitivityConfig
from ._design import evaluate_chunk as evaluate_chunk
from ._design import load_sensitivity_config as load_sensitivity_config
from ._factors import FOLD_BY_EVIDENCE as FOLD_BY_EVIDENCE
from ._factors import Factor as Factor
from ._factors import covariate_factors as covariate_factors
from ._factors import parameter_factors as parameter_factors
from ._outputs import OUTPUT_KEYS as OUTPUT_KEYS
from ._outputs import OUTPUTS as OUTPUTS
from ._outputs import Output as Output
from ._outputs import output as output
from ._outputs import output_values as output_values
from ._run import SensitivityResult as SensitivityResult
from ._run import run_sensitivity as run_sensitivity

__all__ = [
    "FOLD_BY_EVIDENCE",
    "OUTPUTS",
    "OUTPUT_KEYS",
    "Factor",
    "Output",
    "SampleDesign",
    "SensitivityConfig",
    "SensitivityResult",
    "covariate_factors",
    "evaluate_chunk",
    "load_sensitivity_config",
    "morris_indices",
    "output",
    "output_values",
    "parameter_factors",
    "run_sensitivity",
    "sobol_indices",
    "top_factors",
]
