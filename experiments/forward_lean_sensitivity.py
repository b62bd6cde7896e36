"""How does the late back load move with the forward lean's assumptions?

The lean cost is calibrated (``experiments/calibrate_forward_lean.py``: +3 deg between
10 min and 3 h at marathon pace, the middle of the published +2 to +4 deg); the share of
the lean carried by the pelvis (``body.toml [forward_lean] pelvis_share``, 1) is an
assumption. Each variant changes one of them:

- lean cost x 0.5, x 2 (what a lean growth at the edges of the published range does);
- pelvis share 0.5 (half of the lean in the lumbar spine);
- no forward lean at all.

Reported: the lean growth 10 min -> 3 h at 3.2 m/s; for the named runner of
``experiments/back_load_attribution.py`` (8 deg tight, core 0.8, 3.0 m/s, 150 min) the
superficial load early (min 5-15) and late (last 30 min) and its spike onset; and over the
main sweep (``configs/hip_flexor_tightness.toml``) how many scenarios spike from the first
stride, after 20 minutes, or never.

The pelvis share is a parameter file constant, so that variant edits the built inputs
(``sim.scenario.build_inputs``) rather than a config key.

Writes ``results/forward_lean_sensitivity/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/forward_lean_sensitivity.py``.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from sim.config import load_config
from sim.engine import SCALARS
from sim.results import write_table_results
from sim.scenario import build_inputs, forward_lean_cost
from sim.simulation import simulate_inputs
from sim.sweep_spec import load_sweep

NAMED = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
         "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}
LONG = {"run.duration_min": 180.0, "run.speed_mps": 3.2}
MAIN_SWEEP = "configs/hip_flexor_tightness.toml"


def variants():
    c = forward_lean_cost()
    return {
        "as calibrated": ({}, None),
        "lean cost x 0.5": ({"model.forward_lean_cost": 0.5 * c}, None),
        "lean cost x 2": ({"model.forward_lean_cost": 2.0 * c}, None),
        "pelvis share 0.5": ({}, 0.5),
        "no forward lean": ({"model.forward_lean": False}, None),
    }


def _simulate_cfg(cfg, share, scale=None):
    """Simulate ``cfg``, with the pelvis share replaced when ``share`` is given and the
    kernel scalars named in ``scale`` (``{name: factor}``) multiplied."""
    inp = build_inputs(cfg)
    if share is not None or scale:
        sc = inp.sc.copy()
        if share is not None:
            sc[SCALARS.index("pelvis_share")] = share
        for name, factor in (scale or {}).items():
            sc[SCALARS.index(name)] *= factor
        inp = dataclasses.replace(inp, sc=sc)
    return simulate_inputs(cfg, inp)


def _simulate(over, share):
    return _simulate_cfg(load_config(None, over), share)


def _window(res, x, t0, t1):
    sel = (res.time_s >= t0) & (res.time_s < t1) & np.isfinite(x)
    return float(np.mean(x[sel]))


def run():
    base, spec = load_sweep(MAIN_SWEEP)
    rows = []
    for name, (over, share) in variants().items():
        long_run = _simulate({**LONG, **over}, share)
        tm = long_run.time_s / 60.0
        growth = float(np.interp(180.0, tm, long_run.trunk_flexion_deg)
                       - np.interp(10.0, tm, long_run.trunk_flexion_deg))
        named = _simulate({**NAMED, **over}, share)
        end = float(named.time_s[-1] + named.duration_s[-1])
        x = named.superficial_load_index
        onsets = []
        for i in range(len(spec)):
            cfg = spec.config(base, i).with_overrides(over)
            onsets.append(_simulate_cfg(cfg, share).spike_onset_s / 60.0)
        on = np.array(onsets)
        spiked = np.isfinite(on)
        rows.append({"variant": name, "lean_growth_deg": growth,
                     "named_early": _window(named, x, 300.0, 900.0),
                     "named_late": _window(named, x, end - 1800.0, end),
                     "named_onset_min": named.spike_onset_s / 60.0,
                     "sweep_from_start": int(np.sum(on[spiked] == 0.0)),
                     "sweep_late": int(np.sum(on[spiked] > 20.0)),
                     "sweep_never": int(np.sum(~spiked))})
    return rows


def as_markdown(rows) -> str:
    lines = ["| variant | lean growth 10 min -> 3 h [deg] | named runner: superficial load "
             "early -> late | named runner: onset [min] | main sweep: from the first stride / "
             "after 20 min / never |", "|---|---|---|---|---|"]
    for r in rows:
        onset = "never" if np.isnan(r["named_onset_min"]) else f"{r['named_onset_min']:.0f}"
        lines.append(f"| {r['variant']} | {r['lean_growth_deg']:+.1f} | {r['named_early']:.3f} "
                     f"-> {r['named_late']:.3f} | {onset} | {r['sweep_from_start']} / "
                     f"{r['sweep_late']} / {r['sweep_never']} |")
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("forward_lean_sensitivity", rows, table, "experiments/forward_lean_sensitivity.py")
    print(table)


if __name__ == "__main__":
    main()
