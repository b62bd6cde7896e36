"""What makes the model's runner lean forward as it tires, and why a tight runner leans less?

The forward lean is the posture that minimises ``ln E(lean) - anchor lean + cost lean^2``
(``sim/core/engine_posture.py`` ``lean_update``): ``E`` the stride's effort, ``anchor`` the
first stride's relative effort rate ``(dE/dlean)/E``, so that the runner's fresh posture is
its optimum (the *posture preference*), and ``cost`` the calibrated lean cost. Two of its
parts are assumptions that no measurement fixes, and each has a switch:

- ``model.lean_preference``: ``own`` (shipped) keeps the runner's own fresh posture;
  ``flexible`` keeps the posture the same runner would choose without tight hip flexors,
  so a tight runner leans forward from the first stride to ease the flexors' pull;
- ``model.forward_lean_cost_of``: ``current`` (shipped) makes the cost a share of the
  stride's current effort (``E exp(cost lean^2)``); ``fresh`` a share of the fresh
  stride's effort, so the cost does not grow as the legs tire.

Part 1 takes the lean's relative effort rate apart joint by joint, at the fresh posture,
for the named mid-run runner (3.0 m/s, core strength 0.8, 150 min) with flexible (0 deg)
and tight (8 deg) hip flexors, at the first stride and with the capacities after 150 min:
which joint's share of the rate falls (making the lean cheaper relative to the effort) and
how the absolute rate ``dE/dlean`` moves.

Part 2 runs each combination of the switches on the checks of the back-load issue: the
named runner's spike onset and the directions of tightness, stretching, core strength,
pace and step rate, and the main sweep (``configs/hip_flexor_tightness.toml``) at the
default threshold and 10 % either side: scenarios that spike from the first stride, after
20 minutes, never, and the 15-minute bins the onsets fill.

Writes ``results/lean_preference/`` (``table.md``, ``rows.json``, ``lean_preference.png``:
the lean over the run with either preference, and the slope of the posture's objective
against the lean after 150 min, manifest).
Run: ``python experiments/lean_preference.py`` (about half a minute after compilation).
"""
from __future__ import annotations

import math

import numpy as np

from sim.batch import run_batch
from sim.config import load_config
from sim.core.engine_layout import DOF, S
from sim.core.reference_stride import _lean_rate_by_joint
from sim.results import save_figure, write_table_results
from sim.scenario import build_inputs
from sim.simulation import simulate
from sim.sweep_spec import load_sweep

MAIN_SWEEP = "configs/hip_flexor_tightness.toml"
RUNNER = {"run.duration_min": 150.0, "run.speed_mps": 3.0, "scenario.core_strength": 0.8,
          "scenario.hip_flexor_tightness_deg": 8.0}
VARIANTS = {
    "shipped (own preference, cost of current effort)": {},
    "cost of the fresh effort": {"model.forward_lean_cost_of": "fresh"},
    "flexible runner's preference": {"model.lean_preference": "flexible"},
    "both": {"model.lean_preference": "flexible", "model.forward_lean_cost_of": "fresh"},
}
#: The named runner's changes and the direction the back-load issue expects of each.
CHANGES = {
    "12 deg tightness": ({"scenario.hip_flexor_tightness_deg": 12.0}, "no later"),
    "stretch 8 deg": ({"intervention.stretch_before_deg": 8.0}, "no earlier"),
    "core 0.7": ({"scenario.core_strength": 0.7}, "no later"),
    "3.1 m/s": ({"run.speed_mps": 3.1}, "no later"),
    "2.9 m/s": ({"run.speed_mps": 2.9}, "no earlier"),
    "step rate +10 %": ({"scenario.step_rate_scale": 1.1}, "no earlier"),
}
FACTORS = (0.9, 1.0, 1.1)


def _runner(tightness_deg):
    """The named runner's run, its lean cost [1/rad^2], and ``rate(cap, lean)``: the
    effort, the lean's effort rate by joint and infeasibility of its stride at capacities
    ``cap`` and ``lean`` [rad] (``sim.core.reference_stride._lean_rate_by_joint``)."""
    cfg = load_config(None, {**RUNNER, "scenario.hip_flexor_tightness_deg": tightness_deg})
    inp = build_inputs(cfg)

    def rate(cap, lean):
        return _lean_rate_by_joint(inp, cfg.run.speed_mps, cap, lean)

    return simulate(cfg), float(inp.sc[S.fwd_lean_cost]), rate


def lean_rate_by_joint(tightness_deg):
    """The lean's effort rate at the fresh posture, by joint, first stride and after 150 min.

    Returns rows with the stride's effort ``E`` [1], the relative rate ``G/E`` [1/rad] and
    its part from each joint's demand, and the absolute rate ``G`` [1/rad]."""
    res, _, rate = _runner(tightness_deg)
    rows = []
    for k, when in ((0, "first stride"), (-1, "150 min")):
        E, by_dof, bad = rate(res.capacity[k], 0.0)
        E1, by_dof1, _ = rate(res.capacity[k], math.radians(1.0))
        row = {"tightness_deg": tightness_deg, "when": when, "feasible": not bad,
               "effort": E, "rate_abs": float(by_dof.sum()),
               "rate_rel": float(by_dof.sum() / E),
               "rise_per_deg": float(by_dof1.sum() / E1 - by_dof.sum() / E),
               "hip_rise_per_deg": float(by_dof1[DOF["hip_flexion"]] / E1
                                         - by_dof[DOF["hip_flexion"]] / E),
               "lean_end_deg": float(res.trunk_flexion_deg[-1])}
        for name in ("hip_flexion", "knee_extension", "ankle_plantarflexion",
                     "lumbar_extension"):
            row[f"rel_{name}"] = float(by_dof[DOF[name]] / E)
        rows.append(row)
    return rows


def _onset_min(over):
    v = simulate(load_config(None, over)).summary()["spike_onset_running_s"] / 60.0
    return math.inf if math.isnan(v) else v


def directions(variant):
    """The named runner's onset [min] (inf: not reached) and each change's."""
    base = {**RUNNER, **variant}
    v0 = _onset_min(base)
    out = {"named runner": v0}
    for name, (over, expect) in CHANGES.items():
        v = _onset_min({**base, **over})
        ok = v <= v0 if expect == "no later" else v >= v0
        out[name] = (v, expect, ok)
    return out


def main_sweep(variant):
    """Counts of the main sweep at the default threshold and 10 % either side."""
    base, spec = load_sweep(MAIN_SWEEP)
    thr0 = base.spike.superficial_threshold
    out = []
    for f in FACTORS:
        over = {**variant, "spike.superficial_threshold": thr0 * f}
        rows = run_batch([spec.config(base, i).with_overrides(over) for i in range(len(spec))])
        on = np.array([r["spike_onset_s"] for r in rows]) / 60.0
        late = on[np.isfinite(on) & (on > 0.0)]
        spiking = int(np.isfinite(on).sum())
        out.append({"threshold_factor": f, "from_start": int(np.sum(on == 0.0)),
                    "during": int(late.size), "after_20_min": int(np.sum(late > 20.0)),
                    "never": int(np.isnan(on).sum()), "spiking": spiking,
                    "bins_15_min": int(np.unique(np.floor(late / 15.0)).size),
                    "meets_point_6": bool(spiking > 0 and np.sum(late > 20.0) >= spiking / 2
                                          and np.unique(np.floor(late / 15.0)).size >= 4
                                          and np.isnan(on).any())})
    return out


def curves():
    """For the figure: the lean over the run [deg] of a flexible (0 deg) and a tight (8 deg)
    runner with either posture preference, and the gradient of the posture's objective
    ``g(lean)`` [1/rad] after 150 min (the optimum where it crosses zero)."""
    leans = np.radians(np.linspace(-0.5, 3.0, 8))
    out = {"lean": {}, "slope": {}}
    for th in (0.0, 8.0):
        for pref in ("own", "flexible"):
            cfg = load_config(None, {**RUNNER, "scenario.hip_flexor_tightness_deg": th,
                                     "model.lean_preference": pref})
            res = simulate(cfg)
            out["lean"][(th, pref)] = (res.time_s / 60.0, res.trunk_flexion_deg)
        res, cost, rate = _runner(th)
        E0, g0, _ = rate(res.capacity[0], 0.0)
        rel = []
        for x in leans:
            E, g, _ = rate(res.capacity[-1], float(x))
            rel.append(g.sum() / E - g0.sum() / E0 + 2.0 * cost * x)
        out["slope"][th] = (np.degrees(leans), np.array(rel))
    return out


def figure(c):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots import PALETTE, finish_figure

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    colour = {0.0: PALETTE["blue"], 8.0: PALETTE["vermillion"]}
    for (th, pref), (t, lean) in c["lean"].items():
        if th == 0.0 and pref == "flexible":
            continue                    # the same runner: no tight hip flexors to ease
        axes[0].plot(t, lean, color=colour[th], ls="-" if pref == "own" else "--", lw=2,
                     label=f"{th:g} deg tight, " + ("own posture preference (shipped)"
                                                   if pref == "own" else
                                                   "a flexible runner's posture preference"))
    axes[0].set_xlabel("time [min]")
    axes[0].set_ylabel("forward lean beyond the fresh posture [deg]")
    for th, (x, g) in c["slope"].items():
        axes[1].plot(x, g, color=colour[th], marker="o", lw=2)
    axes[1].axhline(0.0, color="0.5", lw=0.8)
    axes[1].set_xlabel("forward lean beyond the fresh posture [deg]")
    axes[1].set_ylabel("slope of the objective [1/rad]")
    axes[1].set_title("after 150 min, own preference: the optimum is where the slope "
                      "crosses zero;\na steeper line is a stiffer posture", fontsize=9)
    handles = axes[0].get_legend_handles_labels()[0]
    return finish_figure(fig, "Why a runner with tight hip flexors leans less as the legs tire",
                         subtitle="3.0 m/s, core strength 0.8, 150 min", handles=handles,
                         ncol=2)


def run() -> dict:
    return {"by_joint": [r for th in (0.0, 8.0) for r in lean_rate_by_joint(th)],
            "variants": [{"variant": name, "directions": directions(over),
                          "sweep": main_sweep(over)} for name, over in VARIANTS.items()]}


def _m(v):
    return "never" if not math.isfinite(v) else f"{v:.1f}"


def as_markdown(out) -> str:
    lines = ["The lean's effort rate at the fresh posture, by joint (named runner, 3.0 m/s, "
             "core 0.8; rate per rad of forward lean, relative to the stride's effort E):", "",
             "| hip flexors [deg] | capacities | E | dE/dlean | relative rate | hip | knee "
             "| ankle | lumbar | rise of the relative rate over 1 deg of lean (hip's part) "
             "| lean at 150 min [deg] |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in out["by_joint"]:
        lines.append(f"| {r['tightness_deg']:g} | {r['when']} | {r['effort']:.1f} "
                     f"| {r['rate_abs']:.1f} | {r['rate_rel']:+.3f} "
                     f"| {r['rel_hip_flexion']:+.3f} | {r['rel_knee_extension']:+.3f} "
                     f"| {r['rel_ankle_plantarflexion']:+.3f} "
                     f"| {r['rel_lumbar_extension']:+.3f} | {r['rise_per_deg']:+.4f} "
                     f"({r['hip_rise_per_deg']:+.4f}) | {r['lean_end_deg']:.2f} |")
    lines += ["", "Directions on the named runner (8 deg tight; spike onset in running time "
              "[min]; the issue's expected direction):", "",
              "| variant | named runner | " + " | ".join(CHANGES) + " |",
              "|---|---|" + "---|" * len(CHANGES)]
    for v in out["variants"]:
        d = v["directions"]
        cells = [f"{_m(d[k][0])} ({'ok' if d[k][2] else 'reversed'})" for k in CHANGES]
        lines.append(f"| {v['variant']} | {_m(d['named runner'])} | " + " | ".join(cells) + " |")
    lines += ["", "Main sweep (72 scenarios, 150 min): from the first stride / after 20 min / "
              "never, 15-minute bins, at thresholds x 0.9, 1, 1.1:", "",
              "| variant | x 0.9 | x 1 | x 1.1 | point 6 met |", "|---|---|---|---|---|"]
    for v in out["variants"]:
        cells = [f"{s['from_start']} / {s['after_20_min']} / {s['never']}, "
                 f"{s['bins_15_min']} bins" for s in v["sweep"]]
        met = all(s["meets_point_6"] for s in v["sweep"])
        lines.append(f"| {v['variant']} | " + " | ".join(cells) + f" | {'yes' if met else 'no'} |")
    return "\n".join(lines) + "\n"


def main():
    out = run()
    table = as_markdown(out)
    d = write_table_results("lean_preference", out, table, "experiments/lean_preference.py")
    save_figure(figure(curves()), d / "lean_preference.png")
    print(table)


if __name__ == "__main__":
    main()
