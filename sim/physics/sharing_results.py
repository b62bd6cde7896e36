"""What the Python load-sharing API returns, and the input checks its solvers share.

:class:`SharingResult` (one phase sample) and :class:`StrideSharingResult` (a stride) hold
the forces, compensations, multipliers, residuals and status codes of
:func:`sim.physics.sharing.share_load`, :func:`sim.physics.sharing.share_stride` and the
SciPy reference :func:`sim.physics.sharing_scipy.share_load_scipy`; ``_prepare`` checks
and converts their inputs and ``_objective`` evaluates the sharing criterion.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .sharing_solver import STATUS_NAMES, STATUS_OK


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
