"""Virtual patients: covariates, inter-individual variability, eligibility, reproducible sampling.

>>> from lupuscart.population import sample_population, to_config
>>> pop = sample_population(3, seed=0)
>>> to_config(pop[0]).patient.weight_kg == pop[0].patient["weight_kg"]
True
"""

from ._covariates import COVARIATE_PARAMETERS as COVARIATE_PARAMETERS
from ._covariates import Continuous as Continuous
from ._covariates import CovariateSpec as CovariateSpec
from ._covariates import NephritisClass as NephritisClass
from ._eligibility import Eligibility as Eligibility
from ._eligibility import is_eligible as is_eligible
from ._eligibility import screening_sledai2k as screening_sledai2k
from ._sample import PopulationSpec as PopulationSpec
from ._sample import VirtualPatient as VirtualPatient
from ._sample import calibrated_parameters as calibrated_parameters
from ._sample import individual_parameters as individual_parameters
from ._sample import sample_patient as sample_patient
from ._sample import sample_patients as sample_patients
from ._sample import sample_population as sample_population
from ._sample import to_config as to_config
from ._variability import DEFAULT_CORRELATIONS as DEFAULT_CORRELATIONS
from ._variability import DEFAULT_IIV as DEFAULT_IIV
from ._variability import Variability as Variability
from ._variability import correlation_matrix as correlation_matrix
from ._variability import sample_eta as sample_eta

__all__ = [
    "COVARIATE_PARAMETERS",
    "DEFAULT_CORRELATIONS",
    "DEFAULT_IIV",
    "Continuous",
    "CovariateSpec",
    "Eligibility",
    "NephritisClass",
    "PopulationSpec",
    "Variability",
    "VirtualPatient",
    "calibrated_parameters",
    "correlation_matrix",
    "individual_parameters",
    "is_eligible",
    "sample_eta",
    "sample_patient",
    "sample_patients",
    "sample_population",
    "screening_sledai2k",
    "to_config",
]
