"""The glycogen wall: per-muscle glycogen drain scales fitted so that the stores are where
the wall puts them at 30 km at marathon pace.

Which store is held at 20 % is a choice (:data:`WALL_STORES`); the shipped calibration
holds every locomotor muscle's slow-twitch store there (why: :mod:`sim.physics.energy`),
``experiments/recruitment_onset.py`` recalibrates the others. Used by
:func:`sim.calibration.running.calibrate`.

Examples
--------
>>> WALL_STORES[0]
'slow_twitch'
"""
from __future__ import annotations

import math

import numpy as np

from ..core.engine import SCALARS
from ..physics.energy import (LOCOMOTOR_MUSCLES, TARGET_STORE, WALL_DISTANCE_M, locomotor_store,
                              training_factors)
from ..physics.fatigue.pools import P

__all__ = ["WALL_STORES", "calibration_run", "stores_at_wall", "store_at_wall",
           "fit_drain_scales"]


def calibration_run(speed, minutes, marathon_pace, scales, slow_rate, heavy=None, floor=None,
                    block_s=None):
    """Block-mode run with per-muscle drain scales ``scales`` and slow rate ``slow_rate``
    (and, if given, the heavy domain's ``(gain, power)``, the reserve's force floor and the
    shortest block [s])."""
    from ..config import load_config
    from ..physics.muscles import muscle_set
    from ..core.scenario import build_inputs
    from ..core.simulation import run_inputs

    cfg = load_config(None, {"run.speed_mps": speed, "runner.marathon_pace_mps": marathon_pace,
                             "run.duration_min": minutes,
                             **({} if block_s is None else {"model.block_s": block_s})})
    inp = build_inputs(cfg)
    drain_scale = (np.asarray(scales) / inp.meta["drain_scale"])[None, :, None]
    inp.prm[:, :, [P.drain_st, P.drain_ft]] *= drain_scale
    inp.prm[:, :, P.slow_rate] = slow_rate * training_factors(
        scales, inp.muscles, muscle_set(inp.scalar("mass_kg")).F0)
    if heavy is not None:
        inp.sc[SCALARS.index("heavy_gain")], inp.sc[SCALARS.index("heavy_power")] = heavy
    if floor is not None:
        inp.sc[SCALARS.index("reserve_floor")] = floor
    n, out, _ = run_inputs(inp, store=False)
    return inp, n, out


def stores_at_wall(pace, scales, slow_rate):
    """ST and FT stores of every muscle [1] at 30 km at marathon pace; None if exhausted."""
    t_wall = WALL_DISTANCE_M / pace
    inp, n, out = calibration_run(pace, t_wall / 60.0 + 1.0, pace, scales, slow_rate)
    if np.isfinite(out["exh"][0]):
        return None
    t = out["time"][:n]
    e = out["energy"][:n]
    return tuple(np.array([np.interp(t_wall, t, e[:, m, q]) for m in range(e.shape[1])])
                 for q in (0, 1))


def store_at_wall(pace, scales, slow_rate):
    """F0-weighted locomotor store [1] at 30 km at marathon pace (0 if exhausted first)."""
    from ..config import load_config
    from ..physics.muscles import muscle_set
    from ..core.scenario import build_inputs

    res = stores_at_wall(pace, scales, slow_rate)
    if res is None:
        return 0.0
    inp = build_inputs(load_config(None, {"runner.marathon_pace_mps": pace}))
    e = np.stack(res, axis=-1)[None]
    return float(locomotor_store(e, inp.prm[0, :, P.p_st], muscle_set(inp.scalar("mass_kg")).F0,
                                 inp.muscles)[0])


#: Which store the wall is calibrated on: each locomotor muscle's slow-twitch store, its
#: whole (fibre-weighted) store, the F0-weighted whole store of all of them together
#: with one drain scale shared by every muscle ("pooled"), or that F0-weighted whole
#: store with every muscle's slow-twitch store at one common level ("level": each muscle
#: trained for its own load alike, the level chosen so that the whole-body store is 20 %).
WALL_STORES = ("slow_twitch", "whole", "pooled", "level")


def fit_drain_scales(pace, slow_rate, tol=0.002, max_iter=60, start=None,
                     wall="slow_twitch"):
    """Per-muscle drain scales: every locomotor muscle's store at 20 % at 30 km.

    Damped fixed-point iteration ``s_i <- s_i ((1 - 0.2) / (1 - E_ST,i))^0.7`` (the
    undamped step is exact for a drain that does not depend on E; damping keeps the
    coupled muscles from oscillating), each step within a factor of 2 and every scale
    within a factor of 10 of the F0-weighted geometric mean, which the other muscles
    get. A run exhausted before 30 km halves every scale and retries.

    Parameters
    ----------
    pace : float
        Marathon pace [m/s].
    slow_rate : float
        Slow force-depression rate [1/s].
    tol : float
        Largest |E_ST,i - 0.2| accepted.
    max_iter : int
    start : ndarray, optional
        Initial scales (default 1).
    wall : {"slow_twitch", "whole", "pooled", "level"}
        The store held at 20 %: the slow-twitch pool's (default), the fibre-weighted
        whole-muscle store, the F0-weighted whole store of the locomotor muscles
        together, with one scale for every muscle, or that F0-weighted whole store with
        the slow-twitch stores of all locomotor muscles at one common level, itself
        fitted (:data:`WALL_STORES`; the level moves by the whole store's error over the
        F0-weighted slow-twitch fraction each step, and must stay within 0.005-0.2).

    Returns
    -------
    scales : ndarray (n_muscle,)
    worst : float
        Largest remaining error (inf: never reached 30 km).
    """
    from ..config import load_config
    from ..physics.muscles import muscle_set
    from ..core.scenario import build_inputs

    inp = build_inputs(load_config(None, {"runner.marathon_pace_mps": pace}))
    names = list(inp.muscles)
    loco = np.array([names.index(m) for m in LOCOMOTOR_MUSCLES])
    others = np.setdiff1d(np.arange(len(names)), loco)
    w = muscle_set(inp.scalar("mass_kg")).F0[loco]
    w = w / w.sum()
    scales = np.ones(len(names)) if start is None else np.array(start, dtype=float)
    worst = np.inf
    p_loco = inp.prm[0, loco, P.p_st]
    level = TARGET_STORE
    for _ in range(max_iter):
        res = stores_at_wall(pace, scales, slow_rate)
        if res is None:
            scales *= 0.5
            worst = np.inf
            continue
        target = TARGET_STORE
        whole_i = p_loco * res[0][loco] + (1.0 - p_loco) * res[1][loco]   # per muscle
        e_st = {"whole": whole_i, "pooled": np.array([float(whole_i @ w)])}.get(
            wall, res[0][loco])
        if wall == "level":
            whole = float(whole_i @ w)
            worst = max(float(np.max(np.abs(e_st - level))), abs(whole - TARGET_STORE))
            if worst < tol:
                break
            level = float(np.clip(level + 0.8 * (TARGET_STORE - whole) / float(p_loco @ w),
                                  0.005, TARGET_STORE))
            target = level
        else:
            worst = float(np.max(np.abs(e_st - TARGET_STORE)))
            if worst < tol:
                break
        ratio = ((1.0 - target) / np.clip(1.0 - e_st, 0.02, None)) ** 0.7
        if wall == "pooled":
            scales *= float(np.clip(ratio[0], 0.5, 2.0))
            continue
        scales[loco] *= np.clip(ratio, 0.5, 2.0)
        gm = math.exp(float(np.log(scales[loco]) @ w))
        scales[loco] = np.clip(scales[loco], gm / 10.0, gm * 10.0)
        scales[others] = gm
    return scales, worst
