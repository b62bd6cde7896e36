"""Small pieces of the reference run loop: tightness, pace, block ends, block means, drift.

NumPy versions of what the engine's run loop takes from :mod:`sim.physics.compensation`,
:mod:`sim.physics.pace` and :mod:`sim.core.engine_blocks` (:func:`_may_cross`,
:func:`_next_event`, :func:`_block_means`) and the posture's drift estimate of its block
mode (:func:`_carry_drift`), used by :func:`sim.core.reference.reference_run`.

Examples
--------
>>> rows = [dict(time=0.0, dt=30.0, speed=3.0, sup=0.1, comp=1.0, shear=0.5, lean=1.0,
...              flex=0.0, tilt=0.0, fmean=np.zeros(2), fpeak=np.ones(2)),
...         dict(time=30.0, dt=30.0, speed=3.0, sup=0.3, comp=1.0, shear=0.5, lean=1.0,
...              flex=0.0, tilt=0.0, fmean=np.ones(2), fpeak=np.zeros(2))]
>>> _block_means(rows)
>>> rows[0]["sup"], rows[1]["sup"], rows[0]["fmean"].tolist()
(0.2, 0.3, [0.5, 0.5])
"""
from __future__ import annotations

import math

import numpy as np

__all__: list = []


def _tightness(t, p, applied_stretch):
    """Tightness left at run time ``t`` after the pre-run and in-run stretches [deg]."""
    remaining = max(0.0, 1.0 - t / p["stretch_fade_s"]) if p["stretch_fade_s"] > 0 else 1.0
    tight = max(0.0, p["tightness_deg"] - p["stretch_deg"] * remaining)
    return max(0.0, tight - applied_stretch)


def _planned_speed(t, seg_end, seg_speed):
    k = int(np.searchsorted(seg_end, t, side="right"))
    return float(seg_speed[min(k, seg_speed.size - 1)])


def _may_cross(value, previous, threshold, dt_prev, dt_next):
    """Could an index cross its threshold within the next block (linear extrapolation)?"""
    if not (math.isfinite(value) and math.isfinite(previous)):
        return True
    rate = abs(value - previous) / dt_prev
    return abs(value - threshold) <= 2.0 * rate * dt_next + 1e-3 * threshold


def _in_break(t, starts, ends):
    return bool(np.any((starts <= t) & (t < ends)))


def _next_event(t, t_end, times):
    later = times[(times > t + 1e-9) & (times < t_end)]
    return float(later.min()) if later.size else t_end


def _block_means(rows):
    """Block mode: each block's stride values made the block's mean, in place, as
    :func:`sim.core.engine_blocks._block_means` does (the trapezoid of its stride and the
    next block's, where that block runs on at the same speed; peak forces the larger)."""
    for r, nxt in zip(rows, rows[1:]):
        if not (r["speed"] > 0 and nxt["speed"] == r["speed"]
                and abs(r["time"] + r["dt"] - nxt["time"]) < 1e-6):
            continue
        for key in ("comp", "shear", "sup", "lean", "flex", "tilt"):
            if math.isfinite(r[key]) and math.isfinite(nxt[key]):
                r[key] = 0.5 * (r[key] + nxt[key])
        r["fmean"] = 0.5 * (r["fmean"] + nxt["fmean"])
        r["fpeak"] = np.maximum(r["fpeak"], nxt["fpeak"])


def _carry_drift(lean, p, lean_start, bad, reuse):
    """Block mode, after a block's stride: the optimum's drift estimate ``lean["drift"]``
    takes ``lean_drift_gain`` of the block's whole lean correction (from ``lean_start``) and
    carries the lean on by it (as the engine does); a failed stride drops it."""
    if not (lean["on"] and p["lean_drift_gain"] > 0.0):
        return
    if bad:
        lean["drift"] = 0.0
    elif not reuse and not math.isnan(lean["anchor"]):
        lean["drift"] += p["lean_drift_gain"] * (lean["lean"] - lean_start)
        lean["lean"] = min(max(lean["lean"] + lean["drift"], -0.5 * p["max_fwd_lean_rad"]),
                           p["max_fwd_lean_rad"])
        if lean["lean"] < lean["lo"]:       # a bracket end it passed no longer holds
            lean["lo"] = math.nan
        if lean["lean"] > lean["hi"]:
            lean["hi"] = math.nan
