"""Kernels of the fatigue time scale: capacities, pool steps over a block, block ends.

Called by :func:`sim.core.engine.run_kernel` at every checkpoint (in resolved mode also at
every phase sample):

* :func:`_capacities`: each muscle's capacity (fraction of fresh) from its two fibre
  pools, and the load-sharing columns' capacity forces and effort weights;
* :func:`_block_fatigue`: block mode, every pool advanced over the whole block with the
  stride statistics of the one solved stride (:func:`sim.physics.fatigue.pools.pool_block_step`);
* :func:`_rest_fatigue`: a rest interval (zero target, full perfusion);
* :func:`_step_muscles`: resolved mode, every muscle stepped by one phase sample
  (:func:`sim.physics.fatigue.pools.muscle_step`);
* :func:`_next_event` and :func:`_may_cross`: where a block must end (a pace segment or
  rest-break edge) and whether it must be short (an index may cross its threshold);
* :func:`_block_means`: block mode, after the run, each block's stride values made the
  block's mean (the trapezoid of its stride and the next block's).
"""
from __future__ import annotations

import math

import numpy as np

from ..jit import kernel
from ..physics.fatigue.pools import (N_STATE, P, X, energy_factor, force_factor, muscle_step,
                                     pool_block_step, pool_capacity, recovery_gate,
                                     stride_perfusion_muscles, work_update)
from ..physics.fatigue.recruitment import recruit_constants, recruit_with


@kernel
def _capacities(state, prm, F0, col_muscle, col_rho, cap, C, W, IW):
    """Muscle capacities (fraction of fresh), column capacity forces and effort weights [N].

    ``IW`` receives ``1 / W`` [1/N] (0 where ``W`` is 0): a phase's effort
    ``sum (F / W)^2`` is summed as ``sum (F IW)^2``, one division a column and block
    instead of one a column and phase sample."""
    for i in range(state.shape[0]):
        p = prm[i, P.p_st]
        c = p * pool_capacity(state[i, X.MF_st], state[i, X.E_st], state[i, X.S_st],
                              prm[i, P.g_min_st], prm[i, P.K])
        if p < 1.0:
            c += (1.0 - p) * pool_capacity(state[i, X.MF_ft], state[i, X.E_ft], state[i, X.S_ft],
                  prm[i, P.g_min_ft], prm[i, P.K], state[i, X.reserve])
        cap[i] = c
    for k in range(col_muscle.shape[0]):
        C[k] = F0[col_muscle[k]] * cap[col_muscle[k]]
        W[k] = col_rho[k] * C[k]
        IW[k] = 1.0 / W[k] if W[k] > 0.0 else 0.0


@kernel
def _block_fatigue(state, prm, F0, col_muscle, col_side, Fs, dtp, dt, U, Pw, pwork, Occ):
    """Advance every pool over ``dt`` with the stride statistics of the solved stride ``Fs``.

    Per muscle: the stride's targets (column of ``U``, n_ph x n_m) and the periodic
    perfusion of its ischaemia (column of ``Pw``; every muscle's at once,
    :func:`sim.physics.fatigue.pools.stride_perfusion_muscles`, phase samples ``dtp`` s long,
    workspaces ``pwork`` and ``Occ``); per pool: the stride-mean force target, the
    stride-mean perfusion and the activity-weighted fatigue multiplier
    ``<TL (1 - kappa h(E) P)> / <TL>``."""
    n_ph = Fs.shape[0]
    for i in range(state.shape[0]):
        col = -1
        for c in range(col_muscle.shape[0]):
            if col_muscle[c] == i and col_side[c] == 0:
                col = c
        for j in range(n_ph):
            U[j, i] = Fs[j, col] / F0[i] if col >= 0 else 0.0
    stride_perfusion_muscles(U, dtp, state[:, X.isch], prm[:, P.tau_isch_on],
                             prm[:, P.tau_isch_off], prm[:, P.u_free], prm[:, P.u_occ], Pw,
                             state[:, X.isch], pwork, Occ)
    for i in range(state.shape[0]):
        uw = U[:, i]
        pw = Pw[:, i]
        p = prm[i, P.p_st]
        g_min, K, thr = prm[i, P.g_min_st], prm[i, P.K], prm[i, P.rest_threshold]
        cap_st = pool_capacity(state[i, X.MF_st], state[i, X.E_st], state[i, X.S_st], g_min, K)
        cap_ft = pool_capacity(state[i, X.MF_ft], state[i, X.E_ft], state[i, X.S_ft],
                               prm[i, P.g_min_ft], K, state[i, X.reserve])
        h_st = energy_factor(state[i, X.E_st], prm[i, P.fat_share], K)
        h_ft = energy_factor(state[i, X.E_ft], prm[i, P.fat_share], K)
        q_st = force_factor(state[i, X.E_st], state[i, X.S_st], g_min, K)
        q_ft = force_factor(state[i, X.E_ft], state[i, X.S_ft], prm[i, P.g_min_ft], K,
                            state[i, X.reserve])
        perfused = prm[i, P.tau_isch_on] > 0.0
        mean_st = 0.0
        mean_ft = 0.0
        perf_st = 0.0
        perf_ft = 0.0
        fw_st = 0.0
        fw_ft = 0.0
        u_mean = 0.0
        wgt = 1.0 / n_ph
        k1, k2, k3, k4, k5, k6, k7 = recruit_constants(p, cap_st, cap_ft, prm[i, P.ft_onset])
        for j in range(n_ph):
            if perfused and uw[j] <= 0.0:
                # an idle phase adds only its perfusion (the other sums would add zeros)
                perf_st += pw[j] * wgt
                perf_ft += pw[j] * wgt
                continue
            u_mean += min(max(uw[j], 0.0), 1.0) * wgt
            tl_st, tl_ft = recruit_with(uw[j], k1, k2, k3, k4, k5, k6, k7)
            mean_st += tl_st * wgt
            mean_ft += tl_ft * wgt
            if perfused:
                perf_st += pw[j] * wgt
                perf_ft += pw[j] * wgt
                fw_st += tl_st * (1.0 - prm[i, P.kappa_st] * h_st * pw[j]) * wgt
                fw_ft += tl_ft * (1.0 - prm[i, P.kappa_ft] * h_ft * pw[j]) * wgt
            else:       # published 3CC-r: rest while the activation is below the threshold
                if tl_st / q_st < thr:
                    perf_st += wgt
                if tl_ft / q_ft < thr:
                    perf_ft += wgt
        fm_st = fw_st / mean_st if perfused and mean_st > 0.0 else 1.0
        fm_ft = fw_ft / mean_ft if perfused and mean_ft > 0.0 else 1.0
        if perfused:        # the recovery boost's share that needs the aerobic supply
            perf_st *= recovery_gate(h_st, prm[i, P.recovery_energy_share])
            perf_ft *= recovery_gate(h_ft, prm[i, P.recovery_energy_share])
        state[i, X.work], x = work_update(state[i, X.work], u_mean, prm[i, P.work_tau],
                                          prm[i, P.work_half], dt)
        for q in range(2 if p < 1.0 else 1):
            o = X.MA_st + 4 * q          # MA, MR, MF, E of pool q
            a, b, c_, d, e, z = pool_block_step(
                state[i, o], state[i, o + 1], state[i, o + 2], state[i, o + 3],
                state[i, X.S_st + q], state[i, X.Z_st + q], mean_ft if q else mean_st,
                perf_ft if q else perf_st, fm_ft if q else fm_st, prm[i, P.F_st + 2 * q],
                prm[i, P.R_st + 2 * q], prm[i, P.r], prm[i, P.gain], prm[i, P.drain_st + q],
                prm[i, P.refill], prm[i, P.g_min_ft] if q else g_min, K,
                prm[i, P.drain_K], prm[i, P.slow_rate], prm[i, P.slow_recovery],
                prm[i, P.slow_delay], dt, state[i, X.reserve] if q else 1.0, state[i, X.strain],
                x, prm[i, P.rest_share], prm[i, P.rest_delay], prm[i, P.heavy_drain_exponent])
            state[i, o], state[i, o + 1], state[i, o + 2], state[i, o + 3] = a, b, c_, d
            state[i, X.S_st + q] = e
            state[i, X.Z_st + q] = z


@kernel
def _rest_fatigue(state, prm, dt):
    """Advance every pool over ``dt`` at rest (zero target, full perfusion: recovery r·R).

    While a muscle's recent work W still matters (above a hundredth of ``work_half``) the
    rest is taken in steps of at most ``work_tau``, so that the work gate of the slow force
    depression falls with W instead of being averaged over the whole rest."""
    for i in range(state.shape[0]):
        t_left = dt
        while t_left > 0.0:
            h = t_left
            if (prm[i, P.work_tau] > 0.0
                    and state[i, X.work] > 0.01 * prm[i, P.work_half]):
                h = min(t_left, prm[i, P.work_tau])
            _rest_muscle(state, prm, i, h)
            t_left -= h


@kernel
def _rest_muscle(state, prm, i, dt):
    """Advance muscle ``i``'s pools over ``dt`` at rest."""
    if prm[i, P.tau_isch_off] > 0.0:
        state[i, X.isch] *= math.exp(-dt / prm[i, P.tau_isch_off])
    else:
        state[i, X.isch] = 0.0
    state[i, X.work], x = work_update(state[i, X.work], 0.0, prm[i, P.work_tau],
                                      prm[i, P.work_half], dt)
    for q in range(2):
        o = X.MA_st + 4 * q          # MA, MR, MF, E of pool q
        F = prm[i, P.F_st + 2 * q]
        R = prm[i, P.R_st + 2 * q]
        a, b, c, d, e, z = pool_block_step(
            state[i, o], state[i, o + 1], state[i, o + 2], state[i, o + 3],
            state[i, X.S_st + q], state[i, X.Z_st + q], 0.0, 1.0, 1.0, F, R, prm[i, P.r],
            prm[i, P.gain], prm[i, P.drain_st + q], prm[i, P.refill],
            prm[i, P.g_min_ft] if q else prm[i, P.g_min_st], prm[i, P.K],
            prm[i, P.drain_K], prm[i, P.slow_rate], prm[i, P.slow_recovery],
            prm[i, P.slow_delay], dt, state[i, X.reserve] if q == 1 else 1.0,
            state[i, X.strain], x, prm[i, P.rest_share], prm[i, P.rest_delay],
            prm[i, P.heavy_drain_exponent])
        state[i, o], state[i, o + 1], state[i, o + 2], state[i, o + 3] = a, b, c, d
        state[i, X.S_st + q] = e
        state[i, X.Z_st + q] = z


@kernel
def _step_muscles(state, prm, F0, col_muscle, col_side, f, dt, ustate):
    """Resolved mode: step every muscle by ``dt`` with its right (or only) column's target."""
    for c in range(col_muscle.shape[0]):
        if col_side[c] != 0:
            continue
        i = col_muscle[c]
        for q in range(N_STATE):
            ustate[q] = state[i, q]
        muscle_step(ustate, f[c] / F0[i], prm[i], dt)
        for q in range(N_STATE):
            state[i, q] = ustate[q]



@kernel
def _may_cross(value, previous, threshold, dt_prev, dt_next):
    """Could an index cross its threshold within the next block (linear extrapolation)?"""
    if not (np.isfinite(value) and np.isfinite(previous)):
        return True
    rate = abs(value - previous) / dt_prev
    return abs(value - threshold) <= 2.0 * rate * dt_next + 1e-3 * threshold


@kernel
def _next_event(t, t_end, arr):
    """Smallest ``arr[i] > t`` (with a small margin), else ``t_end``."""
    out = t_end
    for i in range(arr.shape[0]):
        if arr[i] > t + 1e-9 and arr[i] < out:
            out = arr[i]
    return out


@kernel
def _block_means(n, o_time, o_dt, o_speed, o_fpeak, o_fmean, o_comp, o_shear, o_sup, o_lean,
                 o_flex, o_tilt):
    """Block mode: each block's stride values made the block's mean, in place.

    A block solves its first stride only; the resolved stepping reports a window's mean
    over all its strides (its peak force per muscle: the largest). Where the next
    checkpoint is a block run at the same speed, the stride that ends a block is the next
    block's first one, so a block's mean is taken as the trapezoid of the two (the first
    ``n - 1`` checkpoints, in order, each from the next one's stride values): peak
    compression, peak shear, superficial load, lateral and forward lean, pelvic tilt and
    mean force per muscle; the peak force per muscle is the larger of the two. A block
    before a rest, a speed change or the run's end keeps its first stride's values. Held
    values trail a curve that moves by half a block (the superficial load near exhaustion
    by up to 0.04 of capacity in 30-s blocks, ``experiments/block_means.py``); the
    trapezoid's error is second order in the block length.

    Examples
    --------
    >>> t, dt, v = np.array([0.0, 30.0, 60.0]), np.full(3, 30.0), np.full(3, 3.0)
    >>> x = np.array([0.1, 0.3, 0.5]); z = np.zeros((3, 1))
    >>> _block_means(3, t, dt, v, z, z.copy(), x, *[x.copy() for _ in range(5)])
    >>> x.round(6)
    array([0.2, 0.4, 0.5])
    """
    for k in range(n - 1):
        if not (o_speed[k] > 0.0 and o_speed[k + 1] == o_speed[k]
                and abs(o_time[k] + o_dt[k] - o_time[k + 1]) < 1e-6):
            continue
        for x in (o_comp, o_shear, o_sup, o_lean, o_flex, o_tilt):
            if np.isfinite(x[k]) and np.isfinite(x[k + 1]):
                x[k] = 0.5 * (x[k] + x[k + 1])
        for i in range(o_fmean.shape[1]):
            o_fmean[k, i] = 0.5 * (o_fmean[k, i] + o_fmean[k + 1, i])
            o_fpeak[k, i] = max(o_fpeak[k, i], o_fpeak[k + 1, i])
