"""Time steps of a fibre pool and of a two-pool muscle, and the simulators built on them.

:func:`pool_step` advances one pool (3CC with perfusion-dependent rates, energy store,
slow force depression) by a step of any size with a constant force target, and
:func:`pool_block_step` over a block of many strides with stride-averaged rates.
:func:`muscle_step` advances a whole muscle: its ischaemia, the split of its target
between the pools, then each pool; :func:`muscle_capacity` is what the muscle can still
give. :func:`simulate_states` (the state history of a target series) and
:func:`endurance_times` (sustained holds) loop over :func:`muscle_step`. The model and
its sources: :mod:`sim.physics.fatigue.pools`.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ...jit import kernel
from .energy_store import (energy_factor, energy_step, force_factor, pool_capacity,
                           recovery_gate, slow_step, work_update)
from .layout import N_STATE, P, X
from .perfusion import ischaemia_step, occlusion
from .recruitment import recruit
from .threecc import advance

__all__ = ["pool_step", "pool_block_step", "muscle_capacity", "muscle_step",
           "simulate_states", "endurance_times"]


@kernel
def _activation_target(force_target, q):
    if not (force_target > 0.0):
        return 0.0
    if force_target >= q:          # also covers q = 0 (no force left)
        return 1.0
    return force_target / q


@kernel
def pool_step(ma, mr, mf, e, s, z, force_target, F, R, r, L, rest_threshold, drain, refill,
              g_min, K, drain_K, slow_rate, slow_recovery, slow_delay, dt, perf=-1.0,
              kappa=0.0, reserve=1.0, fat_share=0.0, strain=1.0, work=1.0,
              rest_share=1.0, rest_delay=0.0, drain_exponent=1.0,
              recovery_energy_share=0.0):
    """Advance one pool by ``dt`` with a constant force target.

    Parameters
    ----------
    ma, mr, mf : float
        3CC state [1], summing to 1.
    e, s, z : float
        Energy store, slow force depression and slow load [1].
    force_target : float
        Pool force target, fraction of the pool's fresh maximum [1].
    F, R : float
        Fatigue and recovery rates of the pool under occlusion [1/s].
    r : float
        Rest recovery multiplier [1].
    L : float
        Controller gain [1/s].
    rest_threshold : float
        With ``perf < 0`` (published 3CC-r): activation targets below this count as rest.
    drain, refill, g_min, K, drain_K : float
        Energy store (0, 0: no store) and capacity factor.
    slow_rate, slow_recovery, slow_delay : float
        Slow force depression: rates [1/s] and lag [s].
    dt : float
        Step [s], any size.
    perf : float
        Mean perfusion P over the step [1]; negative: the published 3CC-r rest rule.
    kappa : float
        Fatigue protection by perfusion [1], ``F* = F (1 - kappa h(E) P)`` with
        ``h(E) = f + (1 - f)(1 + K) E / (K + E)``: the aerobic supply that protects a
        perfused fibre runs on glycogen and, for the share ``f``, on fat.
    fat_share : float
        Share f of the protection that does not need glycogen [1].
    reserve : float
        Force factor of the anaerobic reserve D [1] (FT pools; 1 = full).
    strain : float
        Heavy-domain strain H [1] (:func:`heavy_strain`): multiplies the slow-load rate,
        and the glycogen drain as ``H ** drain_exponent``.
    work, rest_share, rest_delay : float
        Work gate of the muscle [1], share of the slow load expressed at rest [1] and the
        depression's time constant while it falls [s]
        (:func:`sim.physics.fatigue.energy_store.slow_step`).
    drain_exponent : float
        Power of the strain on the glycogen drain [1] (``[heavy] drain_exponent``).
    recovery_energy_share : float
        Share rho of the perfusion's recovery boost that needs the aerobic supply h(E)
        [1]: ``R* = R (1 + (r - 1) P (1 - rho + rho h(E)))`` (:func:`recovery_gate`).

    Returns
    -------
    ma, mr, mf, e, s, z : float

    Examples
    --------
    >>> out = pool_step(0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.4, 0.01, 0.001, 15.0, 10.0, 0.01,
    ...                 3.6e-4, 1.5e-5, 0.5, 0.1, 0.0, 0.0, 0.0, 0.0, 2.0)
    >>> round(out[0], 3), out[3] < 1.0
    (0.4, True)
    """
    act = _activation_target(force_target, force_factor(e, s, g_min, K, reserve))
    if perf < 0.0:
        Rs = R * r if act < rest_threshold else R
        Fs = F
    else:
        h = energy_factor(e, fat_share, K)
        Rs = R * (1.0 + (r - 1.0) * perf * recovery_gate(h, recovery_energy_share))
        Fs = F * (1.0 - kappa * h * perf)
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, Fs, Rs, L, dt)
    e = energy_step(e, ma_mean, drain * strain ** drain_exponent, refill, dt, drain_K)
    z, s = slow_step(z, s, ma_mean, slow_rate * strain, slow_recovery, slow_delay, dt,
                     work, rest_share, rest_delay)
    return ma, mr, mf, e, s, z


@kernel
def pool_block_step(ma, mr, mf, e, s, z, mean_force_target, perf, f_mult, F, R, r, L,
                    drain, refill, g_min, K, drain_K, slow_rate, slow_recovery, slow_delay,
                    dt, reserve=1.0, strain=1.0, work=1.0, rest_share=1.0,
                    rest_delay=0.0, drain_exponent=1.0):
    """Advance one pool over a block of many strides with stride-averaged rates.

    Parameters
    ----------
    ma, mr, mf, e, s, z : float
        Pool state [1]; here MA is the stride-mean active fraction.
    mean_force_target : float
        Pool force target averaged over one stride [1].
    perf : float
        Stride-mean perfusion [1], in [0, 1]: recovery ``R (1 + (r - 1) perf)``.
    f_mult : float
        Activity-weighted fatigue multiplier over the stride [1]:
        ``<TL (1 - kappa P)> / <TL>`` (1 where the pool is idle).
    F, R, r, L, drain, refill, g_min, K, drain_K, slow_rate, slow_recovery, slow_delay,
    reserve, strain, work, rest_share, rest_delay, drain_exponent : float
        As in :func:`pool_step`.
    dt : float
        Block duration [s].

    Returns
    -------
    ma, mr, mf, e, s, z : float

    Examples
    --------
    >>> out = pool_block_step(0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.28, 0.53, 0.2, 0.01, 0.001,
    ...                       15.0, 10.0, 3.6e-4, 1.5e-5, 0.5, 0.1, 0.0, 0.0, 0.0, 0.0,
    ...                       60.0)
    >>> abs(out[0] + out[1] + out[2] - 1.0) < 1e-12, 0.0 <= out[2] <= 1.0
    (True, True)
    """
    perf = min(max(perf, 0.0), 1.0)
    act = _activation_target(mean_force_target, force_factor(e, s, g_min, K, reserve))
    Rs = R * (1.0 + (r - 1.0) * perf)
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, F * f_mult, Rs, L, dt)
    e = energy_step(e, ma_mean, drain * strain ** drain_exponent, refill, dt, drain_K)
    z, s = slow_step(z, s, ma_mean, slow_rate * strain, slow_recovery, slow_delay, dt,
                     work, rest_share, rest_delay)
    return ma, mr, mf, e, s, z


@kernel
def muscle_capacity(state, prm):
    """Muscle capacity ``p_st*cap_ST + (1 - p_st)*cap_FT`` [1] of a state vector.

    Examples
    --------
    >>> from sim.fatigue import muscle_parameters
    >>> from sim.physics.fatigue.layout import fresh_state
    >>> prm = muscle_parameters("general", 0.5)
    >>> s = fresh_state(); s[2] = 0.2; s[1] = 0.8
    >>> round(muscle_capacity(s, prm), 12)
    0.9
    """
    p = prm[P.p_st]
    g_min = prm[P.g_min_st]
    K = prm[P.K]
    cap = p * pool_capacity(state[X.MF_st], state[X.E_st], state[X.S_st], g_min, K)
    if p < 1.0:
        cap += (1.0 - p) * pool_capacity(state[X.MF_ft], state[X.E_ft], state[X.S_ft],
                                         prm[P.g_min_ft], K, state[X.reserve])
    return cap


@kernel
def muscle_step(state, u, prm, dt):
    """Advance a two-pool muscle by ``dt`` with muscle target ``u``, in place.

    Parameters
    ----------
    state : ndarray, shape (N_STATE,)
        Muscle state laid out as :data:`STATE`; overwritten.
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    prm : ndarray, shape (N_PARAMS,)
        Parameters laid out as :data:`MUSCLE_PARAMS`. ``tau_isch_on <= 0`` selects the
        published 3CC-r rest rule (joint model); otherwise perfusion sets the rates.
    dt : float
        Step [s].

    Notes
    -----
    The split between the pools uses the capacities at the start of the step; the
    perfusion is the mean over the step of the exactly integrated ischaemia.

    Examples
    --------
    >>> from sim.fatigue import muscle_parameters
    >>> from sim.physics.fatigue.layout import fresh_state
    >>> prm = muscle_parameters("general", 0.5)
    >>> s = fresh_state()
    >>> muscle_step(s, 0.2, prm, 5.0)     # below the FT onset, 0.45 x 0.5 of MVC
    >>> bool(s[0] > 0.3), float(s[4])     # ST pool active, FT pool idle
    (True, 0.0)
    """
    p = prm[P.p_st]
    r = prm[P.r]
    L = prm[P.gain]
    thr = prm[P.rest_threshold]
    g_min = prm[P.g_min_st]
    K = prm[P.K]
    perf = -1.0
    if prm[P.tau_isch_on] > 0.0:
        occ = occlusion(u, prm[P.u_free], prm[P.u_occ])
        isch, mean = ischaemia_step(state[X.isch], occ, prm[P.tau_isch_on], prm[P.tau_isch_off], dt)
        state[X.isch] = isch
        perf = 1.0 - mean
    cap_st = pool_capacity(state[X.MF_st], state[X.E_st], state[X.S_st], g_min, K)
    cap_ft = pool_capacity(state[X.MF_ft], state[X.E_ft], state[X.S_ft], prm[P.g_min_ft], K,
                           state[X.reserve])
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft, prm[P.ft_onset])
    state[X.work], x = work_update(state[X.work], min(max(u, 0.0), 1.0), prm[P.work_tau],
                                   prm[P.work_half], dt)
    a, b, c, d, e, z = pool_step(state[X.MA_st], state[X.MR_st], state[X.MF_st], state[X.E_st],
                                 state[X.S_st], state[X.Z_st], tl_st, prm[P.F_st], prm[P.R_st], r,
                                 L, thr, prm[P.drain_st], prm[P.refill], g_min, K, prm[P.drain_K],
                                 prm[P.slow_rate], prm[P.slow_recovery], prm[P.slow_delay], dt,
                                 perf, prm[P.kappa_st], 1.0, prm[P.fat_share], state[X.strain],
                                 x, prm[P.rest_share], prm[P.rest_delay],
                                 prm[P.heavy_drain_exponent], prm[P.recovery_energy_share])
    state[X.MA_st] = a
    state[X.MR_st] = b
    state[X.MF_st] = c
    state[X.E_st] = d
    state[X.S_st] = e
    state[X.Z_st] = z
    if p < 1.0:
        a, b, c, d, e, z = pool_step(state[X.MA_ft], state[X.MR_ft], state[X.MF_ft], state[X.E_ft],
                                     state[X.S_ft], state[X.Z_ft], tl_ft, prm[P.F_ft], prm[P.R_ft],
                                     r, L, thr, prm[P.drain_ft], prm[P.refill], prm[P.g_min_ft], K,
                                     prm[P.drain_K], prm[P.slow_rate], prm[P.slow_recovery],
                                     prm[P.slow_delay], dt, perf, prm[P.kappa_ft],
                                     state[X.reserve], prm[P.fat_share], state[X.strain], x,
                                     prm[P.rest_share], prm[P.rest_delay],
                                     prm[P.heavy_drain_exponent], prm[P.recovery_energy_share])
        state[X.MA_ft] = a
        state[X.MR_ft] = b
        state[X.MF_ft] = c
        state[X.E_ft] = d
        state[X.S_ft] = e
        state[X.Z_ft] = z


@njit(cache=True)
def simulate_states(targets, dt, prm, state0):
    """States after each step of a muscle-target series.

    Parameters
    ----------
    targets : ndarray, shape (n,)
        Muscle target [1]; ``targets[i]`` is held over ``[i*dt, (i+1)*dt)``.
    dt : float
        Step [s].
    prm : ndarray, shape (N_PARAMS,)
        Parameters (:data:`MUSCLE_PARAMS`).
    state0 : ndarray, shape (N_STATE,)
        Initial state (:data:`STATE`).

    Returns
    -------
    ndarray, shape (n + 1, N_STATE)
        Row 0 is ``state0``, row i the state at time ``i*dt``.

    Examples
    --------
    >>> import numpy as np
    >>> from sim.fatigue import muscle_parameters
    >>> from sim.physics.fatigue.layout import fresh_state
    >>> prm = muscle_parameters("general", 0.5)
    >>> simulate_states(np.full(10, 0.3), 0.1, prm, fresh_state()).shape
    (11, 16)
    """
    n = targets.shape[0]
    out = np.empty((n + 1, state0.shape[0]))
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
    prm : ndarray, shape (N_PARAMS,)
        Parameters (:data:`MUSCLE_PARAMS`).
    t_max : float
        Longest hold simulated [s]; ``inf`` is returned past it.

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> import numpy as np
    >>> from sim.fatigue import muscle_parameters
    >>> prm = muscle_parameters("general", model="joint", energy=False)
    >>> [round(float(x), 1) for x in endurance_times(np.array([0.5, 0.05]), prm, 86400.0)]
    [108.5, inf]
    """
    p = prm[P.p_st]
    f_max = prm[P.F_st]
    if p < 1.0:
        f_max = max(f_max, prm[P.F_ft])
    h_max = min(2.0, 0.01 / f_max)
    no_energy = (prm[P.drain_st] == 0.0 and (prm[P.drain_ft] == 0.0 or p >= 1.0)
                 and prm[P.slow_rate] == 0.0)
    out = np.empty(targets.shape[0])
    s = np.empty(N_STATE)
    s_old = np.empty(N_STATE)
    trial = np.empty(N_STATE)
    for k in range(targets.shape[0]):
        u = targets[k]
        s[:] = (0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0)
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
