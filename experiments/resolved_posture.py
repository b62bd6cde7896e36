"""Does the resolved stepping's forward lean depend on the posture update's step size?

The resolved stepping (``model.mode = "resolved"``) is the reference the default stepping
is measured against (``runfatigue bench``, :mod:`sim.interface.accuracy`). Its forward
lean is one posture per stride, moved after each stride by a damped Newton step whose
size is set by a numerical constant (``body.toml [forward_lean] newton_curvature``).
Where the optimum posture moves quickly (runs above critical speed, near exhaustion),
one such step per stride trails the optimum, by an amount the constant sets. Since
2026-12-04 every stride starts at the optimum instead, found by probe strides at the
current capacities (:func:`sim.core.engine_posture.posture_search`).

Measured here on the tolerance set's worst scenario (``bench_5``, 3.77 m/s, exhausted
at 15 min): the resolved run's window-mean forward lean and superficial load for the
step-size constant 2, 8 (shipped) and 32 /rad^2, and the largest difference of each
from the shipped constant's while both runs make every stride, with and without the
search (``max_probes = 0`` turns it off).

Writes ``results/resolved_posture/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/resolved_posture.py`` (about 2 minutes).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from sim.core.engine import S
from sim.core.scenario import build_inputs
from sim.core.simulation import simulate_inputs
from sim.interface.accuracy import tolerance_set
from sim.results import write_table_results

CURVATURES = (2.0, 8.0, 32.0)


def run(name="bench_5"):
    cfg = dict(tolerance_set())[name].with_overrides({"model.mode": "resolved"})
    inp = build_inputs(cfg)
    out = {}
    for search in (False, True):
        for curv in CURVATURES:
            sc = inp.sc.copy()
            sc[S.fwd_lean_curvature] = curv
            if not search:
                sc[S.max_probes] = 0.0
            res = simulate_inputs(cfg, dataclasses.replace(inp, sc=sc))
            out[(search, curv)] = res
    rows = []
    for search in (False, True):
        ref = out[(search, 8.0)]
        for curv in CURVATURES:
            r = out[(search, curv)]
            n = min(r.time_s.size, ref.time_s.size)
            # compared while both runs make every stride: at the edge of exhaustion a
            # difference within the search's tolerance decides which stride fails first
            bad = np.flatnonzero((r.infeasible_strides[:n] > 0) | (ref.infeasible_strides[:n] > 0))
            n = int(bad[0]) if bad.size else n
            rows.append({"search": search, "newton_curvature": curv,
                         "peak_lean_deg": float(np.nanmax(r.trunk_flexion_deg)),
                         "max_lean_difference_deg": float(np.nanmax(np.abs(
                             r.trunk_flexion_deg[:n] - ref.trunk_flexion_deg[:n]))),
                         "max_superficial_difference": float(np.nanmax(np.abs(
                             r.superficial_load_index[:n] - ref.superficial_load_index[:n]))),
                         "exhaustion_min": r.exhaustion_s / 60.0})
    return rows


def as_markdown(rows) -> str:
    out = ["Differences from the shipped constant (8), while both runs make every stride.", "",
           "| posture | newton_curvature [1/rad^2] | peak lean [deg] | largest lean difference "
           "[deg] | largest superficial-load difference | exhausted [min] |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {'optimum (search)' if r['search'] else 'one step per stride'} | "
                   f"{r['newton_curvature']:g} | {r['peak_lean_deg']:.2f} | "
                   f"{r['max_lean_difference_deg']:.3f} | {r['max_superficial_difference']:.4f} | "
                   f"{r['exhaustion_min']:.1f} |")
    return "\n".join(out) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("resolved_posture", rows, table, "experiments/resolved_posture.py")
    print(table)


if __name__ == "__main__":
    main()
