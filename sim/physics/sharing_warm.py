"""The common load-sharing solve, from a warm start, without the general solver's fixed costs.

In a run, nearly every solve starts from the multipliers of the same phase one solved
stride earlier and meets the moments at once or after one Newton step (98 % of the
solves of the benchmark's 2-hour runs). :func:`solve_sharing_warm` handles that case in
two passes over the columns, and sends every other case, from its original warm start,
to the general solver (:func:`sim.physics.sharing_solver.solve_sharing_columns`). This
is the one-phase form, written to be read: the run loop calls its many-phase form,
:func:`sim.physics.sharing_phases.solve_phases_warm`, whose results are tested to be
these bit for bit (``tests/physics/test_sharing_phases.py``). The two passes:

1. at the warm start: the primal minimisers, the moment residual, the side of its bounds
   each column is on, and the dual's curvature ``H = sum_free (W_i^2 / 2) a_i a_i^T +
   sum_c B_c B_c^T / (2 w_c)`` (the general solver's Newton matrix). A residual within
   the tolerance ends the solve here;
2. the Newton step ``H d = r`` (Cholesky), taken in full if no column changes side along
   it: the dual is then quadratic on the step, so the full step is its exact maximiser
   along ``d``, as the general solver's line search would find (to rounding). The
   residual after the step must pass the same test as the general solver's.

A pivot the general solver would lift (a direction no free column supports), a column
that changes side, or a residual still too large sends the problem to the general
solver. The checks of the inputs (the caller builds the column structure once per run),
the Farkas basis, and the proximal and best-effort stages are left to it too.

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
from .sharing_newton import _cholesky_solve
from .sharing_solver import _M_FLOOR, solve_sharing_columns

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
    o = 6 * p + 3 * qe + 8 * n + n * n + n * max(q, 1) + n * qe     # workspace_size
    if work.shape[0] < o + n:
        return solve_sharing_columns(Ai, Av, C, W, B, w, m, lam0, f, theta, lam, work, rtol,
                                     max_iter)
    start = work[o:o + n]        # the warm start, kept for a fallback
    # this path uses the first 2 p + 3 n + n^2 entries (the general solver lays the
    # workspace out its own way, sharing_solver.solve_sharing_columns)
    s = work[0:p]
    side = work[p:2 * p]          # 0 lower, 1 free, 2 upper (as floats)
    r = work[2 * p:2 * p + n]
    d = work[2 * p + n:2 * p + 2 * n]
    dsc = work[2 * p + 2 * n:2 * p + 3 * n]
    H = work[2 * p + 3 * n:2 * p + 3 * n + n * n].reshape((n, n))
    mm = 0.0
    for k in range(n):
        start[k] = lam0[k]
        lam[k] = lam0[k]
        mm += m[k] * m[k]
        r[k] = m[k]
        dsc[k] = 0.0
        for b in range(n):
            H[k, b] = 0.0
    denom = max(math.sqrt(mm), _M_FLOOR)
    tol = rtol * denom
    for c in range(q):
        iwc = 0.5 / w[c]
        acc = 0.0
        for k in range(n):
            acc += B[k, c] * lam[k]
        th = iwc * acc
        theta[c] = th
        for k in range(n):
            bk = B[k, c]
            if bk != 0.0:
                r[k] -= bk * th
                dsc[k] += iwc * bk * bk
                for b in range(k, n):
                    H[k, b] += iwc * bk * B[b, c]
    for i in range(p):
        h = 0.5 * W[i] * W[i] if C[i] > 0.0 else 0.0
        acc = 0.0
        for e in range(kw):
            acc += Av[i, e] * lam[Ai[i, e]]
        s[i] = acc
        u = h * acc
        if u <= 0.0:
            u = 0.0
        elif u > C[i]:
            u = C[i]
        f[i] = u
        free = h > 0.0 and acc >= 0.0 and u < C[i]
        side[i] = 1.0 if free else (0.0 if acc < 0.0 else 2.0)
        for e in range(kw):
            a = Ai[i, e]
            va = Av[i, e]
            r[a] -= va * u
            hv = h * va
            dsc[a] += hv * va
            if free:
                H[a, a] += hv * va
                for e2 in range(e + 1, kw):
                    b = Ai[i, e2]
                    if b > a:
                        H[a, b] += hv * Av[i, e2]
                    else:
                        H[b, a] += hv * Av[i, e2]
    rr = 0.0
    for k in range(n):
        rr += r[k] * r[k]
    if math.sqrt(rr) <= tol:
        return 0, 0, math.sqrt(rr) / denom
    # Newton step; a pivot the general solver would lift sends the problem there
    for k in range(n):
        if not dsc[k] > 0.0:
            dsc[k] = 1.0
    if not _cholesky_solve(H, r, dsc, False, d):
        return solve_sharing_columns(Ai, Av, C, W, B, w, m, start, f, theta, lam, work, rtol,
                                     max_iter)
    # the full step, if no column changes side (the dual is then quadratic on the step)
    for k in range(n):
        lam[k] += d[k]
        r[k] = m[k]
    for i in range(p):
        h = 0.5 * W[i] * W[i] if C[i] > 0.0 else 0.0
        acc = 0.0
        for e in range(kw):
            acc += Av[i, e] * lam[Ai[i, e]]
        u = h * acc
        if h > 0.0:
            sd = 1.0 if (acc >= 0.0 and u < C[i]) else (0.0 if acc < 0.0 else 2.0)
            if sd != side[i]:
                return solve_sharing_columns(Ai, Av, C, W, B, w, m, start, f, theta, lam,
                                             work, rtol, max_iter)
        if u <= 0.0:
            u = 0.0
        elif u > C[i]:
            u = C[i]
        f[i] = u
        for e in range(kw):
            r[Ai[i, e]] -= Av[i, e] * u
    for c in range(q):
        acc = 0.0
        for k in range(n):
            acc += B[k, c] * lam[k]
        th = (0.5 / w[c]) * acc
        theta[c] = th
        for k in range(n):
            r[k] -= B[k, c] * th
    rr = 0.0
    for k in range(n):
        rr += r[k] * r[k]
    if math.sqrt(rr) <= tol:
        return 0, 1, math.sqrt(rr) / denom
    return solve_sharing_columns(Ai, Av, C, W, B, w, m, start, f, theta, lam, work, rtol,
                                 max_iter)
