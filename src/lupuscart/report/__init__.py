"""Figures and reports (matplotlib is imported lazily inside each function)."""

from ._patient_figure import patient_figure as patient_figure

__all__ = ["patient_figure"]
