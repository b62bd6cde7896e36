"""Fit the slow constants of the fatigue model on running data (re-runnable).

Two sets of numbers are fitted together, because each changes what the other must do:

* the glycogen drain scale per marathon pace (on a grid of paces) and muscle: running
  at the marathon pace, fresh and flexible, the F0-weighted whole glycogen store of the
  locomotor muscles is 20 % at 30 km, every one's slow-twitch store running down alike
  ("the wall", Rapoport 2010; Coyle et al. 1986;
  :func:`sim.calibration.wall.fit_drain_scales`, ``wall="level"``; why this wall:
  :mod:`sim.physics.energy`);
* the rate ``k_S`` of the slow force depression (one value, times each muscle's training
  factor, :func:`sim.physics.energy.training_factors`): the knee extensors' F0-weighted capacity
  loss after a marathon at the marathon pace, 3.2 m/s (24 %, the mean of 22 % [Petersen
  et al. 2007] and 26 % [Nicol et al. 1991]).

Both are fitted at the marathon pace, where the heavy-domain strain H is 1. Then, with
them fixed, the heavy domain's gain A and power n (:func:`sim.physics.fatigue.pools.heavy_strain`)
are fitted on race-equivalence times: the time to exhaustion of the 3.2 m/s runner at
the Riegel race speeds of 30 km, the half marathon, 15 km and 10 km equals the Riegel
race time (:data:`RACE_ANCHORS_M`), and the half marathon near race pace costs the knee
extensors what was measured (21 %, :data:`HEAVY_KNEE_TARGETS`); together with them, the
force the fast-twitch pools keep as the reserve D' runs out
(:func:`sim.physics.reserve.reserve_floor`), with the time the reserve is spent above
critical speed, ``D' / (v - CS)``, as the target there (:data:`SEVERE_RATIOS`,
:func:`fit_race_times`): a run ends then, unless the stride fails first.

Everything else measured (the plantarflexors' and the hip abductors' strength losses, the
166-km ultra, the slow 5-hour run, the shape over time) is left out of the fit and
compared in the validation report. The result goes to
``sim/data/energy_calibration.json`` with provenance; run
``python experiments/calibrate_running_fatigue.py``.

Examples
--------
>>> KNEE_TARGETS[0]["name"], KNEE_TARGETS[0]["loss"]
('marathon', 0.24)
"""
from __future__ import annotations

import json
import math
import time

import numpy as np

from ..physics import params
from ..physics.energy import LOCOMOTOR_MUSCLES, TARGET_STORE, WALL_DISTANCE_M, clear_cache
from ..physics.reserve import MARATHON_M, critical_speed, d_prime_m
from .wall import (WALL_STORES, calibration_run, fit_drain_scales, store_at_wall,  # noqa: F401
                   stores_at_wall)

__all__ = ["KNEE_TARGETS", "PACE_GRID", "RACE_ANCHORS_M", "SEVERE_RATIOS", "WALL_STORES",
           "knee_extensor_loss", "store_at_wall", "fit_drain_scales", "exhaustion_time",
           "severe_time", "fit_race_times", "calibrate"]

#: Knee-extensor strength losses the slow rate is fitted on (runner: marathon pace 3.2 m/s).
KNEE_TARGETS = (
    {"name": "marathon", "speed_mps": 3.2, "distance_m": MARATHON_M, "loss": 0.24,
     "source": "mean of -22 % (Petersen et al. 2007, Eur J Appl Physiol, "
               "doi:10.1007/s00421-007-0504-x) and -26 % (Nicol, Komi & Marconnet 1991)"},
)
#: Knee-extensor strength loss the heavy domain is fitted on, with the race times: the half
#: marathon near race pace (1.03 x the marathon pace). Without it the speed-duration
#: anchors alone, with the run ending when the reserve is spent, put the loss at 26 %.
HEAVY_KNEE_TARGETS = (
    {"name": "half marathon", "speed_mps": 3.3, "distance_m": 21097.5, "loss": 0.21,
     "source": "-21 % maximal voluntary knee-extensor torque after a half marathon "
               "(PMC6207600; the validation report's half-marathon row)"},
)
#: Marathon paces of the drain-scale table [m/s]. Above 4 m/s the model's runner (the
#: 75 kg reference muscles) cannot hold the marathon pace to 30 km at any drain.
PACE_GRID = tuple(float(v) for v in np.round(np.arange(2.0, 4.0001, 0.25), 3))
_REFERENCE_PACE = 3.2
#: Race distances [m] whose Riegel times the heavy domain is fitted on (marathon pace
#: 3.2 m/s: 30 km at 1.02, the half marathon at 1.04, 15 km at 1.06 and 10 km at 1.08 x
#: marathon pace, the last just above critical speed).
RACE_ANCHORS_M = (30000.0, 21097.5, 15000.0, 10000.0)
#: Paces above critical speed (x the marathon pace) where a run should end when the
#: reserve D' is spent: the reserve's force floor is fitted on them.
SEVERE_RATIOS = (1.1, 1.15, 1.2, 1.3)
#: Grid ``(A, n, floor)`` the heavy-domain fit searches first; Nelder-Mead then starts
#: from the :data:`HEAVY_REFINE` best grid points and the best fit is kept. The objective
#: has several basins (from single starts the fit ended at sums of squared log-errors of
#: 0.088-0.113), so a start that depends on the grid, not on a guess, makes it reproducible.
HEAVY_GRID = (tuple(1.5 + 0.4 * i for i in range(4)), (0.8, 1.0, 1.25, 1.5), (0.3, 0.4, 0.5))
HEAVY_REFINE = 3
#: Initial simplex step of the heavy-domain fit in ``log A``, ``log n`` and ``logit floor``.
SIMPLEX_STEP = 0.25


#: Shortest block [s] of the runs to exhaustion of the heavy-domain fit. The engine's
#: exhaustion time is the start of a block, and near exhaustion blocks are ``block_s``
#: (30 s) long: on that grid the fit's objective is a staircase (a 30-s step is 12 % of the
#: 4-min anchor at 1.3 x marathon pace) and Nelder-Mead stops on a different step from
#: each start. A 5-s grid makes the steps small; with the grid search of
#: :data:`HEAVY_GRID`, re-runs of the calibration agree within 1.5 %.
EXHAUSTION_BLOCK_S = 5.0


def knee_extensor_loss(target, scales, slow_rate, heavy=None, floor=None):
    """Knee-extensor loss [1] at the end of a ``KNEE_TARGETS`` or ``HEAVY_KNEE_TARGETS`` run
    (1 if exhausted); ``heavy`` and ``floor`` as in :func:`calibration_run`."""
    from ..physics.muscles import muscle_set

    minutes = target["distance_m"] / target["speed_mps"] / 60.0
    inp, n, out = calibration_run(target["speed_mps"], minutes, _REFERENCE_PACE, scales,
                                  slow_rate, heavy, floor)
    if np.isfinite(out["exh"][0]):
        return 1.0
    ms = muscle_set(inp.scalar("mass_kg"))
    idx = [inp.muscles.index(m) for m in inp.groups["knee_extensors"]]
    w = ms.F0[idx] / ms.F0[idx].sum()
    return float(1.0 - out["cap"][n - 1, idx] @ w)


def exhaustion_time(speed, scales, slow_rate, heavy, marathon_pace=_REFERENCE_PACE,
                    t_max_s=6 * 3600.0, floor=None):
    """Time to exhaustion [s] at constant ``speed`` (``t_max_s`` if never within it), on
    blocks of at least :data:`EXHAUSTION_BLOCK_S`."""
    _, _, out = calibration_run(speed, t_max_s / 60.0, marathon_pace, scales, slow_rate, heavy,
                                floor, block_s=EXHAUSTION_BLOCK_S)
    t = float(out["exh"][0])
    return t if math.isfinite(t) else t_max_s


def _race_speed(distance_m, marathon_pace=_REFERENCE_PACE):
    return distance_m / riegel_time_of_distance(distance_m, marathon_pace)


def riegel_time_of_distance(distance_m, marathon_pace=_REFERENCE_PACE):
    """Riegel race time [s] over ``distance_m`` for this marathon pace."""
    b = params.load("fatigue")["reserve"]["riegel_exponent"]
    return MARATHON_M / marathon_pace * (distance_m / MARATHON_M) ** b


def severe_time(ratio, marathon_pace=_REFERENCE_PACE):
    """Speed [m/s] ``ratio`` x the marathon pace and its critical-speed time to exhaustion
    ``D' / (v - CS)`` [s] (Jones & Vanhatalo 2017): the time at which the reserve is spent."""
    v = ratio * marathon_pace
    return v, d_prime_m() / (v - critical_speed(marathon_pace))


def fit_race_times(scales, slow_rate, verbose=False, min_power=0.0):
    """Heavy-domain gain A and power n, and the reserve's force floor, fitted on
    speed-duration anchors and the half marathon's knee-extensor loss.

    Minimises the squared log-ratios of the model's time to exhaustion to the Riegel race
    time at the race speeds of :data:`RACE_ANCHORS_M` (below critical speed, the heavy
    domain) and to the time at which the reserve is spent, ``D' / (v - CS)``, at
    :data:`SEVERE_RATIOS` x the marathon pace (above it; a run ends there unless the
    stride fails first), and of the knee-extensor loss to its measured value at
    :data:`HEAVY_KNEE_TARGETS` (each log-ratio weighted alike). Nelder-Mead on
    ``log A, log n, logit floor`` from the best points of :data:`HEAVY_GRID`; the best fit
    is kept. Times to exhaustion are taken on blocks of at least :data:`EXHAUSTION_BLOCK_S`.
    ``min_power`` bounds n from below (the fit's n is ``max(exp(log n), min_power)``).

    Returns
    -------
    gain, power, floor : float
    rows : list of dict
        Per anchor: distance (races) or pace ratio, speed, target and model time [s].
    """
    from scipy.optimize import minimize

    speeds = [_race_speed(d) for d in RACE_ANCHORS_M]
    targets = [riegel_time_of_distance(d) for d in RACE_ANCHORS_M]
    for ratio in SEVERE_RATIOS:
        v, t = severe_time(ratio)
        speeds.append(v)
        targets.append(t)

    def unpack(x):
        return ((math.exp(x[0]), max(math.exp(x[1]), min_power)),
                1.0 / (1.0 + math.exp(-x[2])))

    def times(x):
        heavy, floor = unpack(x)
        return [exhaustion_time(v, scales, slow_rate, heavy, t_max_s=3.0 * tt, floor=floor)
                for v, tt in zip(speeds, targets)]

    def sse(x):
        err = np.log(np.array(times(x)) / np.array(targets))
        heavy, floor = unpack(x)
        err = np.append(err, [math.log(knee_extensor_loss(t, scales, slow_rate, heavy, floor)
                                       / t["loss"]) for t in HEAVY_KNEE_TARGETS])
        if verbose:
            (a, n), floor = unpack(x)
            print(f"  A = {a:.3f}, n = {n:.3f}, floor = {floor:.3f}: log errors "
                  + ", ".join(f"{e:+.3f}" for e in err), flush=True)
        return float(err @ err)

    def simplex(a, n, f):
        # SciPy's default simplex steps a coordinate that is 0 (n = 1, floor = 0.5) by only
        # 0.00025, so the fit never moved n or the floor from such a start: steps of 0.25
        x0 = np.array([math.log(a), math.log(n), math.log(f / (1.0 - f))])
        return np.vstack([x0, x0 + SIMPLEX_STEP * np.eye(3)])

    grid = sorted((sse(simplex(a, n, f)[0]), (a, n, f)) for a in HEAVY_GRID[0]
                  for n in HEAVY_GRID[1] for f in HEAVY_GRID[2])
    fits = [minimize(sse, x0=simplex(*start)[0], method="Nelder-Mead",
                     options={"xatol": 1e-3, "fatol": 1e-6, "maxiter": 400,
                              "initial_simplex": simplex(*start)})
            for _, start in grid[:HEAVY_REFINE]]
    fit = min(fits, key=lambda f: f.fun)
    (gain, power), floor = unpack(fit.x)
    model = times(fit.x)
    rows = [{"distance_m": d, "speed_mps": round(v, 4), "riegel_s": round(tt, 1),
             "model_s": round(m, 1)}
            for d, v, tt, m in zip(RACE_ANCHORS_M, speeds, targets, model)]
    rows += [{"pace_ratio": r, "speed_mps": round(v, 4), "reserve_spent_s": round(tt, 1),
              "model_s": round(m, 1)}
             for r, v, tt, m in zip(SEVERE_RATIOS, speeds[len(RACE_ANCHORS_M):],
                                    targets[len(RACE_ANCHORS_M):], model[len(RACE_ANCHORS_M):])]
    return gain, power, floor, rows


_WALL_TEXT = {"slow_twitch": "slow-twitch glycogen store of each of",
              "whole": "whole-muscle glycogen store of each of",
              "pooled": "F0-weighted whole-muscle glycogen store (one drain scale for all) of",
              "level": "F0-weighted whole-muscle glycogen store (the slow-twitch stores of "
                       "all reaching 20 % at one common time) of"}


def calibrate(write=True, paces=PACE_GRID, verbose=False, wall="level",
              min_power=1.0) -> dict:
    """Fit the slow rate, the per-muscle drain scales and the heavy domain; optionally
    write the file. ``wall`` selects the store the drains are fitted on
    (:func:`fit_drain_scales`); the shipped calibration lets every locomotor muscle's
    slow-twitch store run down alike (reach 20 % at one common time) and their
    F0-weighted whole store be ``TARGET_STORE`` at 30 km ("level"). ``min_power`` is the
    smallest heavy-domain power n the fit may take (0: any; below 1 the strain rises with
    an infinite slope at its onset and the loss just below critical speed jumps,
    experiments/recruitment_onset.md; the shipped calibration uses 1)."""
    if wall not in WALL_STORES:
        raise ValueError(f"wall = {wall!r}; allowed: {', '.join(WALL_STORES)}")
    from scipy.optimize import minimize_scalar

    from ..errors import __version__
    from ..config import load_config
    from ..results import atomic_write_text
    from ..core.scenario import build_inputs

    t0 = time.perf_counter()

    def sse(log_k):
        k = math.exp(log_k)
        s, _ = fit_drain_scales(_REFERENCE_PACE, k, tol=5e-4, wall=wall)
        err = [knee_extensor_loss(t, s, k) - t["loss"] for t in KNEE_TARGETS]
        if verbose:
            print(f"  k_S = {k:.3e}/s: errors " + ", ".join(f"{e:+.4f}" for e in err),
                  flush=True)
        return float(np.sum(np.square(err)))

    fit = minimize_scalar(sse, bounds=(math.log(1e-7), math.log(1e-3)), method="bounded",
                          options={"xatol": 2e-3})
    k = math.exp(fit.x)
    s_ref, worst = fit_drain_scales(_REFERENCE_PACE, k, wall=wall)
    losses = [knee_extensor_loss(t, s_ref, k) for t in KNEE_TARGETS]
    if not math.isfinite(worst) or max(losses) >= 1.0:
        raise RuntimeError(f"wall = {wall!r}: no slow rate lets the runner finish the "
                           f"calibration runs (best k_S = {k:.3g}/s: wall error {worst:.3g}, "
                           f"knee-extensor losses {losses}; 1 = exhausted)")
    rows = [fit_drain_scales(v, k, start=s_ref, wall=wall) for v in paces]
    gain, power, floor, anchors = fit_race_times(s_ref, k, verbose=verbose,
                                                 min_power=min_power)
    names = list(build_inputs(load_config(None)).muscles)
    data = {
        "description": "Slow constants of the fatigue model fitted on running data: the rate "
                       "of the slow force depression (all pools) and, per marathon pace and "
                       "muscle, the glycogen drain scale.",
        "drain_scale_target": f"{_WALL_TEXT[wall]} "
                              f"{list(LOCOMOTOR_MUSCLES)} = {TARGET_STORE} at "
                              f"{WALL_DISTANCE_M / 1000:g} km at the marathon pace (fresh, "
                              "flexible 75 kg runner); other muscles: F0-weighted geometric "
                              "mean of those scales; Rapoport 2010 (PLoS Comput Biol "
                              "6:e1000960); Coyle et al. 1986 (J Appl Physiol 61:165)",
        "slow_rate_targets": [dict(t) for t in KNEE_TARGETS],
        "method": "scipy.optimize.minimize_scalar on log(k_S) of the squared knee-extensor "
                  "loss errors, the drain scales at 3.2 m/s re-fitted for every k_S "
                  "(fit_drain_scales); then fit_drain_scales per marathon pace; block-mode "
                  "engine, default settings",
        "package_version": __version__,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.perf_counter() - t0, 1),
        "slow_rate": float(f"{k:.6e}"),
        "knee_extensor_loss_fitted": [round(x, 4) for x in losses],
        "muscles": names,
        "marathon_pace_mps": [float(v) for v in paces],
        "drain_scale": [[round(float(x), 6) for x in r[0]] for r in rows],
        "store_error_at_wall": [round(r[1], 5) for r in rows],
        "heavy_target": "time to exhaustion of the 3.2 m/s marathon runner at the Riegel "
                        "race speeds of 30 km, the half marathon, 15 km and 10 km equals the "
                        "Riegel race time (Riegel 1981, Am Sci 69:285; exponent 1.06), and at "
                        f"{', '.join(f'{r:g}' for r in SEVERE_RATIOS)} x the marathon pace "
                        "(above critical speed) the time the reserve is spent, D'/(v - CS) "
                        "(Jones & Vanhatalo 2017, Sports Med 47 Suppl 1:65), and the half "
                        "marathon at 3.3 m/s costs the knee extensors 21 % (PMC6207600); heavy gain, "
                        "power and reserve floor together: a grid search, then Nelder-Mead "
                        "from its best points on the squared log-ratios, times to exhaustion "
                        f"on blocks of at least {EXHAUSTION_BLOCK_S:g} s (fit_race_times)",
        "wall": wall,
        "heavy_min_power": float(min_power),
        "heavy_gain": float(f"{gain:.5g}"),
        "heavy_power": float(f"{power:.5g}"),
        "reserve_floor": float(f"{floor:.4g}"),
        "heavy_anchors": anchors,
    }
    if write:
        atomic_write_text(params.data_path("energy_calibration.json"),
                          json.dumps(data, indent=2) + "\n")
        clear_cache()
    return data
