"""The common load-sharing solve, from a warm start, without the general solver's fixed costs.

In a run, nearly every solve starts from the multipliers of the same phase one solved
stride earlier and meets the moments at once or after one Newton step (98 % of the
solves of the benchmark's 2-hour runs). :func:`solve_sharing_warm` does exactly what
:func:`sim.physics.sharing_solver.solve_sharing_columns` does in that case -- the same
operations in the same order, so the same forces and multipliers to the last bit -- and
leaves out what only the other cases need: the checks of the inputs (the caller builds
the column structure once per run), the basis of the Farkas certificate, and the
proximal and best-effort stages. A problem that needs more than one step goes, from its
original warm start, to the general solver.

Examples
--------
>>> import numpy as np
>>> from sim.physics.sharing_solver import column_structure, workspace_size
>>> A = np.array([[0.05, 0.04]]); C = np.array([2000.0, 1000.0])
>>> Ai, Av = column_structure(A)
>>> f, th, lam = np.empty(2), np.empty(0), np.empty(1)
>>> st, it, res = solve_sharing_warm(Ai, Av, C, C, np.zeros((1, 0)), np.zeros(0),
...                                  np.array([60.0]), np.zeros(1), f, th, lam,
...                                  np.zeros(workspace_size(1, 2, 0) + 1))
>>> st, np.round(f, 1)
(0, array([1034.5,  206.9]))
"""
from __future__ import annotations

import math

from ..jit import kernel
from .sharing_dual import _dot, _eval
from .sharing_newton import _line_search, _newton_direction
from .sharing_solver import _start, solve_sharing_columns

__all__ = ["solve_sharing_warm"]


@kernel
def solve_sharing_warm(Ai, Av, C, W, B, w, m, lam0, f, theta, lam, work, rtol=1e-10,
                       max_iter=100):
    """:func:`~sim.physics.sharing_solver.solve_sharing_columns`, fast when one step suffices.

    Same arguments and returns (``status, iterations, relative residual``); ``lam0`` and
    ``lam`` may be the same array. ``work`` needs ``n_dof`` more entries than
    :func:`~sim.physics.sharing_solver.workspace_size` (to keep the warm start); without
    them every problem goes to the general solver.
    """
    n = m.shape[0]
    p, kw = Ai.shape
    q = B.shape[1]
    qe = q + n
    o = 0
    hc2 = work[o:o + p]; o += p
    s = work[o:o + p]; o += p
    g = work[o:o + p]; o += p
    ta = work[o:o + p]; o += p
    tb = work[o:o + p]; o += p
    o += p                                        # fx
    iw = work[o:o + qe]; o += 3 * qe              # iw, thx, wx
    r = work[o:o + n]; o += n
    d = work[o:o + n]; o += n
    dsc = work[o:o + n]; o += n
    grad = work[o:o + n]; o += n
    anchor = work[o:o + n]; o += n
    o += 3 * n                                    # y, lamx, rx
    H = work[o:o + n * n].reshape((n, n))
    o = 6 * p + 3 * qe + 8 * n + n * n + n * max(q, 1) + n * qe     # workspace_size
    if work.shape[0] < o + n:
        return solve_sharing_columns(Ai, Av, C, W, B, w, m, lam0, f, theta, lam, work, rtol,
                                     max_iter)
    start = work[o:o + n]                         # the warm start, kept for a fallback

    for k in range(n):
        start[k] = lam0[k]
    denom, tol = _start(Ai, Av, C, W, B, w, m, start, lam, hc2, iw, dsc, rtol)
    _eval(Ai, Av, hc2, C, B, iw[:q], m, lam, f, s, theta, r)
    if math.sqrt(_dot(r, r)) <= tol:
        return 0, 0, math.sqrt(_dot(r, r)) / denom
    # one Newton step, as _dual_newton takes it (eps = 0)
    for k in range(n):
        grad[k] = r[k] - 0.0 * dsc[k] * (lam[k] - anchor[k])
    _newton_direction(Ai, Av, hc2, C, B, iw[:q], f, s, grad, dsc, 0.0, H, d)
    dphi0 = _dot(grad, d)
    if not dphi0 > 0.0:
        for k in range(n):
            d[k] = grad[k]
        dphi0 = _dot(grad, grad)
    t, unbounded = _line_search(Ai, Av, hc2, C, B, iw[:q], s, d, dphi0, 0.0, dsc, g, ta, tb)
    if not unbounded and t > 0.0:
        for k in range(n):
            lam[k] += t * d[k]
        _eval(Ai, Av, hc2, C, B, iw[:q], m, lam, f, s, theta, r)
        rn = math.sqrt(_dot(r, r))
        if rn <= tol:
            return 0, 1, rn / denom
    return solve_sharing_columns(Ai, Av, C, W, B, w, m, start, f, theta, lam, work, rtol,
                                 max_iter)
