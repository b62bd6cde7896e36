"""How closely does the default stepping follow the forward lean, and at what cost?

The default (block) mode solves one stride per block. Where the posture's damped update
after that stride would move the lean by more than ``model.lean_settle_deg``, it searches
the lean's optimum to within that tolerance with probe strides and re-solves the stride
there (:func:`sim.core.engine_posture.posture_search`); the resolved mode puts every
stride at the optimum. Blocks that do not search hold a lean up to about the settle
away from the optimum, and where the optimum moves within a block the block holds it
still. This experiment measures that trade-off across ``lean_settle_deg``:

- the largest difference from the resolved mode of capacity and of both back-load index
  curves, over the tolerance set of :func:`sim.interface.accuracy.tolerance_set` (the
  resolved runs are made once; the setting is read only by the default stepping);
- the cost: the benchmark's standard sweep (:func:`sim.interface.accuracy.standard_configs`,
  first ``--scenarios`` of it) in the default mode, median of ``--repeats`` timings, and
  the phase samples solved per run.

Writes ``results/block_lean_settle/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/block_lean_settle.py [--settle 0.25 0.1 0.05 0.02]
[--scenarios 400] [--repeats 3] [--block-s 30] [--index-tolerance 0.003]
[--block-tolerance 0.003 0.006 0.012] [--max-block-s 240 60]`` (a few minutes a setting on
2 cores; with ``--block-tolerance`` the same trade-off across the capacity change a block
aims for, with ``--max-block-s`` across the longest block).
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from sim.core.batch import run_batch
from sim.core.simulation import simulate
from sim.interface.accuracy import TOLERANCE, compare, standard_configs, tolerance_set
from sim.interface.bench import work_done
from sim.results import write_table_results

KEYS = ("max_capacity_difference", "max_superficial_load_difference",
        "max_shear_bw_difference")


def _cost(cfgs, repeats):
    """Median seconds of the sweep, and the phase samples solved per run (first 100)."""
    run_batch(cfgs[:1])
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run_batch(cfgs)
        times.append(time.perf_counter() - t)
    return statistics.median(times), float(np.mean(work_done(cfgs[:100])[0]))


def run(settles, n_scen=400, repeats=3, block_s=None, index_tolerance=None,
        block_tolerances=(None,), max_blocks=(None,)):
    scen = tolerance_set()
    resolved = {name: simulate(cfg.with_overrides({"model.mode": "resolved"}))
                for name, cfg in scen}
    sweep = standard_configs(n_scen)
    rows = []
    for deg, b_tol, b_max in [(d, b, m) for m in max_blocks for b in block_tolerances
                              for d in settles]:
        over = {"model.lean_settle_deg": deg}
        if b_tol is not None:
            over["model.block_tolerance"] = b_tol
        if b_max is not None:
            over["model.max_block_s"] = b_max
        if block_s is not None:
            over["model.block_s"] = block_s
        if index_tolerance is not None:
            over["model.index_tolerance"] = index_tolerance
        diffs = {name: compare(cfg.with_overrides(over), resolved[name]) for name, cfg in scen}
        worst = {k: max((d[k], n) for n, d in diffs.items()) for k in KEYS}
        n_over = sum(any(d[k] > TOLERANCE for k in KEYS) for d in diffs.values())
        secs, solved = _cost([c.with_overrides(over) for c in sweep], repeats)
        row = {"lean_settle_deg": deg, "block_s": block_s, "index_tolerance": index_tolerance,
               "block_tolerance": b_tol, "max_block_s": b_max,
               "scenarios_over_tolerance": n_over,
               "of": len(scen), "sweep_s": secs, "scenarios_per_s": len(sweep) / secs,
               "solved_phase_samples_per_run": solved}
        for k, (val, name) in worst.items():
            row[k] = val
            row[k + "_scenario"] = name
        print(row, flush=True)
        rows.append(row)
    base = rows[0]["scenarios_per_s"]
    for r in rows:
        r["speed_vs_first"] = r["scenarios_per_s"] / base
    return rows


def _index(row) -> str:
    tol = row.get("index_tolerance")
    b_tol = row.get("block_tolerance")
    b_max = row.get("max_block_s")
    return ((f" (index tolerance {tol:g})" if tol else "")
            + (f" (block tolerance {b_tol:g})" if b_tol else "")
            + (f" (longest block {b_max:g} s)" if b_max else ""))


def as_markdown(rows) -> str:
    lines = ["| lean_settle [deg] | block_s [s] | over 0.01 | worst superficial load | "
             "worst shear [BW] | worst capacity | scenarios/s | speed vs first row |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['lean_settle_deg']:g} | {r['block_s'] or 'default'}{_index(r)} | "
            f"{r['scenarios_over_tolerance']} of {r['of']} | "
            f"{r['max_superficial_load_difference']:.4f} "
            f"({r['max_superficial_load_difference_scenario']}) | "
            f"{r['max_shear_bw_difference']:.4f} | {r['max_capacity_difference']:.4f} | "
            f"{r['scenarios_per_s']:.0f} | {r['speed_vs_first']:.2f} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settle", type=float, nargs="+", default=[0.25, 0.1, 0.05, 0.02])
    ap.add_argument("--scenarios", type=int, default=400)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--block-s", type=float, default=None,
                    help="model.block_s of the default stepping (the shortest block) [s]")
    ap.add_argument("--index-tolerance", type=float, default=None,
                    help="model.index_tolerance (blocks follow the back-load indices; 0: off)")
    ap.add_argument("--block-tolerance", type=float, nargs="+", default=[None],
                    help="model.block_tolerance values (the capacity change a block aims "
                         "for), each with every --settle")
    ap.add_argument("--max-block-s", type=float, nargs="+", default=[None],
                    help="model.max_block_s values (the longest block) [s], each with every "
                         "--block-tolerance and --settle")
    a = ap.parse_args()
    rows = run(a.settle, a.scenarios, a.repeats, a.block_s, a.index_tolerance,
               a.block_tolerance, a.max_block_s)
    table = as_markdown(rows)
    write_table_results("block_lean_settle", rows, table, "experiments/block_lean_settle.py")
    print(table)


if __name__ == "__main__":
    main()
