"""Why does the back load rise late? Switch one mechanism off at a time.

For one named runner whose back-load spike comes mid-run (hip flexors 8 deg tight, core
strength 0.8, 3.0 m/s for 150 min; marathon pace 3.2 m/s), each back-load index is
compared early (mean over minutes 5-15) and late (mean over the last 30 minutes) with
every mechanism on, and with one switched off:

- ``fatigue frozen``: no muscle tires (``model.fatigue = false``);
- ``no forward lean``: the trunk keeps its fresh posture (``model.forward_lean = false``);
- ``no lateral lean``: ``model.lateral_lean = false``;
- ``no knee tracking``: ``model.knee_tracking_gain = 0``;
- ``no tightness``: ``scenario.hip_flexor_tightness_deg = 0``;
- ``no deep-core fatigue``: the deep lumbar muscles stay fresh
  (``model.deep_core_fatigue = false``).

A mechanism's share of the late rise is ``1 - rise without it / rise with everything``
(shares need not add up to 1: the mechanisms interact). The same switches are then applied
to the whole main sweep (``configs/hip_flexor_tightness.toml``): how many scenarios spike
after the first 20 minutes with each one off.

Writes ``results/back_load_attribution/`` (``table.md``, ``rows.json``, ``attribution.png``,
manifest). Run: ``python experiments/back_load_attribution.py``.
"""
from __future__ import annotations

import numpy as np

from sim.batch import run_batch
from sim.config import load_config
from sim.plots import PALETTE, finish_figure
from sim.results import atomic_write_text, results_dir, save_figure, write_json, write_manifest
from sim.simulation import simulate
from sim.sweep_spec import load_sweep

RUNNER = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
          "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}
SWITCHES = {
    "everything on": {},
    "fatigue frozen": {"model.fatigue": False},
    "no forward lean": {"model.forward_lean": False},
    "no lateral lean": {"model.lateral_lean": False},
    "no knee tracking": {"model.knee_tracking_gain": 0.0},
    "no tightness": {"scenario.hip_flexor_tightness_deg": 0.0},
    "no deep-core fatigue": {"model.deep_core_fatigue": False},
}
INDICES = {"superficial_load": ("superficial_load_index", "superficial load [x fresh capacity]"),
           "shear_bw": ("shear_bw", "peak anterior shear [BW]")}
MAIN_SWEEP = "configs/hip_flexor_tightness.toml"


def _window(res, x, t0, t1):
    sel = (res.time_s >= t0) & (res.time_s < t1) & np.isfinite(x)
    return float(np.mean(x[sel]))


def one_runner():
    rows, curves = [], {}
    for name, over in SWITCHES.items():
        res = simulate(load_config(None, {**RUNNER, **over}))
        end = float(res.time_s[-1] + res.duration_s[-1])
        row = {"switch": name, "onset_min": res.spike_onset_s / 60.0,
               "flexion_end_deg": float(res.trunk_flexion_deg[-1])}
        for key, (attr, _) in INDICES.items():
            x = np.asarray(getattr(res, attr))
            early, late = _window(res, x, 300.0, 900.0), _window(res, x, end - 1800.0, end)
            row.update({f"{key}_early": early, f"{key}_late": late,
                        f"{key}_rise": late - early})
        rows.append(row)
        curves[name] = (res.time_s / 60.0, res.superficial_load_index, res.shear_bw)
    full = rows[0]
    for r in rows:
        for key in INDICES:
            r[f"{key}_share"] = (1.0 - r[f"{key}_rise"] / full[f"{key}_rise"]
                                 if full[f"{key}_rise"] != 0 else float("nan"))
    return rows, curves


def main_sweep():
    """Late spikes (after 20 min) in the main sweep with each switch."""
    base, spec = load_sweep(MAIN_SWEEP)
    out = []
    for name, over in SWITCHES.items():
        cfgs = [spec.config(base, i).with_overrides(over) for i in range(len(spec))]
        rows = run_batch(cfgs)
        on = np.array([r["spike_onset_s"] for r in rows]) / 60.0
        spiked = np.isfinite(on)
        out.append({"switch": name, "spiking": int(spiked.sum()),
                    "from_start": int(np.sum(on[spiked] < 0.5)),
                    "late": int(np.sum(on[spiked] > 20.0)),
                    "never": int((~spiked).sum()), "n": len(rows)})
    return out


def _f(v, fmt):
    return "-" if not np.isfinite(v) else format(v, fmt)


def as_markdown(rows, sweep_rows) -> str:
    lines = ["| switched off | onset [min] | superficial load early -> late (rise; share) | "
             "shear early -> late [BW] (rise; share) | forward lean at end [deg] |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['switch']} | {_f(r['onset_min'], '.0f') if r['onset_min'] == r['onset_min'] else 'never'} | "
            f"{r['superficial_load_early']:.3f} -> {r['superficial_load_late']:.3f} "
            f"({r['superficial_load_rise']:+.4f}; {_f(r['superficial_load_share'], '.0%')}) | "
            f"{r['shear_bw_early']:.3f} -> {r['shear_bw_late']:.3f} "
            f"({r['shear_bw_rise']:+.4f}; {_f(r['shear_bw_share'], '.0%')}) | "
            f"{r['flexion_end_deg']:.2f} |")
    lines += ["", f"Main sweep ({MAIN_SWEEP}), default index and threshold:", "",
              "| switched off | spiking | from the first stride | after 20 min | never |",
              "|---|---|---|---|---|"]
    for r in sweep_rows:
        lines.append(f"| {r['switch']} | {r['spiking']} of {r['n']} | {r['from_start']} | "
                     f"{r['late']} | {r['never']} |")
    return "\n".join(lines) + "\n"


def figure(curves):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    colours = [PALETTE[k] for k in ("black", "vermillion", "blue", "sky", "green", "orange",
                                    "purple")]
    for (name, (t, sup, shear)), c in zip(curves.items(), colours):
        ls = "-" if name == "everything on" else "--"
        axes[0].plot(t, sup, color=c, ls=ls, lw=2 if ls == "-" else 1.4, label=name)
        axes[1].plot(t, shear, color=c, ls=ls, lw=2 if ls == "-" else 1.4, label=name)
    axes[0].set_ylabel(INDICES["superficial_load"][1])
    axes[1].set_ylabel(INDICES["shear_bw"][1])
    for ax in axes:
        ax.set_xlabel("time [min]")
    handles = axes[0].get_legend_handles_labels()[0]
    return finish_figure(fig, "What makes the back load rise late? One mechanism off at a time",
                         subtitle="8 deg tight hip flexors, core strength 0.8, 3.0 m/s, "
                                  "marathon pace 3.2 m/s", handles=handles, ncol=4)


def main():
    rows, curves = one_runner()
    sweep_rows = main_sweep()
    d = results_dir("back_load_attribution")
    write_json(d / "rows.json", {"runner": RUNNER, "rows": rows, "main_sweep": sweep_rows})
    table = as_markdown(rows, sweep_rows)
    atomic_write_text(d / "table.md", table)
    save_figure(figure(curves), d / "attribution.png")
    write_manifest(d, "python experiments/back_load_attribution.py")
    print(table)


if __name__ == "__main__":
    main()
