"""A pool's energy store (glycogen), its slow force depression, and the force they leave.

A pool's glycogen store E drains with its active fraction MA and refills slowly,
``dE/dt = -drain MA h(E) + refill (1 - E)``, and sets the capacity factor
``g(E) = g_min + (1 - g_min) (1 + K) E / (K + E)``. Every contraction adds to a slowly
recovering load Z, ``dZ/dt = k_S MA - r_S Z``, and the slow force depression S follows
the part of Z that is expressed, ``dS/dt = (x Z - S) / tau``: all of it (x = 1) while the
muscle works, the share ``gamma`` at rest, ``x = gamma + (1 - gamma) W / (W + w_half)``
with W the muscle's recent work (its force target filtered over ``tau_W``); ``tau`` is
the lag ``tau_S`` while S rises and ``tau_rest`` while it falls. Together they give the
pool's force per active
fibre ``q = g(E) (1 - S) D`` (D: the anaerobic reserve, FT pools only) and its capacity
``(1 - MF) q``. The equations, their assumptions and sources are set out in
:mod:`sim.physics.fatigue.pools` ("Energy store", "Slow force depression", "Force factor
and capacity").
"""
from __future__ import annotations

import math

from ...jit import kernel
from .threecc import phi1, solve_affine2

__all__ = ["energy_factor", "force_factor", "energy_step", "slow_step", "work_step",
           "expressed_share", "pool_capacity"]


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
def force_factor(e, s, g_min, K, reserve=1.0):
    """Force per active fibre ``g(E) (1 - S) D`` [1] (D: the reserve, FT pools only).

    Examples
    --------
    >>> round(force_factor(1.0, 0.1, 0.5, 0.1), 12)
    0.9
    """
    return (energy_factor(e, g_min, K) * (1.0 - min(max(s, 0.0), 1.0))
            * min(max(reserve, 0.0), 1.0))


@kernel
def energy_step(e, ma_mean, drain, refill, dt, drain_K=0.0):
    """Step of ``dE/dt = -drain*MA*h(E) + refill*(1 - E)`` with MA = ``ma_mean``.

    ``h(E) = (1 + Kd) E / (Kd + E)`` is taken at the start of the step (``Kd = 0``:
    h = 1, and the step is exact).

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
    drain_K : float
        Half-saturation Kd of the drain [1], >= 0.

    Returns
    -------
    float
        Store after the step, in [0, 1].

    Examples
    --------
    >>> round(energy_step(1.0, 0.5, 1e-3, 0.0, 100.0), 12)
    0.95
    """
    if not (dt > 0.0):
        return e
    h = 1.0
    if drain_K > 0.0:
        ec = min(max(e, 0.0), 1.0)
        h = (1.0 + drain_K) * ec / (drain_K + ec)
    rate0 = refill * (1.0 - e) - drain * h * ma_mean
    e_new = e + rate0 * dt * phi1(refill * dt)
    return min(max(e_new, 0.0), 1.0)


@kernel
def work_step(w, u_mean, tau, dt):
    """Recent work W [1] after ``dt``: ``dW/dt = (u - W) / tau`` with constant ``u``.

    Parameters
    ----------
    w : float
        Recent work at the start, a filtered muscle force target [1].
    u_mean : float
        Mean muscle force target over the step, fraction of the fresh maximum [1].
    tau : float
        Filter time constant [s]; <= 0: W = u.
    dt : float
        Step [s].

    Returns
    -------
    w_new, w_mean : float
        W at the end of the step and its mean over the step.

    Examples
    --------
    >>> [round(v, 6) for v in work_step(0.0, 0.1, 60.0, 60.0)]
    [0.063212, 0.036788]
    """
    if not (tau > 0.0):
        return u_mean, u_mean
    if not (dt > 0.0):
        return w, w
    x = dt / tau
    w_new = u_mean + (w - u_mean) * math.exp(-x)
    return w_new, u_mean + (w - u_mean) * phi1(x)


@kernel
def expressed_share(w, w_half, rest_share):
    """Share x [1] of the slow load that the force depression follows, given recent work W.

    ``x = gamma + (1 - gamma) W / (W + w_half)``: 1 while the muscle works hard compared
    with ``w_half``, ``gamma`` (``rest_share``) after a long rest; ``w_half <= 0``: x = 1.

    Examples
    --------
    >>> expressed_share(0.1, 0.0, 0.25), round(expressed_share(0.0, 0.002, 0.25), 6)
    (1.0, 0.25)
    """
    if not (w_half > 0.0):
        return 1.0
    w = max(w, 0.0)
    return rest_share + (1.0 - rest_share) * w / (w + w_half)


@kernel
def slow_step(z, s, ma_mean, rate, recovery, delay, dt, expressed=1.0, rest_delay=0.0):
    """Exact step of ``dZ/dt = rate*MA - recovery*Z``, ``dS/dt = (x Z - S)/tau``.

    ``tau`` is ``delay`` while S rises toward ``x Z`` and ``rest_delay`` while it falls
    (taken from the sign of ``x Z - S`` at the start of the step; ``rest_delay <= 0``:
    ``delay`` both ways).

    Parameters
    ----------
    z, s : float
        Slow load Z and force depression S [1].
    ma_mean : float
        Mean active fraction over the step [1] (held constant).
    rate, recovery : float
        [1/s], >= 0 (a recovery below 1e-9/s counts as 1e-9/s).
    delay : float
        Lag of S behind Z while S rises [s]; <= 0: S = x Z.
    dt : float
        Step [s].
    expressed : float
        Share x of Z that S follows [1] (:func:`expressed_share`), held over the step.
    rest_delay : float
        Time constant of S while it falls [s].

    Returns
    -------
    z, s : float

    Examples
    --------
    >>> z, s = slow_step(0.0, 0.0, 0.5, 1e-4, 0.0, 0.0, 1000.0)
    >>> round(z, 6), round(s, 6)
    (0.05, 0.05)
    >>> z, s = slow_step(0.0, 0.0, 0.5, 1e-4, 0.0, 3600.0, 1000.0)
    >>> round(z, 6), s < 0.01
    (0.05, True)
    >>> z, s = slow_step(0.1, 0.1, 0.0, 1e-4, 0.0, 7200.0, 2400.0, 0.25, 2400.0)
    >>> round(s, 4)             # 0.025 + 0.075 / e
    0.0526
    """
    if not (dt > 0.0):
        return z, s
    a = rate * ma_mean
    r = max(recovery, 1e-9)
    tau = delay
    if rest_delay > 0.0 and expressed * z < s:
        tau = rest_delay
    if not (tau > 0.0):
        x = r * dt
        z_new = z * math.exp(-x) + a * dt * phi1(x)
        return z_new, expressed * z_new
    z_new, s_new, _, _ = solve_affine2(-r, 0.0, expressed / tau, -1.0 / tau, a, 0.0, z, s, dt)
    return max(z_new, 0.0), max(s_new, 0.0)


@kernel
def pool_capacity(mf, e, s, g_min, K, reserve=1.0):
    """Pool capacity ``(1 - MF) g(E) (1 - S) D`` [1].

    Examples
    --------
    >>> round(pool_capacity(0.2, 1.0, 0.0, 0.5, 0.1), 12)
    0.8
    """
    return (1.0 - mf) * force_factor(e, s, g_min, K, reserve)
