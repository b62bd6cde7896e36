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
moment balance with the least squared deficit, muscles saturated where they run out
(solved by the same Newton iteration, from the problem's warm start: in a run, the
multipliers of the same phase's best effort one block earlier). A problem that neither converges nor is certified within ``max_iter`` is flagged
``STATUS_MAX_ITER``. In both cases ``feasible`` is False and the residual is reported:
the moment balance is never silently violated.

A plain SciPy solution of the same problem (bounded least squares with
``scipy.optimize.lsq_linear``, and a HiGHS linear programme for feasibility) is
:func:`share_load_scipy`; it is the reference in the tests and in the slow reference
engine.

Modules
-------
This module holds the Python entry points :func:`share_load` and :func:`share_stride` and
re-exports the names of the modules the solver is split into:
:mod:`sim.physics.sharing_solver` (the compiled entry points, their workspace, the status
codes), :mod:`sim.physics.sharing_newton` (the Newton and proximal iterations),
:mod:`sim.physics.sharing_dual` (the dual's residual and curvature, the Farkas test),
:mod:`sim.physics.sharing_results` (the result types) and :mod:`sim.physics.sharing_scipy`
(the SciPy reference).

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

import numpy as np

from .sharing_dual import (_CERT_RTOL, _diag_scale, _dot, _eval, _farkas,  # noqa: F401
                           _null_basis, _residual)
from .sharing_newton import (_FAST_ITER, _PIVOT_LIFT, _PIVOT_RTOL, _PROX_EPS,  # noqa: F401
                             _PROX_EPS_MIN, _dual_newton, _line_search, _newton_direction,
                             _solve_dual)
from .sharing_results import SharingResult, StrideSharingResult, _objective, _prepare  # noqa: F401
from .sharing_scipy import _polish, feasibility_lp, share_load_scipy  # noqa: F401
from .sharing_solver import (_ACCEPT_RTOL, _ELASTIC_RHO, _M_FLOOR, STATUS_INFEASIBLE,  # noqa: F401
                             STATUS_MAX_ITER, STATUS_NAMES, STATUS_OK, column_structure,
                             make_workspace, solve_sharing, solve_sharing_columns,
                             solve_sharing_weighted, solve_stride, workspace_size)

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
