"""Speed of the load-sharing QP: numba solver against the SciPy reference.

Question: how many load-sharing problems per second does the numba solver
(``sim.sharing``) solve, compared with the plain SciPy reference, on problems of the
model's own shape (the muscle set's 24 columns, 6 DOFs, one lean column)?

Three measurements, each after compilation (compile time is reported apart):

- ``stride_kernel``: :func:`sim.physics.sharing.solve_stride` over strides of 100 phase samples,
  warm-started phase to phase, as the engine calls it;
- ``share_load``: the Python front end, one cold-started problem per call;
- ``scipy``: :func:`sim.physics.sharing.share_load_scipy` (bounded least squares + HiGHS LP).

Writes ``results/bench_sharing/bench.json`` and a manifest.

Run: ``python experiments/bench_sharing.py``
"""
from __future__ import annotations

import time

import numpy as np

from sim import sharing
from sim.muscles import DOFS, muscle_set, sharing_columns
from sim.results import results_dir, write_json, write_manifest

N_PHASE = 100


def stride_problem(rng, cols):
    """A stride of smooth demands within fatigued capacity, lean column in stance."""
    phase = np.arange(N_PHASE) / N_PHASE
    n = len(DOFS)
    up = np.array([90.0, 80.0, 150.0, 180.0, 50.0, 30.0])
    down = np.array([90.0, 15.0, 60.0, 10.0, 25.0, 30.0])
    M = np.zeros((N_PHASE, n))
    for k in range(n):
        wave = np.sin(2 * np.pi * (phase + rng.uniform())) * rng.uniform(0.5, 1.0)
        M[:, k] = np.where(wave > 0, up[k], down[k]) * wave
    C = cols.F0[None, :] * rng.uniform(0.4, 1.0, (N_PHASE, cols.n_columns))
    B = np.zeros((N_PHASE, n, 1))
    stance = phase < 0.4
    B[stance, DOFS.index("hip_abduction"), 0] = -15.0
    B[stance, DOFS.index("lumbar_bending"), 0] = 5.0
    return C, B, np.array([1.0]), M


def main(n_strides: int = 200, n_scipy: int = 300, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    cols = sharing_columns(muscle_set(75.0))
    A = np.ascontiguousarray(cols.A)
    n, p = A.shape
    problems = [stride_problem(rng, cols) for _ in range(n_strides)]

    F = np.empty((N_PHASE, p)); Th = np.empty((N_PHASE, 1)); L = np.empty((N_PHASE, n))
    st = np.empty(N_PHASE, np.int64); it = np.empty(N_PHASE, np.int64); rr = np.empty(N_PHASE)
    work = sharing.make_workspace(n, p, 1)
    t0 = time.perf_counter()
    C, B, w, M = problems[0]
    sharing.solve_stride(A, C, B, w, M, np.zeros(n), F, Th, L, st, it, rr, work)
    sharing.share_load(A, C[0], M[0], B[0], w)
    compile_s = time.perf_counter() - t0

    iters = 0
    counts = np.zeros(3, np.int64)
    t0 = time.perf_counter()
    for C, B, w, M in problems:
        sharing.solve_stride(A, C, B, w, M, np.zeros(n), F, Th, L, st, it, rr, work)
        iters += int(it.sum())
        counts += np.bincount(st, minlength=3)
    kernel_s = time.perf_counter() - t0
    n_kernel = n_strides * N_PHASE

    flat = [(C[j], B[j], w, M[j]) for C, B, w, M in problems for j in range(0, N_PHASE, 7)]
    t0 = time.perf_counter()
    for C, B_, w, m in flat:
        sharing.share_load(A, C, m, B_, w)
    wrapper_s = time.perf_counter() - t0

    sub = flat[:n_scipy]
    t0 = time.perf_counter()
    worst = 0.0
    agree = 0
    for C, B_, w, m in sub:
        ref = sharing.share_load_scipy(A, C, m, B_, w)
        res = sharing.share_load(A, C, m, B_, w)
        agree += ref.status == res.status
        if res.feasible and ref.feasible:
            worst = max(worst, abs(res.objective - ref.objective) / max(ref.objective, 1e-300))
    scipy_s = time.perf_counter() - t0 - wrapper_s * len(sub) / len(flat)

    out = {
        "compile_s": compile_s,
        "stride_kernel_solves_per_s": n_kernel / kernel_s,
        "stride_kernel_mean_iterations": iters / n_kernel,
        "stride_kernel_status_ok_infeasible_maxiter": counts.tolist(),
        "share_load_solves_per_s": len(flat) / wrapper_s,
        "scipy_solves_per_s": len(sub) / scipy_s,
        "ratio_kernel_to_scipy": (n_kernel / kernel_s) / (len(sub) / scipy_s),
        "scipy_same_status": f"{agree}/{len(sub)}",
        "worst_relative_objective_difference_feasible": worst,
        "n_columns": p,
        "n_dof": n,
        "n_phase": N_PHASE,
    }
    d = results_dir("bench_sharing")
    write_json(d / "bench.json", out)
    write_manifest(d, "experiments/bench_sharing.py", seed=seed,
                   timings={"compile_s": compile_s, "kernel_s": kernel_s, "scipy_s": scipy_s})
    return out


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key:40s} {value:.4g}" if isinstance(value, float) else f"{key:40s} {value}")
