"""What does one call of the periodic perfusion of every muscle cost?

Question: a block's fibre-pool step finds the periodic perfusion of every muscle over its
stride (:func:`sim.physics.fatigue.perfusion.stride_perfusion_muscles`). How long does a
call take, for the default runner's 18 muscles and 64 phase samples, with each muscle's
ischaemia starting at its periodic state for the stride before (as in a run, where
consecutive blocks' strides differ a little: here the stride before is 1 % weaker)?

The strides are fixed (a seeded set of stance-like force curves, 5-50 % of the fresh
maximum force); the best of ``--repeats`` timings of ``--calls`` calls is reported, after
compilation (at the package's compile level). To compare two versions, run this script
in each checkout, alternating (these machines are noisy); it reads either layout of the
stride: muscle first (the shipped one) or phase sample first (the vectorised passes of
commit 00509b6, measured and not kept: README, "The periodic perfusion, muscles side by
side").

Writes ``results/perfusion_call/perfusion_call.json`` and a manifest.

Run: ``python experiments/perfusion_call.py [--calls 20000] [--repeats 7]``
"""
from __future__ import annotations

import argparse
import inspect
import time

import numpy as np


def main(calls: int, repeats: int) -> dict:
    from sim.jit import use_compile_level

    use_compile_level()
    from sim.config import load_config
    from sim.core.scenario import build_inputs
    from sim.physics.fatigue.perfusion import stride_perfusion_muscles as perfusion
    from sim.physics.fatigue.pools import P

    prm = build_inputs(load_config(None)).prm[0]
    n_m, n = prm.shape[0], 64
    rng = np.random.default_rng(0)
    phase = np.arange(n) / n
    U = np.zeros((n_m, n))
    for i in range(n_m):
        peak, centre, width = rng.uniform(0.05, 0.5), rng.uniform(0, 1), rng.uniform(0.15, 0.5)
        U[i] = peak * np.maximum(0.0, np.cos(np.pi * ((phase - centre + 0.5) % 1 - 0.5)
                                             / width)) ** 2
    consts = [np.ascontiguousarray(prm[:, k]) for k in (P.tau_isch_on, P.tau_isch_off,
                                                        P.u_free, P.u_occ)]
    dt = 0.72 / n                       # a 0.72-s stride
    work, isch = np.zeros(8 * n_m), np.zeros(n_m)
    phase_first = "occ" in inspect.signature(perfusion.py_func).parameters
    if phase_first:
        before, now = np.ascontiguousarray(U.T), np.ascontiguousarray(1.01 * U.T)
        perf, occ = np.zeros((n, n_m)), np.zeros((n, n_m))

        def call(u, start):
            perfusion(u, dt, start, *consts, perf, isch, work, occ)
    else:
        before, now = U, 1.01 * U
        perf = np.zeros((n_m, n))

        def call(u, start):
            perfusion(u, dt, start, *consts, perf, isch, work)

    call(before, np.zeros(n_m))
    start = isch.copy()                 # periodic for the stride before
    best = np.inf
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            call(now, start)
        best = min(best, (time.perf_counter() - t) / calls)
    return {"layout": "phase sample first" if phase_first else "muscle first",
            "muscles": n_m, "phase_samples": n, "us_per_call": best * 1e6,
            "calls": calls, "repeats": repeats}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    out = main(a.calls, a.repeats)
    from sim.results import results_dir, write_json, write_manifest

    d = results_dir("perfusion_call")
    write_json(d / "perfusion_call.json", out)
    write_manifest(d, f"python experiments/perfusion_call.py --calls {a.calls} "
                      f"--repeats {a.repeats}")
    print(f"{out['layout']}: {out['us_per_call']:.2f} us a call ({out['muscles']} muscles, "
          f"{out['phase_samples']} phase samples)")
