"""The SciPy reference of the load sharing: a HiGHS feasibility LP and bounded least squares.

A plain, slow solution of the QP of :mod:`sim.physics.sharing`, independent of the numba
solver: :func:`feasibility_lp` decides whether a demand can be met at all,
:func:`share_load_scipy` solves the QP (``scipy.optimize.lsq_linear``, then an exact
minimum-norm solution on the active set, ``_polish``). It is the reference in the tests
and in the slow reference engine (:mod:`sim.core.reference`).
"""
from __future__ import annotations

import math

import numpy as np

from .sharing_results import SharingResult, _objective, _prepare
from .sharing_solver import STATUS_INFEASIBLE, STATUS_MAX_ITER, STATUS_OK, _M_FLOOR


def feasibility_lp(A, C, m, B=None, *, tol: float = 1e-9) -> tuple[bool, float]:
    """Whether ``A f + B theta = m`` has a solution with ``0 <= f <= C`` (HiGHS LP).

    Minimises the L1 deficit ``sum |s|`` subject to ``A f + B theta + s = m``; the
    demand is feasible when the minimum is at most ``tol * max(|m|_1, 1e-9)``.

    Parameters
    ----------
    A, C, m, B
        As in :func:`sim.physics.sharing.share_load`.
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
        As in :func:`sim.physics.sharing.share_load`.
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
