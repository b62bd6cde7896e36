"""The physical range of every quantity a run reports, and a check that holds a run to it.

Every array of :class:`~sim.core.simulation.RunResult` (and so of ``timeseries.npz`` and the
summaries built from it) must lie in the range below; ``NaN`` is allowed only where the
table says so (checkpoints spent resting have no stride, so no spinal load or posture).
A value outside its range is a defect of the model, never a result.

====================== =========================== ==================================
quantity               range                       NaN allowed
====================== =========================== ==================================
capacity               [0, 1] of fresh maximum     no
pool_capacity, energy  [0, 1]                      no
peak_force_N,          [0, F0] of the muscle [N]   no
                       (with its strength factor)
mean_force_N
l5s1_compression_N     [0, inf), finite [N]        while resting
l5s1_shear_N, shear_bw finite [N], [BW]            while resting
superficial_load_index [0, 1] (force / fresh F0)   while resting
trunk_lean_deg         [0, max_lean_deg] [deg]     while resting
trunk_flexion_deg      [-fwd_max / 2, fwd_max]     while resting
                       [deg]
pelvic_tilt_deg        [-fwd_max / 2, 90] [deg]    while resting
speed_mps              [0, 5] [m/s] (0 = resting)  no
strides                [0, inf) [1]                no
infeasible_strides     [0, strides] [1]            no
moment_residual        [0, inf), finite [1]        no
====================== =========================== ==================================

``max_lean_deg`` is the largest compensatory lateral lean (``sim/data/body.toml``); a
stride that would need more is infeasible, and a minute of mostly infeasible strides ends
the run in exhaustion. ``fwd_max`` is the largest forward lean beyond the fresh posture
(``body.toml [forward_lean] max_lean_deg``); the posture is held within it. The pelvic
tilt can be negative (posterior) only when the runner leans back from the fresh posture.

Examples
--------
>>> import sim
>>> violations(sim.simulate(sim.load_config(None, {"run.duration_min": 5})))
[]
"""
from __future__ import annotations

import numpy as np

from ..physics import params

__all__ = ["RANGES", "violations"]

#: quantity -> (low, high, NaN allowed while resting). High may name a per-run bound:
#: "F0" (each muscle's fresh maximum force), "max_lean", "fwd_max" or "strides"; low may
#: be "-fwd_max/2".
RANGES = {
    "capacity": (0.0, 1.0, False),
    "pool_capacity": (0.0, 1.0, False),
    "energy": (0.0, 1.0, False),
    "peak_force_N": (0.0, "F0", False),
    "mean_force_N": (0.0, "F0", False),
    "l5s1_compression_N": (0.0, np.inf, True),
    "l5s1_shear_N": (-np.inf, np.inf, True),
    "shear_bw": (-np.inf, np.inf, True),
    "superficial_load_index": (0.0, 1.0, True),
    "trunk_lean_deg": (0.0, "max_lean", True),
    "trunk_flexion_deg": ("-fwd_max/2", "fwd_max", True),
    "pelvic_tilt_deg": ("-fwd_max/2", 90.0, True),
    "speed_mps": (0.0, 5.0, False),
    "strides": (0.0, np.inf, False),
    "infeasible_strides": (0.0, "strides", False),
    "moment_residual": (0.0, np.inf, False),
}


def violations(res, tol: float = 1e-9) -> list[str]:
    """Quantities of a run outside :data:`RANGES` (empty list: all inside).

    Parameters
    ----------
    res : RunResult
    tol : float
        Relative slack for rounding [1].

    Returns
    -------
    list of str
        One line per offending quantity: name, worst value, range.
    """
    body = params.load("body")
    max_lean = body["lean"]["max_lean_deg"]
    fwd_max = body["forward_lean"]["max_lean_deg"]
    resting = np.asarray(res.speed_mps) == 0.0
    out = []
    for name, (lo, hi, nan_ok) in RANGES.items():
        x = np.asarray(getattr(res, name), dtype=float)
        if hi == "F0":          # the scenario's F0, strength multipliers included
            from .scenario import build_inputs

            hi_v = np.asarray(build_inputs(res.config).F0, dtype=float)
        elif hi == "max_lean":
            hi_v = max_lean
        elif hi == "fwd_max":
            hi_v = fwd_max
        elif hi == "strides":
            hi_v = np.asarray(res.strides, dtype=float)
        else:
            hi_v = hi
        if lo == "-fwd_max/2":
            lo = -0.5 * fwd_max
        nan = np.isnan(x)
        if nan.any():
            rows = nan if x.ndim == 1 else nan.reshape(x.shape[0], -1).any(axis=1)
            if not nan_ok or np.any(rows & ~resting):
                out.append(f"{name}: NaN outside rest checkpoints")
        hi_b = np.broadcast_to(hi_v, x.shape) if np.ndim(hi_v) else hi_v
        bad = ~nan & ((x < lo - tol * (1 + abs(lo))) | (x > hi_b + tol * (1 + np.abs(hi_b)))
                      | np.isinf(x))
        if bad.any():
            worst = x[bad].flat[np.argmax(np.abs(x[bad]).ravel())]
            out.append(f"{name}: {worst:.6g} outside [{lo:g}, {hi}]")
    return out
