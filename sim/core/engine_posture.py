"""The forward trunk lean's posture: its update after a stride, the search of its optimum.

The posture minimises ``ln E(lean) - anchor lean + cost (lean - home)^2`` (``E`` the
stride's effort; see :func:`lean_update`); ``g`` is that objective's slope, from the
phases' multipliers (:func:`sim.core.engine_stride._lean_rates`). Called by
:func:`sim.core.engine.run_kernel` after every stride:

* :func:`lean_update`: one damped Newton step, kept within the optimum's bracket where
  the effort has a kink;
* :func:`posture_search`: one step of the search of the optimum with probe strides
  (:func:`sim.core.engine_stride.probe_half_demand`), where the posture may lie further
  from it than a tolerance (after every stride in resolved mode, once per block in block
  mode);
* :func:`bracket_curvature`: the curvature a search measured, where the next one starts.

Examples
--------
>>> out = posture_search(0.0, -0.4, 0.0, math.nan, 0.0, math.nan, 0.0, 8.0, 1e-4, -1.0, 1.0)
>>> round(out[4], 3)                            # the first probe: downhill
0.05
"""
from __future__ import annotations

import math

import numpy as np

from ..jit import kernel

__all__ = ["bracket_curvature", "lean_update", "posture_search"]


@kernel
def lean_update(lean, rel_rate, anchor, cost, curvature, max_lean, home, prev_step, lo, hi,
                jump):
    """Next forward lean [rad] after a stride solved at ``lean``, and the optimum's bracket.

    The posture minimises ``ln E(lean) - anchor lean + cost (lean - home)^2`` (E the
    stride's effort, ``home`` the runner's fresh posture): a lean away from home
    multiplies the effort of the stride by ``exp(cost (lean - home)^2)`` (leaning costs a
    share of what running costs, as measured by Carson et al. 2024), and ``anchor`` (the
    relative rate at the first stride) makes the fresh posture the optimum. Two assumption
    switches (``experiments/lean_preference.py``) change what the engine passes: with
    ``model.lean_preference = "flexible"`` the anchor is the rate of the same stride
    without tight hip flexors, and with ``model.forward_lean_cost_of = "fresh"`` ``cost``
    is scaled by the first stride's effort over ``E`` (a cost that does not grow as the
    legs tire). One damped
    Newton step, at most 1 deg, within ``[-max_lean / 2, max_lean]``; a step that reverses
    the previous one (``prev_step``, the last ``lean - new lean``) is halved.

    ``lo`` and ``hi`` [rad] (NaN when unknown) are the latest leans at which the optimum
    lay above and below: once both are known the optimum lies between them, and a step
    that would leave that bracket goes to its middle instead, so that where the effort
    has a kink (a muscle reaching its bound) the posture closes in on it instead of
    swinging across it update after update. Once the bracket is narrower than 0.01 deg (a
    numerical floor), a step may leave it by that much: if the optimum has moved out, the
    end it crossed is dropped (the two ends cross), so the posture still follows an
    optimum that moves. A Newton step longer than ``jump`` [rad] that leaves the bracket
    drops it at once: the optimum has jumped (a second valley of the effort).

    Returns
    -------
    new_lean, lo, hi : float
        [rad]

    Examples
    --------
    >>> new, lo, hi = lean_update(0.0, -0.05, 0.0, 0.0, 8.0, 0.35, 0.0, 0.0, math.nan, math.nan,
    ...                           1.0)
    >>> round(new, 5), lo                      # the effort falls with lean: lean more
    (0.00625, 0.0)
    >>> new, lo, hi = lean_update(0.01, 0.5, 0.0, 0.0, 8.0, 0.35, 0.0, 0.0, 0.0, math.nan,
    ...                           1.0)
    >>> round(new, 6), hi                      # the step would leave [0, 0.01]: middle
    (0.005, 0.01)
    """
    step = (rel_rate - anchor + 2.0 * cost * (lean - home)) / (2.0 * cost + curvature)
    if step * prev_step < 0.0:
        step *= 0.5
    lim = math.pi / 180.0
    if abs(step) > jump and not (lo < lean - step < hi):
        lo = np.nan                     # far outside the bracket: the optimum moved
        hi = np.nan
    if step > 0.0:                      # the optimum lies below this lean
        hi = lean
        if lo >= hi:
            lo = np.nan
    elif step < 0.0:
        lo = lean
        if hi <= lo:
            hi = np.nan
    target = lean - min(max(step, -lim), lim)
    if np.isfinite(lo) and np.isfinite(hi):
        if hi - lo < 0.01 * lim:        # closed in: look just outside, in case it moved
            target = min(max(target, lo - 0.01 * lim), hi + 0.01 * lim)
        elif not (lo < target < hi):
            target = 0.5 * (lo + hi)
    return min(max(target, -0.5 * max_lean), max_lean), lo, hi



@kernel
def posture_search(x, gx, prev, lo, g_lo, hi, g_hi, curvature, tol, lean_min, lean_max,
                   guess=math.nan):
    """One step of the search for the posture's optimum, where ``g(lean) = 0``.

    ``g`` is the slope of ``ln E(lean) - anchor lean + cost (lean - home)^2`` (see
    :func:`lean_update`), increasing in the lean. ``x`` is the lean just probed, ``gx`` its
    slope and ``prev`` the lean probed before it; ``lo`` and ``hi`` (NaN when unknown) the
    nearest leans probed with ``g < 0`` and ``g > 0``, ``g_lo`` and ``g_hi`` their slopes.
    ``curvature`` is a lower bound of the objective's curvature, the lean cost's own
    ``2 cost`` (``ln E`` taken as convex), so that ``|g| / curvature`` bounds the distance
    to the optimum. ``guess`` [1/rad^2] is an estimate of the curvature (the one the last
    search measured, :func:`bracket_curvature`; NaN, or not above ``curvature``: none).
    Until the optimum is bracketed the search walks downhill: its first probe by
    ``|g| / guess`` (without a guess, by the bound), each later one by the bound and at
    least twice its last move (a stretch flatter than the bound assumes is crossed in a
    few doublings); once bracketed it takes the secant point, or the middle where the
    secant point falls in an outer tenth. It is done when the bound, or the bracket, is
    shorter than ``tol``, or at a bound of the lean: the guess moves where the search
    probes, not the test of when it is done.

    Returns
    -------
    lo, g_lo, hi, g_hi, next_lean : float
    done : bool
        ``next_lean`` is the answer (no further probe).

    Examples
    --------
    >>> out = posture_search(0.0, -0.4, 0.0, math.nan, 0.0, math.nan, 0.0, 8.0, 1e-4, -1.0, 1.0)
    >>> round(out[4], 6), out[5]                   # downhill, by |g| / curvature
    (0.05, False)
    >>> out = posture_search(0.05, 0.1, 0.0, 0.0, -0.4, math.nan, 0.0, 8.0, 1e-4, -1.0, 1.0)
    >>> round(out[4], 6), out[5]                   # bracketed: the secant point
    (0.04, False)
    >>> out = posture_search(0.0, -0.4, 0.0, math.nan, 0.0, math.nan, 0.0, 8.0, 1e-4, -1.0, 1.0,
    ...                      20.0)
    >>> round(out[4], 6)                           # downhill, by |g| / guess
    0.02
    """
    if gx < 0.0:
        lo, g_lo = x, gx
    else:
        hi, g_hi = x, gx
    if np.isfinite(lo) and np.isfinite(hi):
        if hi - lo < tol:
            return lo, g_lo, hi, g_hi, lo - g_lo * (hi - lo) / (g_hi - g_lo), True
        nxt = lo - g_lo * (hi - lo) / (g_hi - g_lo)
        if not (lo + 0.1 * (hi - lo) < nxt < hi - 0.1 * (hi - lo)):
            nxt = 0.5 * (lo + hi)
        return lo, g_lo, hi, g_hi, nxt, False
    newton = gx / curvature
    if abs(newton) < tol:
        return lo, g_lo, hi, g_hi, x, True
    walk = abs(gx) / guess if guess > curvature and x == prev else abs(newton)
    move = max(walk, 2.0 * abs(x - prev))
    free = x - move if gx > 0.0 else x + move
    nxt = min(max(free, lean_min), lean_max)
    return lo, g_lo, hi, g_hi, nxt, nxt != free and abs(nxt - x) < 0.5 * tol   # at a bound



@kernel
def bracket_curvature(lo, g_lo, hi, g_hi):
    """The curvature a search measured [1/rad^2]: the slope of ``g`` across its final
    bracket (:func:`posture_search`), NaN without one.

    The next search's first probe walks by ``|g|`` over it (its ``guess``). Near its
    optimum the posture's objective curves far more than the ``2 cost`` (2.9 /rad^2) that
    bounds the distance, where muscles reach their bounds as the lean moves: the slope of
    ``g`` from a search's start to the optimum it found was 5-60 /rad^2 (5th to 95th
    percentile, median 28) over the 955 searches of the benchmark's first 300 runs with
    the walk by the bound, which overshot the optimum several times over and took 3.4
    probes a search; walking by this guess, 1.9 (``experiments/posture_search_steps.py``).

    Examples
    --------
    >>> bracket_curvature(0.0, -0.1, 0.01, 0.1)
    20.0
    >>> math.isnan(bracket_curvature(math.nan, 0.0, 0.01, 0.1))
    True
    """
    if np.isfinite(lo) and np.isfinite(hi) and hi != lo:
        return abs((g_hi - g_lo) / (hi - lo))
    return np.nan
