"""Which assumption would make the back load grow more late in an even-paced run?

Question: with the forward lean of fatigue the model's superficial back load rises late in
an even-paced run, but within two hours only by a few per cent (README, known limits).
Which of the model's assumptions, changed within a defensible range, would make it grow
more? (The lean's own assumptions: ``experiments/forward_lean_sensitivity.py``.)

Each variant changes one assumption for two runners at 3.2 m/s for 2 hours (flexible and
strong; 8 deg tight with core strength 0.8):

- ``as modelled``;
- ``deep lumbar fast-twitch``: slow-twitch fraction 0.35 instead of 0.50-0.63 in
  multifidus, deep erector spinae and quadratus lumborum (the article's picture; the
  measured fibre types say otherwise, shared/reference/fatigue.md), with the fibre-pool
  calibration for that fraction;
- ``deep lumbar fatigue x2``: both pools of the deep lumbar muscles fatigue twice as fast;
- ``lumped = one muscle``: every lumped column weighs its effort by its summed capacity
  (effort scale 1) instead of the root-sum-square of its parts;
- ``weak core 0.6``: deep lumbar strength 0.6 (a scenario key, for scale);
- ``size-neutral trunk effort``: ``model.trunk_size_power = 0`` (the default is 0.5, chosen
  in ``experiments/effort_criterion.py``): each trunk muscle's activation follows its
  moment arm and remaining capacity, not its size;
- ``capacity-weighted trunk``: ``model.trunk_size_power = 1``, the plain criterion of
  DESIGN 2.4, under which the largest back muscle works hardest and tires first.

Reported per run, early (mean over minutes 5-15) and late (mean over the last 30 min),
with their change: the peak anterior shear [BW], the superficial load index of the model
(peak superficial erector spinae force / its *fresh* capacity, DESIGN 2.5) and, for
comparison, the superficial *effort* (the same force / its *current* capacity: how hard
the muscle works against what it has left); the spike onset of the configured index;
the end capacity of the deep and superficial lumbar groups. A positive "late - early"
is a back load that grows late.

Writes ``results/late_spike_conditions/`` (``table.md``, ``rows.json``, a figure of the
indices over time, manifest).

Run: ``python experiments/late_spike_conditions.py [--minutes 120]`` (a duration other than
120 min writes ``results/late_spike_conditions_<minutes>min/``; 240 min runs past the
energy "wall" of marathon pace, about 155 min).
"""
from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from sim.config import load_config
from sim.fatigue import muscle_parameters
from sim.muscles import muscle_set
from sim.plots import PALETTE, finish_figure
from sim.results import (atomic_write_text, results_dir, save_figure, write_json,
                         write_manifest)
from sim.scenario import build_inputs
from sim.simulation import simulate_inputs

RUNNERS = {
    "flexible, strong core": {},
    "8 deg tight, core 0.8": {"scenario.hip_flexor_tightness_deg": 8.0,
                              "scenario.core_strength": 0.8},
}
DEEP_P_ST = 0.35


def _deep(inp):
    return [inp.muscles.index(m) for m in inp.groups["lumbar_deep"]]


def _with_deep_p_st(cfg, inp, p_st):
    """Deep lumbar muscles with slow-twitch fraction ``p_st`` (fibre pools re-calibrated)."""
    ms = muscle_set(cfg.runner.mass_kg)
    gain = cfg.model.activation_gain_per_s
    prm = inp.prm.copy()
    for i in _deep(inp):
        old = muscle_parameters(ms.fatigue_class[i], float(ms.p_st[i]), "muscle", gain, True)
        new = np.asarray(muscle_parameters(ms.fatigue_class[i], p_st, "muscle", gain, True))
        for k in range(prm.shape[0]):
            row = new.copy()
            row[8:10] *= prm[k, i, 8:10] / np.asarray(old)[8:10]   # same drain scaling
            prm[k, i] = row
    return dataclasses.replace(inp, prm=prm)


def _with_deep_fatigue(inp, factor):
    prm = inp.prm.copy()
    for i in _deep(inp):
        prm[:, i, 1] *= factor      # F_st
        prm[:, i, 3] *= factor      # F_ft
    return dataclasses.replace(inp, prm=prm)


def _trunk_power(cfg, power):
    """Inputs rebuilt with another ``model.trunk_size_power``."""
    return build_inputs(cfg.with_overrides({"model.trunk_size_power": power}))


VARIANTS = {
    "as modelled": lambda cfg, inp: inp,
    "deep lumbar fast-twitch": lambda cfg, inp: _with_deep_p_st(cfg, inp, DEEP_P_ST),
    "deep lumbar fatigue x2": lambda cfg, inp: _with_deep_fatigue(inp, 2.0),
    "lumped = one muscle": lambda cfg, inp: dataclasses.replace(
        inp, col_rho=np.ones_like(inp.col_rho)),
    "weak core 0.6": None,            # a scenario key: see run()
    "size-neutral trunk effort": lambda cfg, inp: _trunk_power(cfg, 0.0),
    "capacity-weighted trunk": lambda cfg, inp: _trunk_power(cfg, 1.0),
}


def _window_mean(res, values, t0_s, t1_s):
    sel = (res.time_s >= t0_s) & (res.time_s < t1_s) & np.isfinite(values)
    return float(np.mean(values[sel])) if sel.any() else float("nan")


def run(minutes=120.0, speed=3.2):
    rows, curves = [], {}
    for runner, over in RUNNERS.items():
        for variant, change in VARIANTS.items():
            o = {"run.duration_min": minutes, "run.speed_mps": speed, **over}
            if change is None:
                o["scenario.core_strength"] = 0.6
            cfg = load_config(None, o)
            inp = build_inputs(cfg)
            res = simulate_inputs(cfg, inp if change is None else change(cfg, inp))
            end = res.time_s[-1] + res.duration_s[-1]
            row = {"runner": runner, "variant": variant}
            sup = res.muscles.index("erector_spinae_superficial")
            effort = res.peak_force_N[:, sup] / (inp.F0[sup] * res.capacity[:, sup])
            for name, v in (("shear_bw", res.shear_bw),
                            ("superficial_load", res.superficial_load_index),
                            ("superficial_effort", effort)):
                early = _window_mean(res, v, 300.0, 900.0)
                late = _window_mean(res, v, end - 1800.0, end)
                row.update({f"{name}_early": early, f"{name}_late": late,
                            f"{name}_late_minus_early": late - early})
            row["spike_onset_min"] = res.spike_onset_s / 60.0
            for g in ("lumbar_deep", "lumbar_superficial"):
                idx = [res.muscles.index(m) for m in res.groups[g]]
                row[f"end_capacity_{g}"] = float(np.mean(res.capacity[-1, idx]))
            rows.append(row)
            curves[(runner, variant)] = (res.time_s / 60.0, res.shear_bw,
                                         res.superficial_load_index, effort)
    return rows, curves


def as_markdown(rows) -> str:
    head = ("| runner | variant | shear early -> late [BW] | superficial load early -> late | "
            "superficial effort early -> late | onset [min] | end capacity deep / superficial |"
            "\n|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        onset = "never" if np.isnan(r["spike_onset_min"]) else f"{r['spike_onset_min']:.0f}"
        lines.append(
            f"| {r['runner']} | {r['variant']} | {r['shear_bw_early']:.3f} -> "
            f"{r['shear_bw_late']:.3f} ({r['shear_bw_late_minus_early']:+.3f}) | "
            f"{r['superficial_load_early']:.3f} -> {r['superficial_load_late']:.3f} "
            f"({r['superficial_load_late_minus_early']:+.3f}) | "
            f"{r['superficial_effort_early']:.3f} -> {r['superficial_effort_late']:.3f} "
            f"({r['superficial_effort_late_minus_early']:+.3f}) | {onset} | "
            f"{r['end_capacity_lumbar_deep']:.2f} / {r['end_capacity_lumbar_superficial']:.2f} |")
    return head + "\n".join(lines) + "\n"


def figure(curves, minutes=120.0):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runners = list(RUNNERS)
    colors = [PALETTE[k] for k in ("black", "orange", "sky", "green", "purple",
                                     "vermillion")]
    fig, axes = plt.subplots(3, len(runners), figsize=(12, 10), sharex=True, squeeze=False,
                             layout="constrained")
    ylabels = ("peak anterior shear [BW]", "superficial load\n[force / fresh capacity]",
               "superficial effort\n[force / current capacity]")
    for c, runner in enumerate(runners):
        for k, variant in enumerate(VARIANTS):
            t, *series = curves[(runner, variant)]
            for r_, y in enumerate(series):
                axes[r_, c].plot(t, y, color=colors[k % len(colors)], label=variant)
        axes[0, c].set_title(runner)
        for r_, lab in enumerate(ylabels):
            axes[r_, c].set_ylabel(lab)
        axes[-1, c].set_xlabel("time [min]")
    handles = axes[0, 0].get_legend_handles_labels()[0]
    finish_figure(fig, "Does the back load grow late? One assumption changed at a time",
                  subtitle=f"even pace 3.2 m/s, {minutes:g} min", handles=handles, ncol=3)
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=120.0)
    args = ap.parse_args()
    rows, curves = run(args.minutes)
    name = "late_spike_conditions"
    if args.minutes != 120.0:
        name += f"_{args.minutes:g}min"
    d = results_dir(name)
    write_json(d / "rows.json", rows)
    table = as_markdown(rows)
    atomic_write_text(d / "table.md", table)
    save_figure(figure(curves, args.minutes), d / "indices_over_time.png")
    write_manifest(d, f"python experiments/late_spike_conditions.py --minutes {args.minutes:g}")
    print(table)


if __name__ == "__main__":
    main()
