"""Reference engine, fatigue: the fibre pools stepped over a block or a rest, in NumPy.

The plain NumPy mirror of :mod:`sim.core.engine_blocks`, used by
:func:`sim.core.reference.reference_run` (step 5 of its checkpoint): each muscle's right
(or only) column over the solved stride is split between the pools by the size principle
(:func:`_recruit_stride`); each pool advances over the whole block with its stride-mean
force target, its stride-mean perfusion (:func:`_stride_perfusion`) and its
activity-weighted fatigue multiplier, exactly (:func:`_pool_block`, with
:func:`sim.physics.fatigue.reference.step_3ccr`, ``energy_step`` and ``slow_step``).
:func:`_rest_step` steps every pool at rest, :func:`_capacities` gives pool and muscle
capacities, :func:`_reserve_step` and :func:`_heavy_strain` the whole-body reserve and
heavy-domain strain, :func:`_reserve_spent_at` when a run above critical speed spent it.
Parameters and states are read by name (:data:`sim.physics.fatigue.pools.P`,
:data:`~sim.physics.fatigue.pools.X`).
"""
from __future__ import annotations

import math

import numpy as np

from ..physics.fatigue.pools import P, X
from ..physics.fatigue.reference import (energy_factor, energy_step, ischaemia_step,
                                         occlusion, slow_step, step_3ccr, work_update)

#: Each pool's state slots (MA, MR, MF, E, S, Z): the ST pool, then the FT pool.
_POOL_STATE = ((X.MA_st, X.MR_st, X.MF_st, X.E_st, X.S_st, X.Z_st),
               (X.MA_ft, X.MR_ft, X.MF_ft, X.E_ft, X.S_ft, X.Z_ft))
#: Each pool's rate parameters (F, R, glycogen drain): the ST pool, then the FT pool.
_POOL_RATES = ((P.F_st, P.R_st, P.drain_st), (P.F_ft, P.R_ft, P.drain_ft))


def _activation(force_target, g):
    """Activation target of a pool: force target / energy factor, at most 1."""
    if not force_target > 0.0:
        return 0.0
    return 1.0 if force_target >= g else force_target / g


def _recruit_stride(u, p_st, cap_st, cap_ft, onset):
    """Size-principle split of muscle targets ``u`` (array) into pool force targets
    (as :func:`sim.physics.fatigue.pools.recruit`).

    Examples
    --------
    >>> st, ft = _recruit_stride(np.array([0.0, 0.3, 0.6]), 0.5, 0.8, 1.0, 1.0)
    >>> st.tolist(), np.round(ft, 6).tolist()
    ([0.0, 0.6, 0.8], [0.0, 0.0, 0.4])
    """
    u = np.clip(u, 0.0, 1.0)
    avail_st = p_st * cap_st
    if p_st >= 1.0:
        return np.minimum(u, avail_st) / p_st, np.zeros_like(u)
    avail_ft = (1.0 - p_st) * cap_ft
    first = min(max(onset, 0.0), 1.0) * avail_st
    room = avail_st - first + avail_ft
    extra = np.clip(np.minimum(u, avail_st + avail_ft) - first, 0.0, None)
    if not room > 0.0:
        return np.minimum(u, first) / p_st, np.zeros_like(u)
    share_st = np.minimum(u, first) + extra * (avail_st - first) / room
    share_ft = extra * avail_ft / room
    return share_st / p_st, np.maximum(share_ft, 0.0) / (1.0 - p_st)


def _stride_perfusion(u, dt, isch0, tau_on, tau_off, u_free, u_occ):
    """Periodic mean perfusion per phase sample over a stride of muscle targets ``u``
    (the ischaemia filter run over the stride until its end value repeats)."""
    isch = isch0
    perf = np.zeros(u.size)
    for _ in range(200):
        start = isch
        for j, uj in enumerate(u):
            isch, mean = ischaemia_step(isch, occlusion(uj, u_free, u_occ), tau_on, tau_off, dt)
            perf[j] = 1.0 - mean
        if abs(isch - start) < 1e-12:
            break
    return perf, isch


def _pool_block(s, pool, tl, perf, f_mult, F, R, r, L, drain, refill, q, prm, dt, x=1.0):
    """Advance pool ``pool`` (0: ST, 1: FT) of state ``s`` in place (stride-averaged rates;
    ``x``: the muscle's work gate)."""
    i_ma, i_mr, i_mf, i_e, i_s, i_z = _POOL_STATE[pool]
    act = _activation(float(np.mean(tl)), q)
    R_eff = R * (1.0 + (r - 1.0) * perf)
    # r = 1 makes step_3ccr recover at R_eff whatever the target
    ma, mr, mf, ma_mean = step_3ccr(s[i_ma], s[i_mr], s[i_mf], act, F * f_mult, R_eff, 1.0, L,
                                    0.0, dt)
    e = energy_step(s[i_e], ma_mean, drain * s[X.strain] ** prm[P.heavy_drain_exponent], refill,
                    dt, prm[P.drain_K])
    z, sd = slow_step(s[i_z], s[i_s], ma_mean, prm[P.slow_rate] * s[X.strain],
                      prm[P.slow_recovery], prm[P.slow_delay], dt, x, prm[P.rest_share],
                      prm[P.rest_delay])
    s[i_ma], s[i_mr], s[i_mf], s[i_e] = ma, mr, mf, e
    s[i_s], s[i_z] = sd, z


def _force_factors(s, prm):
    """Force per active fibre of the ST and FT pools, ``g(E)(1 - S)`` (times D for FT)."""
    K = prm[P.K]
    q_st = energy_factor(s[X.E_st], prm[P.g_min_st], K) * (1.0 - np.clip(s[X.S_st], 0.0, 1.0))
    q_ft = (energy_factor(s[X.E_ft], prm[P.g_min_ft], K) * (1.0 - np.clip(s[X.S_ft], 0.0, 1.0))
            * s[X.reserve])
    return np.array([q_st, q_ft])


def _block_step(state, prm, F0, right_col, F, dtp, dt):
    """Advance every muscle over a block of ``dt`` seconds from one solved stride.

    Parameters
    ----------
    state : ndarray (n_muscle, N_STATE)
        Pool states (:data:`sim.physics.fatigue.pools.STATE`); a new array is returned.
    prm : ndarray (n_muscle, N_PARAMS)
        Pool parameters at the stride's speed.
    F0 : ndarray (n_muscle,)
        Fresh maximum forces [N].
    right_col : ndarray of int (n_muscle,)
        Right (or only) column of each muscle.
    F : ndarray (n_phase, n_col)
        Column forces over the stride [N].
    dtp : float
        Duration of one phase sample [s].
    dt : float
        Block length [s].
    """
    new = state.copy()
    for i, s in enumerate(new):
        p, r, L, thr = prm[i, P.p_st], prm[i, P.r], prm[i, P.gain], prm[i, P.rest_threshold]
        refill, K = prm[i, P.refill], prm[i, P.K]
        q = _force_factors(state[i], prm[i])
        cap = (1.0 - state[i, [X.MF_st, X.MF_ft]]) * q
        u = F[:, right_col[i]] / F0[i]
        tl = _recruit_stride(u, p, cap[0], cap[1], prm[i, P.ft_onset])
        perfused = prm[i, P.tau_isch_on] > 0.0
        if perfused:
            perf_j, s[X.isch] = _stride_perfusion(u, dtp, state[i, X.isch], prm[i, P.tau_isch_on],
                                                  prm[i, P.tau_isch_off], prm[i, P.u_free],
                                                  prm[i, P.u_occ])
        s[X.work], x = work_update(state[i, X.work], float(np.mean(np.clip(u, 0.0, 1.0))),
                                   prm[i, P.work_tau], prm[i, P.work_half], dt)
        for qi in range(1 if p >= 1.0 else 2):
            Fq, Rq, drain = (prm[i, k] for k in _POOL_RATES[qi])
            if perfused:
                h = energy_factor(state[i, (X.E_st, X.E_ft)[qi]], prm[i, P.fat_share], K)
                kappa = prm[i, (P.kappa_st, P.kappa_ft)[qi]]
                rho = prm[i, P.recovery_energy_share]
                perf = float(np.mean(perf_j)) * (1.0 - rho + rho * h)
                mean_tl = float(np.mean(tl[qi]))
                f_mult = (float(np.mean(tl[qi] * (1.0 - kappa * h * perf_j))) / mean_tl
                          if mean_tl > 0 else 1.0)
            else:
                perf = float(np.mean(tl[qi] / q[qi] < thr))
                f_mult = 1.0
            _pool_block(s, qi, tl[qi], perf, f_mult, Fq, Rq, r, L, drain, refill, q[qi], prm[i],
                        dt, x)
    return new


def _rest_step(state, prm, dt):
    """Advance every pool over ``dt`` seconds at rest (zero target, recovery r·R), in steps
    of at most ``work_tau`` while the recent work W still matters (as
    :func:`sim.core.engine_blocks._rest_fatigue`)."""
    new = state.copy()
    for i, s in enumerate(new):
        t_left = dt
        while t_left > 0.0:
            h = t_left
            if prm[i, P.work_tau] > 0.0 and s[X.work] > 0.01 * prm[i, P.work_half]:
                h = min(t_left, prm[i, P.work_tau])
            _rest_muscle(s, prm[i], h)
            t_left -= h
    return new


def _rest_muscle(s, prm, dt):
    """Advance one muscle's state ``s`` in place over ``dt`` seconds at rest."""
    r, L, refill = prm[P.r], prm[P.gain], prm[P.refill]
    tau_off = prm[P.tau_isch_off]
    s[X.isch] = s[X.isch] * math.exp(-dt / tau_off) if tau_off > 0 else 0.0
    q = _force_factors(s, prm)
    s[X.work], x = work_update(s[X.work], 0.0, prm[P.work_tau], prm[P.work_half], dt)
    for qi in range(2):
        Fq, Rq, drain = (prm[k] for k in _POOL_RATES[qi])
        _pool_block(s, qi, np.zeros(1), 1.0, 1.0, Fq, Rq, r, L, drain, refill, q[qi], prm, dt, x)


def _capacities(state, prm):
    """Pool capacities (n_muscle, 2) and muscle capacities (n_muscle,) [1]."""
    p = prm[:, P.p_st]
    q = np.array([_force_factors(state[i], prm[i]) for i in range(state.shape[0])])
    pcap = (1.0 - state[:, [X.MF_st, X.MF_ft]]) * q
    cap = np.where(p < 1.0, p * pcap[:, 0] + (1.0 - p) * pcap[:, 1], p * pcap[:, 0])
    return pcap, cap


def _reserve_step(d, speed, cs, d_prime, dt, floor):
    """Reserve force factor D after ``dt`` at ``speed`` (as
    :func:`sim.physics.fatigue.pools.reserve_step`)."""
    if not d_prime > 0 or not dt > 0:
        return d
    if speed > cs:
        return max(d - (1.0 - floor) * (speed - cs) * dt / d_prime, floor)
    return 1.0 - (1.0 - d) * math.exp(-(cs - speed) * dt / d_prime)


def _reserve_spent_at(d_start, speed, cs, d_prime, floor, t, t_next):
    """When within ``[t, t_next]`` a run above critical speed spent its reserve, from the
    step's start value (as :func:`sim.physics.fatigue.pools.reserve_spent_at`; NaN at or
    below critical speed)."""
    if not d_prime > 0 or not speed > cs:
        return math.nan
    rate = (1.0 - floor) * (speed - cs) / d_prime
    return min(max(t + (d_start - floor) / rate, t), t_next)


def _cs_now(state, prm, p):
    """Critical speed now [m/s]: the fresh runner's times
    :func:`sim.physics.fatigue.pools.critical_speed_factor`, written out."""
    share = p["cs_glycogen_share"]
    if not share > 0:
        return p["critical_speed_mps"]
    w, pst = prm[:, P.wall_weight], prm[:, P.p_st]
    e = float(np.clip(np.sum(w * (pst * state[:, X.E_st] + (1 - pst) * state[:, X.E_ft])), 0, 1))
    K = prm[0, P.K]
    return p["critical_speed_mps"] * (1.0 - share * (1.0 - (1.0 + K) * e / (K + e)))


def _heavy_strain(speed, p):
    """Heavy-domain strain H (as :func:`sim.physics.fatigue.pools.heavy_strain`)."""
    onset, cs, gain = p["heavy_onset_mps"], p["critical_speed_mps"], p["heavy_gain"]
    if not (gain > 0 and cs > onset and speed > onset):
        return 1.0
    return 1.0 + gain * ((speed - onset) / (cs - onset)) ** p["heavy_power"]
