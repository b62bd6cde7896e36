"""Recruitment between a muscle's pools, and the two whole-body quantities that act on them.

:func:`recruit` splits a muscle's target between its slow- and fast-twitch pools by the
size principle: the ST pool alone up to the fraction ``ft_onset`` of its available force,
then both pools in proportion to the force each has left. :func:`reserve_step` advances
the runner's anaerobic reserve D (spent above critical speed, refilled below it),
:func:`reserve_spent_at` the moment a run above critical speed has spent it, and
:func:`heavy_strain` gives the heavy-domain strain H between the lactate threshold and
critical speed; the run kernel copies both into every muscle's state. The model and its
sources: :mod:`sim.physics.fatigue.pools` ("Recruitment", "Anaerobic reserve",
"Heavy-domain strain").
"""
from __future__ import annotations

import math

from ...jit import kernel
from .energy_store import energy_factor
from .layout import P, X

__all__ = ["recruit", "recruit_constants", "recruit_with", "reserve_step", "heavy_strain",
           "critical_speed_factor"]


@kernel
def recruit(u, p_st, cap_st, cap_ft, onset):
    """Split a muscle target between the pools by the size principle.

    The ST pool alone carries the target up to ``onset * p_st * cap_ST`` (the fraction
    ``onset`` of its available force); above that, fast-twitch units are recruited too and
    the rest of the target is shared in proportion to each pool's remaining available
    force, so both pools reach their capacity together. ``onset = 1``: ST first to its
    full capacity, then FT; ``onset = 0``: both pools at the same relative activation.

    Parameters
    ----------
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    p_st : float
        Slow-twitch fraction [1], in (0, 1]; 1 means a single pool.
    cap_st, cap_ft : float
        Current pool capacities [1].
    onset : float
        Fraction of the ST pool's available force used before FT recruitment [1].

    Returns
    -------
    tl_st, tl_ft : float
        Pool force targets, fractions of each pool's fresh maximum [1].

    Examples
    --------
    >>> recruit(0.3, 0.5, 1.0, 1.0, 1.0)
    (0.6, 0.0)
    >>> [round(x, 6) for x in recruit(0.6, 0.5, 0.8, 1.0, 1.0)]
    [0.8, 0.4]
    >>> [round(x, 6) for x in recruit(0.6, 0.5, 1.0, 1.0, 0.5)]   # FT joins above 0.25
    [0.733333, 0.466667]
    """
    return recruit_with(u, *recruit_constants(p_st, cap_st, cap_ft, onset))


@kernel
def recruit_constants(p_st, cap_st, cap_ft, onset):
    """What :func:`recruit_with` needs of one muscle's pools, for many targets at once.

    Returns ``(first, top, room, share_st, share_ft, inv_st, inv_ft)``: the target the
    ST pool carries alone, the largest target the pools can carry, the room left above
    ``first``, the shares of that room each pool takes, and the reciprocals of the
    pools' fractions (0 for a missing FT pool): the divisions of :func:`recruit`, taken
    once for all the targets of a stride (:func:`sim.core.engine_blocks._block_fatigue`).
    """
    avail_st = p_st * cap_st
    if p_st >= 1.0:
        return 0.0, avail_st, -1.0, 0.0, 0.0, 1.0 / p_st, 0.0
    avail_ft = (1.0 - p_st) * cap_ft
    first = min(max(onset, 0.0), 1.0) * avail_st
    rest_st = avail_st - first
    room = rest_st + avail_ft
    if not (room > 0.0):
        return first, avail_st + avail_ft, room, 0.0, 0.0, 1.0 / p_st, 1.0 / (1.0 - p_st)
    return (first, avail_st + avail_ft, room, rest_st / room, avail_ft / room, 1.0 / p_st,
            1.0 / (1.0 - p_st))


@kernel
def recruit_with(u, first, top, room, share_st, share_ft, inv_st, inv_ft):
    """:func:`recruit` of target ``u`` [1] with one muscle's :func:`recruit_constants`.

    Examples
    --------
    >>> k = recruit_constants(0.5, 1.0, 1.0, 0.5)
    >>> [round(x, 6) for x in recruit_with(0.6, *k)]
    [0.733333, 0.466667]
    """
    if not (u > 0.0):
        return 0.0, 0.0
    u = min(u, 1.0)
    if inv_ft == 0.0:                    # a single pool
        return min(u, top) * inv_st, 0.0
    if u <= first:
        return u * inv_st, 0.0
    if not (room > 0.0):
        return first * inv_st, 0.0
    # never more than the room left (equal at saturation, where rounding the two sums
    # differently could otherwise ask a nearly empty FT pool for more than it has)
    extra = min(min(u, top) - first, room)
    return (first + extra * share_st) * inv_st, max(extra * share_ft, 0.0) * inv_ft


@kernel
def reserve_step(d, speed, cs, d_prime, dt, floor=0.0):
    """Step of the reserve's force factor D [1] at running speed ``speed`` [m/s].

    D multiplies the force of the fast-twitch pools. Above critical speed ``cs`` it falls
    linearly, ``dD/dt = -(1 - floor)(v - CS)/D'``, to ``floor`` (the force the FT pools
    keep once the reserve D' is spent); below it it refills, ``dD/dt = (CS - v)(1 - D)/D'``
    (the differential balance of Skiba et al. 2015 [13], written for speed and distance).
    The balance spent, in metres, is ``D' (1 - D)/(1 - floor)`` either way. Exact for
    constant speed.

    Parameters
    ----------
    d : float
        Reserve force factor [1], in ``[floor, 1]``.
    speed, cs : float
        Running speed and critical speed [m/s] (0 while resting).
    d_prime : float
        Reserve D' [m]; <= 0 switches the reserve off (D stays 1).
    dt : float
        Step [s].
    floor : float
        Force factor of a spent reserve [1], in ``[0, 1)``.

    Examples
    --------
    >>> reserve_step(1.0, 4.0, 3.5, 200.0, 100.0)
    0.75
    >>> reserve_step(1.0, 4.0, 3.5, 200.0, 100.0, floor=0.5)  # a spent reserve keeps half
    0.875
    >>> round(reserve_step(0.5, 0.0, 3.5, 200.0, 200.0), 6)     # at rest: refills
    0.984901
    """
    if not (d_prime > 0.0) or not (dt > 0.0):
        return d
    if speed > cs:
        return max(d - (1.0 - floor) * (speed - cs) * dt / d_prime, floor)
    return 1.0 - (1.0 - d) * math.exp(-(cs - speed) * dt / d_prime)


@kernel
def reserve_spent_at(d_start, d_end, speed, cs, d_prime, floor, t, t_next):
    """When, within ``[t, t_next]`` [s], a run above critical speed spends its reserve.

    A run ends when the reserve is spent above critical speed: task failure coincides
    with the depletion of D' (Jones & Vanhatalo 2017; :mod:`sim.physics.fatigue.pools`
    [12]). D falls linearly while the speed ``speed`` stays above ``cs``
    (:func:`reserve_step`), so the time it reached ``floor`` follows from the step's start
    value ``d_start``; NaN unless the step ended with the reserve spent (``d_end`` at
    ``floor``) above critical speed.

    Examples
    --------
    >>> reserve_spent_at(0.6, 0.5, 4.0, 3.5, 200.0, 0.5, 100.0, 200.0)  # 80 s into the step
    180.0
    >>> import math
    >>> math.isnan(reserve_spent_at(0.9, 0.8, 4.0, 3.5, 200.0, 0.5, 100.0, 200.0))
    True
    """
    if not (d_prime > 0.0) or not (speed > cs) or d_end > floor + 1e-12:
        return math.nan
    rate = (1.0 - floor) * (speed - cs) / d_prime
    return min(max(t + (d_start - floor) / rate, t), t_next)


@kernel
def heavy_strain(speed, onset, cs, gain, power):
    """Heavy-domain strain ``H = 1 + A max(0, (v - v_T)/(CS - v_T))^n`` [1].

    Parameters
    ----------
    speed : float
        Running speed v [m/s] (0 while resting).
    onset : float
        Speed v_T where the heavy domain begins (lactate threshold) [m/s].
    cs : float
        Critical speed [m/s]; ``cs <= onset`` switches the strain off (H = 1).
    gain, power : float
        A [1] (<= 0: off) and n [1].

    Examples
    --------
    >>> heavy_strain(3.0, 3.2, 3.44, 2.0, 1.5)                # below the threshold
    1.0
    >>> round(heavy_strain(3.44, 3.2, 3.44, 2.0, 1.5), 12)   # at critical speed: 1 + A
    3.0
    """
    if not (gain > 0.0) or not (cs > onset) or not (speed > onset):
        return 1.0
    return 1.0 + gain * ((speed - onset) / (cs - onset)) ** power


@kernel
def critical_speed_factor(state, prm, share):
    """Critical speed now over the fresh runner's [1]: ``1 - share (1 - c(E))``.

    ``E`` is the F0-weighted whole glycogen store of the locomotor muscles (each muscle's
    ``wall_weight``, its pools weighted by ``p_st``) and ``c(E) = (1 + K) E / (K + E)``
    the capacity factor's shape: critical speed falls as the store runs out, most of it
    in its last tenth (``[reserve] cs_glycogen_share``; 0 gives 1).

    Parameters
    ----------
    state : ndarray (n_muscle, N_STATE)
    prm : ndarray (n_muscle, N_PARAMS)
    share : float
        Share of critical speed that needs carbohydrate [1], in ``[0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from sim.physics.fatigue.layout import N_PARAMS, P, X, fresh_state
    >>> prm = np.zeros((1, N_PARAMS)); prm[0, P.wall_weight] = 1.0; prm[0, P.p_st] = 0.5
    >>> prm[0, P.K] = 0.05; state = fresh_state()[None].copy()
    >>> critical_speed_factor(state, prm, 0.3)
    1.0
    >>> state[0, X.E_st] = state[0, X.E_ft] = 0.0
    >>> round(critical_speed_factor(state, prm, 0.3), 12)
    0.7
    """
    if not (share > 0.0):
        return 1.0
    e = 0.0
    for i in range(state.shape[0]):
        w = prm[i, P.wall_weight]
        if w > 0.0:
            p = prm[i, P.p_st]
            e += w * (p * state[i, X.E_st] + (1.0 - p) * state[i, X.E_ft])
    return 1.0 - share * (1.0 - energy_factor(e, 0.0, prm[0, P.K]))
