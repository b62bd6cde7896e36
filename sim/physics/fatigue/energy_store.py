"""A pool's energy store (glycogen), its slow force depression, and the force they leave.

A pool's glycogen store E drains with its active fraction MA and refills slowly,
``dE/dt = -drain MA h(E) + refill (1 - E)``, and sets the capacity factor
``g(E) = g_min + (1 - g_min) (1 + K) E / (K + E)``. Every contraction adds to a slowly
recovering load Z, ``dZ/dt = k_S MA - r_S Z``, and the slow force depression S follows
the part of Z that is expressed, ``x Z``: all of it while the muscle works, the share
``gamma`` at rest, ``x = gamma + (1 - gamma) a`` with the work gate
``a = W^2 / (W^2 + w_half^2)`` and W the muscle's recent work (its force target filtered
over ``tau_W``). S rises as ``a (x Z - S) / tau_S`` (it develops only while the muscle
works) and falls as ``(x Z - S) / tau_rest``. Together they give the pool's force per active
fibre ``q = g(E) (1 - S) D`` (D: the anaerobic reserve, FT pools only) and its capacity
``(1 - MF) q``. The equations, their assumptions and sources are set out in
:mod:`sim.physics.fatigue.pools` ("Energy store", "Slow force depression", "Force factor
and capacity").
"""
from __future__ import annotations

import math

from ...jit import kernel
from .threecc import phi1, solve_affine2

__all__ = ["energy_factor", "recovery_gate", "force_factor", "energy_step", "slow_step",
           "work_step", "work_gate", "work_update", "pool_capacity"]


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
def recovery_gate(h, share):
    """Factor ``1 - share + share h`` [1] on the perfusion's recovery boost.

    ``h`` is the aerobic supply :func:`energy_factor` ``(E, fat_share, K)`` that also
    sets the fatigue protection; ``share`` (``[perfusion] recovery_energy_share``) is the
    part of the boost that needs it. 0 leaves recovery independent of the store.

    Examples
    --------
    >>> recovery_gate(0.4, 0.0), recovery_gate(0.4, 1.0)
    (1.0, 0.4)
    """
    return 1.0 - share + share * h


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
def work_gate(w, w_half):
    """Work gate ``a = W^2 / (W^2 + w_half^2)`` [1] of a muscle with recent work W.

    A switch: 1 for a working muscle, 0 at rest, one half at ``w_half``; the square makes
    it sharp, so that muscles working at 1 % of their maximum (the trunk flexors in
    running) count as working (0.96 at ``W = 5 w_half``). ``w_half <= 0``: 1.

    Examples
    --------
    >>> work_gate(0.1, 0.0), round(work_gate(0.002, 0.002), 6), work_gate(0.0, 0.002)
    (1.0, 0.5, 0.0)
    """
    if not (w_half > 0.0):
        return 1.0
    w2 = max(w, 0.0) ** 2
    return w2 / (w2 + w_half * w_half)


@kernel
def work_update(w, u_mean, tau, w_half, dt):
    """Recent work after ``dt`` (:func:`work_step`) and the work gate over the step
    (:func:`work_gate` of its mean).

    Returns
    -------
    w_new, gate : float

    Examples
    --------
    >>> w, a = work_update(0.0, 0.1, 5.0, 0.002, 60.0)
    >>> round(w, 4), a > 0.99
    (0.1, True)
    """
    w_new, w_mean = work_step(w, u_mean, tau, dt)
    return w_new, work_gate(w_mean, w_half)


@kernel
def slow_step(z, s, ma_mean, rate, recovery, delay, dt, work=1.0, rest_share=1.0,
              rest_delay=0.0):
    """Exact step of the slow load Z and the slow force depression S.

    ``dZ/dt = rate*MA - recovery*Z``; S relaxes toward ``x Z`` with the expressed share
    ``x = rest_share + (1 - rest_share) a`` (``a``: the work gate, :func:`work_gate`):
    while S is below ``x Z`` it rises as ``a (x Z - S) / delay`` (it develops only while
    the muscle works), otherwise it falls as ``(x Z - S) / rest_delay``. The branch is taken
    from the state at the start of the step (``rest_delay <= 0``: ``delay`` both ways).

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
    work : float
        Work gate a in [0, 1], held over the step (1: a working muscle).
    rest_share : float
        Share of Z still expressed at rest [1].
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
    >>> z, s = slow_step(0.1, 0.1, 0.0, 1e-4, 0.0, 7200.0, 2400.0, 0.0, 0.25, 2400.0)
    >>> round(s, 4)             # 0.025 + 0.075 / e: at rest S falls toward a quarter of Z
    0.0526
    >>> slow_step(0.1, 0.02, 0.0, 1e-4, 0.0, 7200.0, 2400.0, 0.0, 0.25, 2400.0)[1]
    0.02
    """
    if not (dt > 0.0):
        return z, s
    a = rate * ma_mean
    r = max(recovery, 1e-9)
    g = min(max(work, 0.0), 1.0)
    x = rest_share + (1.0 - rest_share) * g
    if x * z >= s:                                  # rising: only while the muscle works
        k = g / delay if delay > 0.0 else -1.0
    else:                                           # falling
        tau = rest_delay if rest_delay > 0.0 else delay
        k = 1.0 / tau if tau > 0.0 else -1.0
    xr = r * dt
    if k < 0.0:                                     # no lag: S = x Z
        z_new = z * math.exp(-xr) + a * dt * phi1(xr)
        return z_new, x * z_new
    if k < 1e-12:                                   # no work: S holds while Z moves on
        return z * math.exp(-xr) + a * dt * phi1(xr), s
    z_new, s_new, _, _ = solve_affine2(-r, 0.0, k * x, -k, a, 0.0, z, s, dt)
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
