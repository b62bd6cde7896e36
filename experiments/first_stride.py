"""What does a run's first stride cost, and which solve should it use?

Question: a run's first stride has no stride before it, so each phase sample is
warm-started from the phase before. Three ways to solve it, each phase in turn:

- ``general``: the general solver at once
  (:func:`sim.physics.sharing_solver.solve_sharing_columns`), as the run loop does;
- ``one_phase``: the one-step solve of :mod:`sim.physics.sharing_warm`, falling back to
  the general solver;
- ``half_stride_1``: the half-stride solve (:func:`sim.physics.sharing_phases.solve_phases_warm`)
  called for one phase sample, falling back alike (what the run loop did before
  2026-12-05).

The last two give the same results bit for bit (``tests/physics/test_sharing_phases.py``);
the first differs from them by rounding where the one-step solve finishes. Measured per
first stride (64 phase samples, fresh capacities, the first ``--scenarios`` scenarios of
the benchmark, one thread, after compilation): the time, the general solver's Newton
iterations per phase sample, the share of phase samples the one-step solve finishes
(each phase started from the general solver's multipliers of the phase before: where
the one-step solve falls back, the general solver runs from that same start and gives
the same bits, so a phase whose forces differ is one it finished), and the largest force
difference between ``general`` and the others over a stride [N].

Writes ``results/first_stride/first_stride.json`` and a manifest.

Run: ``python experiments/first_stride.py [--scenarios 8] [--repeats 300]``
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from numba import njit

from sim.core import engine as E
from sim.core.engine import S
from sim.core.scenario import build_inputs
from sim.interface.accuracy import standard_configs
from sim.physics.fatigue.pools import fresh_state
from sim.physics.sharing_phases import phases_workspace, solve_phases_warm
from sim.physics.sharing_solver import column_structure, solve_sharing_columns, workspace_size
from sim.physics.sharing_warm import solve_sharing_warm
from sim.results import results_dir, write_json, write_manifest

WAYS = ("general", "one_phase", "half_stride_1")


@njit
def _problem(tpl, mus, sc, state):
    """Every phase's demand and lean column of the first template, fresh posture."""
    n_ph, n = tpl.m.shape[1], tpl.m.shape[2]
    p = mus.A.shape[1]
    C, W = np.zeros(p), np.zeros(p)
    E._capacities(state, mus.prm[0], mus.F0, mus.col_muscle, mus.col_rho,
                  np.zeros(mus.F0.shape[0]), C, W, np.zeros(p))
    M, B = np.zeros((n_ph, n)), np.zeros((n_ph, n, 1))
    pas, th = np.zeros(n_ph), np.zeros(n_ph)
    E._passive_stride(0, tpl.hipext, sc, sc[S.rom_deg] - sc[S.tightness_deg], 0.0, pas)
    E._stride_demand(0, n_ph, 0, tpl.m, tpl.grf_r, tpl.grf_tot, tpl.stance, sc, 1.0, pas, 0.0,
                     th, M, B)
    return C, W, M, B, np.array([sc[S.lean_cost]])


@njit
def _first_stride(reps, way, Ai, Av, C, W, M, B, w, F, T, Lam, st, res, its, wk, work):
    """``reps`` first strides solved ``way`` (0, 1, 2 as in WAYS); returns the one-step
    leaves the last stride's results in F, T, Lam."""
    n_ph, n = M.shape
    for r in range(reps):
        for k in range(n):
            Lam[n_ph - 1, k] = 0.0
        for j in range(n_ph):
            jw = (j - 1) % n_ph
            if way == 0:
                st[j], its[j], res[j] = solve_sharing_columns(Ai, Av, C, W, B[j], w, M[j],
                                                              Lam[jw], F[j], T[j], Lam[j],
                                                              work, 1e-10, 100)
            elif way == 1:
                st[j], its[j], res[j] = solve_sharing_warm(Ai, Av, C, W, B[j], w, M[j],
                                                           Lam[jw], F[j], T[j], Lam[j],
                                                           work)
            else:
                solve_phases_warm(Ai, Av, C, W, B[j:j + 1], w, M[j:j + 1], Lam[jw:jw + 1],
                                  F[j:j + 1], T[j:j + 1], Lam[j:j + 1], st[j:j + 1],
                                  res[j:j + 1], wk, work)


@njit
def _one_step_finished(Ai, Av, C, W, M, B, w, F_gen, Lam_gen, work):
    """Share of phases whose one-phase solve, started from the general solver's
    multipliers of the phase before, ends with forces other than the general solver's."""
    n_ph, n = M.shape
    f, th, lam = np.zeros(F_gen.shape[1]), np.zeros(1), np.zeros(n)
    k = 0
    for j in range(n_ph):
        solve_sharing_warm(Ai, Av, C, W, B[j], w, M[j], Lam_gen[(j - 1) % n_ph], f, th, lam,
                           work)
        for c in range(f.shape[0]):
            if f[c] != F_gen[j, c]:
                k += 1
                break
    return k / n_ph


def measure(n_scenarios=8, repeats=300) -> dict:
    rows = []
    for cfg in standard_configs(2000)[:n_scenarios]:
        inp = build_inputs(cfg)
        tpl, mus, _, sc = inp.kernel_bundles()
        state = np.tile(fresh_state(), (inp.F0.size, 1))
        C, W, M, B, w = _problem(tpl, mus, sc, state)
        n_ph, n = M.shape
        p = C.shape[0]
        Ai, Av = column_structure(mus.A)
        work = np.zeros(workspace_size(n, p, 1) + n)
        wk = phases_workspace(n, p, 1, 1)
        out = {"speed_mps": cfg.run.speed_mps}
        forces = {}
        for way, name in enumerate(WAYS):
            F, T, Lam = np.zeros((n_ph, p)), np.zeros((n_ph, 1)), np.zeros((n_ph, n))
            st, res, its = np.zeros(n_ph, np.int64), np.zeros(n_ph), np.zeros(n_ph, np.int64)
            args = (Ai, Av, C, W, M, B, w, F, T, Lam, st, res, its, wk, work)
            _first_stride(1, way, *args)
            t0 = time.perf_counter()
            _first_stride(repeats, way, *args)
            out[f"{name}_us"] = (time.perf_counter() - t0) / repeats * 1e6
            if way == 0:
                out["general_iterations_per_phase"] = float(its.mean())
                out["one_step_finished"] = _one_step_finished(Ai, Av, C, W, M, B, w, F, Lam,
                                                              work)
            forces[name] = F.copy()
        out["max_force_difference_N"] = float(max(np.abs(forces["general"] - forces[k]).max()
                                                  for k in WAYS[1:]))
        out["one_phase_equals_half_stride_1"] = bool(np.array_equal(forces["one_phase"],
                                                                    forces["half_stride_1"]))
        rows.append(out)
    summary = {k: float(np.median([r[k] for r in rows])) for k in rows[0]
               if k.endswith(("_us", "_per_phase", "_finished"))}
    summary["max_force_difference_N"] = max(r["max_force_difference_N"] for r in rows)
    summary["one_phase_equals_half_stride_1"] = all(r["one_phase_equals_half_stride_1"]
                                                    for r in rows)
    return {"scenarios": rows, "median": summary, "phase_samples": int(n_ph)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=300)
    a = ap.parse_args()
    out = measure(a.scenarios, a.repeats)
    d = results_dir("first_stride")
    write_json(d / "first_stride.json", out)
    write_manifest(d, "python experiments/first_stride.py "
                   f"--scenarios {a.scenarios} --repeats {a.repeats}")
    m = out["median"]
    print(f"a first stride ({out['phase_samples']} phase samples), median of "
          f"{len(out['scenarios'])} scenarios:")
    for name in WAYS:
        print(f"  {name:14s} {m[name + '_us']:7.1f} us")
    print(f"  general solver: {m['general_iterations_per_phase']:.2f} Newton iterations a "
          f"phase; the one-step solve finishes {100 * m['one_step_finished']:.0f} % of phases")
    print(f"  largest force difference from the general solver: "
          f"{m['max_force_difference_N']:.2e} N; one-phase form equals the half-stride "
          f"solve for one phase: {m['one_phase_equals_half_stride_1']}")


if __name__ == "__main__":
    main()
