"""Fatigue of muscle fibre pools: perfusion-dependent 3CC, recruitment, slow components.

Public functions
----------------
:func:`endurance_time`
    How long a sustained hold can last (joint model or calibrated two-pool muscle).
:func:`closed_form_endurance_time`
    The analytic endurance time of the 3CC for a fast controller.
:func:`simulate_muscle`
    Compartments, energy stores and capacities over any target-load series.
:func:`joint_constants`, :func:`pool_constants`, :func:`muscle_parameters`
    Constants of a joint class and of a calibrated two-pool muscle.

Kernels for time loops live in :mod:`sim.physics.fatigue.threecc` (one pool, one step) and
:mod:`sim.physics.fatigue.pools` (perfusion, recruitment, glycogen store, slow force depression,
anaerobic reserve, muscle step, stride-averaged block step). An educational model, not
medical advice.

References
----------
.. [1] Xia T, Frey Law LA (2008) A theoretical approach for modeling peripheral muscle
       fatigue and recovery. J Biomech 41(14):3046-3052. doi:10.1016/j.jbiomech.2008.07.013
.. [2] Frey-Law LA, Looft JM, Heitsman J (2012) A three-compartment muscle fatigue model
       accurately predicts joint-specific maximum endurance times for sustained isometric
       tasks. J Biomech 45(10):1803-1808. doi:10.1016/j.jbiomech.2012.04.018
.. [3] Looft JM, Herkert N, Frey-Law L (2018) Modification of a three-compartment muscle
       fatigue model to predict peak torque decline during intermittent tasks.
       J Biomech 77:16-25. doi:10.1016/j.jbiomech.2018.06.005
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .parameters import (JOINT_CLASSES, JointConstants, PoolConstants, check_joint, check_p_st,
                         joint_constants, joint_model_vector, pool_constants)
from .pools import P, X, endurance_times, fresh_state, simulate_states

__all__ = ["JOINT_CLASSES", "JointConstants", "PoolConstants", "MuscleFatigueResult",
           "closed_form_endurance_time", "endurance_time", "simulate_muscle",
           "joint_constants", "pool_constants", "muscle_parameters"]

#: Longest sustained hold that :func:`endurance_time` simulates [s] (24 h).
T_MAX_S = 86400.0
_MODELS = ("joint", "muscle")


def _check_model(model):
    if model not in _MODELS:
        raise ValueError(f"model={model!r} is not a fatigue model; allowed: 'joint' "
                         "(single pool of the joint class) or 'muscle' (calibrated "
                         "slow- and fast-twitch pools)")
    return model


def _check_gain(gain):
    try:
        g = float(gain)
    except (TypeError, ValueError):
        raise ValueError(f"gain={gain!r} must be a positive number [1/s]") from None
    if not (math.isfinite(g) and g > 0.0):
        raise ValueError(f"gain={gain!r} must be a finite controller gain > 0 [1/s]")
    return g


def _check_targets(target, name, lower_open):
    arr = np.asarray(target, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got non-finite values "
                         f"(first at index {int(np.argmin(np.isfinite(arr.ravel())))})")
    low_ok = arr > 0.0 if lower_open else arr >= 0.0
    if not np.all(low_ok & (arr <= 1.0)):
        bad = arr.ravel()[~(low_ok & (arr <= 1.0)).ravel()][0]
        allowed = "(0, 1]" if lower_open else "[0, 1]"
        raise ValueError(f"{name}={float(bad)!r} is outside {allowed} (a fraction of the "
                         "fresh maximum force, MVC)")
    return arr


def muscle_parameters(joint: str = "general", p_st: float = 0.5, model: str = "muscle",
                      gain: float = 10.0, energy: bool = True) -> np.ndarray:
    """Kernel parameter vector (layout :data:`sim.physics.fatigue.pools.MUSCLE_PARAMS`).

    Parameters
    ----------
    joint : str
        Joint class, one of :data:`JOINT_CLASSES`.
    p_st : float
        Slow-twitch fraction [1], in (0, 1).
    model : {"muscle", "joint"}
        Calibrated two-pool muscle, or the single-pool joint model.
    gain : float
        Controller gain L [1/s].
    energy : bool
        Include the energy store (drain and refill); otherwise the stores stay full.

    Returns
    -------
    ndarray, shape (N_PARAMS,)

    Examples
    --------
    >>> v = muscle_parameters("knee", 0.47)
    >>> v.shape, v[0]
    ((33,), np.float64(0.47))
    """
    check_joint(joint)
    p = check_p_st(p_st)
    g = _check_gain(gain)
    if _check_model(model) == "joint":
        return joint_model_vector(joint, g, bool(energy), p)
    return pool_constants(joint, p, g).as_vector(energy=bool(energy))


def closed_form_endurance_time(target, F, R):
    """Endurance time of a sustained hold for a fast controller (L >> F, R) [s].

    ``ET = -ln(1 - R(1 - TL)/(F TL)) / R``, infinite when ``TL <= R/(F + R)`` (the
    load is sustainable) [1, 2].

    Parameters
    ----------
    target : float or array_like
        Target load TL [fraction of MVC], in (0, 1].
    F, R : float
        Fatigue and recovery rates [1/s], > 0.

    Returns
    -------
    float or ndarray
        Endurance time [s].

    Examples
    --------
    >>> round(closed_form_endurance_time(0.5, 0.0097, 0.00091), 1)
    108.3
    >>> closed_form_endurance_time(0.05, 0.0097, 0.00091)
    inf
    """
    tl = _check_targets(target, "target", lower_open=True)
    if not (F > 0 and R > 0 and math.isfinite(F) and math.isfinite(R)):
        raise ValueError(f"F={F!r} and R={R!r} must be finite rates > 0 [1/s]")
    x = R * (1.0 - tl) / (F * tl)
    with np.errstate(divide="ignore", invalid="ignore"):
        et = np.where(x < 1.0, -np.log1p(-np.minimum(x, 1.0)) / R, np.inf)
    return float(et) if et.ndim == 0 else et


def endurance_time(target, joint: str = "general", model: str = "joint",
                   p_st: float = 0.5, gain: float = 10.0, energy: bool = False):
    """Endurance time of a sustained hold from rest [s].

    Task failure is the first time the available capacity falls below the target
    (for the 3CC: MA + MR < TL [1]). The holds are integrated with exact per-regime
    steps (:mod:`sim.physics.fatigue.threecc`) and the crossing time is interpolated; a hold
    that has not failed after 24 h counts as sustainable (``inf``).

    Parameters
    ----------
    target : float or array_like
        Target [fraction of MVC], in (0, 1].
    joint : str
        Joint class [2]: ankle, knee, trunk, shoulder, elbow, hand or general (hip
        muscles use general).
    model : {"joint", "muscle"}
        ``"joint"``: single pool with the joint class's F and R. ``"muscle"``:
        calibrated slow- and fast-twitch pools with slow-twitch fraction ``p_st``.
    p_st : float
        Slow-twitch fraction [1], in (0, 1).
    gain : float
        Controller gain L [1/s]. The two-pool split is calibrated at L = 10/s and
        reused for other gains.
    energy : bool
        Include the energy store (matters only for holds of tens of minutes or more).

    Returns
    -------
    float or ndarray
        Endurance time [s]; ``inf`` when the load is sustainable.

    Examples
    --------
    >>> round(endurance_time(0.5, joint="general"), 1)
    108.5
    >>> round(endurance_time(0.5, joint="general", model="muscle", p_st=0.5), 0)
    103.0
    >>> endurance_time(0.05)
    inf
    """
    tl = _check_targets(target, "target", lower_open=True)
    prm = muscle_parameters(joint, p_st, model, gain, energy)
    et = endurance_times(np.atleast_1d(tl).ravel().astype(np.float64), prm, T_MAX_S)
    return float(et[0]) if tl.ndim == 0 else et.reshape(tl.shape)


@dataclass(frozen=True)
class MuscleFatigueResult:
    """Time series of :func:`simulate_muscle`; arrays are read-only.

    Attributes
    ----------
    time_s : ndarray, shape (n + 1,)
        Sample times [s]; row 0 is the fresh state.
    target : ndarray, shape (n,)
        Muscle target [1]; ``target[i]`` is held over ``[time_s[i], time_s[i+1])``.
    pools : tuple of str
        ``("ST", "FT")`` for the muscle model, ``("joint",)`` for the joint model.
    MA, MR, MF : ndarray, shape (n + 1, n_pools)
        Active, resting and fatigued fractions of each pool [1].
    energy : ndarray, shape (n + 1, n_pools)
        Energy store of each pool [1].
    capacity : ndarray, shape (n + 1, n_pools)
        Pool capacity ``(MA + MR) g(E) (1 - S)`` [fraction of the pool's fresh maximum]
        (S: slow force depression, :mod:`sim.physics.fatigue.pools`).
    muscle_capacity : ndarray, shape (n + 1,)
        Muscle capacity [fraction of the fresh maximum force].
    joint : str
    model : str
    p_st : float
    """

    time_s: np.ndarray
    target: np.ndarray
    pools: tuple
    MA: np.ndarray
    MR: np.ndarray
    MF: np.ndarray
    energy: np.ndarray
    capacity: np.ndarray
    muscle_capacity: np.ndarray
    joint: str
    model: str
    p_st: float


def simulate_muscle(target, dt, joint: str = "general", p_st: float = 0.5,
                    energy: bool = True, model: str = "muscle", gain: float = 10.0
                    ) -> MuscleFatigueResult:
    """Simulate a muscle's fibre pools under a target-load series.

    Parameters
    ----------
    target : array_like, shape (n,)
        Muscle target [fraction of the fresh maximum force], each in [0, 1], sampled
        every ``dt`` seconds; ``target[i]`` is held over ``[i*dt, (i+1)*dt)``.
    dt : float
        Sample interval [s], > 0. Any size keeps the compartments valid; the two pools
        and the energy store are coupled at the sample times.
    joint : str
        Joint class (ankle, knee, trunk, shoulder, elbow, hand, general).
    p_st : float
        Slow-twitch fraction [1], in (0, 1).
    energy : bool
        Include the energy stores (glycogen).
    model : {"muscle", "joint"}
        Two calibrated pools (ST, FT) or the single-pool joint model.
    gain : float
        Controller gain L [1/s].

    Returns
    -------
    MuscleFatigueResult

    Examples
    --------
    >>> import numpy as np
    >>> stride = np.r_[np.full(35, 0.3), np.zeros(40)]       # 0.35 s on, 0.4 s off
    >>> res = simulate_muscle(np.tile(stride, 800), 0.01, joint="general", p_st=0.5)
    >>> res.pools, res.MA.shape
    (('ST', 'FT'), (60001, 2))
    >>> bool(0.8 < res.muscle_capacity[-1] < 1.0)
    True
    """
    u = _check_targets(target, "target", lower_open=False)
    if u.ndim != 1:
        raise ValueError(f"target must be a 1-D series; got shape {u.shape}")
    try:
        h = float(dt)
    except (TypeError, ValueError):
        raise ValueError(f"dt={dt!r} must be a positive number of seconds") from None
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"dt={dt!r} must be a finite step > 0 [s]")
    prm = muscle_parameters(joint, p_st, model, gain, energy)
    states = simulate_states(u, h, prm, fresh_state())
    n_pools = 2 if model == "muscle" else 1
    pools = ("ST", "FT") if model == "muscle" else ("joint",)
    cols = np.arange(n_pools) * 4
    MA, MR, MF, E = (states[:, cols + j] for j in range(4))
    K = prm[P.K]
    g_min = np.array([prm[P.g_min_st], prm[P.g_min_ft]])[:n_pools]
    S = states[:, X.S_st:X.S_st + n_pools]
    reserve = np.stack([np.ones(len(states)), states[:, X.reserve]], axis=1)[:, :n_pools]
    # same formula as pools.pool_capacity: (1 - MF) g(E) (1 - S) D (D for FT pools only)
    cap = (1.0 - MF) * _g(E, g_min, K) * (1.0 - np.clip(S, 0.0, 1.0)) * reserve
    weights = np.array([prm[P.p_st], 1.0 - prm[P.p_st]])[:n_pools] if model == "muscle" \
        else np.ones(1)
    arrays = dict(time_s=np.arange(len(u) + 1) * h, target=u.copy(), MA=MA, MR=MR, MF=MF,
                  energy=E, capacity=cap, muscle_capacity=cap @ weights)
    for a in arrays.values():
        a.setflags(write=False)
    return MuscleFatigueResult(pools=pools, joint=joint, model=model,
                               p_st=float(p_st), **arrays)


def _g(e, g_min, K):
    """Vectorised capacity factor g(E), same formula as the kernel."""
    e = np.clip(e, 0.0, 1.0)
    return g_min + (1.0 - g_min) * (1.0 + K) * e / (K + e)
