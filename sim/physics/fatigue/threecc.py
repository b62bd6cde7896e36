"""Three-compartment controller model with rest recovery (3CC-r) for one fibre pool.

A pool of motor units is split into active (MA), resting (MR) and fatigued (MF)
fractions, MA + MR + MF = 1 [1, 2]::

    dMA/dt =  C - F*MA
    dMR/dt = -C + R*·MF
    dMF/dt =  F*MA - R*·MF

The Xia & Frey-Law controller C drives MA toward the target TL with gain L [1]. Its
three cases collapse into one expression, because MA + MR = 1 - MF is the pool's
capacity::

    C = L * (min(TL, 1 - MF) - MA)

While the capacity exceeds the target ("regime A") C = L*(TL - MA); once the capacity is
at or below the target ("regime B", the pool gives all it has) C = L*MR. The rest
multiplier of Looft et al. [3] makes recovery faster while the pool is at rest:
R* = r*R when TL is below a rest threshold (0.01), R* = R otherwise. r multiplies the
R*MF term of both the MR and the MF equation, so the sum stays 1.

Integration
-----------
In either regime the state (MA, MF) obeys a linear ODE with constant coefficients,
``x' = M x + b``, which :func:`advance` solves exactly with a 2 x 2 matrix exponential
(written with ``expm1`` so that fast gains, L*dt >> 1, neither overflow nor lose
digits). If the capacity crosses the target during a step, the crossing time is found by
bisection and the rest of the step continues in the other regime. MR is recomputed as
1 - MA - MF at the end, so the sum is 1 to rounding for any step size, and every
compartment is clipped into [0, 1] (the clip only removes rounding). MA never
overshoots the target: in regime A it relaxes toward L*TL/(L+F) <= TL.

All kernels are compiled numba functions (:func:`sim.jit.kernel`) of float64 scalars; every
parameter is passed explicitly.

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

Examples
--------
>>> ma, mr, mf, ma_mean = step(0.0, 1.0, 0.0, 0.3, 0.0097, 0.00091, 15.0, 10.0, 0.01, 1.0)
>>> round(ma, 4), round(ma + mr + mf, 12)
(0.2997, 1.0)
"""
from __future__ import annotations

import math

from ...jit import kernel

__all__ = ["phi1", "solve_affine2", "advance", "step", "recovery_rate"]


@kernel
def phi1(x):
    """``(1 - exp(-x)) / x`` for x >= 0, equal to 1 at x = 0 (no cancellation).

    Examples
    --------
    >>> phi1(0.0), round(phi1(1e-12), 10), round(phi1(2.0), 6)
    (1.0, 1.0, 0.432332)
    """
    if x < 1e-8:
        return 1.0 - 0.5 * x
    return -math.expm1(-x) / x


@kernel
def solve_affine2(m00, m01, m10, m11, b0, b1, x0, x1, t):
    """Exact solution of ``x' = M x + b`` (2 x 2, both eigenvalues with negative real part).

    Parameters
    ----------
    m00, m01, m10, m11 : float
        Matrix M [1/s], row by row; det M > 0 and trace M < 0.
    b0, b1 : float
        Constant forcing [1/s].
    x0, x1 : float
        State at time 0.
    t : float
        Duration [s], >= 0.

    Returns
    -------
    y0, y1 : float
        State at time t.
    i0, i1 : float
        Integral of the state over [0, t] [s].

    Notes
    -----
    With eigenvalues mu +- delta, ``exp(Mt) = c0*I + c1*(M - mu*I)`` where
    ``c0 = exp(mu t) cosh(delta t)`` and ``c1 = exp(mu t) sinh(delta t)/delta``; both
    are evaluated through the larger eigenvalue and :func:`phi1`, so stiff matrices do
    not overflow. The integral uses ``int x = x_inf*t + M^-1 (x(t) - x(0))``.

    Examples
    --------
    >>> y0, y1, i0, i1 = solve_affine2(-1.0, 0.0, 0.0, -2.0, 1.0, 0.0, 0.0, 1.0, 1.0)
    >>> round(y0, 6), round(y1, 6)     # 1 - e^-1, e^-2
    (0.632121, 0.135335)
    """
    det = m00 * m11 - m01 * m10
    # fixed point x_inf = -M^-1 b
    xi0 = -(m11 * b0 - m01 * b1) / det
    xi1 = -(-m10 * b0 + m00 * b1) / det
    mu = 0.5 * (m00 + m11)
    half_diff = 0.5 * (m00 - m11)
    d2 = half_diff * half_diff + m01 * m10          # delta^2
    if d2 >= 0.0:
        delta = math.sqrt(d2)
        e1 = math.exp((mu + delta) * t)             # slower eigenvalue, <= 1
        c0 = 0.5 * e1 * (2.0 + math.expm1(-2.0 * delta * t))  # e1*(1+exp(-2 delta t))/2
        c1 = e1 * t * phi1(2.0 * delta * t)
    else:
        omega = math.sqrt(-d2)
        em = math.exp(mu * t)
        c0 = em * math.cos(omega * t)
        c1 = em * (math.sin(omega * t) / omega if omega * t > 1e-12 else t)
    z0 = x0 - xi0
    z1 = x1 - xi1
    y0 = xi0 + c0 * z0 + c1 * ((m00 - mu) * z0 + m01 * z1)
    y1 = xi1 + c0 * z1 + c1 * (m10 * z0 + (m11 - mu) * z1)
    # integral: x_inf*t + M^-1 (y - x0)
    dy0 = y0 - x0
    dy1 = y1 - x1
    i0 = xi0 * t + (m11 * dy0 - m01 * dy1) / det
    i1 = xi1 * t + (-m10 * dy0 + m00 * dy1) / det
    return y0, y1, i0, i1


@kernel
def _solve_regime(regime_a, ma, mf, target, F, Rs, L, t):
    """(MA, MF) after t seconds in one regime, plus the integral of MA [s]."""
    if regime_a:   # C = L*(TL - MA): MA relaxes on its own, MF follows
        y0, y1, i0, i1 = solve_affine2(-(L + F), 0.0, F, -Rs, L * target, 0.0, ma, mf, t)
    else:          # C = L*MR = L*(1 - MF - MA): the pool gives all it has
        y0, y1, i0, i1 = solve_affine2(-(L + F), -L, F, -Rs, L, 0.0, ma, mf, t)
    return y0, y1, i0


@kernel
def _in_regime_a(ma, mf, target, F, Rs, tol):
    """True when capacity 1 - MF exceeds the target by more than ``tol``; on the
    boundary (within ``tol``) the regime the flow heads into."""
    gap = (1.0 - mf) - target
    if gap > tol:
        return True
    if gap < -tol:
        return False
    return Rs * mf - F * ma > 0.0    # capacity rising: it leaves the boundary upward


@kernel
def advance(ma, mr, mf, target, F, Rs, L, dt):
    """Advance one pool by ``dt`` with a constant target and recovery rate, exactly.

    Parameters
    ----------
    ma, mr, mf : float
        Active, resting, fatigued fractions [1], summing to 1. MR is not read: it is
        recomputed as 1 - MA - MF.
    target : float
        Target activation TL [1]; NaN or negative counts as 0, values above 1 as 1.
    F : float
        Fatigue rate [1/s], > 0.
    Rs : float
        Recovery rate in force over the step, R or r*R [1/s], > 0.
    L : float
        Controller gain [1/s], > 0.
    dt : float
        Step [s]; any size (a non-positive step returns the state unchanged).

    Returns
    -------
    ma, mr, mf : float
        New state; sum 1 to rounding, each in [0, 1].
    ma_mean : float
        Mean of MA over the step [1] (the energy store's drain uses it).

    Examples
    --------
    >>> ma, mr, mf, a = advance(0.0, 1.0, 0.0, 0.5, 0.01, 0.001, 10.0, 60.0)
    >>> ma <= 0.5, abs(ma + mr + mf - 1.0) < 1e-15
    (True, True)
    """
    max_segments = 6     # regime switches resolved within one step
    bisections = 60      # crossing time to ~1e-18 of the step
    tol = 1e-14          # |capacity - target| below this counts as on the boundary
    if not (target > 0.0):
        target = 0.0
    elif target > 1.0:
        target = 1.0
    if not (dt > 0.0):
        return ma, mr, mf, ma
    ma = min(max(ma, 0.0), 1.0)
    mf = min(max(mf, 0.0), 1.0 - ma)
    t_left = dt
    int_ma = 0.0
    for seg in range(max_segments):
        regime_a = _in_regime_a(ma, mf, target, F, Rs, tol)
        ma1, mf1, ia = _solve_regime(regime_a, ma, mf, target, F, Rs, L, t_left)
        gap_end = (1.0 - mf1) - target
        crossed = (gap_end < -tol) if regime_a else (gap_end > tol)
        if not crossed or seg == max_segments - 1:
            ma, mf = ma1, mf1
            int_ma += ia
            break
        lo, hi = 0.0, t_left            # regime holds at lo, not at hi
        for _ in range(bisections):
            mid = 0.5 * (lo + hi)
            _, mf_mid, _ = _solve_regime(regime_a, ma, mf, target, F, Rs, L, mid)
            gap_mid = (1.0 - mf_mid) - target
            if (gap_mid >= -tol) if regime_a else (gap_mid <= tol):
                lo = mid
            else:
                hi = mid
        tau = hi
        ma, mf, ia = _solve_regime(regime_a, ma, mf, target, F, Rs, L, tau)
        ma = min(max(ma, 0.0), 1.0)
        mf = min(max(mf, 0.0), 1.0 - ma)
        int_ma += ia
        t_left -= tau
        if t_left <= 0.0:
            break
    ma = min(max(ma, 0.0), 1.0)
    mf = min(max(mf, 0.0), 1.0 - ma)
    mr = max(1.0 - ma - mf, 0.0)
    ma_mean = min(max(int_ma / dt, 0.0), 1.0)
    return ma, mr, mf, ma_mean


@kernel
def recovery_rate(target, R, r, rest_threshold):
    """Recovery rate R* [1/s]: r*R while the target is below the rest threshold, else R.

    Examples
    --------
    >>> recovery_rate(0.0, 0.001, 15.0, 0.01), recovery_rate(0.2, 0.001, 15.0, 0.01)
    (0.015, 0.001)
    """
    if not (target >= rest_threshold):   # NaN counts as rest, like advance()
        return r * R
    return R


@kernel
def step(ma, mr, mf, target, F, R, r, L, rest_threshold, dt):
    """One 3CC-r step of a pool with target ``target`` held for ``dt`` seconds.

    Parameters
    ----------
    ma, mr, mf : float
        State [1], summing to 1.
    target : float
        Target activation TL [1].
    F, R : float
        Fatigue and recovery rates [1/s].
    r : float
        Rest recovery multiplier [1] (Looft et al. 2018).
    L : float
        Controller gain [1/s].
    rest_threshold : float
        Targets below this count as rest [1].
    dt : float
        Step [s].

    Returns
    -------
    ma, mr, mf, ma_mean : float
        See :func:`advance`.

    Examples
    --------
    >>> s = step(0.3, 0.5, 0.2, 0.0, 0.01, 0.001, 15.0, 10.0, 0.01, 10.0)
    >>> round(s[2], 4)          # fatigued fraction recovers at r*R while resting
    0.1724
    """
    return advance(ma, mr, mf, target, F, recovery_rate(target, R, r, rest_threshold), L, dt)
