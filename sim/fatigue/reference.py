"""Plain NumPy/SciPy version of the fatigue equations, written for clarity.

Tests use it to check the numba kernels of :mod:`sim.fatigue.threecc` and
:mod:`sim.fatigue.pools`. It solves the same piecewise-linear equations exactly, but
independently: each regime's affine system is solved with the matrix exponential of
the augmented matrix (:func:`scipy.linalg.expm`), and a regime switch within a step is
located with :func:`scipy.optimize.brentq`.

Equations (one pool, state x = (MA, MF), MR = 1 - MA - MF)::

    regime A (capacity 1 - MF above TL): dMA/dt = L*(TL - MA) - F*MA
    regime B (capacity at or below TL):  dMA/dt = L*(1 - MF - MA) - F*MA
    both:                                dMF/dt = F*MA - R*·MF
    energy:                              dE/dt  = -drain*<MA> + refill*(1 - E)

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

__all__ = ["regime_solution", "step_3ccr", "energy_factor", "energy_step", "recruit",
           "simulate_muscle_states"]


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
    """One 3CC-r step; same contract as :func:`sim.fatigue.threecc.step`.

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


def energy_step(e, ma_mean, drain, refill, dt):
    """Exact energy step: ``E(t) = E_inf + (E0 - E_inf) exp(-refill t)``, clipped at 0.

    Examples
    --------
    >>> round(energy_step(1.0, 0.5, 1e-3, 0.0, 100.0), 12)
    0.95
    """
    if refill > 0.0:
        e_inf = 1.0 - drain * ma_mean / refill
        e_new = e_inf + (e - e_inf) * np.exp(-refill * dt)
    else:
        e_new = e - drain * ma_mean * dt
    return float(min(max(e_new, 0.0), 1.0))


def recruit(u, p_st, cap_st, cap_ft):
    """Size principle: ST first up to ``p_st*cap_st``, the rest from FT.

    Examples
    --------
    >>> recruit(0.3, 0.5, 1.0, 1.0)
    (0.6, 0.0)
    """
    u = 0.0 if not u > 0.0 else min(u, 1.0)
    share_st = min(u, p_st * cap_st)
    if p_st >= 1.0:
        return share_st / p_st, 0.0
    share_ft = max(min(u - share_st, (1.0 - p_st) * cap_ft), 0.0)
    return share_st / p_st, share_ft / (1.0 - p_st)


def simulate_muscle_states(targets, dt, prm, state0):
    """Same contract as :func:`sim.fatigue.pools.simulate_states`.

    Examples
    --------
    >>> prm = np.array([0.5, 0.01, 0.0015, 0.03, 0.001, 15, 10, 0.01, 0, 0, 0, 0.5, 0.1])
    >>> simulate_muscle_states([0.3, 0.3], 0.1, prm, [0, 1, 0, 1, 0, 1, 0, 1]).shape
    (3, 8)
    """
    (p, F_st, R_st, F_ft, R_ft, r, L, thr, d_st, d_ft, refill, g_min, K) = prm
    s = np.array(state0, dtype=float)
    out = [s.copy()]
    pools = [(0, F_st, R_st, d_st), (4, F_ft, R_ft, d_ft)]
    for u in targets:
        caps = [(1.0 - s[i + 2]) * energy_factor(s[i + 3], g_min, K) for i in (0, 4)]
        tls = recruit(u, p, caps[0], caps[1])
        for (i, F, R, drain), tl in zip(pools if p < 1.0 else pools[:1], tls):
            g = energy_factor(s[i + 3], g_min, K)
            act = (1.0 if tl >= g else tl / g) if tl > 0.0 else 0.0
            ma, mr, mf, ma_mean = step_3ccr(s[i], s[i + 1], s[i + 2], act, F, R, r, L,
                                            thr, dt)
            s[i:i + 4] = ma, mr, mf, energy_step(s[i + 3], ma_mean, drain, refill, dt)
        out.append(s.copy())
    return np.array(out)
