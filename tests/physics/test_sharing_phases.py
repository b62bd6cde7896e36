"""The phase samples of a stride solved together (sim.physics.sharing_phases) give exactly
what the one-phase warm solve (sim.physics.sharing_warm) gives phase by phase."""
import numpy as np
import pytest

from sim.muscles import DOFS, muscle_set, sharing_columns
from sim.physics.sharing_phases import phases_workspace, solve_phases_warm
from sim.physics.sharing_solver import column_structure, workspace_size
from sim.physics.sharing_warm import solve_sharing_warm
from sim.sharing import STATUS_INFEASIBLE, STATUS_OK, share_load

N_DOF = len(DOFS)
COLS = sharing_columns(muscle_set(75.0))


def _phases(rng, nj, q, n_infeasible=0):
    """Phase samples sharing capacities ``C``: their demands, compensation columns and
    warm starts (the solutions at capacities up to 1 % higher, as one block earlier, or a
    poor start for some)."""
    A = COLS.A
    C = COLS.F0 * rng.uniform(0.05, 1.0, A.shape[1])
    C[rng.random(C.size) < 0.15] = 0.0
    w = 10.0 ** rng.uniform(-3.0, 3.0, q)
    B = (rng.normal(0.0, 1.0, (nj, N_DOF, q)) * rng.uniform(1.0, 500.0, q)
         * (rng.random((nj, N_DOF, q)) > 0.5))
    M = np.zeros((nj, N_DOF))
    Lam0 = np.zeros((nj, N_DOF))
    for j in range(nj):
        u = rng.uniform(0.0, 1.0, C.size)
        u[rng.random(C.size) < 0.2] = 1.0
        u[rng.random(C.size) < 0.2] = 0.0
        M[j] = A @ (u * C) + B[j] @ rng.normal(0.0, 1.0, q)
        if j < n_infeasible:                 # far beyond what the muscles can make
            M[j] = 5.0 * np.abs(M[j]).max() * np.sign(rng.normal(size=N_DOF)) + M[j]
        before = share_load(A, C * (1.0 + rng.uniform(0.0, 0.01)), M[j], B[j], w)
        Lam0[j] = before.lam if rng.random() < 0.8 else rng.normal(0.0, 1e-2, N_DOF)
    return A, C, B, w, M, Lam0


@pytest.mark.parametrize("seed,nj,q,n_infeasible", [(1, 1, 1, 0), (2, 5, 0, 0), (3, 32, 1, 0),
                                                     (4, 32, 1, 3), (5, 17, 3, 2)])
def test_same_results_as_phase_by_phase(seed, nj, q, n_infeasible):
    rng = np.random.default_rng(seed)
    A, C, B, w, M, Lam0 = _phases(rng, nj, q, n_infeasible)
    n, p = A.shape
    Ai, Av = column_structure(A)
    work = np.zeros(workspace_size(n, p, q) + n)
    F1, T1, L1 = np.zeros((nj, p)), np.zeros((nj, q)), Lam0.copy()
    st1, res1 = np.zeros(nj, np.int64), np.zeros(nj)
    for j in range(nj):
        st1[j], _, res1[j] = solve_sharing_warm(Ai, Av, C, C, np.ascontiguousarray(B[j]), w,
                                                M[j], L1[j], F1[j], T1[j], L1[j], work)
    F2, T2, L2 = np.zeros((nj, p)), np.zeros((nj, q)), Lam0.copy()
    st2, res2 = np.zeros(nj, np.int64), np.zeros(nj)
    solve_phases_warm(Ai, Av, C, C, B, w, M, L2, F2, T2, L2, st2, res2,
                      phases_workspace(n, p, q, nj), work)
    np.testing.assert_array_equal(st2, st1)
    np.testing.assert_array_equal(F2, F1)
    np.testing.assert_array_equal(T2, T1)
    np.testing.assert_array_equal(L2, L1)
    np.testing.assert_array_equal(res2, res1)
    assert np.sum(st1 == STATUS_OK) >= nj - n_infeasible
    assert np.sum(st1 == STATUS_INFEASIBLE) == n_infeasible


def test_separate_warm_starts_are_left_alone():
    """``Lam0`` apart from ``Lam`` (the engine's first stride warm-starts each phase from
    the one before): the warm starts are not written."""
    rng = np.random.default_rng(9)
    A, C, B, w, M, Lam0 = _phases(rng, 8, 1)
    n, p = A.shape
    Ai, Av = column_structure(A)
    keep = Lam0.copy()
    F, T, L = np.zeros((8, p)), np.zeros((8, 1)), np.zeros((8, n))
    st, res = np.zeros(8, np.int64), np.zeros(8)
    solve_phases_warm(Ai, Av, C, C, B, w, M, Lam0, F, T, L, st, res,
                      phases_workspace(n, p, 1, 8), np.zeros(workspace_size(n, p, 1) + n))
    np.testing.assert_array_equal(Lam0, keep)
    assert np.all(st == STATUS_OK) and np.all(res < 1e-7)
    np.testing.assert_allclose(A @ F.T + np.einsum("jkc,jc->kj", B, T), M.T,
                               atol=1e-6 * np.abs(M).max())
