"""Where does the default stepping's superficial load lie more than the tolerance away?

Question: the default stepping's worst case over the tolerance set is a single window of a
single run. How many of all the windows compared are over the tolerance, in which runs,
and how long before the runner's exhaustion?

Method: the tolerance set (:func:`sim.interface.accuracy.tolerance_set`) and the 60 runs
100-159 of the benchmark's standard sweep (2 hours, 2.5-4 m/s; about half end in
exhaustion), each in both steppings; every resolved window compared as the benchmark
compares it (:func:`sim.interface.accuracy.window_differences`), and for each window
over :data:`sim.interface.accuracy.TOLERANCE` the minutes from its middle to the resolved
run's exhaustion.

Writes ``results/excess_windows/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/excess_windows.py`` (about 6 minutes on 2 cores).
"""
from __future__ import annotations

import numpy as np

from sim.core.simulation import simulate
from sim.interface.accuracy import (TOLERANCE, map_scenarios, standard_configs,
                                    tolerance_set, window_differences)
from sim.results import write_table_results

#: The runs outside the tolerance set: this slice of the benchmark's standard sweep.
INDEPENDENT = slice(100, 160)


def _row(name, cfg):
    ref = simulate(cfg.with_overrides({"model.mode": "resolved"}))
    default = simulate(cfg.with_overrides({"model.mode": "block"}))
    mid, diff = window_differences(ref, default)["superficial_load"]
    over = diff > TOLERANCE
    return {"scenario": name, "exhausted": bool(np.isfinite(ref.exhaustion_s)),
            "windows": int(diff.size), "over": int(over.sum()),
            "worst": float(diff.max()) if diff.size else 0.0,
            "minutes_before_exhaustion": [float((ref.exhaustion_s - t) / 60.0)
                                          for t in mid[over]]}


def run(threads=None):
    indep = [(f"run_{i}", c) for i, c in zip(range(INDEPENDENT.start, INDEPENDENT.stop),
                                             standard_configs(2000)[INDEPENDENT])]
    return map_scenarios(_row, tolerance_set() + indep, threads)


def as_markdown(rows) -> str:
    lines = ["| scenario | ends in exhaustion | windows compared | over the tolerance | worst "
             "| minutes before exhaustion |", "|---|---|---|---|---|---|"]
    for r in rows:
        if r["over"]:
            mins = ", ".join(f"{m:.1f}" for m in r["minutes_before_exhaustion"])
            lines.append(f"| {r['scenario']} | {'yes' if r['exhausted'] else 'no'} | "
                         f"{r['windows']} | {r['over']} | {r['worst']:.4f} | {mins} |")
    n = sum(r["windows"] for r in rows)
    over = sum(r["over"] for r in rows)
    mins = np.array([m for r in rows for m in r["minutes_before_exhaustion"]])
    lines.append("")
    lines.append(f"{len(rows)} runs ({sum(r['exhausted'] for r in rows)} end in exhaustion), "
                 f"{n} windows compared, {over} over {TOLERANCE:g} of superficial load "
                 f"({100.0 * over / n:.2f} %), in {sum(r['over'] > 0 for r in rows)} runs, "
                 f"{sum(r['over'] for r in rows if not r['exhausted'])} of them in runs that "
                 f"do not end in exhaustion"
                 + (f"; {int((mins <= 3.5).sum())} within 3.5 minutes of the exhaustion, "
                    f"the earliest {mins.max():.1f} minutes before it." if mins.size else "."))
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("excess_windows", rows, table, "experiments/excess_windows.py")
    print(table)


if __name__ == "__main__":
    main()
