"""How many probe strides does a posture search take, walking by a measured curvature?

Question: in the default stepping a block searches the forward lean's optimum with probe
strides (each a whole stride solved at another lean) where the damped posture update
would move the lean by more than ``model.lean_settle_deg``
(:func:`sim.core.engine_posture.posture_search`). Until the optimum is bracketed the
search walks downhill; by the bound ``|g| / (2 cost)`` on the distance, its first probe
lands several times too far (the objective curves ten times more near its optimum,
:func:`sim.core.engine_posture.bracket_curvature`), and closing the bracket takes more
probes. Walking instead by ``|g|`` over the curvature the last search measured
(``body.toml [forward_lean] search_guess = 1``, shipped), how many strides does a run
solve, how long does it take, and how far do its results move?

Measured on the first ``--scenarios`` scenarios of the benchmark (one thread, after
compilation), both ways from the same inputs: strides solved a run (block strides,
re-solves and probes; runs that end in exhaustion apart), phase samples solved, the
time a run (fastest of ``--repeats`` passes, the two ways alternating), and between the
two ways: the largest difference of any muscle's end capacity, of the peak superficial
load and of the time to exhaustion, and how many runs end in exhaustion in one way only.
Where a search ends does not depend on the walk beyond its tolerance, so the two ways
differ by at most that tolerance in lean at each search; the default stepping's distance
from the resolved one is the benchmark's to measure (``runfatigue bench``).

Writes ``results/posture_search_steps/`` (``table.md``, ``rows.json``, manifest).

Run: ``python experiments/posture_search_steps.py [--scenarios 300] [--repeats 3]``
"""
from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

from sim.core.engine import S
from sim.core.run_loop import run_inputs
from sim.core.scenario import build_inputs
from sim.interface.accuracy import standard_configs
from sim.results import write_table_results

WAYS = (("bound", 0.0), ("measured", 1.0))


def _run_all(inputs):
    out = []
    for inp in inputs:
        n, o, _ = run_inputs(inp, store=False)
        out.append({"strides": float(o["work"][1]), "phase_solves": float(o["work"][0]),
                    "exhaustion_s": float(o["exh"][0]), "end_capacity": o["cap"][n - 1].copy(),
                    "peak_superficial": float(np.nanmax(o["sup"][:n]))})
    return out


def measure(n_scenarios=300, repeats=3) -> list:
    base = [build_inputs(c) for c in standard_configs(2000)[:n_scenarios]]
    inputs = {}
    for name, on in WAYS:
        inputs[name] = []
        for inp in base:
            sc = inp.sc.copy()
            sc[S.search_guess_on] = on
            inputs[name].append(dataclasses.replace(inp, sc=sc))
    runs = {name: _run_all(inputs[name]) for name, _ in WAYS}    # (compiles)
    best = {name: np.inf for name, _ in WAYS}
    for _ in range(repeats):
        for name, _ in WAYS:
            t0 = time.perf_counter()
            _run_all(inputs[name])
            best[name] = min(best[name], time.perf_counter() - t0)
    rows = []
    for name, _ in WAYS:
        r = runs[name]
        exh = np.array([np.isfinite(x["exhaustion_s"]) for x in r])
        strides = np.array([x["strides"] for x in r])
        rows.append({"walk": name, "ms_per_run": 1e3 * best[name] / len(r),
                     "strides_per_run": float(strides.mean()),
                     "strides_exhausted": float(strides[exh].mean()) if exh.any() else 0.0,
                     "strides_other": float(strides[~exh].mean()) if (~exh).any() else 0.0,
                     "phase_solves_per_run": float(np.mean([x["phase_solves"] for x in r])),
                     "exhausted_runs": int(exh.sum())})
    a, b = runs["bound"], runs["measured"]
    both = [(x, y) for x, y in zip(a, b)
            if np.isfinite(x["exhaustion_s"]) and np.isfinite(y["exhaustion_s"])]
    diff = {"max_end_capacity_difference": max(float(np.abs(x["end_capacity"]
                                                            - y["end_capacity"]).max())
                                               for x, y in zip(a, b)),
            "max_peak_superficial_difference": max(abs(x["peak_superficial"]
                                                       - y["peak_superficial"])
                                                   for x, y in zip(a, b)),
            "max_exhaustion_difference_s": max((abs(x["exhaustion_s"] - y["exhaustion_s"])
                                                for x, y in both), default=0.0),
            "exhausted_in_one_way_only": sum(np.isfinite(x["exhaustion_s"])
                                             != np.isfinite(y["exhaustion_s"])
                                             for x, y in zip(a, b))}
    for row in rows:
        row.update(diff)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    rows = measure(a.scenarios, a.repeats)
    lines = ["| first walk | ms a run | strides a run (exhausted / other) | phase samples "
             "solved | runs exhausted |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['walk']} | {r['ms_per_run']:.3f} | {r['strides_per_run']:.1f} "
                     f"({r['strides_exhausted']:.1f} / {r['strides_other']:.1f}) | "
                     f"{r['phase_solves_per_run']:.0f} | {r['exhausted_runs']} |")
    d = rows[0]
    lines.append("")
    lines.append(f"Between the two: end capacities within {d['max_end_capacity_difference']:.4f}, "
                 f"peak superficial load within {d['max_peak_superficial_difference']:.4f}, "
                 f"exhaustion within {d['max_exhaustion_difference_s']:.0f} s, "
                 f"{d['exhausted_in_one_way_only']} runs exhausted in one way only "
                 f"({a.scenarios} scenarios, {a.repeats} timed passes).")
    table = "\n".join(lines) + "\n"
    write_table_results("posture_search_steps", rows, table,
                        "experiments/posture_search_steps.py")
    print(table)


if __name__ == "__main__":
    main()
