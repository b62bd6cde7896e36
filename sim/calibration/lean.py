"""Calibrate the cost of a forward trunk lean on the lean growth of fatigued runners.

The lean cost has no published value (DESIGN §2.4). Fatigued runners lean forward by
2-4 deg more late in long or exhausting runs: +4 deg peak trunk flexion in novices after
a fatiguing run (Koblbauer et al. 2014, J Sci Med Sport 17:419), +2.1 deg in controls and
+3.2 deg in patellofemoral-pain runners after an exhaustive run (Bazett-Jones et al. 2013,
Med Sci Sports Exerc 45:1331). The cost is set so that the default runner (75 kg,
marathon pace 3.2 m/s) running 3 h at 3.2 m/s leans 3 deg further forward at 3 h than
at 10 min (the middle of that range). The growth falls monotonically with the cost, so a
bracketing root finder (``scipy.optimize.brentq``) solves it.

:func:`calibrate` writes ``sim/data/forward_lean_calibration.json`` (the cost and its
provenance), which :func:`sim.core.scenario.forward_lean_cost` reads at run time. Run it with
``python experiments/calibrate_forward_lean.py`` (about a minute).
"""
from __future__ import annotations

import datetime
import json

import numpy as np

from ..physics import params
from ..config import load_config
from ..results import atomic_write_text

__all__ = ["TARGET_DEG", "SPEED", "MINUTES", "BRACKET", "lean_growth", "calibrate"]

#: Lean growth between 10 min and 3 h at :data:`SPEED` that the cost is set to [deg].
TARGET_DEG = 3.0
#: The default runner's marathon pace [m/s].
SPEED = 3.2
#: Length of the calibration run [min].
MINUTES = 180.0
#: Search bracket of the cost [1/rad^2].
BRACKET = (0.3, 20.0)


def lean_growth(cost: float) -> tuple[float, float, float]:
    """Lean growth at a given cost [deg]: 10 min -> 3 h, 10 -> 95 min, 95 -> 180 min."""
    from ..core.simulation import simulate

    res = simulate(load_config(None, {"run.duration_min": MINUTES, "run.speed_mps": SPEED,
                                      "model.forward_lean_cost": float(cost)}))
    tm = res.time_s / 60.0
    f = [float(np.interp(m, tm, res.trunk_flexion_deg)) for m in (10.0, 95.0, MINUTES)]
    return f[2] - f[0], f[1] - f[0], f[2] - f[1]


def calibrate(write: bool = True) -> dict:
    """Solve the cost for :data:`TARGET_DEG`; write the calibration file if ``write``.

    Returns
    -------
    dict
        The file's content: ``cost_per_rad2``, its meaning, the target, the achieved
        growth (total and per half) and the provenance.
    """
    from scipy.optimize import brentq

    cost = brentq(lambda c: lean_growth(c)[0] - TARGET_DEG, *BRACKET, xtol=1e-4, rtol=1e-6)
    growth, first, second = lean_growth(cost)
    out = {
        "cost_per_rad2": float(cost),
        "unit": "1/rad^2",
        "meaning": "a forward lean d beyond the fresh posture multiplies the stride's effort "
                   "by exp(cost d^2) (sim.engine.lean_update)",
        "target": f"trunk flexion grows by {TARGET_DEG} deg between 10 min and 3 h for the "
                  f"default runner at {SPEED} m/s (middle of the 2-4 deg of Koblbauer et al. "
                  "2014 and Bazett-Jones et al. 2013)",
        "achieved_growth_deg": growth,
        "growth_first_half_deg": first,
        "growth_second_half_deg": second,
        "code": "experiments/calibrate_forward_lean.py",
        "date": datetime.date.today().isoformat(),
    }
    if write:
        atomic_write_text(params.data_path("forward_lean_calibration.json"),
                          json.dumps(out, indent=2) + "\n")
    return out
