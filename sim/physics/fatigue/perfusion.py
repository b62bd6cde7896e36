"""Blood flow through a contracting muscle: occlusion, ischaemia and a stride's perfusion.

A muscle's own force ``u`` (fraction of its fresh maximum) occludes its blood flow:
``occ(u)`` is 0 below ``u_free``, 1 above ``u_occ`` and linear between. Its ischaemia I
follows, ``dI/dt = (occ(u) - I) / tau``, with ``tau = tau_on`` while I rises and
``tau_off`` while it falls, and the perfusion ``P = 1 - I`` sets the pools' recovery and
fatigue rates (:mod:`sim.physics.fatigue.steps`). For the stride-averaged block step,
:func:`stride_perfusion` finds the periodic perfusion of a steady stream of identical
strides (:func:`stride_perfusion_muscles`: for many muscles at once). The model and its
sources: :mod:`sim.physics.fatigue.pools` ("Fast component").
"""
from __future__ import annotations

import math

from ...jit import kernel
from .threecc import phi1

__all__ = ["occlusion", "ischaemia_step", "stride_perfusion", "stride_perfusion_muscles"]


@kernel
def occlusion(u, u_free, u_occ):
    """Occlusion of the muscle's blood flow by its force ``u`` [1]: 0 ... 1.

    Examples
    --------
    >>> [round(occlusion(u, 0.1, 0.2), 12) for u in (0.05, 0.15, 0.5)]
    [0.0, 0.5, 1.0]
    """
    if not (u > u_free):
        return 0.0
    if u >= u_occ:
        return 1.0
    return (u - u_free) / (u_occ - u_free)


@kernel
def ischaemia_step(isch, occ, tau_on, tau_off, dt):
    """Exact step of ``dI/dt = (occ - I)/tau`` (tau_on rising, tau_off falling).

    Returns
    -------
    isch_new, isch_mean : float
        I after the step and its mean over the step [1].

    Examples
    --------
    >>> [round(x, 4) for x in ischaemia_step(0.0, 1.0, 5.0, 1.0, 5.0)]
    [0.6321, 0.3679]
    """
    tau = tau_on if occ > isch else tau_off
    if not (dt > 0.0) or not (tau > 0.0):
        return occ, occ
    x = dt / tau
    d = isch - occ
    return occ + d * math.exp(-x), occ + d * phi1(x)


@kernel
def stride_perfusion(u, dt, isch0, tau_on, tau_off, u_free, u_occ, perf_out):
    """Periodic perfusion ``P = 1 - I`` over one stride of muscle targets ``u``.

    The ischaemia filter is run over the stride from ``isch0``; the stride map from I at
    phase 0 to I a stride later is piecewise affine, so each pass ends with a Newton step
    to its fixed point, ``I* = I0 + (I1 - I0) / (1 - dI1/dI0)``, and passes repeat
    (usually two) until the stride's end value repeats within 1e-12. ``perf_out[j]`` is
    the mean perfusion of phase sample ``j`` in a steady stream of identical strides.

    Parameters
    ----------
    u : ndarray (n,)
        Muscle targets over the stride [1].
    dt : float
        Duration of one phase sample [s].
    isch0 : float
        Starting guess for I at phase 0 [1].
    tau_on, tau_off, u_free, u_occ : float
        Ischaemia constants (:data:`MUSCLE_PARAMS`).
    perf_out : ndarray (n,)
        Output [1].

    Returns
    -------
    float
        I at phase 0 of the periodic solution.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.r_[np.full(30, 0.6), np.zeros(50)]      # 0.28 s at 60 %, then swing
    >>> P = np.zeros(80)
    >>> i0 = stride_perfusion(u, 0.75 / 80, 0.0, 5.0, 1.0, 0.1, 0.2, P)
    >>> round(float(P.mean()), 2)                      # mostly perfused
    0.89
    """
    n = u.shape[0]
    if not (dt > 0.0 and tau_on > 0.0 and tau_off > 0.0):
        for j in range(n):
            perf_out[j] = 1.0 - occlusion(u[j], u_free, u_occ)
        return 1.0 - perf_out[0]
    # one phase sample's decay factor and mean factor, rising and falling
    e_on = math.exp(-dt / tau_on)
    m_on = phi1(dt / tau_on)
    e_off = math.exp(-dt / tau_off)
    m_off = phi1(dt / tau_off)
    start = min(max(isch0, 0.0), 1.0)
    for _ in range(50):
        isch = start
        slope = 1.0
        for j in range(n):
            occ = occlusion(u[j], u_free, u_occ)
            d = isch - occ
            if occ > isch:
                perf_out[j] = 1.0 - (occ + d * m_on)
                isch = occ + d * e_on
                slope *= e_on
            else:
                perf_out[j] = 1.0 - (occ + d * m_off)
                isch = occ + d * e_off
                slope *= e_off
        if abs(isch - start) < 1e-12:
            break
        start = min(max(start + (isch - start) / (1.0 - slope), 0.0), 1.0)
    return isch


@kernel
def stride_perfusion_muscles(UT, dt, isch0, tau_on, tau_off, u_free, u_occ, perf_out,
                             isch_out, work, occ):
    """:func:`stride_perfusion` for many muscles at once, the phase sample first.

    Row ``j`` of ``UT`` and ``perf_out`` (``n x n_m``) holds phase sample ``j`` of every
    muscle; entry ``i`` of ``isch0``, the constants and ``isch_out`` belongs to muscle
    ``i``. Each muscle's arithmetic is that of :func:`stride_perfusion`, so the results
    are the same to the last bit (``tests/physics/fatigue/test_fatigue_pools.py``); a
    muscle without ischaemia (``tau_on <= 0``) is written as fully perfused, its
    ``isch_out`` left as it was. The occlusions are taken once (into ``occ``,
    ``n x n_m``); each pass over the stride then has the muscles innermost, contiguous
    and without branches, so that one vector instruction steps several muscles' recursions
    (each waits on its own previous phase); a muscle whose passes have ended is stepped on
    from its final start, which writes the same values again. The first pass only finds
    each muscle's stride map (the perfusion it would write is always written again, after
    the stride's start is corrected or, where the start was periodic already, by one more
    pass from it). ``isch_out`` may be ``isch0``. ``work``: 8 entries per muscle.

    Examples
    --------
    >>> import numpy as np
    >>> U = np.array([np.r_[np.full(30, 0.6), np.zeros(50)], np.full(80, 0.05)])
    >>> P, I = np.zeros((80, 2)), np.zeros(2)
    >>> one = lambda x: np.full(2, x)
    >>> stride_perfusion_muscles(U.T.copy(), 0.75 / 80, one(0.0), one(5.0), one(1.0),
    ...                          one(0.1), one(0.2), P, I, np.zeros(16), np.zeros((80, 2)))
    >>> np.round(P.mean(axis=0), 2)
    array([0.89, 1.  ])
    """
    n, n_m = UT.shape
    e_on = work[0:n_m]
    m_on = work[n_m:2 * n_m]
    e_off = work[2 * n_m:3 * n_m]
    m_off = work[3 * n_m:4 * n_m]
    start = work[4 * n_m:5 * n_m]
    isch = work[5 * n_m:6 * n_m]
    slope = work[6 * n_m:7 * n_m]
    live = work[7 * n_m:8 * n_m]   # 1 while the passes go on, -1 no filter, else 0
    n_live = 0
    for i in range(n_m):
        live[i] = 0.0               # no ischaemia: a pass keeps I = 0, P = 1
        e_on[i] = 1.0
        m_on[i] = 1.0
        e_off[i] = 1.0
        m_off[i] = 1.0
        start[i] = 0.0
        if not tau_on[i] > 0.0:
            continue
        if not (dt > 0.0 and tau_off[i] > 0.0):
            live[i] = -1.0          # I follows the occlusion at once (written below)
            continue
        e_on[i] = math.exp(-dt / tau_on[i])
        m_on[i] = phi1(dt / tau_on[i])
        e_off[i] = math.exp(-dt / tau_off[i])
        m_off[i] = phi1(dt / tau_off[i])
        start[i] = min(max(isch0[i], 0.0), 1.0)
        live[i] = 1.0
        n_live += 1
    for j in range(n):
        for i in range(n_m):
            occ[j, i] = occlusion(UT[j, i], u_free[i], u_occ[i])
    for it in range(50):
        if n_live == 0:
            break
        for i in range(n_m):
            isch[i] = start[i]
            slope[i] = 1.0
        # (every value loaded before the selects: a load inside a branch keeps the
        # compiler from vectorising; the two passes' loops are kept apart, as one loop
        # testing a flag measured about 1 % slower a run)
        if it == 0:
            for j in range(n):
                for i in range(n_m):
                    o = occ[j, i]
                    x = isch[i]
                    eo = e_on[i]
                    ef = e_off[i]
                    e = eo if o > x else ef
                    isch[i] = o + (x - o) * e
                    slope[i] *= e
        else:
            for j in range(n):
                for i in range(n_m):
                    o = occ[j, i]
                    x = isch[i]
                    eo = e_on[i]
                    ef = e_off[i]
                    mo = m_on[i]
                    mf = m_off[i]
                    d = x - o
                    rising = o > x
                    e = eo if rising else ef
                    m = mo if rising else mf
                    perf_out[j, i] = 1.0 - (o + d * m)
                    isch[i] = o + d * e
                    slope[i] *= e
        for i in range(n_m):
            if live[i] != 1.0:
                continue
            if abs(isch[i] - start[i]) < 1e-12:
                if it == 0:     # periodic already: one more pass from the same start
                    continue
                live[i] = 0.0
                n_live -= 1
                isch_out[i] = isch[i]
            else:
                start[i] = min(max(start[i] + (isch[i] - start[i]) / (1.0 - slope[i]), 0.0),
                               1.0)
    for i in range(n_m):
        if live[i] == 1.0:        # after 50 passes: the last pass's end
            isch_out[i] = isch[i]
        elif live[i] == -1.0:
            for j in range(n):
                perf_out[j, i] = 1.0 - occ[j, i]
            isch_out[i] = 1.0 - perf_out[0, i]
        elif not tau_on[i] > 0.0:
            for j in range(n):
                perf_out[j, i] = 1.0
