"""Plain NumPy/SciPy version of the fatigue equations, written for clarity.

Tests use it to check the numba kernels of :mod:`sim.physics.fatigue.threecc` and
:mod:`sim.physics.fatigue.pools`. It solves the same piecewise-linear equations exactly, but
independently: each regime's affine system is solved with the matrix exponential of
the augmented matrix (:func:`scipy.linalg.expm`), and a regime switch within a step is
located with :func:`scipy.optimize.brentq`.

Equations (one pool, state x = (MA, MF), MR = 1 - MA - MF)::

    regime A (capacity 1 - MF above TL): dMA/dt = L*(TL - MA) - F*MA
    regime B (capacity at or below TL):  dMA/dt = L*(1 - MF - MA) - F*MA
    both:                                dMF/dt = F*·MA - R*·MF
    perfusion (muscle model):            R* = R (1 + (r - 1) P (1 - rho + rho h(E))),
                                         F* = F (1 - kappa h(E) P),
                                         h(E) = f + (1 - f)(1 + K) E / (K + E)
                                         P = 1 - mean ischaemia over the step
    energy:                              dE/dt  = -drain h_d(E) <MA> + refill*(1 - E)
    slow depression:                     dZ/dt = k <MA> - r_S Z, dS/dt = (Z - S)/tau_S

Examples
--------
>>> ma, mr, mf, a = step_3ccr(0.0, 1.0, 0.0, 0.3, 0.0097, 0.00091, 15.0, 10.0, 0.01, 1.0)
>>> round(float(ma), 4)
0.2997
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import expm
from scipy.optimize import brentq

__all__ = ["regime_solution", "step_3ccr", "energy_factor", "energy_step", "slow_step",
           "work_step", "work_gate", "work_update",
           "ischaemia_step", "occlusion", "recruit", "simulate_muscle_states"]


def regime_solution(regime_a: bool, ma, mf, target, F, Rs, L, t):
    """(MA, MF, integral of MA) after ``t`` seconds in one regime, via ``expm``.

    Examples
    --------
    >>> [round(float(v), 6) for v in regime_solution(True, 0.0, 0.0, 0.5, 0.01, 0.001, 10.0, 1.0)]
    [0.499478, 0.004494, 0.449603]
    """
    # augmented state z = (MA, MF, integral of MA, 1): z' = A z
    A = np.zeros((4, 4))
    A[0, 0] = -(L + F)
    if regime_a:
        A[0, 3] = L * target
    else:
        A[0, 1] = -L
        A[0, 3] = L
    A[1, 0] = F
    A[1, 1] = -Rs
    A[2, 0] = 1.0
    z = expm(A * t) @ np.array([ma, mf, 0.0, 1.0])
    return z[0], z[1], z[2]


def _regime_a(ma, mf, target, F, Rs):
    gap = (1.0 - mf) - target
    if abs(gap) > 1e-14:
        return gap > 0.0
    return Rs * mf - F * ma > 0.0


def step_3ccr(ma, mr, mf, target, F, R, r, L, rest_threshold, dt):
    """One 3CC-r step; same contract as :func:`sim.physics.fatigue.threecc.step`.

    Examples
    --------
    >>> s = step_3ccr(0.0, 1.0, 0.0, 1.0, 0.01, 0.001, 15.0, 10.0, 0.01, 100.0)
    >>> round(float(sum(s[:3])), 12)
    1.0
    """
    target = 0.0 if not target > 0.0 else min(target, 1.0)
    Rs = r * R if not target >= rest_threshold else R
    if not dt > 0.0:
        return ma, mr, mf, ma
    t_left, int_ma = dt, 0.0
    for seg in range(6):
        reg = _regime_a(ma, mf, target, F, Rs)
        ma1, mf1, ia = regime_solution(reg, ma, mf, target, F, Rs, L, t_left)
        gap_end = (1.0 - mf1) - target
        crossed = gap_end < -1e-14 if reg else gap_end > 1e-14
        if not crossed or seg == 5:
            ma, mf, int_ma = ma1, mf1, int_ma + ia
            break

        def inside(t):    # >= 0 while the regime still holds (same band as the kernel)
            g = (1.0 - regime_solution(reg, ma, mf, target, F, Rs, L, t)[1]) - target
            return g + 1e-14 if reg else 1e-14 - g

        tau = brentq(inside, 0.0, t_left, xtol=1e-15 * max(t_left, 1.0), rtol=1e-15)
        ma, mf, ia = regime_solution(reg, ma, mf, target, F, Rs, L, tau)
        ma = min(max(ma, 0.0), 1.0)
        mf = min(max(mf, 0.0), 1.0 - ma)
        int_ma += ia
        t_left -= tau
        if t_left <= 0.0:
            break
    ma = min(max(ma, 0.0), 1.0)
    mf = min(max(mf, 0.0), 1.0 - ma)
    return ma, max(1.0 - ma - mf, 0.0), mf, min(max(int_ma / dt, 0.0), 1.0)


def energy_factor(e, g_min, K):
    """Capacity factor ``g(E) = g_min + (1 - g_min)(1 + K) E/(K + E)``.

    Examples
    --------
    >>> float(energy_factor(1.0, 0.5, 0.1))
    1.0
    """
    e = np.clip(e, 0.0, 1.0)
    return g_min + (1.0 - g_min) * (1.0 + K) * e / (K + e)


def energy_step(e, ma_mean, drain, refill, dt, drain_K=0.0):
    """Energy step: ``E(t) = E_inf + (E0 - E_inf) exp(-refill t)``, clipped at 0; the drain
    is scaled by ``h_d(E0) = (1 + Kd) E0 / (Kd + E0)`` at the start of the step.

    Examples
    --------
    >>> round(energy_step(1.0, 0.5, 1e-3, 0.0, 100.0), 12)
    0.95
    """
    if drain_K > 0.0:
        e0 = min(max(e, 0.0), 1.0)
        drain = drain * (1.0 + drain_K) * e0 / (drain_K + e0)
    if refill > 0.0:
        e_inf = 1.0 - drain * ma_mean / refill
        e_new = e_inf + (e - e_inf) * np.exp(-refill * dt)
    else:
        e_new = e - drain * ma_mean * dt
    return float(min(max(e_new, 0.0), 1.0))


def slow_step(z, s, ma_mean, rate, recovery, delay, dt, work=1.0, rest_share=1.0,
              rest_delay=0.0):
    """Slow load Z and depression S after ``dt``, via the matrix exponential.

    Examples
    --------
    >>> [round(v, 6) for v in slow_step(0.0, 0.0, 0.5, 1e-4, 0.0, 0.0, 1000.0)]
    [0.05, 0.05]
    """
    a = rate * ma_mean
    r = max(recovery, 1e-9)
    g = min(max(work, 0.0), 1.0)
    x = rest_share + (1.0 - rest_share) * g
    if x * z >= s:
        k = g / delay if delay > 0.0 else None
    else:
        tau = rest_delay if rest_delay > 0.0 else delay
        k = 1.0 / tau if tau > 0.0 else None
    z_free = a / r + (z - a / r) * np.exp(-r * dt)
    if k is None:
        return float(z_free), float(x * z_free)
    if k < 1e-12:
        return float(z_free), float(s)
    A = np.zeros((3, 3))          # augmented: (Z, S, 1)
    A[0, 0], A[0, 2] = -r, a
    A[1, 0], A[1, 1] = k * x, -k
    out = expm(A * dt) @ np.array([z, s, 1.0])
    return float(max(out[0], 0.0)), float(max(out[1], 0.0))


def work_step(w, u_mean, tau, dt):
    """Recent work W after ``dt`` and its mean over the step (closed form).

    Examples
    --------
    >>> [round(v, 6) for v in work_step(0.0, 0.1, 60.0, 60.0)]
    [0.063212, 0.036788]
    """
    if not tau > 0.0:
        return u_mean, u_mean
    if not dt > 0.0:
        return w, w
    x = dt / tau
    return (float(u_mean + (w - u_mean) * np.exp(-x)),
            float(u_mean + (w - u_mean) * (-np.expm1(-x)) / x))


def work_gate(w, w_half):
    """Work gate ``W^2 / (W^2 + w_half^2)`` (1 if ``w_half <= 0``).

    Examples
    --------
    >>> work_gate(0.002, 0.002)
    0.5
    """
    if not w_half > 0.0:
        return 1.0
    w2 = max(w, 0.0) ** 2
    return w2 / (w2 + w_half ** 2)


def work_update(w, u_mean, tau, w_half, dt):
    """Recent work after ``dt`` and the work gate of its mean over the step.

    Examples
    --------
    >>> [round(v, 4) for v in work_update(0.0, 0.1, 5.0, 0.0, 60.0)]
    [0.1, 1.0]
    """
    w_new, w_mean = work_step(w, u_mean, tau, dt)
    return w_new, work_gate(w_mean, w_half)


def occlusion(u, u_free, u_occ):
    """Occlusion by a muscle force ``u``: 0 below ``u_free``, 1 above ``u_occ``, linear.

    Examples
    --------
    >>> round(occlusion(0.15, 0.1, 0.2), 12)
    0.5
    """
    return float(np.clip((u - u_free) / (u_occ - u_free), 0.0, 1.0))


def ischaemia_step(isch, occ, tau_on, tau_off, dt):
    """Ischaemia after ``dt`` and its mean over the step (relaxation toward ``occ``).

    Examples
    --------
    >>> [round(v, 4) for v in ischaemia_step(0.0, 1.0, 5.0, 1.0, 5.0)]
    [0.6321, 0.3679]
    """
    tau = tau_on if occ > isch else tau_off
    x = dt / tau
    d = isch - occ
    return float(occ + d * np.exp(-x)), float(occ + d * (-np.expm1(-x) / x))


def recruit(u, p_st, cap_st, cap_ft, onset):
    """Size principle: ST alone up to ``onset*p_st*cap_st``, then both pools in
    proportion to their remaining available force (as :func:`sim.physics.fatigue.pools.recruit`).

    Examples
    --------
    >>> recruit(0.3, 0.5, 1.0, 1.0, 1.0)
    (0.6, 0.0)
    """
    u = 0.0 if not u > 0.0 else min(u, 1.0)
    avail_st = p_st * cap_st
    if p_st >= 1.0:
        return min(u, avail_st) / p_st, 0.0
    avail_ft = (1.0 - p_st) * cap_ft
    first = min(max(onset, 0.0), 1.0) * avail_st
    if u <= first:
        return u / p_st, 0.0
    room = avail_st - first + avail_ft
    if not room > 0.0:
        return first / p_st, 0.0
    extra = min(u, avail_st + avail_ft) - first
    return ((first + extra * (avail_st - first) / room) / p_st,
            max(extra * avail_ft / room, 0.0) / (1.0 - p_st))


def simulate_muscle_states(targets, dt, prm, state0):
    """Same contract as :func:`sim.physics.fatigue.pools.simulate_states`.

    Examples
    --------
    >>> from sim.fatigue import muscle_parameters
    >>> from sim.fatigue.pools import fresh_state
    >>> simulate_muscle_states([0.3, 0.3], 0.1, muscle_parameters(), fresh_state()).shape
    (3, 16)
    """
    (p, F_st, R_st, F_ft, R_ft, r, L, thr, d_st, d_ft, refill, gmin_st, K, kap_st, kap_ft,
     tau_on, tau_off, u_free, u_occ, drain_K, k_s, r_s, tau_s, gmin_ft, fat, onset,
     tau_w, w_half, gamma, tau_rest, drain_exp, rho, _wall_weight) = prm
    s = np.array(state0, dtype=float)
    out = [s.copy()]
    # pool: (offset of MA..E, F, R, drain, kappa, S slot, Z slot, g_min)
    pools = [(0, F_st, R_st, d_st, kap_st, 9, 12, gmin_st),
             (4, F_ft, R_ft, d_ft, kap_ft, 10, 13, gmin_ft)]
    for u in targets:
        u = 0.0 if not u > 0.0 else min(u, 1.0)
        perf = None
        if tau_on > 0.0:
            s[8], mean = ischaemia_step(s[8], occlusion(u, u_free, u_occ), tau_on, tau_off, dt)
            perf = 1.0 - mean

        def q(pool):
            o, _, _, _, _, si, _, gm = pool
            res = s[11] if o == 4 else 1.0
            return energy_factor(s[o + 3], gm, K) * (1.0 - min(max(s[si], 0.0), 1.0)) * res

        caps = [(1.0 - s[pl[0] + 2]) * q(pl) for pl in pools]
        s[15], x = work_update(s[15], u, tau_w, w_half, dt)
        tls = recruit(u, p, caps[0], caps[1], onset)
        for pool, tl in zip(pools if p < 1.0 else pools[:1], tls):
            o, F, R, drain, kap, si, zi, gm = pool
            qq = q(pool)
            act = (1.0 if tl >= qq else tl / qq) if tl > 0.0 else 0.0
            if perf is None:
                Fs, Rs, rr, th = F, R, r, thr
            else:
                h = energy_factor(s[o + 3], fat, K)
                Fs, Rs, rr, th = (F * (1.0 - kap * h * perf),
                                  R * (1.0 + (r - 1.0) * perf * (1.0 - rho + rho * h)), 1.0, 0.0)
            ma, mr, mf, ma_mean = step_3ccr(s[o], s[o + 1], s[o + 2], act, Fs, Rs, rr, L, th, dt)
            e = energy_step(s[o + 3], ma_mean, drain * s[14] ** drain_exp, refill, dt, drain_K)
            z, sd = slow_step(s[zi], s[si], ma_mean, k_s * s[14], r_s, tau_s, dt, x, gamma,
                                tau_rest)
            s[o:o + 4] = ma, mr, mf, e
            s[si], s[zi] = sd, z
        out.append(s.copy())
    return np.array(out)
