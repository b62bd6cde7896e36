"""Two fibre pools per muscle: size-principle recruitment, 3CC-r and an energy store.

A muscle is split into a slow-twitch pool (ST, fraction ``p_st`` of its fibres) and a
fast-twitch pool (FT, fraction ``1 - p_st``). Each pool has the 3CC-r compartments
MA, MR, MF (:mod:`sim.fatigue.threecc`) and an energy store E in [0, 1] (muscle
glycogen).

Energy store
    ``dE/dt = -drain * MA + refill * (1 - E)``, clipped at E = 0. The pool drains in
    proportion to its active fraction (FT faster per unit activation: glycolytic
    fibres [1, 2]) and refills very slowly. The drain is zero-order in E, so under a
    steady load the store keeps falling for hours instead of settling, and empties
    near a definite time (the "wall" [3]). With MA held constant over a step the ODE is
    affine in E and is integrated exactly.

Capacity factor
    ``g(E) = g_min + (1 - g_min) (1 + K) E / (K + E)``: g(1) = 1, g(0) = g_min,
    increasing and concave, so the pool hardly notices a half-full store but loses
    force quickly as it empties (low glycogen impairs calcium release [4]); ``g_min``
    is what is left with an empty store (assumption). Force from a pool is MA*g(E),
    so to hold a pool force target TL the controller drives MA toward TL/g(E); the
    pool's capacity (fraction of its fresh maximum force) is ``(MA + MR) * g(E)``.

Recruitment (size principle [5])
    A muscle target u (fraction of the fresh maximum force) is taken from the ST pool
    first, up to what it can give now, ``p_st * cap_ST``; the rest from the FT pool,
    up to ``(1 - p_st) * cap_FT``. A pool's force target is its share divided by its
    fibre fraction. Muscle capacity is ``p_st * cap_ST + (1 - p_st) * cap_FT``.

Rest
    A pool rests (recovery ``r*R``) while its activation target TL/g(E) is below the
    rest threshold: rest means no motor unit of the pool is being recruited.

Stride-averaged block step
    :func:`pool_block_step` advances a pool over a block of many strides with the
    stride's mean force target and the fraction of the stride spent at rest. The
    controller tracks the target much faster than F and R act (L >> F, R), so over a
    stride ``F*MA`` averages to ``F*<MA>`` and ``R*·MF`` to ``R_eff*MF`` with
    ``R_eff = R*(rest_frac*r + 1 - rest_frac)``. The block step is the resolved step
    with those averaged rates; its MA is the stride-mean MA, while MF, capacity and E
    track the resolved trajectory (the error is of order F times the stride period).
    The caller re-evaluates recruitment (the pools' stride targets) at every block,
    so the block must be short compared with the time in which recruitment shifts:
    60 s blocks track a steady running load within 0.001 in capacity, while a muscle
    whose ST pool saturates within the first minute needs ~15 s blocks to stay within
    0.01 (tests/test_fatigue_pools.py).

Kernels are ``numba.njit(cache=True)`` on float64 scalars and arrays. A muscle's
parameters travel as one float64 vector laid out as :data:`MUSCLE_PARAMS` and its state
as an 8-vector laid out as :data:`STATE`.

References
----------
.. [1] Gollnick PD, Piehl K, Saltin B (1974) Selective glycogen depletion pattern in
       human muscle fibres after exercise of varying intensity and at varying pedalling
       rates. J Physiol 241(1):45-57.
.. [2] Vollestad NK, Blom PC (1985) Effect of varying exercise intensity on glycogen
       depletion in human muscle fibres. Acta Physiol Scand 125(3):395-405.
.. [3] Rapoport BI (2010) Metabolic factors limiting performance in marathon runners.
       PLoS Comput Biol 6(10):e1000960. doi:10.1371/journal.pcbi.1000960
.. [4] Ortenblad N, Westerblad H, Nielsen J (2013) Muscle glycogen stores and fatigue.
       J Physiol 591(18):4405-4413. doi:10.1113/jphysiol.2013.251629
.. [5] Henneman E, Somjen G, Carpenter DO (1965) Functional significance of cell size in
       spinal motoneurons. J Neurophysiol 28:560-580.

Examples
--------
>>> round(energy_factor(1.0, 0.5, 0.1), 12), round(energy_factor(0.0, 0.5, 0.1), 12)
(1.0, 0.5)
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..jit import kernel
from .threecc import advance, phi1

__all__ = [
    "MUSCLE_PARAMS", "STATE", "energy_factor", "energy_step", "pool_capacity",
    "pool_step", "pool_block_step", "recruit", "muscle_capacity", "muscle_step",
    "simulate_states", "endurance_times", "fresh_state",
]

#: Layout of a muscle's parameter vector (see :func:`sim.fatigue.muscle_parameters`).
MUSCLE_PARAMS = ("p_st", "F_st", "R_st", "F_ft", "R_ft", "r", "gain", "rest_threshold",
                 "drain_st", "drain_ft", "refill", "g_min", "K")
#: Layout of a muscle's state vector.
STATE = ("MA_st", "MR_st", "MF_st", "E_st", "MA_ft", "MR_ft", "MF_ft", "E_ft")


def fresh_state() -> np.ndarray:
    """State of a rested muscle with full stores: MA = MF = 0, MR = 1, E = 1.

    Examples
    --------
    >>> fresh_state().tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    """
    return np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])


@kernel
def energy_factor(e, g_min, K):
    """Capacity factor g(E) [1] of a pool with store E [1]; K > 0.

    Examples
    --------
    >>> round(energy_factor(0.2, 0.5, 0.1), 4)
    0.8667
    """
    e = min(max(e, 0.0), 1.0)
    return g_min + (1.0 - g_min) * (1.0 + K) * e / (K + e)


@kernel
def energy_step(e, ma_mean, drain, refill, dt):
    """Exact step of ``dE/dt = -drain*MA + refill*(1 - E)`` with MA = ``ma_mean``.

    Parameters
    ----------
    e : float
        Store [1].
    ma_mean : float
        Mean active fraction over the step [1].
    drain, refill : float
        Drain per unit activation and refill rate [1/s], >= 0.
    dt : float
        Step [s].

    Returns
    -------
    float
        Store after the step, in [0, 1] (an empty store stays empty while the drain
        exceeds the refill).

    Examples
    --------
    >>> round(energy_step(1.0, 0.5, 1e-3, 0.0, 100.0), 12)
    0.95
    """
    if not (dt > 0.0):
        return e
    rate0 = refill * (1.0 - e) - drain * ma_mean
    e_new = e + rate0 * dt * phi1(refill * dt)
    return min(max(e_new, 0.0), 1.0)


@kernel
def pool_capacity(mf, e, g_min, K):
    """Pool capacity ``(MA + MR) * g(E) = (1 - MF) * g(E)`` [1].

    Examples
    --------
    >>> round(pool_capacity(0.2, 1.0, 0.5, 0.1), 12)
    0.8
    """
    return (1.0 - mf) * energy_factor(e, g_min, K)


@kernel
def _activation_target(force_target, e, g_min, K):
    if not (force_target > 0.0):
        return 0.0
    g = energy_factor(e, g_min, K)
    if force_target >= g:          # also covers g = 0 (empty store, no floor)
        return 1.0
    return force_target / g


@kernel
def pool_step(ma, mr, mf, e, force_target, F, R, r, L, rest_threshold, drain, refill,
              g_min, K, dt):
    """Advance one pool by ``dt`` with a constant force target.

    Parameters
    ----------
    ma, mr, mf : float
        3CC state [1], summing to 1.
    e : float
        Energy store [1].
    force_target : float
        Pool force target, fraction of the pool's fresh maximum [1].
    F, R : float
        Fatigue and recovery rates of the pool [1/s].
    r : float
        Rest recovery multiplier [1].
    L : float
        Controller gain [1/s].
    rest_threshold : float
        Activation targets below this count as rest [1].
    drain, refill : float
        Energy drain per unit activation and refill rate [1/s] (0, 0: no energy store).
    g_min, K : float
        Capacity-factor floor and half-saturation [1].
    dt : float
        Step [s], any size.

    Returns
    -------
    ma, mr, mf, e : float

    Notes
    -----
    g(E) is taken at the start of the step (E changes over tens of minutes).

    Examples
    --------
    >>> s = pool_step(0.0, 1.0, 0.0, 1.0, 0.4, 0.01, 0.001, 15.0, 10.0, 0.01,
    ...               3.6e-4, 1.5e-5, 0.5, 0.1, 2.0)
    >>> round(s[0], 3), s[3] < 1.0
    (0.4, True)
    """
    act = _activation_target(force_target, e, g_min, K)
    Rs = R * r if act < rest_threshold else R
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, F, Rs, L, dt)
    e = energy_step(e, ma_mean, drain, refill, dt)
    return ma, mr, mf, e


@kernel
def pool_block_step(ma, mr, mf, e, mean_force_target, rest_frac, F, R, r, L, drain,
                    refill, g_min, K, dt):
    """Advance one pool over a block of many strides with stride-averaged rates.

    Parameters
    ----------
    ma, mr, mf, e : float
        Pool state [1]; here MA is the stride-mean active fraction.
    mean_force_target : float
        Pool force target averaged over one stride [1].
    rest_frac : float
        Fraction of the stride during which the pool is at rest [1], in [0, 1].
    F, R, r, L, drain, refill, g_min, K : float
        As in :func:`pool_step`.
    dt : float
        Block duration [s], e.g. tens of strides (60 s or more is fine).

    Returns
    -------
    ma, mr, mf, e : float

    Notes
    -----
    The controller is driven by the mean activation target and recovery runs at
    ``R_eff = R * (rest_frac * r + 1 - rest_frac)``; the step is the exact solution of
    these averaged equations (see the module notes for the relation to resolved
    stepping).

    Examples
    --------
    >>> s = pool_block_step(0.0, 1.0, 0.0, 1.0, 0.28, 0.53, 0.01, 0.001, 15.0, 10.0,
    ...                     3.6e-4, 1.5e-5, 0.5, 0.1, 60.0)
    >>> abs(s[0] + s[1] + s[2] - 1.0) < 1e-12, 0.0 <= s[2] <= 1.0
    (True, True)
    """
    rest_frac = min(max(rest_frac, 0.0), 1.0)
    act = _activation_target(mean_force_target, e, g_min, K)
    Rs = R * (rest_frac * r + 1.0 - rest_frac)
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, F, Rs, L, dt)
    e = energy_step(e, ma_mean, drain, refill, dt)
    return ma, mr, mf, e


@kernel
def recruit(u, p_st, cap_st, cap_ft):
    """Split a muscle target between the pools by the size principle.

    Parameters
    ----------
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    p_st : float
        Slow-twitch fraction [1], in (0, 1]; 1 means a single pool.
    cap_st, cap_ft : float
        Current pool capacities [1].

    Returns
    -------
    tl_st, tl_ft : float
        Pool force targets, fractions of each pool's fresh maximum [1].

    Examples
    --------
    >>> recruit(0.3, 0.5, 1.0, 1.0)
    (0.6, 0.0)
    >>> [round(x, 6) for x in recruit(0.6, 0.5, 0.8, 1.0)]
    [0.8, 0.4]
    """
    if not (u > 0.0):
        return 0.0, 0.0
    u = min(u, 1.0)
    share_st = min(u, p_st * cap_st)
    tl_st = share_st / p_st
    if p_st >= 1.0:
        return tl_st, 0.0
    share_ft = min(u - share_st, (1.0 - p_st) * cap_ft)
    return tl_st, max(share_ft, 0.0) / (1.0 - p_st)


@kernel
def muscle_capacity(state, prm):
    """Muscle capacity ``p_st*cap_ST + (1 - p_st)*cap_FT`` [1] of an 8-vector state.

    Examples
    --------
    >>> import numpy as np
    >>> prm = np.array([0.5, 0.01, 0.001, 0.03, 0.001, 15, 10, 0.01, 0, 0, 0, 0.5, 0.1])
    >>> s = fresh_state(); s[2] = 0.2; s[1] = 0.8
    >>> round(muscle_capacity(s, prm), 12)
    0.9
    """
    p = prm[0]
    g_min = prm[11]
    K = prm[12]
    cap = p * pool_capacity(state[2], state[3], g_min, K)
    if p < 1.0:
        cap += (1.0 - p) * pool_capacity(state[6], state[7], g_min, K)
    return cap


@kernel
def muscle_step(state, u, prm, dt):
    """Advance a two-pool muscle by ``dt`` with muscle target ``u``, in place.

    Parameters
    ----------
    state : ndarray, shape (8,)
        Muscle state laid out as :data:`STATE`; overwritten.
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    prm : ndarray, shape (13,)
        Parameters laid out as :data:`MUSCLE_PARAMS`.
    dt : float
        Step [s].

    Notes
    -----
    The split between the pools uses the capacities at the start of the step.

    Examples
    --------
    >>> import numpy as np
    >>> prm = np.array([0.5, 0.01, 0.0015, 0.03, 0.001, 15, 10, 0.01, 0, 0, 0, 0.5, 0.1])
    >>> s = fresh_state()
    >>> muscle_step(s, 0.3, prm, 5.0)
    >>> round(float(s[0]), 3), float(s[4])     # ST pool active, FT pool idle
    (0.599, 0.0)
    """
    p = prm[0]
    r = prm[5]
    L = prm[6]
    thr = prm[7]
    g_min = prm[11]
    K = prm[12]
    cap_st = pool_capacity(state[2], state[3], g_min, K)
    cap_ft = pool_capacity(state[6], state[7], g_min, K)
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft)
    a, b, c, d = pool_step(state[0], state[1], state[2], state[3], tl_st, prm[1], prm[2],
                           r, L, thr, prm[8], prm[10], g_min, K, dt)
    state[0] = a
    state[1] = b
    state[2] = c
    state[3] = d
    if p < 1.0:
        a, b, c, d = pool_step(state[4], state[5], state[6], state[7], tl_ft, prm[3],
                               prm[4], r, L, thr, prm[9], prm[10], g_min, K, dt)
        state[4] = a
        state[5] = b
        state[6] = c
        state[7] = d


@njit(cache=True)
def simulate_states(targets, dt, prm, state0):
    """States after each step of a muscle-target series.

    Parameters
    ----------
    targets : ndarray, shape (n,)
        Muscle target [1]; ``targets[i]`` is held over ``[i*dt, (i+1)*dt)``.
    dt : float
        Step [s].
    prm : ndarray, shape (13,)
        Parameters (:data:`MUSCLE_PARAMS`).
    state0 : ndarray, shape (8,)
        Initial state (:data:`STATE`).

    Returns
    -------
    ndarray, shape (n + 1, 8)
        Row 0 is ``state0``, row i the state at time ``i*dt``.

    Examples
    --------
    >>> import numpy as np
    >>> prm = np.array([0.5, 0.01, 0.0015, 0.03, 0.001, 15, 10, 0.01, 0, 0, 0, 0.5, 0.1])
    >>> simulate_states(np.full(10, 0.3), 0.1, prm, fresh_state()).shape
    (11, 8)
    """
    n = targets.shape[0]
    out = np.empty((n + 1, 8))
    s = state0.copy()
    out[0] = s
    for i in range(n):
        muscle_step(s, targets[i], prm, dt)
        out[i + 1] = s
    return out


@njit(cache=True)
def endurance_times(targets, prm, t_max):
    """Endurance time [s] of sustained holds at each muscle target (inf if none).

    Starting fresh, the muscle holds ``u`` until its capacity first falls below ``u``;
    within the step where that happens, the crossing time is found by bisection on the
    length of the step. Steps grow with time (2 % of the elapsed time, at least
    0.01 s, at most 0.01/max(F) and 2 s); single-pool steps are exact, so only the
    coupling of the two pools (their split is updated once per step) depends on the
    step. Without an energy store a hold whose capacity stops changing above the
    target is sustainable.

    Parameters
    ----------
    targets : ndarray, shape (m,)
        Muscle targets [1], in (0, 1].
    prm : ndarray, shape (13,)
        Parameters (:data:`MUSCLE_PARAMS`).
    t_max : float
        Longest hold simulated [s]; ``inf`` is returned past it.

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> import numpy as np
    >>> prm = np.array([1.0, 0.0097, 0.00091, 0.0097, 0.00091, 15, 10, 0.01, 0, 0, 0, 0.5, 0.1])
    >>> [round(float(x), 1) for x in endurance_times(np.array([0.5, 0.05]), prm, 86400.0)]
    [108.5, inf]
    """
    p = prm[0]
    f_max = prm[1]
    if p < 1.0:
        f_max = max(f_max, prm[3])
    h_max = min(2.0, 0.01 / f_max)
    no_energy = prm[8] == 0.0 and (prm[9] == 0.0 or p >= 1.0)
    out = np.empty(targets.shape[0])
    s = np.empty(8)
    s_old = np.empty(8)
    trial = np.empty(8)
    for k in range(targets.shape[0]):
        u = targets[k]
        s[:] = (0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0)
        t = 0.0
        c0 = muscle_capacity(s, prm)
        et = np.inf
        while t < t_max:
            h = min(h_max, max(0.01, 0.02 * t))
            s_old[:] = s
            muscle_step(s, u, prm, h)
            c1 = muscle_capacity(s, prm)
            if c1 < u:
                lo, hi = 0.0, h        # capacity >= u after lo, < u after hi
                for _ in range(50):
                    mid = 0.5 * (lo + hi)
                    trial[:] = s_old
                    muscle_step(trial, u, prm, mid)
                    if muscle_capacity(trial, prm) < u:
                        hi = mid
                    else:
                        lo = mid
                et = t + hi
                break
            if no_energy and abs(c1 - c0) < 1e-13 * h and t > 10.0:
                break                 # steady state above the target: sustainable
            c0 = c1
            t += h
        out[k] = et
    return out
