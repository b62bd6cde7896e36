"""Does a run end in exhaustion because of the posture it holds?

Question: the engine calls a runner exhausted when the muscles cannot make the stride, for
``model.exhaustion_hold_s`` of running in a row, *at the forward lean the runner holds*
(``model.failed_stride_posture = "hold"``, the default, on which the speed-duration
calibration was fitted: :mod:`sim.calibration.running`). Near exhaustion the lean's
optimum moves fast (in `pace_3.5` of the tolerance set it swings from about +4 to -1 deg in
five minutes). The default stepping holds one lean over a block and the resolved stepping
follows the optimum stride by stride, so the two can strand at different moments; and a
posture other than the one held may still make the stride. How much of the default
stepping's distance from the resolved one in runs that end in exhaustion
(:mod:`sim.interface.accuracy`) is this, and how much does the model's exhaustion time
depend on the posture rule?

Method: the scenarios of :func:`sim.interface.accuracy.tolerance_set` that end in
exhaustion in either stepping, each run four ways: default and resolved stepping, with
``failed_stride_posture`` ``hold`` and ``search`` (a failed stride probes leans 0.25, 0.5,
1, 2 ... deg away, alternating sides, for one the muscles can make: ``rescue_step_deg`` in
``sim/data/body.toml``). Measured: the exhaustion time of each, the largest capacity and
back-load index differences of default from resolved under each rule
(:func:`sim.interface.accuracy.compare`), and for constant-pace runs above critical speed
the time at which the critical-speed reserve is spent (``D' / (v - CS)``, the anchor the
speed-duration calibration starts from).

Writes ``results/posture_stranding/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/posture_stranding.py`` (about 5 minutes on 2 cores).
"""
from __future__ import annotations

import math

import numpy as np

from sim.interface.accuracy import TOLERANCE, compare, map_scenarios, tolerance_set
from sim.physics.reserve import critical_speed, d_prime_m
from sim.results import write_table_results

RULES = ("hold", "search")


def _reserve_spent_s(cfg) -> float:
    """``D' / (v - CS)`` [s] for a constant pace above critical speed, else NaN."""
    if cfg.run.speed_mps is None:               # a pace plan
        return math.nan
    cs = critical_speed(cfg.runner.marathon_pace_mps)
    v = cfg.run.speed_mps
    return d_prime_m() / (v - cs) if v > cs else math.nan


def _row(name, cfg):
    row = {"scenario": name, "speed_mps": cfg.run.speed_mps,
           "reserve_spent_s": _reserve_spent_s(cfg)}
    for rule in RULES:
        d = compare(cfg.with_overrides({"model.failed_stride_posture": rule}))
        row[f"exhaustion_default_{rule}_s"] = d["exhaustion_default_s"]
        row[f"exhaustion_resolved_{rule}_s"] = d["exhaustion_resolved_s"]
        row[f"worst_{rule}"] = max(d["max_capacity_difference"],
                                   d["max_superficial_load_difference"],
                                   d["max_shear_bw_difference"])
        row[f"superficial_{rule}"] = d["max_superficial_load_difference"]
    return row


def run(threads=None):
    scen = tolerance_set()
    probe = map_scenarios(lambda n, c: compare(c)["exhaustion_resolved_s"], scen, threads)
    # every scenario whose resolved run (hold) ends in exhaustion; compare() runs both
    chosen = [(n, c) for (n, c), e in zip(scen, probe) if np.isfinite(e)]
    rows = map_scenarios(_row, chosen, threads)
    for r in rows:
        print(r, flush=True)
    return rows


def _t(x) -> str:
    return "not exhausted" if not np.isfinite(x) else f"{x:.0f}"


def as_markdown(rows) -> str:
    lines = ["| scenario | speed [m/s] | D'/(v-CS) [s] | exhaustion, hold: default / "
             "resolved [s] | exhaustion, search: default / resolved [s] | worst difference, "
             "hold | worst difference, search |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['speed_mps'] if r['speed_mps'] else 'plan'} | "
            f"{_t(r['reserve_spent_s'])} | {_t(r['exhaustion_default_hold_s'])} / "
            f"{_t(r['exhaustion_resolved_hold_s'])} | {_t(r['exhaustion_default_search_s'])} / "
            f"{_t(r['exhaustion_resolved_search_s'])} | {r['worst_hold']:.4f} | "
            f"{r['worst_search']:.4f} |")
    n_hold = sum(r["worst_hold"] > TOLERANCE for r in rows)
    n_search = sum(r["worst_search"] > TOLERANCE for r in rows)
    lines.append("")
    lines.append(f"Over the tolerance {TOLERANCE:g}: {n_hold} of {len(rows)} with `hold`, "
                 f"{n_search} of {len(rows)} with `search` (worst of capacity, superficial "
                 f"load and shear differences; default vs resolved stepping).")
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("posture_stranding", rows, table, "experiments/posture_stranding.py")
    print(table)


if __name__ == "__main__":
    main()
