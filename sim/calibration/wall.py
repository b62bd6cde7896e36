"""The glycogen wall: per-muscle glycogen drain scales fitted so that the stores are where
the wall puts them at 30 km at marathon pace.

Which store is held at 20 % is a choice (:data:`WALL_STORES`); the shipped calibration
holds the locomotor muscles' F0-weighted whole store there with every slow-twitch store
running down alike ("level"; why: :mod:`sim.physics.energy`),
``experiments/recruitment_onset.py`` recalibrates the others. Used by
:func:`sim.calibration.running.calibrate`.

Examples
--------
>>> WALL_STORES[-1]
'level'
>>> crossing_times(np.array([0.0, 10.0, 20.0]), np.array([[1.0, 1.0], [0.5, 0.9], [0.0, 0.8]]),
...                0.25).round(1).tolist()
[15.0, 75.0]
"""
from __future__ import annotations

import math

import numpy as np

from ..core.engine import SCALARS
from ..physics.energy import (LOCOMOTOR_MUSCLES, TARGET_STORE, WALL_DISTANCE_M, locomotor_store,
                              training_factors)
from ..physics.fatigue.pools import P

__all__ = ["WALL_STORES", "calibration_run", "stores_at_wall", "store_at_wall",
           "crossing_times", "fit_drain_scales"]


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


def _wall_run(pace, scales, slow_rate):
    """Checkpoint times [s] and stores [1] (time, muscle, pool) of a run at marathon pace to
    just past 30 km; None if exhausted first."""
    t_wall = WALL_DISTANCE_M / pace
    inp, n, out = calibration_run(pace, t_wall / 60.0 + 1.0, pace, scales, slow_rate)
    if np.isfinite(out["exh"][0]):
        return None
    return out["time"][:n], out["energy"][:n]


def stores_at_wall(pace, scales, slow_rate):
    """ST and FT stores of every muscle [1] at 30 km at marathon pace; None if exhausted."""
    run = _wall_run(pace, scales, slow_rate)
    if run is None:
        return None
    return _at_wall(*run, pace)


def _at_wall(t, e, pace):
    """ST and FT stores of every muscle [1] at 30 km, interpolated in the run's
    checkpoints ``t`` [s] and stores ``e`` (time, muscle, pool)."""
    t_wall = WALL_DISTANCE_M / pace
    return tuple(np.array([np.interp(t_wall, t, e[:, m, q]) for m in range(e.shape[1])])
                 for q in (0, 1))


def crossing_times(t, e, level):
    """First time [s] each column of ``e`` (time, muscle) falls to ``level``, linearly
    interpolated; a column still above it at the end gets the time a straight line from
    full through its last value would reach it."""
    out = np.empty(e.shape[1])
    for m in range(e.shape[1]):
        below = np.nonzero(e[:, m] <= level)[0]
        if below.size == 0:
            out[m] = t[-1] * (1.0 - level) / max(1.0 - e[-1, m], 1e-9)
        elif below[0] == 0:
            out[m] = t[0]
        else:
            i = below[0]
            f = (e[i - 1, m] - level) / (e[i - 1, m] - e[i, m])
            out[m] = t[i - 1] + f * (t[i] - t[i - 1])
    return out


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
#: store with every muscle's slow-twitch store running down alike, reaching 20 % at one
#: common time ("level": each muscle trained for its own load alike, one common factor
#: chosen so that the whole-body store is 20 %).
WALL_STORES = ("slow_twitch", "whole", "pooled", "level")


def fit_drain_scales(pace, slow_rate, tol=0.002, max_iter=60, start=None,
                     wall="level"):
    """Per-muscle drain scales that put the wall's store at 20 % at 30 km.

    Damped fixed-point iteration ``s_i <- s_i ((1 - 0.2) / (1 - E_i))^0.7`` on the store
    held at 20 % (the undamped step is exact for a drain that does not depend on E;
    damping keeps the coupled muscles from oscillating; "level": :func:`_level_step`),
    each step within a factor of 2 and every scale within a factor of 10 of the
    F0-weighted geometric mean, which the other muscles get. A run exhausted before
    30 km halves every scale and retries. "level" returns the best scales seen if the
    tolerance is not met.

    Parameters
    ----------
    pace : float
        Marathon pace [m/s].
    slow_rate : float
        Slow force-depression rate [1/s].
    tol : float
        Largest error accepted (|E_i - 0.2| of the store held there; for "level" see
        :func:`_level_step`).
    max_iter : int
    start : ndarray, optional
        Initial scales (default 1).
    wall : {"slow_twitch", "whole", "pooled", "level"}
        The store held at 20 %: the slow-twitch pool's, the fibre-weighted whole-muscle
        store, the F0-weighted whole store of the locomotor muscles together, with one
        scale for every muscle, or (the default, the shipped calibration) that F0-weighted
        whole store with the slow-twitch stores of all locomotor muscles reaching 20 % at
        one common time (:data:`WALL_STORES`; :func:`_level_step`).

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
    history = []                                   # (log common scale, whole store), "level"
    best = (scales.copy(), np.inf)                 # "level": the best scales seen
    for _ in range(max_iter):
        run = _wall_run(pace, scales, slow_rate)
        if run is None:
            scales *= 0.5
            worst = np.inf
            history.clear()
            continue
        t, e = run
        res = _at_wall(t, e, pace)
        whole_i = p_loco * res[0][loco] + (1.0 - p_loco) * res[1][loco]   # per muscle
        if wall == "level":
            t_st = crossing_times(t, e[:, loco, 0], TARGET_STORE)
            step, worst = _level_step(t_st, float(whole_i @ w), w, scales[loco], history)
            if worst < best[1]:
                best = (scales.copy(), worst)
            if worst < tol:
                break
            scales[loco] *= step
        else:
            e_st = {"whole": whole_i, "pooled": np.array([float(whole_i @ w)])}.get(
                wall, res[0][loco])
            worst = float(np.max(np.abs(e_st - TARGET_STORE)))
            if worst < tol:
                break
            ratio = ((1.0 - TARGET_STORE) / np.clip(1.0 - e_st, 0.02, None)) ** 0.7
            if wall == "pooled":
                scales *= float(np.clip(ratio[0], 0.5, 2.0))
                continue
            scales[loco] *= np.clip(ratio, 0.5, 2.0)
        gm = math.exp(float(np.log(scales[loco]) @ w))
        scales[loco] = np.clip(scales[loco], gm / 10.0, gm * 10.0)
        scales[others] = gm
    if wall == "level" and worst >= tol and np.isfinite(best[1]):
        return best
    return scales, worst


def _level_step(t_st, whole, w, scales, history):
    """One step of the "level" wall. Per-muscle factors ``t_i / t_mean`` bring the times at
    which the slow-twitch stores reach 20 % together (``t_mean`` their F0-weighted
    geometric mean; the factors' weighted geometric mean is 1), so every slow-twitch store
    runs down alike and is at one common level at 30 km. (The level itself is a poor
    target: near empty a store hardly moves with its drain, as glycogenolysis slows,
    ``[energy] drain_K``, so stores within a few thousandths of one another allow drains
    that differ by tens of per cent.) One common factor then moves the whole store: a
    secant on the log of the scales' weighted geometric mean against it, inside the
    bracket of the target once one is found (the first step, and any step without a
    falling whole store, moves the scales by ((1 - 0.2) / (1 - whole))^2; block-mode runs
    make the whole store a slightly ragged function of the scales, which a bare secant can
    circle). Returns the factors and the error
    ``max(|whole - 0.2|, max_i |log(t_i / t_mean)| / 5)`` (a relative time spread of 1 %
    counts as a store error of 0.002)."""
    log_t = np.log(t_st)
    log_mean = float(log_t @ w)
    worst = max(abs(whole - TARGET_STORE), float(np.max(np.abs(log_t - log_mean))) / 5.0)
    shape = np.clip(np.exp(log_t - log_mean), 0.5, 2.0)
    shape /= math.exp(float(np.log(shape) @ w))
    x = float(np.log(scales) @ w)
    history.append((x, whole))
    high = [h for h in history if h[1] > TARGET_STORE]     # drains too small
    low = [h for h in history if h[1] <= TARGET_STORE]
    if high and low:                       # a bracket: its secant, kept off its ends
        xa, ya = max(high)
        xb, yb = min(low)
        if xa < xb:
            f = float(np.clip((ya - TARGET_STORE) / (ya - yb), 0.1, 0.9))
            step = xa + f * (xb - xa) - x
        else:                              # the whole store is not monotone here: bisect
            step = 0.5 * (xa + xb) - x
    elif len(history) >= 2 and history[-1][0] != history[-2][0] and \
            (history[-1][1] - history[-2][1]) / (history[-1][0] - history[-2][0]) < 0.0:
        (x0, y0), (x1, y1) = history[-2], history[-1]
        step = (TARGET_STORE - y1) * (x1 - x0) / (y1 - y0)
    else:
        step = 2.0 * math.log((1.0 - TARGET_STORE) / max(1.0 - whole, 0.02))
    return shape * math.exp(float(np.clip(step, -math.log(2.0), math.log(2.0)))), worst
