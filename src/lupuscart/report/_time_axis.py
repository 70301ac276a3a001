"""A readable time axis for journeys whose first weeks and later years both matter: a *broken* linear axis.

The first weeks (lymphodepletion, CAR T expansion, CRS) and the follow-up (B-cell return, remission) are drawn on
two linear axes side by side, the first one stretched, with a visible gap and break marks between them. Unlike a
symlog axis there is no bend that reads like biology: within each part, equal distances are equal days. Ticks are
plain day numbers ("2", not "2×10⁰").
"""

from __future__ import annotations

from typing import Any

#: Default split between the stretched first weeks and the follow-up (days after infusion).
SPLIT_DAY = 35.0


def plain_log_ticks(ax: Any) -> None:
    """Label a logarithmic y axis with plain numbers (0.01, 0.1, 1, 10, 100; 1-2-5 steps on a narrow axis)
    instead of 10ⁿ or 2×10⁰. Call it after the data are drawn (it reads the axis range)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    low, high = ax.get_ylim()
    narrow = high / max(low, 1e-300) < 1e3  # under three decades: label 1-2-5 steps, not only the decades
    ax.yaxis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0) if narrow else (1.0,), numticks=12))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def broken_axes(fig: Any, cell: Any, *, start: float, split: float, end: float, ratio: float = 1.0) -> tuple[Any, Any]:
    """Two axes in ``cell`` (a gridspec cell) sharing y: days ``[start, split]`` left, ``[split, end]`` right.

    ``ratio`` is the left axis's width relative to the right one. Returns ``(left, right)``; draw the same
    artists on both (each shows its own range). Break marks (//) are drawn on the facing spines.
    """
    inner = cell.subgridspec(1, 2, width_ratios=[ratio, 1.0], wspace=0.06)
    left = fig.add_subplot(inner[0])
    right = fig.add_subplot(inner[1], sharey=left)
    left.set_xlim(start, split)
    right.set_xlim(split, end)
    left.spines["right"].set_visible(False)
    right.spines["left"].set_visible(False)
    right.tick_params(axis="y", which="both", left=False, labelleft=False)
    marks = {"marker": [(-1, -1.5), (1, 1.5)], "markersize": 8, "linestyle": "none", "color": "k", "mec": "k",
             "mew": 1, "clip_on": False}  # fmt: skip
    left.plot([1, 1], [0, 1], transform=left.transAxes, **marks)
    right.plot([0, 0], [0, 1], transform=right.transAxes, **marks)
    return left, right
