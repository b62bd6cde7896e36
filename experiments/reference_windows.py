"""Does the resolved stepping depend on its checkpoint spacing?

Question: the resolved stepping (``model.mode = "resolved"``) is the reference the default
stepping is held to (:mod:`sim.interface.accuracy`). It solves every phase sample and
steps every pool by one; its checkpoints (``model.block_s``, 30 s) are only windows over
which the outputs are averaged. Until 2026-12-06 it stepped the whole-body reserve above
critical speed once a window, so the fast-twitch capacity fell in steps at each window's
end, and ``exhaust_3.8`` (the default runner at 3.8 m/s) was exhausted at 540 s with 30-s
windows and at 955 s with 5-s windows. Now the reserve is stepped with the muscles, phase
sample by phase sample. Are the windows now only windows?

Method: every scenario of :func:`sim.interface.accuracy.tolerance_set`, resolved with
30-s and with 5-s windows; the 5-s run's superficial load averaged (stride-weighted) over
each 30-s window it fills, its capacities interpolated at the 30-s run's checkpoints, both
up to the earlier end. Also the default stepping's time to exhaustion, beside the
resolved one.

Writes ``results/reference_windows/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/reference_windows.py`` (about 5 minutes on 2 cores).
"""
from __future__ import annotations

import numpy as np

from sim.core.simulation import simulate
from sim.interface.accuracy import map_scenarios, tolerance_set
from sim.results import write_table_results

#: The two window lengths compared [s].
WINDOWS_S = (30.0, 5.0)


def window_means(fine, coarse):
    """``fine``'s superficial load averaged over each of ``coarse``'s windows that it fills
    (stride-weighted; NaN where it does not, or where either run rests)."""
    out = np.full(coarse.time_s.size, np.nan)
    t_f, d_f = fine.time_s, fine.duration_s
    for i, (t0, d) in enumerate(zip(coarse.time_s, coarse.duration_s)):
        m = (t_f >= t0 - 1e-6) & (t_f + d_f <= t0 + d + 1e-6)
        x = fine.superficial_load_index[m]
        if m.any() and abs(d_f[m].sum() - d) < 1e-6 and np.isfinite(x).all():
            w = fine.strides[m]
            out[i] = float((x * w).sum() / w.sum())
    return out


def _row(name, cfg):
    coarse, fine = (simulate(cfg.with_overrides({"model.mode": "resolved",
                                                 "model.block_s": w})) for w in WINDOWS_S)
    default = simulate(cfg.with_overrides({"model.mode": "block"}))
    sup = window_means(fine, coarse)
    ok = np.isfinite(sup) & np.isfinite(coarse.superficial_load_index)
    t_end = min(coarse.time_s[-1] + coarse.duration_s[-1], fine.time_s[-1] + fine.duration_s[-1])
    keep = coarse.time_s <= t_end
    cap = np.array([np.interp(coarse.time_s[keep], fine.time_s, fine.capacity[:, j])
                    for j in range(fine.capacity.shape[1])]).T
    return {"scenario": name,
            "max_capacity_difference": float(np.abs(cap - coarse.capacity[keep]).max()),
            "max_superficial_load_difference": float(np.abs(sup[ok] - coarse.
                                                            superficial_load_index[ok]).max())
            if ok.any() else 0.0,
            "exhaustion_30s_s": coarse.exhaustion_s, "exhaustion_5s_s": fine.exhaustion_s,
            "exhaustion_default_s": default.exhaustion_s}


def run(threads=None):
    return map_scenarios(_row, tolerance_set(), threads)


def as_markdown(rows) -> str:
    def s(x):
        return "-" if not np.isfinite(x) else f"{x:.0f}"

    lines = ["| scenario | capacity | superficial load | exhausted, 30-s windows [s] | "
             "5-s windows [s] | default stepping [s] |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['scenario']} | {r['max_capacity_difference']:.4f} | "
                     f"{r['max_superficial_load_difference']:.4f} | {s(r['exhaustion_30s_s'])} | "
                     f"{s(r['exhaustion_5s_s'])} | {s(r['exhaustion_default_s'])} |")
    cap = max(rows, key=lambda r: r["max_capacity_difference"])
    sup = max(rows, key=lambda r: r["max_superficial_load_difference"])
    both = [r for r in rows if np.isfinite(r["exhaustion_30s_s"])
            and np.isfinite(r["exhaustion_default_s"])]
    lines += ["", f"- resolved, 30-s against 5-s windows: capacity within "
                  f"{cap['max_capacity_difference']:.4f} (`{cap['scenario']}`), superficial "
                  f"load within {sup['max_superficial_load_difference']:.4f} "
                  f"(`{sup['scenario']}`)"]
    if both:
        worst = max(both, key=lambda r: abs(r["exhaustion_default_s"] - r["exhaustion_30s_s"]))
        lines.append(f"- default stepping against resolved (30-s windows), time to exhaustion: "
                     f"{min(r['exhaustion_default_s'] - r['exhaustion_30s_s'] for r in both):+.0f}"
                     f" to {max(r['exhaustion_default_s'] - r['exhaustion_30s_s'] for r in both):+.0f}"
                     f" s over {len(both)} runs (largest: `{worst['scenario']}`)")
    lines += ["", "Largest differences while both run (capacity: fraction of fresh, the 5-s "
                  "run interpolated; superficial load: fraction of capacity, the 5-s run's "
                  "windows averaged over the 30-s ones)."]
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("reference_windows", rows, table, "experiments/reference_windows.py")
    print(table)


if __name__ == "__main__":
    main()
