"""The speed benchmark behind ``runfatigue bench``.

A standard sweep (Latin hypercube over hip-flexor tightness 0–20°, pace 2.5–4 m/s and
core strength 0.6–1.0; 2-hour runs; seed 1) is run with the batch kernel. Reported:

* ``compile_s``: the first call of the kernels (compilation, or loading numba's cache);
* ``run_s``, scenarios/s and muscle-steps/s (simulated strides × phase samples ×
  muscles per second, the work a fully resolved simulation would do);
* the speedup over the plain NumPy/SciPy reference path (:mod:`sim.core.reference`) on a few
  of the same scenarios, in the same process and with the same time-stepping, per
  scenario on one thread;
* the run time of the standard sweep repeated (median and spread), the share of its runs
  that end in exhaustion, the load-sharing solves a run actually does (phase samples of
  the solved strides) against those a fully resolved run would do, and the cost of runs
  twice as long, on part of the sweep;
* the error of the default (adaptive block) stepping against the fully resolved mode on
  the tolerance set of :mod:`sim.interface.accuracy`: capacities, back-load index curves
  and clear spike onsets, each scenario and the worst case.

Quote ratios from one run: the machines are noisy.

Examples
--------
>>> r = run_bench(n=4, n_reference=0, n_resolved=0, minutes=10)    # doctest: +SKIP
>>> sorted(r)[:3]                                                  # doctest: +SKIP
['compile_s', 'default_vs_resolved', 'muscle_steps_per_s']
"""
from __future__ import annotations

import os
import time

import numpy as np

from .accuracy import standard_configs

__all__ = ["standard_configs", "run_bench", "work_done", "format_report"]


def _muscle_steps(rows, n_phase, n_muscles):
    return sum(r["strides"] for r in rows) * n_phase * n_muscles


def work_done(cfgs) -> tuple:
    """Phase samples solved and phase samples run, per scenario of ``cfgs`` (the default
    stepping solves one stride per block, some reused)."""
    from ..core.run_loop import run_inputs
    from ..core.scenario import build_inputs

    solved, run = [], []
    for cfg in cfgs:
        k, o, _ = run_inputs(build_inputs(cfg), store=False)
        solved.append(float(o["work"][0]))
        run.append(float(np.sum(o["strides"][:k])) * cfg.model.n_phase)
    return solved, run


def _timed_batch(cfgs):
    """Seconds to run ``cfgs`` as a sweep does, and the rows. The gait templates kept from
    an earlier timing are dropped first: every scenario of the standard sweep has a speed
    of its own, so a sweep of new scenarios computes each one's templates."""
    from ..core.batch import run_batch
    from ..core.scenario import clear_template_cache

    clear_template_cache()
    t0 = time.perf_counter()
    rows = run_batch(cfgs)
    return time.perf_counter() - t0, rows


def run_bench(n=2000, minutes=120.0, n_reference=2, n_resolved=None, progress=None,
              repeats=3, n_long=200) -> dict:
    """Run the benchmark; returns a dict of measured figures (JSON-ready).

    Parameters
    ----------
    n : int
        Scenarios in the standard sweep (the issue asks for at least 2,000).
    minutes : float
        Run length [min].
    n_reference : int
        Scenarios re-run with the NumPy/SciPy reference.
    n_resolved : int, optional
        Scenarios of the tolerance set (:func:`sim.interface.accuracy.tolerance_set`) run
        in both modes; all of them by default, 0 to skip.
    progress : callable, optional
        Called with a short text before each stage.
    repeats : int
        Timed runs of the standard sweep; the median is reported with the spread.
    n_long : int
        Scenarios of the standard sweep also run for twice ``minutes``, for the cost of
        a long run against a short one (0 to skip).
    """
    import numba

    from ..core.batch import run_batch
    from ..core.reference import reference_run
    from ..core.scenario import build_inputs
    from ..core.simulation import run_inputs, simulate
    from ..core.warmup import ensure_compiled
    from .accuracy import (TOLERANCE, compare_all, over_tolerance, tolerance_set, windows_over,
                           worst_case)

    say = progress or (lambda msg: None)
    cfgs = standard_configs(n, minutes)
    out = {"scenarios": n, "run_min": minutes, "threads": numba.get_num_threads(),
           "cpu_count": os.cpu_count(), "repeats": repeats}

    t0 = time.perf_counter()
    ensure_compiled(progress)          # says so (with the time) only when compiling
    run_batch(cfgs[:1])
    simulate(cfgs[0].with_overrides({"run.duration_min": 1.0}))
    out["compile_s"] = time.perf_counter() - t0

    times = []
    for i in range(max(1, repeats)):
        say(f"running {n} scenarios of {minutes:g} min ({i + 1}/{max(1, repeats)})")
        run_s, rows = _timed_batch(cfgs)
        times.append(run_s)
    run_s = float(np.median(times))
    n_phase, n_m = cfgs[0].model.n_phase, 18
    out.update(run_s=run_s, run_s_all=times, run_s_spread=[min(times), max(times)],
               scenarios_per_s=n / run_s,
               muscle_steps_per_s=_muscle_steps(rows, n_phase, n_m) / run_s,
               spiking_fraction=float(np.mean([np.isfinite(r["spike_onset_s"]) for r in rows])),
               exhausted_fraction=float(np.mean([np.isfinite(r["exhaustion_s"]) for r in rows])))

    # the work actually done (block mode solves one stride per block, some reused)
    solved, strides = work_done(cfgs[:min(n, 200)])
    out.update(solved_phase_samples_per_run=float(np.mean(solved)),
               phase_samples_per_run=float(np.mean(strides)),
               solved_phase_samples_per_s=float(np.mean(solved)) * out["scenarios_per_s"])

    if n_long:
        m = min(n_long, n)
        say(f"{m} scenarios of {minutes:g} and of {2 * minutes:g} min")
        short_s, _ = _timed_batch(cfgs[:m])
        long_s, _ = _timed_batch([c.with_overrides({"run.duration_min": 2 * minutes})
                                  for c in cfgs[:m]])
        out.update(long_scenarios=m, long_run_s=long_s, short_run_s=short_s,
                   cost_double_length=long_s / short_s)

    if n_reference:
        say(f"reference path on {n_reference} scenarios (slow)")
        ratios = []
        for cfg in cfgs[:n_reference]:
            inp = build_inputs(cfg)
            run_inputs(inp, store=False)
            t0 = time.perf_counter()
            run_inputs(inp, store=False)
            t_engine = time.perf_counter() - t0
            t0 = time.perf_counter()
            reference_run(inp)
            t_ref = time.perf_counter() - t0
            ratios.append({"engine_s": t_engine, "reference_s": t_ref,
                           "speedup": t_ref / t_engine})
        out["reference"] = ratios
        out["speedup_over_reference"] = float(np.median([r["speedup"] for r in ratios]))

    chosen = tolerance_set()
    chosen = chosen[:n_resolved] if n_resolved is not None else chosen
    if chosen:
        say(f"default vs resolved stepping on {len(chosen)} scenarios of the tolerance set")
        rows = compare_all(chosen, progress=say)
        out["default_vs_resolved"] = [dict(scenario=name, **v) for name, v in rows.items()]
        out["default_vs_resolved_worst"] = worst_case(rows)
        out["default_vs_resolved_over"] = over_tolerance(rows)
        out["default_vs_resolved_windows"] = windows_over(rows)
        out["tolerance"] = TOLERANCE
    out["projected_10000_s"] = 10000 / out["scenarios_per_s"]
    return out


def format_report(r: dict) -> str:
    """A short human-readable report of :func:`run_bench`."""
    lines = [
        f"benchmark: {r['scenarios']} scenarios of {r['run_min']:g} min, "
        f"{r['threads']} numba threads ({r['cpu_count']} CPUs)",
        f"  compile (or cache load): {r['compile_s']:.1f} s",
        f"  run: {r['run_s']:.1f} s (median of {len(r['run_s_all'])}; "
        f"{r['run_s_spread'][0]:.1f}-{r['run_s_spread'][1]:.1f} s) = "
        f"{r['scenarios_per_s']:.0f} scenarios/s, "
        f"{r['muscle_steps_per_s']:.3g} muscle-steps/s as if fully resolved "
        f"(10,000 such scenarios: ~{r['projected_10000_s']:.0f} s)",
    ]
    lines.append(f"  runs ending in exhaustion: {100 * r['exhausted_fraction']:.0f} %; load "
                 f"sharing solved {r['solved_phase_samples_per_run']:.0f} of "
                 f"{r['phase_samples_per_run']:.0f} phase samples per run "
                 f"({r['solved_phase_samples_per_s']:.3g} solves/s)")
    if "cost_double_length" in r:
        lines.append(f"  {2 * r['run_min']:g}-min runs cost {r['cost_double_length']:.2f} x "
                     f"{r['run_min']:g}-min runs ({r['long_scenarios']} scenarios)")
    if "reference" in r:
        for x in r["reference"]:
            lines.append(f"  reference path: {x['reference_s']:.1f} s vs engine "
                         f"{x['engine_s'] * 1e3:.1f} ms per scenario -> {x['speedup']:.0f}x")
    if "default_vs_resolved_worst" in r:
        w = r["default_vs_resolved_worst"]
        lines.append(f"  default vs resolved on {len(r['default_vs_resolved'])} scenarios "
                     f"(tolerance {r['tolerance']:g}; "
                     f"{'within' if w['within_tolerance'] else 'NOT within'}), worst cases:")
        for k, v in w.items():
            if k != "within_tolerance":
                lines.append(f"    {k}: {v['value']:.4g} ({v['scenario']})")
        over = r.get("default_vs_resolved_over", [])
        if over:
            ended = sum(o["exhausted"] for o in over)
            lines.append(f"    over the tolerance: {len(over)} of "
                         f"{len(r['default_vs_resolved'])} scenarios, {ended} of them ending "
                         f"in exhaustion: " + ", ".join(f"{o['scenario']} {o['worst']:.3f}"
                                                         for o in over))
        win = r.get("default_vs_resolved_windows", {})
        if win:
            lines.append("    windows over the tolerance: " + "; ".join(
                f"{name} {w['over']} of {w['compared']}" for name, w in win.items()))
    return "\n".join(lines)
