"""Where does the time of one run go?

Question: of the time the engine spends on one 2-hour run of the benchmark sweep, how
much is load sharing (the QP at every phase sample of a solved stride) and how much the
rest of a block (fibre-pool stepping, spine loads)? And what does numba's reference
counting cost in these kernels (:mod:`sim.jit`)?

Measured, on one thread, after compilation:

- ``run_ms``: median time of one whole run (``sim.simulation.run_inputs``) over 20
  scenarios of the benchmark sweep, with the number of checkpoints;
- ``solve_us``: one load-sharing solve by the general solver, warm-started from its own
  solution (no Newton step: the fixed cost) and from the solution for capacities 0.2 %
  higher (about one Newton step, as between blocks); ``warm_solve_us_after_0.2pct``: the
  same step by the two-pass one-phase solve (:mod:`sim.physics.sharing_warm`);
  ``phases_solve_us_after_0.2pct``: the same by the solve a run uses, half a stride's
  phases at a time (:mod:`sim.physics.sharing_phases`), per phase sample;
- ``block_fatigue_us`` and ``stride_metrics_us``: the rest of a block.

With ``--compare-refcount`` the script runs itself a second time with
``RUNFATIGUE_REFCOUNT=1`` (kernels compiled with the reference-counting runtime, into a
temporary numba cache) and prints both.

Writes ``results/profile_engine/profile.json`` and a manifest.

Run: ``python experiments/profile_engine.py [--compare-refcount]``
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from numba import njit

from sim import engine as E
from sim.bench import standard_configs
from sim.engine import S
from sim.jit import NO_REFCOUNT
from sim.results import results_dir, write_json, write_manifest
from sim.scenario import build_inputs
from sim.sharing import column_structure, solve_sharing_columns, workspace_size
from sim.physics.sharing_phases import phases_workspace, solve_phases_warm
from sim.physics.sharing_warm import solve_sharing_warm
from sim.simulation import run_inputs

REPS = 2000


@njit
def _solves(reps, drift, Ai, Av, C, W, B3, M_ph, w, Lam0, wk, work, how=0):
    """``reps`` strides of solves; capacities drop by ``drift`` between strides. ``how``:
    0 the general solver, 1 the one-phase warm solve, both phase by phase; 2 the run's
    solve, half a stride's phases at a time. Returns the Newton steps taken (``how`` < 2)
    or the phases solved."""
    n_ph, n = M_ph.shape
    p = C.shape[0]
    F, T = np.zeros((n_ph, p)), np.zeros((n_ph, 1))
    st, res = np.zeros(n_ph, np.int64), np.zeros(n_ph)
    Lam = Lam0.copy()
    Cc, Wc = C.copy(), W.copy()
    out = 0
    for r in range(reps):
        if r % 50 == 0:
            Cc[:] = C
            Wc[:] = W
            Lam[:] = Lam0
        else:
            for i in range(p):
                Cc[i] *= 1.0 - drift
                Wc[i] *= 1.0 - drift
        if how == 2:
            for lo, hi in ((0, n_ph // 2), (n_ph // 2, n_ph)):
                solve_phases_warm(Ai, Av, Cc, Wc, B3[lo:hi], w, M_ph[lo:hi], Lam[lo:hi],
                                  F[lo:hi], T[lo:hi], Lam[lo:hi], st[lo:hi], res[lo:hi], wk,
                                  work)
            out += n_ph
            continue
        for j in range(n_ph):
            if how == 1:
                out += solve_sharing_warm(Ai, Av, Cc, Wc, B3[j], w, M_ph[j], Lam[j], F[j], T[j],
                                          Lam[j], work)[1]
            else:
                out += solve_sharing_columns(Ai, Av, Cc, Wc, B3[j], w, M_ph[j], Lam[j], F[j],
                                             T[j], Lam[j], work)[1]
    return out


@njit
def _stride_problem(tpl, mus, sc, C, W, state, work):
    """Demands and lean columns of every phase of the first template; solved multipliers."""
    n_ph, n = tpl.m.shape[1], tpl.m.shape[2]
    p = mus.A.shape[1]
    Ai, Av = column_structure(mus.A)
    E._capacities(state, mus.prm[0], mus.F0, mus.col_muscle, mus.col_rho,
                  np.zeros(mus.F0.shape[0]), C, W, np.zeros(p))
    M1, B1, w = np.zeros((n_ph, n)), np.zeros((n_ph, n, 1)), np.array([sc[S.lean_cost]])
    f, th, Th = np.zeros(p), np.zeros(1), np.zeros(n_ph)
    Lam, M_ph, B_ph = np.zeros((n_ph, n)), np.zeros((n_ph, n)), np.zeros((n_ph, n))
    Fs = np.zeros((n_ph, p))
    limit = sc[S.rom_deg] - sc[S.tightness_deg]
    pas = np.zeros(n_ph)
    E._passive_stride(0, tpl.hipext, sc, limit, 0.0, pas)
    for j in range(n_ph):      # fresh posture: no forward lean (sin 0), no pelvis shift
        E._stride_demand(j, j + 1, 0, tpl.m, tpl.grf_r, tpl.grf_tot, tpl.stance, sc, 1.0, pas,
                         0.0, Th, M1, B1)
        m, B = M1[j], B1[j]
        solve_sharing_warm(Ai, Av, C, W, B, w, m, Lam[j], f, th, Lam[j], work)
        Th[j] = th[0]
        M_ph[j] = m
        B_ph[j] = B[:, 0]
        Fs[j] = f
    return Ai, Av, M_ph, B_ph, Lam, Fs, Th, w


@njit
def _block_parts(reps, which, tpl, mus, sc, state, Fs, Th):
    n_ph, p = Fs.shape
    s2 = state.copy()
    f_tmp, shear = np.zeros(5 * n_ph), np.zeros(n_ph)
    leg_spine = np.zeros(p, dtype=np.bool_)
    tilt, pas = np.zeros(n_ph), np.zeros(n_ph)
    n_m = s2.shape[0]
    U, Pw, pwork = np.zeros((n_ph, n_m)), np.zeros((n_ph, n_m)), np.zeros(8 * n_m)
    Occ = np.zeros((n_ph, n_m))
    dtp = tpl.stride_s[0] / n_ph
    acc = 0.0
    for r in range(reps):
        if which == 0:
            s2[:] = state
            E._block_fatigue(s2, mus.prm[0], mus.F0, mus.col_muscle, mus.col_side, Fs, dtp,
                             60.0, U, Pw, pwork, Occ)
        else:
            E._passive_stride(0, tpl.hipext, sc, sc[S.rom_deg] - sc[S.tightness_deg], 0.0,
                              pas)
            acc += E._stride_metrics(0, Fs, Th, tilt, tpl.grf_tot, leg_spine, mus.col_comp,
                                     mus.col_shear, mus.sup_col, mus.sup_F0, sc, pas, f_tmp,
                                     shear)[0]
    return acc


def _per(fn, reps, per):
    fn()                                       # compile / warm
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) / reps / per * 1e6


def profile() -> dict:
    cfgs = standard_configs(20, 120.0)
    inps = [build_inputs(c) for c in cfgs]
    t0 = time.perf_counter()
    run_inputs(inps[0], store=False)
    compile_s = time.perf_counter() - t0
    times, cks = [], []
    for inp in inps:
        t0 = time.perf_counter()
        n, _, state = run_inputs(inp, store=False)
        times.append(time.perf_counter() - t0)
        cks.append(n)
    # a mid-run state: the end of the first scenario's run
    inp = inps[0]
    _, _, state = run_inputs(build_inputs(cfgs[0].with_overrides({"run.duration_min": 60})),
                             store=False)
    tpl, mus, _, sc = inp.kernel_bundles()
    p = inp.A.shape[1]
    C, W = np.zeros(p), np.zeros(p)
    work = np.zeros(workspace_size(inp.A.shape[0], p, 1) + inp.A.shape[0])   # + warm start
    Ai, Av, M_ph, B_ph, Lam, Fs, Th, w = _stride_problem(tpl, mus, sc, C, W, state, work)
    n_ph = M_ph.shape[0]
    out = {"refcounting_runtime": not NO_REFCOUNT, "compile_s": compile_s,
           "run_ms": float(np.median(times) * 1e3), "checkpoints": float(np.mean(cks))}
    B3 = np.ascontiguousarray(B_ph.reshape(n_ph, B_ph.shape[1], 1))
    wk = phases_workspace(B_ph.shape[1], p, 1, n_ph - n_ph // 2)
    args = (Ai, Av, C, W, B3, M_ph, w, Lam, wk, work)
    for name, drift in (("solve_us_warm_no_step", 0.0), ("solve_us_after_0.2pct", 0.002)):
        out[name] = _per(lambda: _solves(REPS, drift, *args), REPS, n_ph)
        out[name.replace("solve_us", "newton_steps")] = (
            _solves(REPS, drift, *args) / REPS / n_ph)
    out["warm_solve_us_after_0.2pct"] = _per(lambda: _solves(REPS, 0.002, *args, 1), REPS,
                                             n_ph)
    out["phases_solve_us_after_0.2pct"] = _per(lambda: _solves(REPS, 0.002, *args, 2), REPS,
                                               n_ph)
    out["block_fatigue_us"] = _per(lambda: _block_parts(REPS, 0, tpl, mus, sc, state, Fs, Th), REPS, 1)
    out["stride_metrics_us"] = _per(lambda: _block_parts(REPS, 1, tpl, mus, sc, state, Fs, Th), REPS, 1)
    out["phase_samples"] = n_ph
    return out


def main():
    out = profile()
    if "--compare-refcount" in sys.argv:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, RUNFATIGUE_REFCOUNT="1", NUMBA_CACHE_DIR=cache)
            res = subprocess.run([sys.executable, __file__, "--json"], env=env, check=True,
                                 capture_output=True, text=True)
        out = {"without_refcounting": out, "with_refcounting": json.loads(res.stdout)}
    if "--json" in sys.argv:
        print(json.dumps(out))
        return
    d = results_dir("profile_engine")
    write_json(d / "profile.json", out)
    write_manifest(d, "python experiments/profile_engine.py " + " ".join(sys.argv[1:]))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
