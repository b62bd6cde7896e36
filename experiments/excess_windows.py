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

A window over the tolerance may be a matter of *when* (the default curve makes the same
move a little earlier or later) or of *how much*: for each, the smallest difference of
the resolved window's value from the default run's curve read anywhere within
:data:`SHIFT_S` of the window's middle (in steps of 5 s). And a second reading of the same
curves: the default run's curve averaged over the resolved window (each block weighted by
the time it holds within the window) instead of read at the window's middle, since a
resolved window's value is its mean; where a default block starts at a window's middle,
the reading at the middle takes one block or the other.

Writes ``results/excess_windows/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/excess_windows.py`` (about 6 minutes on 2 cores).
"""
from __future__ import annotations

import numpy as np

from sim.core.simulation import simulate
from sim.interface.accuracy import (TOLERANCE, _running_curve, map_scenarios,
                                    standard_configs, tolerance_set, window_differences)
from sim.results import write_table_results

#: The runs outside the tolerance set: this slice of the benchmark's standard sweep.
INDEPENDENT = slice(100, 160)
#: How far [s] from a window's middle the default curve is also read (one window).
SHIFT_S = 30.0


def _read_at(res, t):
    """``res``'s superficial load at times ``t`` [s], read as the comparison reads it
    (the running checkpoint holding each moment)."""
    ok, x = _running_curve(res, "superficial_load_index")
    to, xo = res.time_s[ok], x[ok]
    return xo[np.clip(np.searchsorted(to, t, side="right") - 1, 0, to.size - 1)]


def _window_mean(res, a, b):
    """``res``'s superficial load averaged over ``[a, b]`` [s], each running checkpoint
    weighted by the time it holds within it (it holds until the next one, the last one
    until its end); NaN where none does."""
    ok, x = _running_curve(res, "superficial_load_index")
    to, xo, do = res.time_s[ok], x[ok], res.duration_s[ok]
    ends = np.append(to[1:], to[-1] + do[-1])
    w = np.clip(np.minimum(ends, b) - np.maximum(to, a), 0.0, None)
    return float((w * xo).sum() / w.sum()) if w.sum() > 0.0 else np.nan


def _row(name, cfg):
    ref = simulate(cfg.with_overrides({"model.mode": "resolved"}))
    default = simulate(cfg.with_overrides({"model.mode": "block"}))
    mid, diff = window_differences(ref, default)["superficial_load"]
    over = diff > TOLERANCE
    ref_mid = ref.time_s + 0.5 * ref.duration_s
    k = np.array([int(np.argmin(np.abs(ref_mid - t))) for t in mid], dtype=np.int64)
    value = ref.superficial_load_index[k]          # each compared resolved window's value
    shifted = [float(np.min(np.abs(_read_at(default, t + np.arange(-SHIFT_S, SHIFT_S + 1e-9,
                                                                      5.0)) - v)))
               for t, v in zip(mid[over], value[over])]
    mean_diff = np.array([abs(_window_mean(default, ref.time_s[i], ref.time_s[i]
                                           + ref.duration_s[i]) - v) for i, v in zip(k, value)])
    return {"scenario": name, "exhausted": bool(np.isfinite(ref.exhaustion_s)),
            "windows": int(diff.size), "over": int(over.sum()),
            "worst": float(diff.max()) if diff.size else 0.0,
            "minutes_before_exhaustion": [float((ref.exhaustion_s - t) / 60.0)
                                          for t in mid[over]],
            "within_shift": shifted,
            "over_window_mean": int((mean_diff > TOLERANCE).sum()),
            "worst_window_mean": float(mean_diff.max()) if mean_diff.size else 0.0}


def run(threads=None):
    indep = [(f"run_{i}", c) for i, c in zip(range(INDEPENDENT.start, INDEPENDENT.stop),
                                             standard_configs(2000)[INDEPENDENT])]
    return map_scenarios(_row, tolerance_set() + indep, threads)


def as_markdown(rows) -> str:
    lines = ["| scenario | ends in exhaustion | windows compared | over the tolerance | worst "
             f"| minutes before exhaustion | within {SHIFT_S:g} s | over, window mean | "
             "worst, window mean |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["over"] or r["over_window_mean"]:
            mins = ", ".join(f"{m:.1f}" for m in r["minutes_before_exhaustion"])
            near = ", ".join(f"{d:.4f}" for d in r["within_shift"])
            lines.append(f"| {r['scenario']} | {'yes' if r['exhausted'] else 'no'} | "
                         f"{r['windows']} | {r['over']} | {r['worst']:.4f} | {mins} | "
                         f"{near} | {r['over_window_mean']} | {r['worst_window_mean']:.4f} |")
    n = sum(r["windows"] for r in rows)
    over = sum(r["over"] for r in rows)
    mins = np.array([m for r in rows for m in r["minutes_before_exhaustion"]])
    near = np.array([d for r in rows for d in r["within_shift"]])
    lines.append("")
    lines.append(f"{len(rows)} runs ({sum(r['exhausted'] for r in rows)} end in exhaustion), "
                 f"{n} windows compared, {over} over {TOLERANCE:g} of superficial load "
                 f"({100.0 * over / n:.2f} %), in {sum(r['over'] > 0 for r in rows)} runs, "
                 f"{sum(r['over'] for r in rows if not r['exhausted'])} of them in runs that "
                 f"do not end in exhaustion"
                 + (f"; {int((mins <= 3.5).sum())} within 3.5 minutes of the exhaustion, "
                    f"the earliest {mins.max():.1f} minutes before it" if mins.size else "")
                 + (f"; {int((near <= TOLERANCE).sum())} of them within the tolerance of the "
                    f"default curve read within {SHIFT_S:g} s of their middle."
                    if near.size else ".")
                 + f" Read as the default curve's mean over each resolved window: "
                 f"{sum(r['over_window_mean'] for r in rows)} over, in "
                 f"{sum(r['over_window_mean'] > 0 for r in rows)} runs, worst "
                 f"{max(r['worst_window_mean'] for r in rows):.4f}.")
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("excess_windows", rows, table, "experiments/excess_windows.py")
    print(table)


if __name__ == "__main__":
    main()
