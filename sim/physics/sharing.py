"""Fatigue-aware load sharing: muscle forces and compensations that meet the moments.

At every phase sample of a stride the muscle (column) forces ``f`` and compensation
variables ``theta`` solve the quadratic programme (DESIGN §2.4)

.. math::

    \\min_{f,\\theta}\\; \\sum_i (f_i / C_i)^2 + \\sum_c w_c \\theta_c^2
    \\quad\\text{s.t.}\\quad A f + B \\theta = m,\\qquad 0 \\le f_i \\le C_i ,

with ``C_i`` the force muscle ``i`` can produce now [N] (fresh maximum x strength x
remaining capacity), ``A`` the moment arms [m] (n_dof x n_col), ``B`` the compensation
columns [N m per unit of theta] (n_dof x n_comp), ``w_c > 0`` their costs and ``m`` the
demanded net joint moments [N m]. Dividing by ``C_i`` makes a fatigued muscle expensive,
so its share moves to fresh synergists and, when they run short, to the compensations.

Method
------
The objective is separable and strictly convex, so the problem is solved through its
Lagrange dual on the n_dof multipliers ``lam`` [1/(N m)]. For a given ``lam`` the
minimisers are explicit::

    f_i(lam)     = clip(C_i**2 / 2 * (A.T @ lam)_i, 0, C_i)
    theta_c(lam) = (B.T @ lam)_c / (2 w_c)

and the dual function ``g(lam)`` is concave and piecewise quadratic with gradient
``r(lam) = m - A f(lam) - B theta(lam)``, the moment residual. It is maximised by

1. a semismooth Newton iteration [2]_: the generalised Hessian sums
   ``C_i**2/2 a_i a_i^T`` over the columns strictly inside their bounds plus
   ``B diag(1/(2w)) B^T``; a modified Cholesky factorisation lifts pivots of directions
   no free column supports [3]_; each step ends with an exact line search (the slope
   ``r(lam + t d) . d`` is piecewise linear, so walking through the breakpoints where
   columns reach a bound gives its zero exactly). Once the active set is right the
   Newton step is exact and the residual drops to rounding level;
2. if that has not converged after 12 iterations (the maximum sits on a kink of the
   dual, typically when a DOF is served only by saturated muscles), the proximal point
   method on the dual (the method of multipliers [4]_): each subproblem
   ``max g(lam) - eps/2 sum_k D_k (lam_k - anchor_k)^2`` is strongly concave and
   solved by the same Newton iteration, and ``eps`` shrinks tenfold whenever an outer
   step does not halve the residual. For a piecewise-quadratic dual it ends after
   finitely many outer steps.

Convergence: ``|A f + B theta - m| <= rtol * max(|m|, 1e-9 N m)`` (default ``rtol =
1e-10``), or, when rounding stops progress in an ill-conditioned problem, a residual
that stays below ``1e-7 * max(|m|, 1e-9 N m)`` for three iterations. Forces are clipped
to ``[0, C_i]`` by construction, so the bounds hold exactly at every iterate; columns
with ``C_i = 0`` get ``f_i = 0``. Warm starts use the previous phase's ``lam``.

The kernels read ``A`` column by column, as each column's nonzero moment arms
(:func:`column_structure`; a muscle spans one to three DOFs), and are compiled without
numba's reference counting (:mod:`sim.jit`): a 2-hour run solves some 5,000 problems.

Infeasibility
-------------
If the demand is beyond what the capacities and compensations can make, the dual is
unbounded and ``lam`` diverges. By Farkas' lemma the demand is infeasible exactly when
some ``y`` with ``B.T @ y = 0`` has ``y . m > sum_i C_i max(0, (A.T y)_i)``. After
every iteration that has not converged, the current ``lam`` and residual are projected
on the null space of ``B.T`` and tested as such a certificate ``y`` (with a relative
margin of 1e-9 against rounding); a feasible problem can never pass the test. A
certified problem is flagged ``STATUS_INFEASIBLE`` and its returned forces are the
best effort: the solution of the same problem with an extra slack ``s`` on every DOF
(``A f + B theta + s = m``) penalised by ``1e6 * |s|^2 / |m|^2``, i.e. close to the
moment balance with the least squared deficit, muscles saturated where they run out.
A problem that neither converges nor is certified within ``max_iter`` is flagged
``STATUS_MAX_ITER``. In both cases ``feasible`` is False and the residual is reported:
the moment balance is never silently violated.

A plain SciPy solution of the same problem (bounded least squares with
``scipy.optimize.lsq_linear``, and a HiGHS linear programme for feasibility) is
:func:`share_load_scipy`; it is the reference in the tests and in the slow reference
engine.

References
----------
.. [1] Crowninshield RD, Brand RA (1981) A physiologically based criterion of muscle
   force prediction in locomotion. J Biomech 14(11):793-801 (effort criteria).
.. [2] Qi L, Sun J (1993) A nonsmooth version of Newton's method. Math Program
   58:353-367 (semismooth Newton).
.. [3] Nocedal J, Wright SJ (2006) Numerical Optimization, 2nd ed. Springer: Lagrangian
   duality (ch. 12), line searches (ch. 3), modified Cholesky (ch. 3.4).
.. [4] Rockafellar RT (1976) Augmented Lagrangians and applications of the proximal
   point algorithm in convex programming. Math Oper Res 1(2):97-116.

Examples
--------
Two hip abductors share an abduction moment of 60 N m, weighted by capacity:

>>> A = np.array([[0.05, 0.04]])           # moment arms [m], one DOF
>>> res = share_load(A, np.array([2000.0, 1000.0]), np.array([60.0]))
>>> res.feasible, np.round(res.f, 1)
(True, array([1034.5,  206.9]))
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..jit import kernel

__all__ = [
    "STATUS_OK",
    "STATUS_INFEASIBLE",
    "STATUS_MAX_ITER",
    "STATUS_NAMES",
    "SharingResult",
    "StrideSharingResult",
    "workspace_size",
    "make_workspace",
    "solve_sharing",
    "solve_sharing_weighted",
    "solve_sharing_columns",
    "column_structure",
    "solve_stride",
    "share_load",
    "share_stride",
    "share_load_scipy",
    "feasibility_lp",
]

#: The moments are met to the requested tolerance.
STATUS_OK = 0
#: Certified infeasible (Farkas certificate); forces are the least-deficit best effort.
STATUS_INFEASIBLE = 1
#: Neither converged nor certified infeasible within ``max_iter`` iterations.
STATUS_MAX_ITER = 2
#: Names of the status codes, by code.
STATUS_NAMES = ("ok", "infeasible", "max_iter")

_M_FLOOR = 1e-9        # [N m] denominator floor of the relative residual
_CERT_RTOL = 1e-9      # relative margin of the Farkas certificate
_ELASTIC_RHO = 1e6     # slack penalty of the best-effort solve, relative to |m|^2
_PIVOT_RTOL = 1e-12    # modified Cholesky: relative pivot below which it is lifted
_PIVOT_LIFT = 1e-3     # ... to this fraction of the direction's full curvature
_ACCEPT_RTOL = 1e-7    # residual accepted when rounding stops progress below it
_FAST_ITER = 12        # plain Newton iterations before switching to the proximal method
_PROX_EPS = 1e-3       # initial proximal weight, relative to each DOF's full curvature
_PROX_EPS_MIN = 1e-14  # smallest proximal weight


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


# --------------------------------------------------------------------------------------
# numba kernels
# --------------------------------------------------------------------------------------
@kernel
def _dot(a, b):
    acc = 0.0
    for k in range(a.shape[0]):
        acc += a[k] * b[k]
    return acc


@kernel
def _eval(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r):
    """Primal minimisers at ``lam`` and the residual ``r = m - A f - B th``."""
    n, q = B.shape
    p, kw = Ai.shape
    for i in range(p):
        acc = 0.0
        for e in range(kw):
            acc += Av[i, e] * lam[Ai[i, e]]
        s[i] = acc
        u = hc2[i] * acc
        if u <= 0.0:
            u = 0.0
        elif u > C[i]:
            u = C[i]
        f[i] = u
    for c in range(q):
        acc = 0.0
        for k in range(n):
            acc += B[k, c] * lam[k]
        th[c] = iw[c] * acc
    _residual(Ai, Av, B, m, f, th, r)


@kernel
def _residual(Ai, Av, B, m, f, th, r):
    """Moment residual ``r = m - A f - B th`` [N m]."""
    n, q = B.shape
    p, kw = Ai.shape
    for k in range(n):
        acc = m[k]
        for c in range(q):
            acc -= B[k, c] * th[c]
        r[k] = acc
    for i in range(p):
        for e in range(kw):
            r[Ai[i, e]] -= Av[i, e] * f[i]


@kernel
def _newton_direction(Ai, Av, hc2, C, B, iw, f, s, rhs, dsc, eps, H, d):
    """Semismooth Newton direction: ``(H_free + B W B^T + eps diag(dsc)) d = rhs``.

    Modified Cholesky: a pivot below ``_PIVOT_RTOL`` of the direction's full curvature
    ``dsc`` (no free column supports it) is lifted to ``_PIVOT_LIFT * dsc``.
    """
    n, q = B.shape
    p, kw = Ai.shape
    for a in range(n):
        for b in range(n):
            H[a, b] = 0.0
        H[a, a] = eps * dsc[a]
    for i in range(p):
        h = hc2[i]
        if h > 0.0 and s[i] >= 0.0 and f[i] < C[i]:
            for e in range(kw):
                a = Ai[i, e]
                va = Av[i, e] * h
                H[a, a] += va * Av[i, e]
                for e2 in range(e + 1, kw):
                    b = Ai[i, e2]
                    if b > a:
                        H[a, b] += va * Av[i, e2]
                    else:
                        H[b, a] += va * Av[i, e2]
    for c in range(q):
        h = iw[c]
        for a in range(n):
            va = B[a, c] * h
            if va != 0.0:
                for b in range(a, n):
                    H[a, b] += va * B[b, c]
    # Cholesky H = L L^T in the lower triangle, lifting tiny pivots
    for j in range(n):
        v = H[j, j]
        for k in range(j):
            v -= H[j, k] * H[j, k]
        if v <= _PIVOT_RTOL * dsc[j]:
            v = _PIVOT_LIFT * dsc[j]
        v = math.sqrt(v)
        H[j, j] = v
        for i in range(j + 1, n):
            acc = H[j, i]          # upper triangle still holds the original entries
            for k in range(j):
                acc -= H[i, k] * H[j, k]
            H[i, j] = acc / v
    for i in range(n):             # forward: L z = rhs
        acc = rhs[i]
        for k in range(i):
            acc -= H[i, k] * d[k]
        d[i] = acc / H[i, i]
    for i in range(n - 1, -1, -1):  # backward: L^T d = z
        acc = d[i]
        for k in range(i + 1, n):
            acc -= H[k, i] * d[k]
        d[i] = acc / H[i, i]


@kernel
def _null_basis(B, Q):
    """Orthonormal basis of range(B) in the first columns of Q; returns its size."""
    n, q = B.shape
    bmax = 0.0
    for c in range(q):
        nc = 0.0
        for k in range(n):
            nc += B[k, c] * B[k, c]
        bmax = max(bmax, math.sqrt(nc))
    nb = 0
    for c in range(q):
        for k in range(n):
            Q[k, nb] = B[k, c]
        for _ in range(2):                       # Gram-Schmidt, twice for stability
            for j in range(nb):
                acc = 0.0
                for k in range(n):
                    acc += Q[k, j] * Q[k, nb]
                for k in range(n):
                    Q[k, nb] -= acc * Q[k, j]
        nc = 0.0
        for k in range(n):
            nc += Q[k, nb] * Q[k, nb]
        nc = math.sqrt(nc)
        if nc > 1e-10 * bmax and nc > 0.0:
            for k in range(n):
                Q[k, nb] /= nc
            nb += 1
    return nb


@kernel
def _farkas(Ai, Av, C, B, m, Q, nb, src, theta, y):
    """True if ``src`` projected on null(B^T) certifies that ``m`` is unattainable.

    Farkas: a feasible ``m = A f + B theta`` (0 <= f <= C) has, for every ``y`` with
    ``B^T y = 0``, ``y . m <= sum_i C_i max(0, (A^T y)_i)``. The test asks for a margin
    of ``_CERT_RTOL`` of the terms' magnitude plus the leakage ``|B^T y| |theta|`` left
    by rounding in the projection, and only trusts a projection that keeps at least a
    tenth of ``src``, so rounding cannot produce a certificate.
    """
    n, q = B.shape
    p, kw = Ai.shape
    for k in range(n):
        y[k] = src[k]
    for _ in range(2):
        for j in range(nb):
            acc = 0.0
            for k in range(n):
                acc += Q[k, j] * y[k]
            for k in range(n):
                y[k] -= acc * Q[k, j]
    ny = math.sqrt(_dot(y, y))
    if not ny > 0.1 * math.sqrt(_dot(src, src)):
        return False
    ym = _dot(y, m)
    if not ym > 0.0:
        return False
    support = 0.0
    scale = abs(ym)
    for i in range(p):
        acc = 0.0
        for e in range(kw):
            acc += Av[i, e] * y[Ai[i, e]]
        if acc > 0.0:
            support += C[i] * acc
        scale += C[i] * abs(acc)
    leak = 0.0
    for c in range(q):
        acc = 0.0
        for k in range(n):
            acc += B[k, c] * y[k]
        leak += abs(acc) * abs(theta[c])
    return ym - support > _CERT_RTOL * scale + 10.0 * leak


@kernel
def _line_search(Ai, Av, hc2, C, B, iw, s, d, dphi0, eps, dsc, g, ta, tb):
    """Exact maximiser ``t > 0`` of the (proximal) dual along ``d`` (breakpoint search).

    Along ``lam + t d`` the dual is concave and piecewise quadratic: its slope starts
    at ``dphi0 > 0`` and falls with curvature ``kappa(t) = sum_free C_i^2/2 (A^T d)_i^2
    + sum_c (B^T d)_c^2 / (2 w_c) + eps sum_k dsc_k d_k^2``, where a column is free
    while ``0 < f_i < C_i``. Each column is free on one interval ``(ta_i, tb_i)`` of
    ``t``; walking through these breakpoints in order finds the zero of the slope
    exactly. Returns ``(t, unbounded)``; ``unbounded`` is True when the slope stays
    positive with zero curvature after the last breakpoint.
    """
    n, q = B.shape
    p, kw = Ai.shape
    kappa = 0.0
    for k in range(n):
        kappa += eps * dsc[k] * d[k] * d[k]
    for c in range(q):
        acc = 0.0
        for k in range(n):
            acc += B[k, c] * d[k]
        kappa += iw[c] * acc * acc
    for i in range(p):
        acc = 0.0
        for e in range(kw):
            acc += Av[i, e] * d[Ai[i, e]]
        g[i] = acc
        ta[i] = -1.0
        tb[i] = -1.0
        h = hc2[i]
        if h > 0.0 and acc != 0.0:
            t0 = -s[i] / acc                     # where f_i(t) crosses 0
            t1 = (C[i] / h - s[i]) / acc         # where f_i(t) crosses C_i
            lo, hi = (t0, t1) if acc > 0.0 else (t1, t0)
            if hi > 0.0:
                if lo > 0.0:
                    ta[i] = lo                   # becomes free at lo
                else:
                    kappa += h * acc * acc       # free from t = 0+
                tb[i] = hi                       # leaves at hi
    slope = dphi0
    t_cur = 0.0
    while True:
        t_next = np.inf
        for i in range(p):
            if ta[i] > t_cur and ta[i] < t_next:
                t_next = ta[i]
            if tb[i] > t_cur and tb[i] < t_next:
                t_next = tb[i]
        if kappa > 0.0:
            t_star = t_cur + slope / kappa
            if t_star <= t_next:
                return t_star, False
        if t_next == np.inf:
            return t_cur, True
        slope -= kappa * (t_next - t_cur)
        t_cur = t_next
        if slope <= 0.0:
            return t_cur, False
        for i in range(p):
            h = hc2[i] * g[i] * g[i]
            if ta[i] == t_cur:
                kappa += h
            if tb[i] == t_cur:
                kappa -= h
        if kappa < 0.0:
            kappa = 0.0


@kernel
def _dual_newton(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r, d, H, dsc, g, ta, tb,
                 grad, anchor, eps, tol, tol_accept, max_iter, certify, Q, nb, y):
    """Newton ascent on the dual, or on its proximal version if ``eps > 0``.

    The proximal version maximises ``g(lam) - eps/2 sum_k dsc_k (lam_k - anchor_k)^2``.
    Returns ``(code, iterations)``: 0 moments met (``|r| <= tol``, or ``|r| <=
    tol_accept`` for three iterations without reaching ``tol``: the rounding floor of
    an ill-conditioned problem), 1 certified infeasible, 2 iteration limit, 3 proximal
    subproblem solved.
    """
    n = B.shape[0]
    _eval(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r)
    it = 0
    n_low = 0
    while True:
        rn = math.sqrt(_dot(r, r))
        if rn <= tol:
            return 0, it
        for k in range(n):
            grad[k] = r[k] - eps * dsc[k] * (lam[k] - anchor[k])
        gn = math.sqrt(_dot(grad, grad))
        if eps > 0.0 and gn <= tol:
            return 3, it
        # rounding floor: accept a gradient that stays below tol_accept
        if gn <= tol_accept:
            n_low += 1
            if n_low >= 3:
                return (0 if rn <= tol_accept else 3), it
        if certify and it > 0:
            if _farkas(Ai, Av, C, B, m, Q, nb, lam, th, y) or _farkas(Ai, Av, C, B, m, Q, nb, r, th, y):
                return 1, it
        if it >= max_iter:
            return 2, it
        it += 1
        _newton_direction(Ai, Av, hc2, C, B, iw, f, s, grad, dsc, eps, H, d)
        dphi0 = _dot(grad, d)
        if not dphi0 > 0.0:                      # numerical trouble: gradient step
            for k in range(n):
                d[k] = grad[k]
            dphi0 = _dot(grad, grad)
        t, unbounded = _line_search(Ai, Av, hc2, C, B, iw, s, d, dphi0, eps, dsc, g, ta, tb)
        if unbounded:
            # the dual grows without bound along d: d is a Farkas certificate candidate
            if certify and _farkas(Ai, Av, C, B, m, Q, nb, d, th, y):
                return 1, it
            t = max(2.0 * t, 1.0) * 1e3
        if not t > 0.0:
            return 2, it
        for k in range(n):
            lam[k] += t * d[k]
        _eval(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r)


@kernel
def _solve_dual(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r, d, H, dsc, g, ta, tb,
                grad, anchor, tol, tol_accept, max_iter, certify, Q, nb, y):
    """Newton on the dual; if that stalls, the proximal point method. (status, iters)."""
    n = B.shape[0]
    code, it = _dual_newton(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r, d, H, dsc, g, ta, tb,
                            grad, anchor, 0.0, tol, tol_accept, min(max_iter, _FAST_ITER),
                            certify, Q, nb, y)
    if code == 0 or code == 1:
        return code, it
    # Proximal point on the dual (= method of multipliers on the primal): each
    # subproblem is strongly concave, and for this piecewise-quadratic dual the outer
    # iteration ends after finitely many steps even where the maximum sits on a kink.
    # The weight shrinks tenfold whenever an outer step fails to halve the residual.
    eps = _PROX_EPS
    rn = math.sqrt(_dot(r, r))
    while it < max_iter:
        for k in range(n):
            anchor[k] = lam[k]
        code, it2 = _dual_newton(Ai, Av, hc2, C, B, iw, m, lam, f, s, th, r, d, H, dsc, g, ta, tb,
                                 grad, anchor, eps, tol, tol_accept, max_iter - it, certify, Q, nb, y)
        it += it2
        if code != 3:
            return code, it
        rn_new = math.sqrt(_dot(r, r))
        if rn_new <= tol_accept:
            return 0, it
        if certify and (_farkas(Ai, Av, C, B, m, Q, nb, lam, th, y) or _farkas(Ai, Av, C, B, m, Q, nb, r, th, y)):
            return 1, it
        if rn_new > 0.5 * rn:
            eps = max(0.1 * eps, _PROX_EPS_MIN)
        rn = rn_new
    return 2, it


@kernel
def _diag_scale(Ai, Av, hc2, B, iw, dsc):
    """Full curvature of each DOF: ``sum_i hc2_i A_ki^2 + sum_c iw_c B_kc^2``."""
    n, q = B.shape
    p, kw = Ai.shape
    for k in range(n):
        acc = 0.0
        for c in range(q):
            acc += iw[c] * B[k, c] * B[k, c]
        dsc[k] = acc
    for i in range(p):
        for e in range(kw):
            dsc[Ai[i, e]] += hc2[i] * Av[i, e] * Av[i, e]
    for k in range(n):
        if not dsc[k] > 0.0:
            dsc[k] = 1.0


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

    for i in range(p):
        hc2[i] = 0.5 * W[i] * W[i] if C[i] > 0.0 else 0.0
    for c in range(q):
        iw[c] = 0.5 / w[c]
    for k in range(n):
        lam[k] = lam0[k]
    mnorm = math.sqrt(_dot(m, m))
    denom = max(mnorm, _M_FLOOR)
    tol = rtol * denom
    tol_accept = max(tol, _ACCEPT_RTOL * denom)
    _diag_scale(Ai, Av, hc2, B, iw[:q], dsc)
    nb = _null_basis(B, Q)
    status, it = _solve_dual(Ai, Av, hc2, C, B, iw[:q], m, lam, f, s, theta, r, d, H, dsc,
                             g, ta, tb, grad, anchor, tol, tol_accept, max_iter, True, Q, nb, y)
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
            lamx[c] = 0.0
        _diag_scale(Ai, Av, hc2, Bx, wx, dsc)
        st2, it2 = _solve_dual(Ai, Av, hc2, C, Bx, wx, m, lamx, fx, s, thx, rx, d, H, dsc,
                               g, ta, tb, grad, anchor, tol, tol_accept, max_iter, False, Q, 0, y)
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


# --------------------------------------------------------------------------------------
# Python front ends
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SharingResult:
    """Solution of one load-sharing problem.

    Attributes
    ----------
    f : ndarray, shape (n_col,)
        Column forces [N], ``0 <= f <= C`` exactly.
    theta : ndarray, shape (n_comp,)
        Compensation variables.
    lam : ndarray, shape (n_dof,)
        Multipliers of the moment balance [1/(N m)]; for an infeasible problem those of
        the best-effort solve.
    residual : float
        Relative moment residual ``|A f + B theta - m| / max(|m|, 1e-9 N m)``.
    iterations : int
        Solver iterations.
    status : int
        :data:`STATUS_OK`, :data:`STATUS_INFEASIBLE` or :data:`STATUS_MAX_ITER`.
    objective : float
        ``sum (f/C)^2 + sum w theta^2`` over columns with ``C > 0``.
    """

    f: np.ndarray
    theta: np.ndarray
    lam: np.ndarray
    residual: float
    iterations: int
    status: int
    objective: float

    @property
    def feasible(self) -> bool:
        """True when the moments are met (status ``STATUS_OK``)."""
        return self.status == STATUS_OK

    @property
    def status_name(self) -> str:
        """``"ok"``, ``"infeasible"`` or ``"max_iter"``."""
        return STATUS_NAMES[self.status]


@dataclass(frozen=True, eq=False)
class StrideSharingResult:
    """Solutions over the phase samples of one stride (arrays with leading n_phase)."""

    f: np.ndarray
    theta: np.ndarray
    lam: np.ndarray
    residual: np.ndarray
    iterations: np.ndarray
    status: np.ndarray

    @property
    def feasible(self) -> np.ndarray:
        """Boolean per phase: moments met."""
        return self.status == STATUS_OK


def _objective(f, C, theta, w) -> float:
    pos = C > 0
    return float(np.sum((f[pos] / C[pos]) ** 2) + np.sum(w * theta ** 2))


def _prepare(A, C, B, w):
    A = np.ascontiguousarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D (n_dof, n_col), got shape {A.shape}")
    n, p = A.shape
    C = np.ascontiguousarray(C, dtype=np.float64)
    if B is None:
        B = np.zeros((n, 0))
        w = np.zeros(0) if w is None else w
    B = np.ascontiguousarray(B, dtype=np.float64)
    if w is None:
        raise ValueError("w (compensation costs) is required when B is given")
    w = np.ascontiguousarray(w, dtype=np.float64).reshape(-1)
    q = B.shape[-1]
    if w.shape != (q,):
        raise ValueError(f"w must have shape ({q},), got {w.shape}")
    if q and not np.all(w > 0):
        raise ValueError("compensation costs w must be > 0")
    if not (np.all(np.isfinite(C)) and np.all(C >= 0)):
        raise ValueError("capacities C must be finite and >= 0")
    if not np.all(np.isfinite(A)) or not np.all(np.isfinite(B)):
        raise ValueError("A and B must be finite")
    return A, C, B, w


def share_load(A, C, m, B=None, w=None, lam0=None, *, rtol: float = 1e-10,
               max_iter: int = 100, work=None) -> SharingResult:
    """Fatigue-aware load sharing for one phase sample (numba solver).

    Solves ``min sum (f/C)^2 + sum w theta^2  s.t.  A f + B theta = m, 0 <= f <= C``
    (see the module documentation for the method and the infeasibility test).

    Parameters
    ----------
    A : array_like, shape (n_dof, n_col)
        Moment arms [m].
    C : array_like, shape (n_col,)
        Capacity forces [N], >= 0.
    m : array_like, shape (n_dof,)
        Demanded net moments [N m].
    B : array_like, shape (n_dof, n_comp), optional
        Compensation columns; none if omitted.
    w : array_like, shape (n_comp,), optional
        Compensation costs, > 0 (required with ``B``).
    lam0 : array_like, shape (n_dof,), optional
        Warm start of the multipliers (default zeros).
    rtol : float, default 1e-10
        Relative tolerance of the moment balance.
    max_iter : int, default 100
        Newton iterations allowed (see :func:`solve_sharing`).
    work : ndarray, optional
        Workspace from :func:`make_workspace` (allocated if omitted).

    Returns
    -------
    SharingResult

    Examples
    --------
    A trunk lean (15.7 N m of abduction relief per degree, cost 1 per deg^2) takes over
    when the abductors are nearly exhausted:

    >>> A = np.array([[0.05, 0.04]])
    >>> fresh = share_load(A, [2000.0, 1000.0], [60.0], B=[[15.7]], w=[1.0])
    >>> tired = share_load(A, [400.0, 200.0], [60.0], B=[[15.7]], w=[1.0])
    >>> round(float(fresh.theta[0]), 2), round(float(tired.theta[0]), 2)   # lean [deg]
    (0.08, 2.04)
    >>> tired.f                                               # both at capacity
    array([400., 200.])
    >>> share_load(A, [400.0, 200.0], [60.0]).status_name   # no lean allowed
    'infeasible'
    """
    A, C, B, w = _prepare(A, C, B, w)
    n, p = A.shape
    q = B.shape[1]
    m = np.ascontiguousarray(m, dtype=np.float64).reshape(-1)
    if C.shape != (p,) or m.shape != (n,) or B.shape != (n, q):
        raise ValueError(f"shapes do not match: A {A.shape}, C {C.shape}, m {m.shape}, B {B.shape}")
    lam0 = np.zeros(n) if lam0 is None else np.ascontiguousarray(lam0, dtype=np.float64)
    if work is None:
        work = make_workspace(n, p, q)
    f, th, lam = np.empty(p), np.empty(q), np.empty(n)
    status, it, res = solve_sharing(A, C, B, w, m, lam0, f, th, lam, work, float(rtol), int(max_iter))
    return SharingResult(f, th, lam, float(res), int(it), int(status), _objective(f, C, th, w))


def share_stride(A, C, M, B=None, w=None, lam0=None, *, rtol: float = 1e-10,
                 max_iter: int = 100) -> StrideSharingResult:
    """Load sharing over all phase samples of a stride, warm-started phase to phase.

    Parameters
    ----------
    A : array_like, shape (n_dof, n_col)
        Moment arms [m].
    C : array_like, shape (n_phase, n_col)
        Capacity forces per phase [N].
    M : array_like, shape (n_phase, n_dof)
        Demanded moments per phase [N m].
    B : array_like, shape (n_dof, n_comp) or (n_phase, n_dof, n_comp), optional
        Compensation columns, constant or per phase.
    w : array_like, shape (n_comp,), optional
        Compensation costs, > 0.
    lam0 : array_like, shape (n_dof,), optional
        Warm start of the first phase.
    rtol, max_iter
        As in :func:`share_load`.

    Returns
    -------
    StrideSharingResult

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]])
    >>> M = np.array([[10.0], [60.0], [150.0]])
    >>> out = share_stride(A, np.tile([2000.0, 1000.0], (3, 1)), M)
    >>> out.feasible.tolist()                 # 150 N m exceeds 2000*0.05 + 1000*0.04
    [True, True, False]
    """
    A = np.ascontiguousarray(A, dtype=np.float64)
    n, p = A.shape
    C = np.ascontiguousarray(C, dtype=np.float64)
    M = np.ascontiguousarray(M, dtype=np.float64)
    if C.ndim != 2 or C.shape[1] != p or M.shape != (C.shape[0], n):
        raise ValueError(f"shapes do not match: A {A.shape}, C {C.shape}, M {M.shape}")
    n_phase = C.shape[0]
    if B is None:
        B = np.zeros((n_phase, n, 0))
        w = np.zeros(0)
    B = np.asarray(B, dtype=np.float64)
    if B.ndim == 2:
        B = np.broadcast_to(B, (n_phase,) + B.shape)
    B = np.ascontiguousarray(B)
    A, C, B, w = _prepare(A, C, B, w)
    q = B.shape[2]
    if B.shape != (n_phase, n, q):
        raise ValueError(f"B must have shape ({n_phase}, {n}, n_comp), got {B.shape}")
    lam0 = np.zeros(n) if lam0 is None else np.ascontiguousarray(lam0, dtype=np.float64)
    F, Th, L = np.empty((n_phase, p)), np.empty((n_phase, q)), np.empty((n_phase, n))
    st, it, rr = np.empty(n_phase, np.int64), np.empty(n_phase, np.int64), np.empty(n_phase)
    solve_stride(A, C, B, w, M, lam0, F, Th, L, st, it, rr, make_workspace(n, p, q),
                 float(rtol), int(max_iter))
    return StrideSharingResult(F, Th, L, rr, it, st)


# --------------------------------------------------------------------------------------
# SciPy reference
# --------------------------------------------------------------------------------------
def feasibility_lp(A, C, m, B=None, *, tol: float = 1e-9) -> tuple[bool, float]:
    """Whether ``A f + B theta = m`` has a solution with ``0 <= f <= C`` (HiGHS LP).

    Minimises the L1 deficit ``sum |s|`` subject to ``A f + B theta + s = m``; the
    demand is feasible when the minimum is at most ``tol * max(|m|_1, 1e-9)``.

    Parameters
    ----------
    A, C, m, B
        As in :func:`share_load`.
    tol : float, default 1e-9
        Relative tolerance on the L1 deficit.

    Returns
    -------
    feasible : bool
    deficit : float
        Least L1 moment deficit [N m].

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]])
    >>> feasibility_lp(A, [2000.0, 1000.0], [140.0])       # exactly the maximum
    (True, 0.0)
    >>> feasibility_lp(A, [2000.0, 1000.0], [150.0])
    (False, 10.0)
    """
    from scipy.optimize import linprog

    A = np.asarray(A, dtype=float)
    n, p = A.shape
    C = np.asarray(C, dtype=float)
    m = np.asarray(m, dtype=float).reshape(-1)
    B = np.zeros((n, 0)) if B is None else np.asarray(B, dtype=float)
    q = B.shape[1]
    # variables: f (p), theta (q), s+ (n), s- (n)
    c = np.concatenate([np.zeros(p + q), np.ones(2 * n)])
    A_eq = np.hstack([A, B, np.eye(n), -np.eye(n)])
    bounds = [(0.0, float(ci)) for ci in C] + [(None, None)] * q + [(0.0, None)] * (2 * n)
    res = linprog(c, A_eq=A_eq, b_eq=m, bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"feasibility LP failed: {res.message}")
    deficit = float(res.fun)
    return deficit <= tol * max(float(np.abs(m).sum()), _M_FLOOR), deficit


def _polish(K, rhs, x, na, lb, ub, atol=1e-9):
    """Exact minimum-norm solution on the active set suggested by ``x``, with KKT checks.

    Variables of ``x`` within ``atol`` of a bound are fixed there; the free ones solve
    the balance with least norm. Bounds whose multiplier has the wrong sign are released
    and free variables that leave their box are fixed, until the KKT conditions hold.
    Returns ``x`` unchanged if that does not settle.
    """
    nv = x.size
    fixed_lo = np.zeros(nv, dtype=bool)
    fixed_hi = np.zeros(nv, dtype=bool)
    fixed_lo[:na] = x[:na] <= atol
    fixed_hi[:na] = x[:na] >= 1.0 - atol
    for _ in range(2 * nv + 2):
        free = ~(fixed_lo | fixed_hi)
        xf = np.where(fixed_hi, 1.0, 0.0)
        if free.any():
            xf[free] = np.linalg.lstsq(K[:, free], rhs - K[:, ~free] @ xf[~free], rcond=None)[0]
        out_lo = free & (xf < lb - 1e-12)
        out_hi = free & (xf > ub + 1e-12)
        if out_lo.any() or out_hi.any():
            viol = np.where(out_lo, lb - xf, 0.0) + np.where(out_hi, xf - ub, 0.0)
            i = int(np.argmax(viol))
            (fixed_lo if out_lo[i] else fixed_hi)[i] = True
            continue
        mu = np.zeros(K.shape[0])
        if free.any():
            mu = np.linalg.lstsq(K[:, free].T, 2.0 * xf[free], rcond=None)[0]
        g = K.T @ mu - 2.0 * xf           # > 0 at a lower bound: should move up
        bad_lo = fixed_lo & (g > 1e-10)
        bad_hi = fixed_hi & (g < -1e-10)
        if not (bad_lo.any() or bad_hi.any()):
            return np.clip(xf, lb, ub)
        viol = np.where(bad_lo, g, 0.0) - np.where(bad_hi, g, 0.0)
        i = int(np.argmax(viol))
        fixed_lo[i] = fixed_hi[i] = False
    return x


def share_load_scipy(A, C, m, B=None, w=None, *, rho: float = 1e10) -> SharingResult:
    """Reference solution of the load-sharing QP with SciPy (bounded least squares).

    Works in scaled variables ``x = f/C`` (in [0, 1]; columns with ``C = 0`` fixed at 0)
    and ``z = sqrt(w) theta``, so the objective is ``|x|^2 + |z|^2`` and the balance
    reads ``K [x; z] = m``. Two plain steps:

    1. ``scipy.optimize.lsq_linear`` (method ``"bvls"``, an active-set solver) on the
       penalised problem ``min |x|^2 + |z|^2 + rho |K [x; z] - m|^2 / |m|^2`` with the
       bounds, which identifies the active bounds;
    2. with those bounds fixed, the free variables are the minimum-norm solution of the
       balance (``numpy.linalg.lstsq``), which removes the penalty's small bias; bounds
       whose multipliers have the wrong sign are released (and free variables leaving
       their box fixed) until the KKT conditions hold.

    Feasibility is decided by :func:`feasibility_lp`; an infeasible problem returns the
    penalised solution (least-squares deficit) with ``STATUS_INFEASIBLE``. Slow
    (milliseconds per solve): for tests and the reference engine.

    Parameters
    ----------
    A, C, m, B, w
        As in :func:`share_load`.
    rho : float, default 1e10
        Penalty of step 1 on the relative moment residual.

    Returns
    -------
    SharingResult
        ``lam`` from the stationarity conditions of the free columns (least squares).

    Examples
    --------
    >>> A = np.array([[0.05, 0.04]])
    >>> ref = share_load_scipy(A, [2000.0, 1000.0], [60.0])
    >>> ref.feasible, np.round(ref.f, 1)
    (True, array([1034.5,  206.9]))
    """
    from scipy.optimize import lsq_linear

    A, C, B, w = _prepare(A, C, B, w)
    n, p = A.shape
    q = B.shape[1]
    m = np.asarray(m, dtype=float).reshape(-1)
    act = np.flatnonzero(C > 0)
    na = act.size
    nv = na + q
    scale = 1.0 / max(float(np.linalg.norm(m)), _M_FLOOR)
    K = np.hstack([A[:, act] * C[act], B / np.sqrt(w)]) * scale
    rhs = m * scale
    lb = np.concatenate([np.zeros(na), np.full(q, -np.inf)])
    ub = np.concatenate([np.ones(na), np.full(q, np.inf)])
    feasible, _ = feasibility_lp(A, C, m, B)
    sr = math.sqrt(rho)
    x = np.zeros(nv)
    nit = 0
    if nv:
        sol = lsq_linear(np.vstack([np.eye(nv), sr * K]), np.concatenate([np.zeros(nv), sr * rhs]),
                         bounds=(lb, ub), method="bvls", tol=1e-15)
        x, nit = np.clip(sol.x, lb, ub), int(sol.nit)
        if feasible:
            x = _polish(K, rhs, x, na, lb, ub)
    f = np.zeros(p)
    f[act] = x[:na] * C[act]
    theta = x[na:] / np.sqrt(w)
    # multipliers from stationarity of the free variables: 2 x_free = K_free^T mu
    free = np.concatenate([(x[:na] > 1e-9) & (x[:na] < 1.0 - 1e-9), np.ones(q, dtype=bool)])
    lam = np.full(n, np.nan)
    if free.any():
        lam = np.linalg.lstsq(K[:, free].T, 2.0 * x[free], rcond=None)[0] * scale
    resid = float(np.linalg.norm(A @ f + B @ theta - m)) / max(float(np.linalg.norm(m)), _M_FLOOR)
    if not feasible:
        status = STATUS_INFEASIBLE
    elif resid <= 1e-6:
        status = STATUS_OK
    else:
        status = STATUS_MAX_ITER
    return SharingResult(f, theta, lam, resid, nit, status, _objective(f, C, theta, w))
