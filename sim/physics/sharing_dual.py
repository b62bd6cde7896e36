"""The Lagrange dual of the load-sharing QP, evaluated, and the infeasibility certificate.

Numba kernels of :mod:`sim.physics.sharing` that the Newton iteration
(:mod:`sim.physics.sharing_newton`) builds on. For given multipliers ``lam`` they give
the explicit primal minimisers ``f(lam)``, ``theta(lam)`` and the moment residual
``r = m - A f - B theta`` (the dual's gradient, :func:`_eval`, :func:`_residual`); the
full curvature of each DOF, which scales the modified Cholesky pivots and the proximal
weights (:func:`_diag_scale`); and the Farkas test that certifies a demand beyond what
the capacities and compensations can make (an orthonormal basis of range(B),
:func:`_null_basis`, and the test itself, :func:`_farkas`).

The moment arms arrive in column form (``Ai``, ``Av``:
:func:`sim.physics.sharing_solver.column_structure`); ``hc2 = W**2 / 2`` with ``W`` the
effort weights (``W = C`` but for lumped columns; 0 for unavailable columns) and
``iw = 1 / (2 w)``. All kernels are compiled with :func:`sim.jit.kernel` and allocate
nothing.
"""
from __future__ import annotations

import math

from ..jit import kernel

_CERT_RTOL = 1e-9      # relative margin of the Farkas certificate


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
