"""The semismooth Newton ascent on the load-sharing dual, and its proximal fallback.

Numba kernels of :mod:`sim.physics.sharing` (the method is described there, "Method"):

* :func:`_newton_direction`: the generalised Newton direction, by a modified Cholesky
  factorisation (:func:`_cholesky_solve`) that lifts the pivots of directions no free
  column supports;
* :func:`_line_search`: the exact maximiser of the dual along a direction, found by
  walking through the breakpoints where columns reach a bound;
* :func:`_dual_newton`: the Newton iteration on the dual (or on its proximal version),
  with the convergence tests and the Farkas test of infeasibility;
* :func:`_solve_dual`: plain Newton first, then the proximal point method (the method of
  multipliers) if that stalls on a kink of the dual.

The dual's pieces (residual, curvature, certificate) are in :mod:`sim.physics.sharing_dual`;
the entry points that lay out the workspace and call :func:`_solve_dual` are in
:mod:`sim.physics.sharing_solver`.
"""
from __future__ import annotations

import math

import numpy as np

from ..jit import kernel
from .sharing_dual import _dot, _eval, _farkas

_PIVOT_RTOL = 1e-12    # modified Cholesky: relative pivot below which it is lifted
_PIVOT_LIFT = 1e-3     # ... to this fraction of the direction's full curvature
_FAST_ITER = 12        # plain Newton iterations before switching to the proximal method
_PROX_EPS = 1e-3       # initial proximal weight, relative to each DOF's full curvature
_PROX_EPS_MIN = 1e-14  # smallest proximal weight


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
    _cholesky_solve(H, rhs, dsc, True, d)


@kernel
def _cholesky_solve(H, rhs, dsc, lift, d):
    """Solve ``H d = rhs`` by Cholesky, ``H = L L^T`` (H in the upper triangle and the
    diagonal; L is written into the lower triangle and the diagonal).

    A pivot below ``_PIVOT_RTOL * dsc`` (a direction no free column supports) is lifted
    to ``_PIVOT_LIFT * dsc`` if ``lift``; otherwise the solve stops and returns False.
    """
    n = H.shape[0]
    for j in range(n):
        v = H[j, j]
        for k in range(j):
            v -= H[j, k] * H[j, k]
        if v <= _PIVOT_RTOL * dsc[j]:
            if not lift:
                return False
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
    return True


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
        for k in range(n):      # (the anchor is only set, and read, for eps > 0)
            grad[k] = r[k] - eps * dsc[k] * (lam[k] - anchor[k]) if eps > 0.0 else r[k]
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
