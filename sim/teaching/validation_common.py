"""Building blocks of the validation report: a section, its figures, tables, colours.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..results import markdown_table as _table  # noqa: F401  (the reports' name)
from ..results import save_figure


#: Okabe-Ito colour-blind-safe palette.
PALETTE = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "yellow": "#F0E442", "blue": "#0072B2", "red": "#D55E00", "purple": "#CC79A7"}


DISCLAIMER = ("This is an educational and exploratory model, not medical advice. It "
              "shows how the assumptions behave; it does not diagnose or predict an "
              "individual's pain or injury.")


STRIDE_ON_S, STRIDE_OFF_S, STRIDE_LOAD = 0.35, 0.40, 0.30   # running-like duty cycle


_DT = 0.01


@dataclass
class Section:
    """One report section: Markdown, figure files (relative) and headline numbers."""

    markdown: str
    figures: list = field(default_factory=list)
    headline: dict = field(default_factory=dict)


class _Figures:
    """Saves figures under ``out_dir/figures`` and returns their relative paths.

    ``number`` is the number of the section being written (set by
    :func:`sim.teaching.validate.write_report`), for its heading.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.number = None

    def save(self, fig, name: str) -> str:
        import matplotlib.pyplot as plt

        rel = f"figures/{name}.png"
        save_figure(fig, self.out_dir / rel)
        plt.close(fig)
        return rel


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"axes.grid": True, "grid.alpha": 0.3, "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _stride_targets(hours, load=STRIDE_LOAD):
    on, off = int(round(STRIDE_ON_S / _DT)), int(round(STRIDE_OFF_S / _DT))
    stride = np.r_[np.full(on, load), np.zeros(off)]
    return np.tile(stride, int(round(hours * 3600 / (STRIDE_ON_S + STRIDE_OFF_S))))


def _capacity_every(prm, targets, every_s):
    """Muscle capacity and states sampled every ``every_s`` seconds of a series."""
    from ..physics.fatigue.pools import fresh_state, muscle_capacity, simulate_states

    states = simulate_states(targets, _DT, prm, fresh_state())[::int(round(every_s / _DT))]
    cap = np.array([muscle_capacity(s, prm) for s in states])
    return np.arange(len(cap)) * every_s, cap, states
