"""The warm one-step load-sharing solve for many phase samples at once.

:func:`solve_phases_warm` is :func:`sim.physics.sharing_warm.solve_sharing_warm` applied
to the phase samples of (part of) a stride that share the capacity forces ``C`` and effort
weights ``W`` (block mode solves each block's stride at one set of capacities). It does
the same arithmetic, in the same order, phase by phase, but with the phase sample as the
innermost loop, so that the compiler can carry several phase samples in one vector
instruction: the two passes over the columns, the curvature, its Cholesky factorisation
and the Newton step. A phase sample that the one-step path cannot finish (a pivot the
general solver would lift, a column that changes side along the step, a residual still
too large) is solved by the general solver from its own warm start, as in
:func:`~sim.physics.sharing_warm.solve_sharing_warm`; so the results are those of calling
that function phase by phase (``tests/physics/test_sharing_phases.py``).

Layout: the phase sample is the last axis of every array of the workspace
(:func:`phases_workspace`), the first axis of the inputs and outputs, as in the engine.

Examples
--------
>>> import numpy as np
>>> from sim.physics.sharing_solver import column_structure, workspace_size
>>> A = np.array([[0.05, 0.04]]); C = np.array([2000.0, 1000.0])
>>> Ai, Av = column_structure(A)
>>> M = np.array([[60.0], [30.0]])
>>> F, Th, Lam = np.empty((2, 2)), np.empty((2, 0)), np.zeros((2, 1))
>>> st, res = np.empty(2, np.int64), np.empty(2)
>>> wk = phases_workspace(1, 2, 0, 2)
>>> solve_phases_warm(Ai, Av, C, C, np.zeros((2, 1, 0)), np.zeros(0), M, Lam, F, Th, Lam,
...                   st, res, wk, np.zeros(workspace_size(1, 2, 0) + 1))
>>> st, np.round(F[0], 1)
(array([0, 0]), array([1034.5,  206.9]))
"""
from __future__ import annotations

import math

import numpy as np

from ..jit import kernel
from .sharing_newton import _PIVOT_RTOL
from .sharing_solver import _M_FLOOR, STATUS_OK, solve_sharing_columns

__all__ = ["phases_workspace", "phases_workspace_size", "solve_phases_warm"]


@kernel
def phases_workspace_size(n_dof, n_col, n_lean, n_phase):
    """Entries of :func:`solve_phases_warm`'s workspace for up to ``n_phase`` phase samples."""
    return (n_dof * n_dof + 4 * n_dof + 2 * n_col + max(n_lean, 1) + 5) * n_phase


def phases_workspace(n_dof, n_col, n_lean, n_phase):
    """Workspace of :func:`solve_phases_warm` for up to ``n_phase`` phase samples."""
    return np.zeros(phases_workspace_size(n_dof, n_col, n_lean, n_phase))


@kernel
def solve_phases_warm(Ai, Av, C, W, B, w, M, Lam0, F, Th, Lam, status, resid, wk, work,
                      rtol=1e-10, max_iter=100):
    """Load sharing of ``nj = M.shape[0]`` phase samples that share ``C`` and ``W``.

    Parameters
    ----------
    Ai, Av, C, W, w, rtol, max_iter
        As in :func:`~sim.physics.sharing_solver.solve_sharing_columns` (shared by every
        phase sample).
    B : ndarray (nj, n_dof, n_lean)
        Each phase sample's compensation columns.
    M : ndarray (nj, n_dof)
        Each phase sample's demanded moments [N m].
    Lam0 : ndarray (nj, n_dof)
        Warm starts; may be the same array as ``Lam``.
    F, Th, Lam : ndarray (nj, n_col), (nj, n_lean), (nj, n_dof)
        Outputs: forces [N], compensation variables, multipliers.
    status, resid : ndarray (nj,)
        Outputs: solver status and relative moment residual of each phase sample.
    wk : ndarray
        At least :func:`phases_workspace_size` entries for ``nj`` phase samples.
    work : ndarray
        The general solver's workspace, for the phase samples the one-step path cannot
        finish.
    """
    nj, n = M.shape
    p, kw = Ai.shape
    q = B.shape[2]
    # the workspace, phase sample last
    o = 0
    H = wk[o:o + n * n * nj].reshape((n, n, nj))      # curvature; then its Cholesky factor
    o += n * n * nj
    X = wk[o:o + n * nj].reshape((n, nj))             # multipliers
    o += n * nj
    R = wk[o:o + n * nj].reshape((n, nj))             # moment residual
    o += n * nj
    D = wk[o:o + n * nj].reshape((n, nj))             # Newton step (before it, _lean_pass)
    o += n * nj
    G = wk[o:o + n * nj].reshape((n, nj))             # full curvature's diagonal
    o += n * nj
    Fk = wk[o:o + p * nj].reshape((p, nj))            # column forces
    o += p * nj
    Sd = wk[o:o + p * nj].reshape((p, nj))            # side of the bounds: 0 low, 1 free, 2 up
    o += p * nj
    T = wk[o:o + max(q, 1) * nj].reshape((max(q, 1), nj))     # compensation variables
    o += max(q, 1) * nj
    den = wk[o:o + nj]                                # residual's scale [N m]
    rr = wk[o + nj:o + 2 * nj]
    hf = wk[o + 2 * nj:o + 3 * nj]                    # a column's curvature, where free
    go = wk[o + 3 * nj:o + 4 * nj]                    # 2 done, 1 one step holds, 0 general
    acc = wk[o + 4 * nj:o + 5 * nj]
    for j in range(nj):
        rr[j] = 0.0
    for k in range(n):
        for j in range(nj):
            X[k, j] = Lam0[j, k]
            R[k, j] = M[j, k]
            G[k, j] = 0.0
            rr[j] += M[j, k] * M[j, k]
        for b in range(n):
            for j in range(nj):
                H[k, b, j] = 0.0
    for j in range(nj):
        den[j] = max(math.sqrt(rr[j]), _M_FLOOR)
    for step in range(2):
        # a pass at X: compensation variables (first on the first pass, as the one-phase
        # solve does), columns, residual; the first pass also builds the curvature
        first = step == 0
        if not first:
            for k in range(n):
                for j in range(nj):
                    R[k, j] = M[j, k]
            for j in range(nj):
                hf[j] = 1.0         # no column has changed side along the step
        for c in range(q if first else 0):
            _lean_pass(B, w, X, R, T, H, G, D, nj, c, first)
        for i in range(p):
            h = 0.5 * W[i] * W[i] if C[i] > 0.0 else 0.0
            ci = C[i]
            for j in range(nj):
                acc[j] = 0.0
            for e in range(kw):
                a = Ai[i, e]
                va = Av[i, e]
                for j in range(nj):
                    acc[j] += va * X[a, j]
            # the column's force within its bounds and the side it is on (no branch
            # within the loop over the phase samples)
            if first:
                for j in range(nj):
                    u, sd = _column_force(acc[j], h, ci)
                    Fk[i, j] = u
                    Sd[i, j] = sd
                    hf[j] = h if sd == 1.0 else 0.0
            else:
                for j in range(nj):
                    u, sd = _column_force(acc[j], h, ci)
                    Fk[i, j] = u
                    hf[j] = 0.0 if (h > 0.0 and sd != Sd[i, j]) else hf[j]
            for e in range(kw):
                a = Ai[i, e]
                va = Av[i, e]
                for j in range(nj):
                    R[a, j] -= va * Fk[i, j]
                if first:
                    hv = h * va
                    for j in range(nj):
                        G[a, j] += hv * va
                        H[a, a, j] += (hf[j] * va) * va
                    for e2 in range(e + 1, kw):
                        b = Ai[i, e2]
                        vb = Av[i, e2]
                        lo, up = (a, b) if b > a else (b, a)
                        for j in range(nj):
                            H[lo, up, j] += (hf[j] * va) * vb
        for c in range(0 if first else q):
            _lean_pass(B, w, X, R, T, H, G, D, nj, c, first)
        for j in range(nj):
            rr[j] = 0.0
        for k in range(n):
            for j in range(nj):
                rr[j] += R[k, j] * R[k, j]
        if first:
            n_step = 0
            for j in range(nj):
                done = math.sqrt(rr[j]) <= rtol * den[j]
                go[j] = 2.0 if done else 1.0
                n_step += 0 if done else 1
            if n_step == 0:
                break
            for k in range(n):
                for j in range(nj):
                    G[k, j] = G[k, j] if G[k, j] > 0.0 else 1.0
            # Newton step H d = r by Cholesky (the factor in the lower triangle); a pivot
            # the general solver would lift leaves the phase to it. Every sum is taken in
            # the one-phase solve's order, with the phase sample as the innermost loop
            # and no branch within it, so that the compiler vectorises it
            for j0 in range(n):
                for j in range(nj):
                    acc[j] = H[j0, j0, j]
                for k in range(j0):
                    for j in range(nj):
                        acc[j] -= H[j0, k, j] * H[j0, k, j]
                for j in range(nj):
                    v = acc[j]
                    lift = v <= _PIVOT_RTOL * G[j0, j]
                    go[j] = 0.0 if lift and go[j] == 1.0 else go[j]
                    H[j0, j0, j] = math.sqrt(1.0 if lift else v)
                for i in range(j0 + 1, n):
                    for j in range(nj):
                        H[i, j0, j] = H[j0, i, j]
                    for k in range(j0):
                        for j in range(nj):
                            H[i, j0, j] -= H[i, k, j] * H[j0, k, j]
                    for j in range(nj):
                        H[i, j0, j] = H[i, j0, j] / H[j0, j0, j]
            for i in range(n):
                for j in range(nj):
                    D[i, j] = R[i, j]
                for k in range(i):
                    for j in range(nj):
                        D[i, j] -= H[i, k, j] * D[k, j]
                for j in range(nj):
                    D[i, j] = D[i, j] / H[i, i, j]
            for i in range(n - 1, -1, -1):
                for k in range(i + 1, n):
                    for j in range(nj):
                        D[i, j] -= H[k, i, j] * D[k, j]
                for j in range(nj):
                    D[i, j] = D[i, j] / H[i, i, j]
            for k in range(n):
                for j in range(nj):
                    X[k, j] = X[k, j] + D[k, j] if go[j] == 1.0 else X[k, j]
    for j in range(nj):
        if go[j] == 2.0 or (go[j] == 1.0 and hf[j] == 1.0
                            and math.sqrt(rr[j]) <= rtol * den[j]):
            for k in range(n):
                Lam[j, k] = X[k, j]
            for i in range(p):
                F[j, i] = Fk[i, j]
            for c in range(q):
                Th[j, c] = T[c, j]
            status[j] = STATUS_OK
            resid[j] = math.sqrt(rr[j]) / den[j]
        else:                                # the general solver, from the warm start
            st, _, res = solve_sharing_columns(Ai, Av, C, W, B[j], w, M[j], Lam0[j], F[j],
                                               Th[j], Lam[j], work, rtol, max_iter)
            status[j] = st
            resid[j] = res


@kernel
def _column_force(sv, h, ci):
    """A column's force ``h sv`` within its bounds ``[0, ci]`` and the side it is on (0 at
    the lower bound, 1 free, 2 at the upper), without a branch."""
    u = h * sv
    u = 0.0 if u <= 0.0 else (ci if u > ci else u)
    sd = 1.0 if (h > 0.0 and sv >= 0.0 and u < ci) else (0.0 if sv < 0.0 else 2.0)
    return u, sd


@kernel
def _lean_pass(B, w, X, R, T, H, G, Bt, nj, c, first):
    """Compensation variable ``c`` at multipliers ``X``; its residual and (first pass)
    curvature and curvature diagonal. ``Bt`` (n_dof x nj) receives the variable's column
    of every phase sample, phase sample last, so that every loop reads contiguous
    memory."""
    n = X.shape[0]
    iwc = 0.5 / w[c]
    for k in range(n):
        for j in range(nj):
            Bt[k, j] = B[j, k, c]
    for j in range(nj):
        T[c, j] = 0.0
    for k in range(n):
        for j in range(nj):
            T[c, j] += Bt[k, j] * X[k, j]
    for j in range(nj):
        T[c, j] = iwc * T[c, j]
    for k in range(n):
        for j in range(nj):
            R[k, j] -= Bt[k, j] * T[c, j]
        if first:
            for j in range(nj):
                G[k, j] += iwc * Bt[k, j] * Bt[k, j]
            for b in range(k, n):
                for j in range(nj):
                    H[k, b, j] += iwc * Bt[k, j] * Bt[b, j]
