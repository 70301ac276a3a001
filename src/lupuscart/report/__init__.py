"""Figures and reports: the patient panel, virtual-trial figures, the calibration figure and the trial HTML report."""

from ._calibration import calibration_figure as calibration_figure
from ._endpoint_table import arms_of as arms_of
from ._endpoint_table import endpoint_rows as endpoint_rows
from ._html import write_trial_report as write_trial_report
from ._km_drawing import KMDrawing as KMDrawing
from ._km_drawing import km_drawing as km_drawing
from ._patient_figure import GRADE_COLOURS as GRADE_COLOURS
from ._patient_figure import patient_figure as patient_figure
from ._trial import trial_figures as trial_figures

__all__ = [
    "GRADE_COLOURS",
    "KMDrawing",
    "arms_of",
    "calibration_figure",
    "endpoint_rows",
    "km_drawing",
    "patient_figure",
    "trial_figures",
    "write_trial_report",
]
