"""A pool's energy store (glycogen), its slow force depression, and the force they leave.

A pool's glycogen store E drains with its active fraction MA and refills slowly,
``dE/dt = -drain MA h(E) + refill (1 - E)``, and sets the capacity factor
``g(E) = g_min + (1 - g_min) (1 + K) E / (K + E)``. Every contraction adds to a slowly
recovering load Z, ``dZ/dt = k_S MA - r_S Z``, and the slow force depression S follows Z
with a lag, ``dS/dt = (Z - S) / tau_S``. Together they give the pool's force per active
fibre ``q = g(E) (1 - S) D`` (D: the anaerobic reserve, FT pools only) and its capacity
``(1 - MF) q``. The equations, their assumptions and sources are set out in
:mod:`sim.physics.fatigue.pools` ("Energy store", "Slow force depression", "Force factor
and capacity").
"""
from __future__ import annotations

import math

from ...jit import kernel
from .threecc import phi1, solve_affine2

__all__ = ["energy_factor", "force_factor", "energy_step", "slow_step", "pool_capacity"]


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
def slow_step(z, s, ma_mean, rate, recovery, delay, dt):
    """Exact step of ``dZ/dt = rate*MA - recovery*Z``, ``dS/dt = (Z - S)/delay``.

    Parameters
    ----------
    z, s : float
        Slow load Z and force depression S [1].
    ma_mean : float
        Mean active fraction over the step [1] (held constant).
    rate, recovery : float
        [1/s], >= 0 (a recovery below 1e-9/s counts as 1e-9/s).
    delay : float
        Lag of S behind Z [s]; <= 0: S = Z.
    dt : float
        Step [s].

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
    """
    if not (dt > 0.0):
        return z, s
    a = rate * ma_mean
    r = max(recovery, 1e-9)
    if not (delay > 0.0):
        x = r * dt
        z_new = z * math.exp(-x) + a * dt * phi1(x)
        return z_new, z_new
    z_new, s_new, _, _ = solve_affine2(-r, 0.0, 1.0 / delay, -1.0 / delay, a, 0.0, z, s, dt)
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
