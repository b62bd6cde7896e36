"""Fatigue-aware load sharing (sim.sharing): the numba QP against SciPy, infeasibility,
warm starts and the capacity-weighting behaviour the model relies on."""
import doctest
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.sharing as sh
from sim.muscles import DOFS, muscle_set, sharing_columns
from sim.sharing import (STATUS_INFEASIBLE, STATUS_MAX_ITER, STATUS_OK, feasibility_lp,
                         make_workspace, share_load, share_load_scipy, share_stride,
                         solve_sharing)

N_DOF = len(DOFS)
COLS = sharing_columns(muscle_set(75.0))


# --------------------------------------------------------------------------------------
# random instances
# --------------------------------------------------------------------------------------
def _random_A(rng):
    """Sparse moment-arm matrix like the muscle set: 1-2 DOFs per column, 1-8 cm."""
    p = int(rng.integers(10, 28))
    A = np.zeros((N_DOF, p))
    for i in range(p):
        k = rng.choice(N_DOF, size=int(rng.integers(1, 3)), replace=False)
        A[k, i] = rng.choice([-1.0, 1.0], size=k.size) * rng.uniform(0.01, 0.08, size=k.size)
    return A


def random_instance(rng, muscles=True, feasible=True):
    """(A, C, B, w, m): capacities with ~15 % zeros, 0-3 compensation columns.

    Feasible demands are ``A f0 + B theta0`` with ``0 <= f0 <= C`` (some at the bounds).
    Infeasible ones lie beyond the support of the attainable set in a direction ``y``
    with ``B^T y = 0``, which makes them infeasible by Farkas' lemma.
    """
    if muscles:
        A = COLS.A.copy()
        C = COLS.F0 * rng.uniform(0.05, 1.0, A.shape[1])
    else:
        A = _random_A(rng)
        C = rng.uniform(50.0, 6000.0, A.shape[1])
    C[rng.random(C.size) < 0.15] = 0.0
    q = int(rng.integers(0, 4))
    B = rng.normal(0.0, 1.0, (N_DOF, q)) * rng.uniform(1.0, 500.0, q) * (rng.random((N_DOF, q)) > 0.5)
    w = 10.0 ** rng.uniform(-3.0, 3.0, q)
    if feasible:
        u = rng.uniform(0.0, 1.0, C.size)
        u[rng.random(C.size) < 0.2] = 1.0
        u[rng.random(C.size) < 0.2] = 0.0
        m = A @ (u * C) + B @ rng.normal(0.0, 1.0, q)
    else:
        y = rng.normal(0.0, 1.0, N_DOF)
        if q:
            U, s, _ = np.linalg.svd(B, full_matrices=False)
            U = U[:, s > 1e-12 * max(s.max(), 1e-300)]
            y -= U @ (U.T @ y)
        support = float(np.sum(C * np.maximum(0.0, A.T @ y)))
        m = y * rng.uniform(1.05, 2.0) * support / float(y @ y)
        if q:
            m = m + B @ rng.normal(0.0, 1.0, q)
    return A, C, B, w, m


def instances(seed, n, **kw):
    rng = np.random.default_rng(seed)
    return [random_instance(rng, **kw) for _ in range(n)]


def rel_res(A, C, B, m, res):
    return np.linalg.norm(A @ res.f + B @ res.theta - m) / max(np.linalg.norm(m), 1e-9)


# --------------------------------------------------------------------------------------
# agreement with SciPy
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("muscles", [True, False], ids=["muscle-set", "random-A"])
def test_matches_scipy_on_random_feasible_instances(muscles):
    n_checked = 0
    for A, C, B, w, m in instances(11 if muscles else 12, 150, muscles=muscles):
        res = share_load(A, C, m, B, w)
        ref = share_load_scipy(A, C, m, B, w)
        assert ref.status == STATUS_OK
        assert res.status == STATUS_OK and res.feasible
        assert res.residual < 1e-6 and rel_res(A, C, B, m, res) < 1e-6
        assert np.all(res.f >= 0.0) and np.all(res.f <= C)           # exactly, no tolerance
        assert np.all(res.f[C == 0.0] == 0.0)
        assert res.objective == pytest.approx(ref.objective, rel=1e-6, abs=1e-12)
        np.testing.assert_allclose(res.f, ref.f, rtol=0, atol=1e-6 * max(C.max(), 1.0))
        np.testing.assert_allclose(res.theta, ref.theta, rtol=1e-5, atol=1e-7)
        n_checked += 1
    assert n_checked == 150


def test_objective_no_worse_than_any_feasible_point():
    """Independent of SciPy: the optimum beats the point the demand was built from."""
    rng = np.random.default_rng(5)
    for _ in range(100):
        A, C, B, w, _ = random_instance(rng)
        u = rng.uniform(0, 1, C.size)
        th = rng.normal(0, 1, B.shape[1])
        m = A @ (u * C) + B @ th
        res = share_load(A, C, m, B, w)
        pos = C > 0
        assert res.feasible
        assert res.objective <= np.sum(u[pos] ** 2) + np.sum(w * th ** 2) + 1e-9


def test_near_boundary_demands_are_solved():
    """Demands close to an extreme point of the attainable set (many saturated muscles)."""
    rng = np.random.default_rng(21)
    for _ in range(200):
        A, C, B, w, _ = random_instance(rng, muscles=bool(rng.integers(0, 2)))
        y = rng.normal(0.0, 1.0, N_DOF)
        m = A @ (C * (A.T @ y > 0)) * rng.uniform(0.98, 0.99999) + B @ rng.normal(0.0, 1.0, B.shape[1])
        res = share_load(A, C, m, B, w)
        assert res.feasible and res.residual < 1e-6
        assert np.all(res.f >= 0.0) and np.all(res.f <= C)


# --------------------------------------------------------------------------------------
# infeasibility
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("muscles", [True, False], ids=["muscle-set", "random-A"])
def test_infeasible_instances_are_flagged(muscles):
    for A, C, B, w, m in instances(31 if muscles else 32, 60, muscles=muscles, feasible=False):
        ok, deficit = feasibility_lp(A, C, m, B)
        assert not ok and deficit > 0                     # SciPy agrees: infeasible
        res = share_load(A, C, m, B, w)
        assert res.status == STATUS_INFEASIBLE and not res.feasible
        assert res.residual > 1e-6                        # reported, never hidden
        assert np.all(res.f >= 0.0) and np.all(res.f <= C)
        assert share_load_scipy(A, C, m, B, w).status == STATUS_INFEASIBLE


def test_best_effort_when_infeasible():
    """Beyond capacity the muscles saturate and the deficit is the least possible."""
    A = np.array([[0.05, 0.04, -0.03]])
    C = np.array([1000.0, 500.0, 800.0])
    res = share_load(A, C, [100.0])                  # max is 50 + 20 = 70 N m
    assert res.status == STATUS_INFEASIBLE
    np.testing.assert_allclose(res.f, [1000.0, 500.0, 0.0], atol=1e-3)
    assert res.residual == pytest.approx(0.3, rel=1e-4)
    assert feasibility_lp(A, C, [100.0])[1] == pytest.approx(30.0)


def test_zero_capacity_and_zero_demand():
    A = COLS.A
    C = COLS.F0.copy()
    res = share_load(A, C, np.zeros(N_DOF))
    assert res.feasible and np.all(res.f == 0.0) and res.iterations == 0
    C0 = np.zeros_like(C)
    assert share_load(A, C0, np.zeros(N_DOF)).feasible
    bad = share_load(A, C0, np.array([10.0, 0, 0, 0, 0, 0]))
    assert bad.status == STATUS_INFEASIBLE and np.all(bad.f == 0.0)
    # unavailable muscles get exactly zero force; the rest carry the moment
    C[[COLS.names.index("gluteus_medius"), COLS.names.index("gluteus_minimus")]] = 0.0
    res = share_load(A, C, np.array([0, 15.0, 0, 0, 0, 0]))   # TFL alone: 21 N m max
    assert res.feasible
    assert res.f[COLS.names.index("gluteus_medius")] == 0.0
    assert res.f[COLS.names.index("tensor_fasciae_latae")] > 0.0


def test_scipy_reference_flags_infeasible():
    A = np.array([[0.05, 0.04]])
    assert share_load_scipy(A, [2000.0, 1000.0], [150.0]).status == STATUS_INFEASIBLE
    assert share_load_scipy(A, [2000.0, 1000.0], [139.0]).status == STATUS_OK


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 7), st.integers(0, 2),
       st.booleans())
def test_property_feasible_solved_infeasible_flagged(seed, n, p, q, feasible):
    """Small random problems of any shape: solved when feasible, flagged when not."""
    rng = np.random.default_rng(seed)
    A = rng.normal(0.0, 0.05, (n, p)) * (rng.random((n, p)) > 0.3)
    C = rng.uniform(0.0, 1000.0, p) * (rng.random(p) > 0.2)
    B = rng.normal(0.0, 10.0, (n, q))
    w = 10.0 ** rng.uniform(-2, 2, q)
    m = A @ (C * rng.uniform(0, 1, p)) + B @ rng.normal(0, 1, q)
    if not feasible:
        m = m + rng.normal(0.0, 50.0, n)
    res = share_load(A, C, m, B, w)
    lp_ok, _ = feasibility_lp(A, C, m, B)
    assert np.all(res.f >= 0.0) and np.all(res.f <= C)
    if lp_ok:
        assert res.status == STATUS_OK and res.residual < 1e-6
    else:
        assert res.status == STATUS_INFEASIBLE and res.residual > 0


# --------------------------------------------------------------------------------------
# warm starts and the stride batch
# --------------------------------------------------------------------------------------
def test_warm_start_gives_the_same_answer():
    rng = np.random.default_rng(41)
    for A, C, B, w, m in instances(41, 40):
        cold = share_load(A, C, m, B, w)
        again = share_load(A, C, m, B, w, lam0=cold.lam)
        assert again.iterations <= 1
        np.testing.assert_allclose(again.f, cold.f, atol=1e-9 * C.max())
        for lam0 in (cold.lam + rng.normal(0, 1, N_DOF) * np.abs(cold.lam).max(),
                     rng.normal(0, 1e-2, N_DOF), -cold.lam):
            warm = share_load(A, C, m, B, w, lam0=lam0)
            assert warm.feasible
            np.testing.assert_allclose(warm.f, cold.f, atol=1e-6 * C.max())
            np.testing.assert_allclose(warm.theta, cold.theta, rtol=1e-5, atol=1e-8)


def test_warm_one_step_solve_agrees_with_the_general_solver():
    """The two-pass warm solve (sim.physics.sharing_warm) against the general solver, from
    the warm starts a run gives it (the solution for capacities up to 1 % higher, as one
    block earlier) and from poor ones (random, sign-flipped), feasible and infeasible."""
    from sim.physics.sharing_solver import column_structure, solve_sharing_columns, workspace_size
    from sim.physics.sharing_warm import solve_sharing_warm

    rng = np.random.default_rng(71)
    fast = 0
    cases = [(inst, True) for inst in instances(71, 30)]
    cases += [(inst, False) for inst in instances(72, 10, feasible=False)]
    for (A, C, B, w, m), feasible in cases:
        n, p = A.shape
        q = B.shape[1]
        Ai, Av = column_structure(A)
        work = np.zeros(workspace_size(n, p, q) + n)
        before = share_load(A, C * (1.0 + rng.uniform(0.0, 0.01)), m, B, w)
        starts = [before.lam, rng.normal(0.0, 1e-2, n), -before.lam]
        for k, lam0 in enumerate(starts):
            out = []
            for solver in (solve_sharing_warm, solve_sharing_columns):
                f, th, lam = np.empty(p), np.empty(q), lam0.copy()
                work[:] = np.nan
                st, it, res = solver(Ai, Av, C, C, B, w, m, lam, f, th, lam, work)   # aliased
                # the general solver always writes each DOF's curvature at this offset of
                # the workspace, the two-pass path never does
                general = not np.isnan(work[6 * p + 3 * (q + n) + 2 * n])
                out.append((st, it, res, f, th, general))
            (st_w, it_w, res_w, f_w, th_w, general_w), (st_g, _, res_g, f_g, th_g, general_g) = out
            assert general_g
            assert st_w == st_g == (STATUS_OK if feasible else STATUS_INFEASIBLE)
            np.testing.assert_allclose(f_w, f_g, atol=1e-7 * C.max())
            np.testing.assert_allclose(th_w, th_g, rtol=1e-6, atol=1e-8)
            if feasible:
                assert res_w <= 1e-7       # the general solver's rounding floor, _ACCEPT_RTOL
                if k == 0:
                    fast += not general_w
    assert fast >= 25          # the two-pass path is what a run's warm starts take


def test_workspace_reuse():
    A, C, B, w, m = instances(43, 1)[0]
    work = make_workspace(*A.shape, B.shape[1])
    r1 = share_load(A, C, m, B, w, work=work)
    r2 = share_load(A, C, m, B, w, work=work)
    np.testing.assert_array_equal(r1.f, r2.f)


def _stride(rng, n_phase=40):
    """A smooth stride of demands with a phase-varying lean column (stance only)."""
    phase = np.arange(n_phase) / n_phase
    ms = muscle_set(70.0)
    cols = sharing_columns(ms)
    M = np.zeros((n_phase, N_DOF))
    up = np.array([90.0, 80.0, 150.0, 180.0, 50.0, 30.0])     # [N m], within fatigued capacity
    down = np.array([90.0, 15.0, 60.0, 10.0, 25.0, 30.0])
    for k in range(N_DOF):
        wave = np.sin(2 * np.pi * (phase + rng.uniform())) * rng.uniform(0.5, 1.0)
        M[:, k] = np.where(wave > 0, up[k], down[k]) * wave
    C = cols.F0[None, :] * rng.uniform(0.4, 1.0, (n_phase, cols.n_columns))
    stance = phase < 0.4
    B = np.zeros((n_phase, N_DOF, 1))
    B[stance, DOFS.index("hip_abduction"), 0] = -15.0      # lean relieves abduction ...
    B[stance, DOFS.index("lumbar_bending"), 0] = 5.0       # ... and loads lumbar bending
    return cols.A, C, B, np.array([1.0]), M


def test_stride_matches_phase_by_phase():
    rng = np.random.default_rng(51)
    A, C, B, w, M = _stride(rng)
    out = share_stride(A, C, M, B, w)
    assert out.feasible.all() and np.all(out.residual < 1e-6)
    for j in range(M.shape[0]):
        single = share_load(A, C[j], M[j], B[j], w)
        np.testing.assert_allclose(out.f[j], single.f, atol=1e-6 * C.max())
        np.testing.assert_allclose(out.theta[j], single.theta, atol=1e-8)
    # the lean is only used in stance, where its column exists
    assert np.all(out.theta[B[:, 1, 0] == 0.0] == 0.0)
    # warm start from the previous stride's last phase: same answers
    again = share_stride(A, C, M, B, w, lam0=out.lam[-1])
    np.testing.assert_allclose(again.f, out.f, atol=1e-6 * C.max())


def test_stride_flags_infeasible_phases_and_recovers():
    A = np.array([[0.05, 0.04]])
    C = np.tile([2000.0, 1000.0], (5, 1))
    M = np.array([[10.0], [150.0], [60.0], [200.0], [20.0]])
    out = share_stride(A, C, M)
    assert out.status.tolist() == [STATUS_OK, STATUS_INFEASIBLE, STATUS_OK, STATUS_INFEASIBLE, STATUS_OK]
    np.testing.assert_allclose((out.f @ A[0])[[0, 2, 4]], [10.0, 60.0, 20.0])


def test_numba_kernel_directly():
    A, C, B, w, m = instances(61, 1)[0]
    n, p = A.shape
    q = B.shape[1]
    f, th, lam = np.empty(p), np.empty(q), np.empty(n)
    status, it, res = solve_sharing(A, C, B, w, m, np.zeros(n), f, th, lam, make_workspace(n, p, q))
    assert status == STATUS_OK and res < 1e-6 and it >= 1
    ref = share_load(A, C, m, B, w)
    np.testing.assert_array_equal(f, ref.f)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 7), st.integers(1, 12), st.floats(0.0, 1.0))
def test_column_structure_holds_exactly_the_nonzero_arms(seed, n, p, density):
    rng = np.random.default_rng(seed)
    A = rng.normal(0.0, 0.05, (n, p)) * (rng.random((n, p)) < density)
    Ai, Av = sh.column_structure(A)
    assert Ai.shape == Av.shape and Ai.shape[0] == p
    assert Ai.shape[1] == max(1, int((A != 0).sum(axis=0).max()))
    back = np.zeros_like(A)
    for i in range(p):
        for e in range(Ai.shape[1]):
            back[Ai[i, e], i] += Av[i, e]
    np.testing.assert_array_equal(back, A)


def test_column_kernel_equals_the_dense_entry_point():
    from sim.sharing import column_structure, solve_sharing_columns, solve_sharing_weighted

    for A, C, B, w, m in instances(63, 20):
        n, p = A.shape
        q = B.shape[1]
        W = C * np.linspace(0.5, 1.5, p)
        out = []
        for solve, first in ((solve_sharing_weighted, (A,)),
                             (solve_sharing_columns, column_structure(A))):
            f, th, lam = np.empty(p), np.empty(q), np.empty(n)
            st_, it, res = solve(*first, C, W, B, w, m, np.zeros(n), f, th, lam,
                                 make_workspace(n, p, q))
            out.append((st_, it, res, f))
        assert out[0][:3] == out[1][:3]
        np.testing.assert_array_equal(out[0][3], out[1][3])


def test_column_kernel_rejects_a_structure_beyond_the_dofs():
    from sim.sharing import solve_sharing_columns

    Ai, Av = np.array([[0], [3]]), np.array([[0.05], [0.04]])
    f, th, lam = np.empty(2), np.empty(0), np.empty(1)
    with pytest.raises(ValueError, match="missing DOF"):
        solve_sharing_columns(Ai, Av, np.ones(2), np.ones(2), np.zeros((1, 0)), np.zeros(0),
                              np.array([1.0]), np.zeros(1), f, th, lam, make_workspace(1, 2, 0))


def test_kernel_rejects_small_workspace():
    A, C, B, w, m = instances(62, 1)[0]
    n, p = A.shape
    q = B.shape[1]
    f, th, lam = np.empty(p), np.empty(q), np.empty(n)
    with pytest.raises(ValueError, match="workspace"):
        solve_sharing(A, C, B, w, m, np.zeros(n), f, th, lam, np.zeros(10))


def test_iteration_limit_is_flagged():
    A, C, B, w, m = instances(71, 1)[0]
    res = share_load(A, C, m, B, w, max_iter=0)
    assert res.status == STATUS_MAX_ITER and not res.feasible and res.residual > 1e-6


def test_input_validation():
    A = np.array([[0.05, 0.04]])
    with pytest.raises(ValueError, match="C"):
        share_load(A, [-1.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="w"):
        share_load(A, [1.0, 1.0], [1.0], B=[[1.0]], w=[0.0])
    with pytest.raises(ValueError):
        share_load(A, [1.0, 1.0, 1.0], [1.0])
    with pytest.raises(ValueError):
        share_load(A, [1.0, 1.0], [1.0], B=[[1.0]])


# --------------------------------------------------------------------------------------
# capacity weighting: the behaviour the model's story depends on
# --------------------------------------------------------------------------------------
def _abduction_problem(glmed=1.0, minimus=1.0, tfl=1.0, lean=True):
    ms = muscle_set(75.0)
    cols = sharing_columns(ms)
    C = cols.F0.copy()
    for name, frac in (("gluteus_medius", glmed), ("gluteus_minimus", minimus),
                       ("tensor_fasciae_latae", tfl)):
        C[cols.names.index(name)] *= frac
    m = np.zeros(N_DOF)
    m[DOFS.index("hip_abduction")] = 1.5 * 75.0          # mid-stance peak [N m]
    m[DOFS.index("lumbar_extension")] = 40.0
    B = np.zeros((N_DOF, 1))
    B[DOFS.index("hip_abduction"), 0] = 30.0              # N m per degree of lean
    B[DOFS.index("lumbar_bending"), 0] = 8.0
    if not lean:
        B = np.zeros((N_DOF, 0))
    w = np.array([2.0]) if lean else np.zeros(0)
    return cols, share_load(cols.A, C, m, B, w)


def test_fatigued_muscle_hands_load_to_synergists():
    cols, fresh = _abduction_problem()
    _, tired = _abduction_problem(glmed=0.5)
    i = cols.names.index
    assert tired.f[i("gluteus_medius")] < fresh.f[i("gluteus_medius")]
    assert tired.f[i("gluteus_minimus")] > fresh.f[i("gluteus_minimus")]
    assert tired.f[i("tensor_fasciae_latae")] > fresh.f[i("tensor_fasciae_latae")]
    assert tired.theta[0] > fresh.theta[0] >= 0.0
    assert fresh.feasible and tired.feasible


def test_compensation_takes_over_when_synergists_run_short():
    _, fresh = _abduction_problem()
    cols, exhausted = _abduction_problem(glmed=0.15, minimus=0.15, tfl=0.15)
    assert exhausted.feasible
    assert exhausted.theta[0] > 3.0 * fresh.theta[0]
    # the lean adds lumbar bending work: lumbar muscles on one side pick it up
    bend = DOFS.index("lumbar_bending")
    lumbar_bending = cols.A[bend] @ exhausted.f
    assert lumbar_bending == pytest.approx(-8.0 * exhausted.theta[0], rel=1e-6)
    # without the lean the same demand is beyond the abductors: flagged
    _, no_lean = _abduction_problem(glmed=0.15, minimus=0.15, tfl=0.15, lean=False)
    assert no_lean.status == STATUS_INFEASIBLE


def test_effort_criterion_shares_by_capacity():
    """Unconstrained optimum: f_i proportional to C_i^2 a_i (activation to C_i a_i)."""
    A = np.array([[0.05, 0.04, 0.03]])
    C = np.array([1000.0, 2000.0, 500.0])
    res = share_load(A, C, [20.0])
    ratio = res.f / (C ** 2 * A[0])
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)


# --------------------------------------------------------------------------------------
# examples
# --------------------------------------------------------------------------------------
def test_examples_run():
    res = doctest.testmod(sh, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 10


def test_every_public_function_has_an_example():
    for name in sh.__all__:
        obj = getattr(sh, name)
        fn = getattr(obj, "py_func", obj)
        if inspect.isfunction(fn):
            assert "Examples" in (fn.__doc__ or ""), name


def test_weighted_lumped_column_equals_its_parts():
    """A column lumping muscles of capacities c_k with W = sqrt(Σ c_k²) carries what the
    separate muscles carry together (same arms): the effort criterion does not depend on
    how muscles are lumped."""
    from sim.sharing import solve_sharing_weighted

    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(50):
        n_dof, n_other, n_parts = 3, 6, int(rng.integers(2, 5))
        arm = rng.normal(0, 0.05, n_dof)
        other = rng.normal(0, 0.05, (n_dof, n_other))
        parts = rng.uniform(100, 2000, n_parts)
        c_other = rng.uniform(100, 2000, n_other)
        m = 0.3 * (other @ (0.3 * c_other) + arm * 0.3 * parts.sum())
        # separate columns
        A_sep = np.hstack([other, np.repeat(arm[:, None], n_parts, axis=1)])
        C_sep = np.concatenate([c_other, parts])
        sep = share_load(A_sep, C_sep, m)
        # one lumped column
        A_l = np.hstack([other, arm[:, None]])
        C_l = np.concatenate([c_other, [parts.sum()]])
        W_l = np.concatenate([c_other, [np.sqrt(np.sum(parts ** 2))]])
        f, th, lam = np.empty(n_other + 1), np.empty(0), np.empty(n_dof)
        st, _, res = solve_sharing_weighted(A_l, C_l, W_l, np.zeros((n_dof, 0)), np.zeros(0), m,
                                            np.zeros(n_dof), f, th, lam,
                                            make_workspace(n_dof, n_other + 1, 0))
        assert sep.feasible and st == 0 and res < 1e-9
        if np.all(sep.f[n_other:] < parts * (1 - 1e-9)):  # no part at its bound
            np.testing.assert_allclose(f[:n_other], sep.f[:n_other], rtol=1e-7, atol=1e-6)
            assert f[-1] == pytest.approx(sep.f[n_other:].sum(), rel=1e-7, abs=1e-6)
            compared += 1
    assert compared >= 40
