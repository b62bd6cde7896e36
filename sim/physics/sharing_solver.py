"""Entry points of the compiled load-sharing solver: one phase, one stride.

The numba functions the time loop and the Python API call (the QP and its method are
described in :mod:`sim.physics.sharing`): the workspace they need
(:func:`workspace_size`, :func:`make_workspace`), the moment arms in column form
(:func:`column_structure`), one problem (:func:`solve_sharing`,
:func:`solve_sharing_weighted`, and :func:`solve_sharing_columns`, the kernel called at
every phase sample, which also runs the best-effort solve of an infeasible problem) and
all phase samples of a stride (:func:`solve_stride`), with the status codes they return.
The Newton iteration itself is in :mod:`sim.physics.sharing_newton`.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..jit import kernel
from .sharing_dual import _diag_scale, _dot, _null_basis, _residual
from .sharing_newton import _solve_dual

#: The moments are met to the requested tolerance.
STATUS_OK = 0
#: Certified infeasible (Farkas certificate); forces are the least-deficit best effort.
STATUS_INFEASIBLE = 1
#: Neither converged nor certified infeasible within ``max_iter`` iterations.
STATUS_MAX_ITER = 2
#: Names of the status codes, by code.
STATUS_NAMES = ("ok", "infeasible", "max_iter")

_M_FLOOR = 1e-9        # [N m] denominator floor of the relative residual
_ELASTIC_RHO = 1e6     # slack penalty of the best-effort solve, relative to |m|^2
_ACCEPT_RTOL = 1e-7    # residual accepted when rounding stops progress below it


def workspace_size(n_dof: int, n_col: int, n_comp: int) -> int:
    """Length of the float64 workspace :func:`solve_sharing` needs.

    Parameters
    ----------
    n_dof, n_col, n_comp : int
        Numbers of DOFs, muscle columns and compensation columns.

    Returns
    -------
    int

    Examples
    --------
    >>> workspace_size(6, 24, 2)
    312
    """
    n, p, q = int(n_dof), int(n_col), int(n_comp)
    qe = q + n
    return 6 * p + 3 * qe + 8 * n + n * n + n * max(q, 1) + n * qe


def make_workspace(n_dof: int, n_col: int, n_comp: int) -> np.ndarray:
    """A workspace array for :func:`solve_sharing` / :func:`solve_stride`.

    Examples
    --------
    >>> make_workspace(6, 24, 2).shape
    (312,)
    """
    return np.zeros(workspace_size(n_dof, n_col, n_comp))


@njit(cache=True)
def column_structure(A):
    """Moment arms column by column: the nonzero rows of each column and their values.

    The solver works on this form (``Ai[i, e]`` is a DOF, ``Av[i, e]`` column ``i``'s
    moment arm about it [m]); a muscle spans one to three DOFs, so it is far smaller
    than the dense ``A``. Columns with fewer nonzeros are padded with zero arms.

    Parameters
    ----------
    A : ndarray, shape (n_dof, n_col)
        Moment arms [m].

    Returns
    -------
    Ai : ndarray of int64, shape (n_col, k)
        DOF rows (``k`` = most nonzeros in a column, at least 1).
    Av : ndarray, shape (n_col, k)
        Moment arms [m].

    Examples
    --------
    >>> Ai, Av = column_structure(np.array([[0.05, 0.0], [0.02, 0.04]]))
    >>> Ai.tolist(), Av.tolist()
    ([[0, 1], [1, 0]], [[0.05, 0.02], [0.04, 0.0]])
    """
    n, p = A.shape
    k = 1
    for i in range(p):
        cnt = 0
        for r in range(n):
            if A[r, i] != 0.0:
                cnt += 1
        k = max(k, cnt)
    Ai = np.zeros((p, k), dtype=np.int64)
    Av = np.zeros((p, k))
    for i in range(p):
        e = 0
        for r in range(n):
            if A[r, i] != 0.0:
                Ai[i, e] = r
                Av[i, e] = A[r, i]
                e += 1
    return Ai, Av


@njit(cache=True)
def solve_sharing(A, C, B, w, m, lam0, f, theta, lam, work, rtol=1e-10, max_iter=100):
    """Solve one load-sharing QP in place (numba kernel).

    It allocates only the column form of ``A`` (:func:`column_structure`); a caller
    that solves many problems with one ``A`` builds that once and calls
    :func:`solve_sharing_columns`.

    Parameters
    ----------
    A : ndarray, shape (n_dof, n_col)
        Moment arms [m].
    C : ndarray, shape (n_col,)
        Capacity forces [N], >= 0 (0 = unavailable column).
    B : ndarray, shape (n_dof, n_comp)
        Compensation columns [N m per unit theta]; n_comp may be 0.
    w : ndarray, shape (n_comp,)
        Compensation costs (> 0) [1 per unit theta squared].
    m : ndarray, shape (n_dof,)
        Demanded net moments [N m].
    lam0 : ndarray, shape (n_dof,)
        Warm start of the multipliers [1/(N m)] (zeros for a cold start).
    f, theta, lam : ndarray
        Outputs (n_col,), (n_comp,), (n_dof,): forces [N], compensations, multipliers.
    work : ndarray
        Float64 workspace of at least :func:`workspace_size` elements.
    rtol : float, default 1e-10
        Convergence when ``|A f + B theta - m| <= rtol * max(|m|, 1e-9 N m)``.
    max_iter : int, default 100
        Newton iterations allowed, plain and proximal together (the best-effort solve
        of an infeasible problem has a budget of its own).

    Returns
    -------
    status : int
        :data:`STATUS_OK`, :data:`STATUS_INFEASIBLE` or :data:`STATUS_MAX_ITER`.
    iterations : int
        Newton iterations used (including a best-effort solve if infeasible).
    residual : float
        Relative residual ``|A f + B theta - m| / max(|m|, 1e-9 N m)``.

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]]); C = np.array([2000.0, 1000.0])
    >>> B = np.zeros((1, 0)); w = np.zeros(0); m = np.array([60.0])
    >>> f, th, lam = np.empty(2), np.empty(0), np.empty(1)
    >>> work = make_workspace(1, 2, 0)
    >>> status, it, res = solve_sharing(A, C, B, w, m, np.zeros(1), f, th, lam, work)
    >>> status, bool(res < 1e-10), round(float(A[0] @ f), 6)
    (0, True, 60.0)
    """
    return solve_sharing_weighted(A, C, C, B, w, m, lam0, f, theta, lam, work, rtol, max_iter)


@njit(cache=True)
def solve_sharing_weighted(A, C, W, B, w, m, lam0, f, theta, lam, work, rtol=1e-10,
                           max_iter=100):
    """:func:`solve_sharing` with effort weights ``W`` apart from the bounds ``C``.

    Solves ``min Σ (f_i / W_i)^2 + Σ w_c θ_c^2  s.t.  A f + B θ = m, 0 ≤ f_i ≤ C_i``:
    the effort of column ``i`` is normalised by ``W_i`` [N] while its force is bounded by
    ``C_i`` [N]. ``W = C`` is :func:`solve_sharing`. A column that lumps several muscles
    of capacities ``c_k`` (sharing one moment arm) has ``W = sqrt(Σ c_k²)``: the lumped
    criterion then equals the criterion summed over the muscles it stands for.

    Examples
    --------
    >>> A = np.array([[0.05, 0.05]]); C = np.array([1000.0, 1000.0])
    >>> W = np.array([1000.0, 500.0])            # second column: effort weighs more
    >>> f, th, lam = np.empty(2), np.empty(0), np.empty(1)
    >>> st, it, res = solve_sharing_weighted(A, C, W, np.zeros((1, 0)), np.zeros(0),
    ...                                      np.array([50.0]), np.zeros(1), f, th, lam,
    ...                                      make_workspace(1, 2, 0))
    >>> np.round(f, 1)
    array([800., 200.])
    """
    if A.shape[0] != m.shape[0]:
        raise ValueError("solve_sharing: shapes of A, C, B, w, m do not match")
    Ai, Av = column_structure(A)
    return solve_sharing_columns(Ai, Av, C, W, B, w, m, lam0, f, theta, lam, work, rtol,
                                 max_iter)


@kernel
def _start(Ai, Av, C, W, B, w, m, lam0, lam, hc2, iw, dsc, rtol):
    """Set a solve up: effort weights ``hc2``, compensation weights ``iw``, the warm start
    ``lam``, each DOF's full curvature ``dsc``; returns the residual's scale [N m] and the
    tolerance on it [N m]."""
    p = C.shape[0]
    q = B.shape[1]
    for i in range(p):
        hc2[i] = 0.5 * W[i] * W[i] if C[i] > 0.0 else 0.0
    for c in range(q):
        iw[c] = 0.5 / w[c]
    for k in range(m.shape[0]):
        lam[k] = lam0[k]
    mnorm = math.sqrt(_dot(m, m))
    denom = max(mnorm, _M_FLOOR)
    _diag_scale(Ai, Av, hc2, B, iw[:q], dsc)
    return denom, rtol * denom


@kernel
def solve_sharing_columns(Ai, Av, C, W, B, w, m, lam0, f, theta, lam, work, rtol=1e-10,
                          max_iter=100):
    """:func:`solve_sharing_weighted` with the moment arms in column form (no allocation).

    ``Ai, Av`` come from :func:`column_structure`; the other arguments and the returns
    are those of :func:`solve_sharing_weighted`. This is the kernel the time loop calls
    at every phase sample.

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]]); C = np.array([2000.0, 1000.0])
    >>> Ai, Av = column_structure(A)
    >>> f, th, lam = np.empty(2), np.empty(0), np.empty(1)
    >>> st, it, res = solve_sharing_columns(Ai, Av, C, C, np.zeros((1, 0)), np.zeros(0),
    ...                                     np.array([60.0]), np.zeros(1), f, th, lam,
    ...                                     make_workspace(1, 2, 0))
    >>> st, np.round(f, 1)
    (0, array([1034.5,  206.9]))
    """
    n = m.shape[0]
    p, kw = Ai.shape
    q = B.shape[1]
    qe = q + n
    if work.shape[0] < 6 * p + 3 * qe + 8 * n + n * n + n * max(q, 1) + n * qe:
        raise ValueError("solve_sharing: workspace too small (see workspace_size)")
    if (C.shape[0] != p or W.shape[0] != p or Av.shape[0] != p or Av.shape[1] != kw
            or B.shape[0] != n or w.shape[0] != q):
        raise ValueError("solve_sharing: shapes of A, C, B, w, m do not match")
    for i in range(p):
        for e in range(kw):
            if Ai[i, e] < 0 or Ai[i, e] >= n:
                raise ValueError("solve_sharing: column structure refers to a missing DOF")
    o = 0
    hc2 = work[o:o + p]; o += p
    s = work[o:o + p]; o += p
    g = work[o:o + p]; o += p
    ta = work[o:o + p]; o += p
    tb = work[o:o + p]; o += p
    fx = work[o:o + p]; o += p
    iw = work[o:o + qe]; o += qe
    thx = work[o:o + qe]; o += qe
    wx = work[o:o + qe]; o += qe
    r = work[o:o + n]; o += n
    d = work[o:o + n]; o += n
    dsc = work[o:o + n]; o += n
    grad = work[o:o + n]; o += n
    anchor = work[o:o + n]; o += n
    y = work[o:o + n]; o += n
    lamx = work[o:o + n]; o += n
    rx = work[o:o + n]; o += n
    H = work[o:o + n * n].reshape((n, n)); o += n * n
    Q = work[o:o + n * max(q, 1)].reshape((n, max(q, 1))); o += n * max(q, 1)
    Bx = work[o:o + n * qe].reshape((n, qe)); o += n * qe

    for k in range(n):
        lamx[k] = lam0[k]       # the best-effort solve's warm start (lam0 may be lam)
    denom, tol = _start(Ai, Av, C, W, B, w, m, lam0, lam, hc2, iw, dsc, rtol)
    tol_accept = max(tol, _ACCEPT_RTOL * denom)
    nb = _null_basis(B, Q)
    # certify the first solve, not the best-effort one (which never reads Q and nb); a
    # variable, not the literals True and False, so that numba compiles _solve_dual once
    certify = p >= 0
    status, it = _solve_dual(Ai, Av, hc2, C, B, iw[:q], m, lam, f, s, theta, r, d, H, dsc,
                             g, ta, tb, grad, anchor, tol, tol_accept, max_iter, certify, Q, nb,
                             y)
    if status == 1:
        # best effort: elastic problem with a penalised slack on every DOF
        for k in range(n):
            for c in range(q):
                Bx[k, c] = B[k, c]
            for c in range(n):
                Bx[k, q + c] = 1.0 if c == k else 0.0
        for c in range(q):
            wx[c] = iw[c]
        for c in range(n):
            wx[q + c] = 0.5 * denom * denom / _ELASTIC_RHO
        _diag_scale(Ai, Av, hc2, Bx, wx, dsc)
        st2, it2 = _solve_dual(Ai, Av, hc2, C, Bx, wx, m, lamx, fx, s, thx, rx, d, H, dsc,
                               g, ta, tb, grad, anchor, tol, tol_accept, max_iter, not certify,
                               Q, nb, y)
        it += it2
        for i in range(p):
            f[i] = fx[i]
        for c in range(q):
            theta[c] = thx[c]
        for k in range(n):
            lam[k] = lamx[k]
        _residual(Ai, Av, B, m, f, theta, r)         # of the original balance
    return status, it, math.sqrt(_dot(r, r)) / denom


@njit(cache=True)
def solve_stride(A, C, B, w, M, lam0, F, Theta, Lam, status, iters, resid, work,
                 rtol=1e-10, max_iter=100):
    """Solve the QP at every phase sample of a stride, warm-started phase to phase.

    Parameters
    ----------
    A : ndarray, shape (n_dof, n_col)
        Moment arms [m].
    C : ndarray, shape (n_phase, n_col)
        Capacity forces per phase [N].
    B : ndarray, shape (n_phase, n_dof, n_comp)
        Compensation columns per phase.
    w : ndarray, shape (n_comp,)
        Compensation costs (> 0).
    M : ndarray, shape (n_phase, n_dof)
        Demanded moments per phase [N m].
    lam0 : ndarray, shape (n_dof,)
        Warm start of the first phase (e.g. the last phase of the previous stride).
    F, Theta, Lam : ndarray
        Outputs (n_phase, n_col), (n_phase, n_comp), (n_phase, n_dof).
    status, iters : ndarray of int64, shape (n_phase,)
        Outputs: status code and iterations per phase.
    resid : ndarray, shape (n_phase,)
        Output: relative residual per phase.
    work : ndarray
        Workspace of at least :func:`workspace_size` elements.
    rtol : float, default 1e-10
    max_iter : int, default 100

    Returns
    -------
    n_bad : int
        Number of phases whose status is not :data:`STATUS_OK`.

    Notes
    -----
    A phase after an infeasible one is warm-started from the last feasible phase's
    multipliers (a best-effort solve's multipliers measure the deficit, not the
    effort).

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]]); n_ph = 3
    >>> C = np.tile([2000.0, 1000.0], (n_ph, 1)); M = np.array([[20.0], [60.0], [0.0]])
    >>> B = np.zeros((n_ph, 1, 0)); w = np.zeros(0)
    >>> F, Th, L = np.empty((n_ph, 2)), np.empty((n_ph, 0)), np.empty((n_ph, 1))
    >>> st, it, rr = np.empty(n_ph, np.int64), np.empty(n_ph, np.int64), np.empty(n_ph)
    >>> solve_stride(A, C, B, w, M, np.zeros(1), F, Th, L, st, it, rr, make_workspace(1, 2, 0))
    0
    >>> np.round(F @ A[0], 6)
    array([20., 60.,  0.])
    """
    n_phase = M.shape[0]
    if A.shape[0] != M.shape[1]:
        raise ValueError("solve_sharing: shapes of A, C, B, w, m do not match")
    Ai, Av = column_structure(A)
    last_ok = -1
    n_bad = 0
    for j in range(n_phase):
        warm = lam0 if last_ok < 0 else Lam[last_ok]
        st, it, rr = solve_sharing_columns(Ai, Av, C[j], C[j], B[j], w, M[j], warm, F[j],
                                           Theta[j], Lam[j], work, rtol, max_iter)
        status[j] = st
        iters[j] = it
        resid[j] = rr
        if st == 0:
            last_ok = j
        else:
            n_bad += 1
    return n_bad
