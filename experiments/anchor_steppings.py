"""The running calibration's anchors in both steppings: how far does the fit rest on the default one?

Question: the heavy domain's gain and power and the reserve's force floor are fitted on
times to exhaustion (:func:`sim.calibration.running.fit_race_times`: Riegel race times
below critical speed, the time the reserve D' is spent above it) computed in the default
(block) stepping, on blocks of at least 5 s. The resolved stepping, which the default is
held to (:mod:`sim.interface.accuracy`), follows the forward lean stride by stride; the
default holds a block's lean, and a stride that fails at it ends the run. How far apart
are the two steppings' times to exhaustion at the fit's own anchors, with the stored
constants, and which lies nearer the targets?

Method: at each anchor speed of ``sim/data/energy_calibration.json`` (``heavy_anchors``)
the default runner is run at constant speed for three times the target, in the default
stepping on 5-s blocks (as the fit does) and in the resolved stepping (30-s windows);
both times to exhaustion are set beside the target and the time the fit stored.

Writes ``results/anchor_steppings/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/anchor_steppings.py`` (about a minute on 2 cores).
"""
from __future__ import annotations

import json

from sim.calibration.running import EXHAUSTION_BLOCK_S
from sim.config import load_config
from sim.core.simulation import simulate
from sim.interface.accuracy import map_scenarios
from sim.physics import params
from sim.results import markdown_table, write_table_results


def anchor_rows() -> list:
    """One row per stored anchor: target, stored fit, default and resolved times [s]."""
    cal = json.loads(params.data_path("energy_calibration.json").read_text(encoding="utf-8"))
    anchors = cal["heavy_anchors"]

    def both(name, a):
        target = a.get("riegel_s", a.get("reserve_spent_s"))
        base = {"run.speed_mps": a["speed_mps"], "run.duration_min": 3.0 * target / 60.0}
        default = simulate(load_config(None, {**base, "model.block_s": EXHAUSTION_BLOCK_S}))
        resolved = simulate(load_config(None, {**base, "model.mode": "resolved"}))
        return {"anchor": name, "speed_mps": a["speed_mps"], "target_s": target,
                "stored_fit_s": a["model_s"], "default_s": round(default.exhaustion_s, 1),
                "resolved_s": round(resolved.exhaustion_s, 1),
                "resolved_over_default": round(resolved.exhaustion_s / default.exhaustion_s, 3),
                "default_over_target": round(default.exhaustion_s / target, 3),
                "resolved_over_target": round(resolved.exhaustion_s / target, 3)}

    named = [(f"{a['distance_m'] / 1000:g} km" if "distance_m" in a
              else f"{a['pace_ratio']:g} x marathon pace", a) for a in anchors]
    return map_scenarios(both, named)


if __name__ == "__main__":
    rows = anchor_rows()
    keys = list(rows[0])
    table = markdown_table(keys, [[r[k] for k in keys] for r in rows])
    write_table_results("anchor_steppings", rows, table, "experiments/anchor_steppings.py")
    print(table)
