"""Calibration of the two-pool split against the joint classes' endurance times.

No published 3CC fit separates slow- and fast-twitch fibres, so the split is a model
assumption constrained by data [1]: the contrast between the pools is fixed
(``F_FT/F_ST`` and ``R_ST/R_FT`` from ``sim/data/fatigue.toml``), the fibre-weighted
mean recovery rate equals the joint class's R, and the remaining fatigue scale ``sF`` is
fitted per joint class and slow-twitch fraction so that a sustained hold of the whole
two-pool muscle lasts as long as the joint class's single-pool model predicts (Frey-Law
et al. constants [2], the same controller gain).

Why these choices. A sustained hold identifies the sustainable threshold and the time
scale, not F and R separately: fitting both scales drives the recovery scale to zero,
which would wreck intermittent tasks (r acts on R). Anchoring the mean R keeps the
published recovery, and one fitted scale per (class, p_st) suffices: a muscle with
p_st = 0.3 needs a smaller sF than one with p_st = 0.85, since more of it is the fast
pool.

Method: for each joint class and each p_st on a grid (0.10 ... 0.95, step 0.05),
minimise the largest relative error of the endurance time, ``max |ET_muscle /
ET_joint - 1|``, over targets 20-80 % MVC (step 5 %), with bounded scalar minimisation
(:func:`scipy.optimize.minimize_scalar`). Holds run without the energy store, which is
the slow, separate component.

References
----------
.. [1] Frey-Law LA, Looft JM, Heitsman J (2012) J Biomech 45(10):1803-1808.
       doi:10.1016/j.jbiomech.2012.04.018
.. [2] Xia T, Frey Law LA (2008) J Biomech 41(14):3046-3052.
       doi:10.1016/j.jbiomech.2008.07.013

Examples
--------
>>> fit = fit_scale("knee", 0.5)
>>> fit["max_abs_rel_error"] < 0.2
True
"""
from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

from .. import __version__
from ..results import write_json
from ..physics.fatigue.parameters import (JOINT_CLASSES, _file, _pool_constants, check_joint,
                                          joint_model_vector)
from ..physics.fatigue.pools import endurance_times

__all__ = ["TARGETS", "P_GRID", "T_MAX_S", "CALIBRATION_PATH", "endurance_ratio",
           "fit_scale", "calibrate"]

#: Targets of the calibration [fraction of MVC].
TARGETS = np.round(np.arange(0.20, 0.8001, 0.05), 2)
#: Slow-twitch fractions of the calibration grid.
P_GRID = np.round(np.arange(0.10, 0.9501, 0.05), 2)
#: Longest hold simulated [s]; a longer hold counts as sustainable.
T_MAX_S = 86400.0
#: Where :func:`calibrate` writes its result.
CALIBRATION_PATH = Path(__file__).resolve().parents[1] / "data" / "fibre_calibration.json"


def endurance_ratio(joint: str, p_st: float, scale_F: float, targets=TARGETS,
                    gain: float | None = None) -> np.ndarray:
    """Endurance time of the two-pool muscle over that of the joint model [1].

    Examples
    --------
    >>> endurance_ratio("general", 0.5, 0.64, targets=[0.5]).round(2)
    array([0.93])
    """
    targets = np.asarray(targets, dtype=np.float64)
    ref = endurance_times(targets, joint_model_vector(joint, gain), T_MAX_S)
    vec = _pool_constants(joint, p_st, scale_F, gain).as_vector(energy=False)
    return endurance_times(targets, vec, T_MAX_S) / ref


def fit_scale(joint: str, p_st: float, gain: float | None = None,
              targets=TARGETS) -> dict:
    """Fit the fatigue scale sF of one joint class and slow-twitch fraction.

    Parameters
    ----------
    joint : str
        Joint class.
    p_st : float
        Slow-twitch fraction [1].
    gain : float, optional
        Controller gain L [1/s]; default from the parameter file.
    targets : array_like
        Hold targets [fraction of MVC].

    Returns
    -------
    dict
        ``scale_F``, ``max_abs_rel_error`` (largest |ET_muscle/ET_joint - 1|),
        ``rel_error_min``, ``rel_error_max`` and ``evaluations``.

    Examples
    --------
    >>> fit = fit_scale("general", 0.3)
    >>> 0.3 < fit["scale_F"] < 0.7
    True
    """
    check_joint(joint)
    targets = np.asarray(targets, dtype=np.float64)

    def worst_error(log_s):
        err = np.abs(endurance_ratio(joint, p_st, math.exp(log_s), targets, gain) - 1.0)
        return float(np.max(np.where(np.isfinite(err), err, 10.0)))

    res = minimize_scalar(worst_error, bounds=(math.log(0.1), math.log(3.0)),
                          method="bounded", options={"xatol": 1e-6})
    scale = math.exp(res.x)
    rel = endurance_ratio(joint, p_st, scale, targets, gain) - 1.0
    return {"scale_F": scale, "max_abs_rel_error": float(np.max(np.abs(rel))),
            "rel_error_min": float(rel.min()), "rel_error_max": float(rel.max()),
            "evaluations": int(res.nfev)}


def calibrate(write: bool = True, path=None, joints=JOINT_CLASSES, p_grid=P_GRID,
              gain: float | None = None) -> dict:
    """Calibrate every joint class on the p_st grid and (optionally) write the result.

    Parameters
    ----------
    write : bool
        Write the result to ``path`` (atomically).
    path : str or pathlib.Path, optional
        Output file; default :data:`CALIBRATION_PATH` (package data).
    joints : sequence of str
        Joint classes to calibrate.
    p_grid : array_like
        Slow-twitch fractions.
    gain : float, optional
        Controller gain L [1/s]; default from the parameter file.

    Returns
    -------
    dict
        ``provenance`` and, per joint class, lists ``p_st``, ``scale_F``, ``scale_R``,
        ``max_abs_rel_error``, ``rel_error_min``, ``rel_error_max``.

    Examples
    --------
    >>> out = calibrate(write=False, joints=["knee"], p_grid=[0.5])
    >>> out["joint_class"]["knee"]["max_abs_rel_error"][0] < 0.2
    True
    """
    t0 = time.perf_counter()
    fib = _file()["fibre"]
    L = _file()["model"]["gain"] if gain is None else float(gain)
    table = {}
    for joint in joints:
        rows = [fit_scale(joint, float(p), gain) for p in p_grid]
        table[joint] = {
            "p_st": [float(p) for p in p_grid],
            "scale_F": [round(r["scale_F"], 8) for r in rows],
            "scale_R": [round(_pool_constants(joint, float(p), 1.0).scale_R, 8)
                        for p in p_grid],
            "max_abs_rel_error": [round(r["max_abs_rel_error"], 6) for r in rows],
            "rel_error_min": [round(r["rel_error_min"], 6) for r in rows],
            "rel_error_max": [round(r["rel_error_max"], 6) for r in rows],
        }
    out = {
        "provenance": {
            "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "package": "runfatigue",
            "version": __version__,
            "produced_by": "sim.fatigue.calibration.calibrate "
                           "(experiments/calibrate_fibre_pools.py)",
            "method": "per joint class and p_st: bounded scalar minimisation "
                      "(scipy.optimize.minimize_scalar) of the fatigue scale sF",
            "objective": "max over targets of |ET_two_pool / ET_joint_model - 1|, "
                         "sustained holds from rest, energy store off",
            "model": "F_ST = sF*F, F_FT = F_contrast*sF*F, R_FT = sR*R, "
                     "R_ST = R_contrast*sR*R, sR = 1/(p_st*R_contrast + 1 - p_st)",
            "F_contrast": fib["F_contrast"],
            "R_contrast": fib["R_contrast"],
            "gain_per_s": L,
            "targets": [float(x) for x in TARGETS],
            "interpolation": "linear in ln(sF) between grid values of p_st; "
                             "nearest grid value outside the grid",
            "run_time_s": round(time.perf_counter() - t0, 2),
        },
        "joint_class": table,
    }
    if write:
        write_json(CALIBRATION_PATH if path is None else path, out)
    return out
