"""Lesson 3: a weak or tired gluteus medius overworks the lumbar muscles (via trunk lean).

Runs gluteus medius strengths 1.0, 0.85, 0.7 and 0.55 at marathon pace (3.2 m/s) for two
hours and shows the trunk lean, the lumbar muscle force and the L5/S1 shear. Then
:func:`sim.teaching.sensitivity_assumed.glute_to_lumbar` shows how the size of the
glute-to-lumbar effect depends on the assumed lean cost (and the knee-tracking gain).

Examples
--------
>>> d = compute(minutes=20, lean_costs=(100.0,), knee_gains=(0.3,), long_min=20)
>>> d["rows"][-1]["lean_end_deg"] > d["rows"][0]["lean_end_deg"]
True
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..demo import DEMO_RUNNER
from ..sensitivity_assumed import glute_to_lumbar
from ...core.simulation import simulate
from ._common import (PALETTE, config, fmt_onset, header, legend_below, limits_section,
                      lumbar_force_N, md_table, minutes, new_figure, save, write_page)

__all__ = ["NAME", "TITLE", "STRENGTHS", "LEAN_COSTS", "KNEE_GAINS", "compute", "build"]

NAME = "glute_med_to_lumbar"
TITLE = "A tired gluteus medius overworks the lumbar muscles"
STRENGTHS = (1.0, 0.85, 0.7, 0.55)
#: Lean costs [1/rad^2] and knee-tracking gains [1] of the sensitivity view.
LEAN_COSTS = (10.0, 30.0, 100.0, 300.0, 1000.0)
KNEE_GAINS = (0.0, 0.3, 1.0)
SPEED = 3.2
LUMBAR_NAMES = {"multifidus": "multifidus", "quadratus_lumborum": "quadratus lumborum",
                "erector_spinae_deep": "erector spinae, lumbar fascicles (deep)",
                "erector_spinae_superficial": "erector spinae, thoracic fascicles (superficial)",
                "rectus_abdominis": "rectus abdominis", "obliques": "obliques"}


def compute(minutes: float = 120.0, lean_costs=LEAN_COSTS, knee_gains=KNEE_GAINS,
            long_min: float = DEMO_RUNNER["run.duration_min"]) -> dict:
    """Runs over gluteus medius strength, and the sensitivity rows of the assumed constants.

    Returns
    -------
    dict
        ``rows`` (one per strength: lean, lumbar force, superficial load, shear at the end),
        ``results`` (strength -> RunResult), ``per_muscle`` (lumbar muscle -> extra mean
        force at the end, strength 0.7 minus 1.0 [N]), ``sens`` (rows of
        :func:`~sim.teaching.sensitivity_assumed.glute_to_lumbar`), ``lean_cost`` (the default),
        ``long`` (rows of :func:`long_run` over ``long_min`` minutes).
    """
    results, rows = {}, []
    for g in STRENGTHS:
        r = simulate(config({"run.duration_min": minutes, "run.speed_mps": SPEED,
                             "scenario.glute_med_strength": g}, NAME))
        results[g] = r
        rows.append({"strength": g, "lean_end_deg": float(r.trunk_lean_deg[-1]),
                     "lumbar_force_end_N": float(lumbar_force_N(r)[-1]),
                     "sup_end": float(r.superficial_load_index[-1]),
                     "shear_end_bw": float(r.shear_bw[-1]),
                     "glute_cap_end": float(r.capacity[-1, r.muscles.index("gluteus_medius")])})
    r1, r7 = results[1.0], results[0.7]
    per = {m: float(r7.mean_force_N[-1, r7.muscles.index(m)] - r1.mean_force_N[-1, r1.muscles.index(m)])
           for m in LUMBAR_NAMES}
    sens = glute_to_lumbar(lean_costs=lean_costs, knee_gains=knee_gains, minutes=minutes,
                           speed_mps=SPEED)
    return {"rows": rows, "results": results, "per_muscle": per, "sens": sens,
            "lean_cost": config().model.lean_cost,
            "knee_gain": config().model.knee_tracking_gain,
            "long": long_run(long_min), "long_min": long_min}


def _window_mean(res, x, t0_s, t1_s):
    sel = (res.time_s >= t0_s) & (res.time_s < t1_s) & np.isfinite(x)
    return float(np.mean(x[sel])) if sel.any() else float("nan")


def long_run(duration_min: float) -> list[dict]:
    """The demo's runner (mid-run spike) with a normal and a weak gluteus medius.

    Each strength is run with the lateral lean on and off, to show how much of the late
    rise of the superficial back load goes through the gluteus medius.

    Returns
    -------
    list of dict
        ``strength``, ``lateral_lean`` (bool), ``onset_s`` (running time) and
        ``onset_text``, ``sup_early`` / ``sup_late`` (superficial load, mean over minutes
        5-15 and over the last 30 min), ``flexion_end_deg``, ``lateral_end_deg``,
        ``glute_cap_end``.
    """
    rows = []
    for g in (1.0, 0.7):
        for lateral in (True, False):
            r = simulate(config({**DEMO_RUNNER, "run.duration_min": duration_min,
                                 "scenario.glute_med_strength": g,
                                 "model.lateral_lean": lateral}, NAME))
            end = float(r.time_s[-1] + r.duration_s[-1])
            run_onset = r.summary()["spike_onset_running_s"]
            rows.append({"strength": g, "lateral_lean": lateral, "onset_s": run_onset,
                         "onset_text": fmt_onset(run_onset, duration_min),
                         "sup_early": _window_mean(r, r.superficial_load_index, 300.0, 900.0),
                         "sup_late": _window_mean(r, r.superficial_load_index,
                                                  end - 1800.0, end),
                         "flexion_end_deg": float(r.trunk_flexion_deg[-1]),
                         "lateral_end_deg": float(r.trunk_lean_deg[-1]),
                         "glute_cap_end": float(r.capacity[-1, r.muscles.index("gluteus_medius")])})
    return rows


def _long_text(rows) -> str:
    """One sentence comparing the onsets of :func:`long_run`'s rows."""
    by = {(r["strength"], r["lateral_lean"]): r for r in rows}
    n, w, w_off = by[(1.0, True)], by[(0.7, True)], by[(0.7, False)]
    return (f"A weak (0.7) gluteus medius changes the onset from {n['onset_text']} to "
            f"{w['onset_text']} and the late superficial load from {n['sup_late']:.3f} to "
            f"{w['sup_late']:.3f}; with the sideways lean forbidden the weak runner's onset is "
            f"{w_off['onset_text']} (superficial load late {w_off['sup_late']:.3f}).")


def _fig_time(d):
    fig, axes = new_figure(3, 1, figsize=(8.0, 9.0), sharex=True)
    # four colours that stay apart for colour-blind readers (not orange next to vermillion)
    colours = [PALETTE["black"], PALETTE["blue"], PALETTE["orange"], PALETTE["purple"]]
    for c, (g, r) in zip(colours, d["results"].items()):
        t = minutes(r)
        lab = f"gluteus medius strength {g:g}"
        axes[0].plot(t, r.trunk_lean_deg, color=c, lw=2, label=lab)
        axes[1].plot(t, lumbar_force_N(r), color=c, lw=2, label=lab)
        axes[2].plot(t, r.shear_bw, color=c, lw=2, label=lab)
    axes[0].set_ylabel("peak trunk lateral lean [deg]")
    axes[0].set_title("Trunk lean over the stance hip")
    axes[1].set_ylabel("lumbar + abdominal force [N]")
    axes[1].set_title("Lumbar muscle force (mean over the stride, summed, one side)")
    axes[2].set_ylabel("L5/S1 anterior shear [body weights]")
    axes[2].set_title("Peak L5/S1 anterior shear (note the narrow scale)")
    axes[2].set_xlabel("run time [min]")
    # one key for the three panels (the same runs in each), below them
    legend_below(fig, *axes[0].get_legend_handles_labels(), ncol=4)
    fig.suptitle(f"A weaker gluteus medius: more trunk lean, more lumbar force ({SPEED} m/s, 2 h)",
                 fontsize=11)
    return fig


def _fig_sens(d):
    fig, axes = new_figure(1, 2, figsize=(10.0, 4.2))
    k0, w0 = d["knee_gain"], d["lean_cost"]
    lean_rows = sorted((r for r in d["sens"] if r["knee_tracking_gain"] == k0),
                       key=lambda r: r["lean_cost"])
    w = np.array([r["lean_cost"] for r in lean_rows])
    ax = axes[0]
    ax.plot(w, [r["extra_lumbar_force_N"] for r in lean_rows], "o-", color=PALETTE["vermillion"],
            lw=2, label="extra lumbar force [N]")
    ax.set_xscale("log")
    ax.set_xlabel("assumed lean cost w [1/rad²] (log scale)")
    ax.set_ylabel("extra lumbar + abdominal force [N]", color=PALETTE["vermillion"])
    ax.axvline(w0, color="0.5", ls=":", lw=1)
    ax.text(w0, ax.get_ylim()[1], " default", va="top", fontsize=8, color="0.4")
    ax2 = ax.twinx()
    ax2.plot(w, [r["extra_lean_deg"] for r in lean_rows], "s--", color=PALETTE["green"], lw=1.5)
    ax2.set_ylabel("extra trunk lean [deg]", color=PALETTE["green"])
    ax.set_title("Lean cost: an ASSUMED constant", fontsize=10)
    gain_rows = sorted((r for r in d["sens"] if r["lean_cost"] == w0),
                       key=lambda r: r["knee_tracking_gain"])
    ax = axes[1]
    kk = [r["knee_tracking_gain"] for r in gain_rows]
    ax.plot(kk, [r["extra_lumbar_force_N"] for r in gain_rows], "o-", color=PALETTE["vermillion"], lw=2)
    ax.set_xlabel("assumed knee-tracking gain k [-]")
    ax.set_ylabel("extra lumbar + abdominal force [N]", color=PALETTE["vermillion"])
    ax.axvline(k0, color="0.5", ls=":", lw=1)
    ax2 = ax.twinx()
    ax2.plot(kk, [r["extra_lean_deg"] for r in gain_rows], "s--", color=PALETTE["green"], lw=1.5)
    ax2.set_ylabel("extra trunk lean [deg]", color=PALETTE["green"])
    ax.set_title("Knee-tracking gain: an ASSUMED constant", fontsize=10)
    # same scales in both panels (from zero), so the two constants compare fairly
    fmax = 1.1 * max(r["extra_lumbar_force_N"] for r in d["sens"])
    lmax = 1.1 * max(r["extra_lean_deg"] for r in d["sens"])
    for a in fig.axes:
        if a.get_ylabel().startswith("extra lumbar"):
            a.set_ylim(0, fmax)
        elif a.get_ylabel().startswith("extra trunk"):
            a.set_ylim(0, lmax)
    fig.suptitle("Weak (0.7) minus normal (1.0) gluteus medius at the end of a 2-h run, "
                 f"{SPEED} m/s", fontsize=11)
    return fig


def build(out_dir) -> list[Path]:
    """Run the lesson, write its figures and ``README.md`` into ``out_dir/glute_med_to_lumbar``.

    Examples
    --------
    >>> import tempfile
    >>> paths = build(tempfile.mkdtemp())  # doctest: +SKIP
    """
    d = compute()
    here = Path(out_dir) / NAME
    written: list[Path] = []
    save(_fig_time(d), here / "glute_to_lumbar.png", written)
    save(_fig_sens(d), here / "lean_cost_sensitivity.png", written)
    rows = {r["strength"]: r for r in d["rows"]}
    n, wk = rows[1.0], rows[0.7]
    table = md_table(["gluteus medius strength", "its capacity at 2 h", "trunk lean at 2 h [deg]",
                      "lumbar + abdominal force at 2 h [N]",
                      "superficial back load at 2 h [force / fresh capacity]",
                      "L5/S1 shear at 2 h [BW]"],
                     [[f"{r['strength']:g}", f"{100 * r['glute_cap_end']:.1f} %",
                       f"{r['lean_end_deg']:.2f}", f"{r['lumbar_force_end_N']:.1f}",
                       f"{r['sup_end']:.3f}", f"{r['shear_end_bw']:.3f}"] for r in d["rows"]])
    per = d["per_muscle"]
    total = sum(per.values())
    per_rows = sorted(per.items(), key=lambda kv: -abs(kv[1]))
    table_per = md_table(["muscle", "extra mean force, strength 0.7 vs 1.0 [N]"],
                         [[LUMBAR_NAMES[m], f"{v:+.1f}"] for m, v in per_rows])
    k0, w0 = d["knee_gain"], d["lean_cost"]
    lean_rows = sorted((r for r in d["sens"] if r["knee_tracking_gain"] == k0),
                       key=lambda r: r["lean_cost"])
    gain_rows = sorted((r for r in d["sens"] if r["lean_cost"] == w0),
                       key=lambda r: r["knee_tracking_gain"])
    f_lo, f_hi = lean_rows[-1], lean_rows[0]
    fdef = next(r for r in lean_rows if r["lean_cost"] == w0)
    table_sens = md_table(
        ["lean cost w [1/rad²]", "knee-tracking gain k", "lean, normal glute [deg]",
         "extra lean [deg]", "extra lumbar force [N]", "extra shear [BW]"],
        [[f"{r['lean_cost']:g}" + (" (default)" if r["lean_cost"] == w0 else ""),
          f"{r['knee_tracking_gain']:g}" + (" (default)" if r["knee_tracking_gain"] == k0 else ""),
          f"{r['lean_deg_normal']:.2f}", f"{r['extra_lean_deg']:.2f}",
          f"{r['extra_lumbar_force_N']:.1f}", f"{r['extra_shear_bw']:+.3f}"]
         for r in lean_rows + [g for g in gain_rows if g["knee_tracking_gain"] != k0]])
    table_long = md_table(
        ["gluteus medius strength", "sideways lean", "spike onset (running time)",
         "superficial load, early -> late", "forward lean at the end [deg]",
         "sideways lean at the end [deg]"],
        [[f"{r['strength']:g}", "allowed" if r["lateral_lean"] else "forbidden",
          r["onset_text"], f"{r['sup_early']:.3f} -> {r['sup_late']:.3f}",
          f"{r['flexion_end_deg']:.2f}", f"{r['lateral_end_deg']:.2f}"] for r in d["long"]])
    sup_extra = per["erector_spinae_superficial"]
    top = per_rows[0]
    text = f"""
{header(3, TITLE, "When the gluteus medius fatigues, the superficial lumbar muscles are overworked.")}

## What the figures show

![Trunk lean, lumbar force and shear for four gluteus medius strengths](glute_to_lumbar.png)

Two-hour runs at {SPEED} m/s with the gluteus medius at 100 %, 85 %, 70 % and 55 % of
normal strength (a weak or pre-tired hip abductor). Numbers at the end of the run:

{table}

- **The mechanism in the model.** When the hip abductors cannot hold the pelvis level
  cheaply, the trunk leans over the stance hip: this shortens the lever of the ground
  reaction force about the hip and unloads the abductors, but the lumbar side-bending
  muscles must then hold the leaned trunk. At 2 h the lean is {wk['lean_end_deg']:.2f} deg
  with a 70 % gluteus medius against {n['lean_end_deg']:.2f} deg with a normal one, and the
  summed lumbar and abdominal force is {wk['lumbar_force_end_N'] - n['lumbar_force_end_N']:+.1f} N
  higher ({wk['lumbar_force_end_N']:.1f} vs {n['lumbar_force_end_N']:.1f} N, mean over the
  stride, one side).
- **Why does the weak muscle's capacity not fall further?** Capacity is the fraction of
  the muscle's *own* fresh maximum. The load sharing protects a weak muscle by handing
  work to its synergists and to the lean, so its fraction ends up similar; what changes
  is the lean and who picks up the work.

**Which trunk muscles take the extra work** (strength 0.7 minus 1.0, at 2 h; total
{total:+.1f} N):

{table_per}

The largest share goes to the {LUMBAR_NAMES[top[0]]} ({top[1]:+.1f} N); the superficial
erector spinae get {sup_extra:+.1f} N. So the model does load the lumbar muscles more, and
the superficial erector spinae are among them, but the side-bending work is shared by
every trunk muscle with a sideways lever (abdominal obliques included), not only by the
superficial back muscles as the article suggests.


- **Shear hardly changes**: {wk['shear_end_bw'] - n['shear_end_bw']:+.3f} body weights at
  2 h. Trunk lean loads the spine sideways; the anterior shear of lessons 4-6 comes from
  the sagittal plane (pelvic tilt, deep vs superficial extensors).

### Over a long run: does the tiring gluteus medius make the back load rise late?

The runner of the demo (hip flexors {DEMO_RUNNER['scenario.hip_flexor_tightness_deg']:g} deg
tight, core strength {DEMO_RUNNER['scenario.core_strength']:g}, {DEMO_RUNNER['run.speed_mps']:g} m/s
for {d['long_min']:g} min) crosses the
superficial-load threshold during the run. The same runner with a normal and a weak
gluteus medius, each with the sideways lean allowed and forbidden (superficial load: mean
over minutes 5-15, then over the last 30 minutes):

{table_long}

- {_long_text(d['long'])}
- The late rise comes mostly from the *forward* lean and from the deep lumbar muscles
  tiring before the superficial ones (lesson "The cascade"; `experiments/back_load_attribution.py`
  switches each mechanism off in turn).

### What the evidence says about the article's claim

- **Supported: the hip abductors tire in long runs.** Hip-abductor strength falls 18 %
  after a run to exhaustion (Bazett-Jones et al. 2013, runners with patellofemoral pain;
  controls less); the model's gluteus medius keeps {100 * n['glute_cap_end']:.0f} % of its
  capacity after 2 h at {SPEED} m/s.
- **Not established: that a tired gluteus medius makes runners lean or drop the pelvis.**
  With the hip abductors weakened by half by a nerve block, neither the pelvic drop nor the
  sideways trunk lean changed in walking (Pohl et al. 2015), and peak hip adduction does not
  change with running fatigue (meta-analysis, Trowell et al. 2024). The model's sideways
  lean, and so this lesson's path from the gluteus medius to the lumbar muscles, rests on
  the assumed lean cost (below); what fatigued runners *are* measured to do is lean
  forward (+2 to +4 deg; Koblbauer et al. 2014, Bazett-Jones et al. 2013), which the model
  has as its own mechanism.
- **Partly supported in the model: "the superficial lumbar muscles are overworked".** The
  extra side-bending work goes to every trunk muscle with a sideways lever, the superficial
  erector spinae among them (table above), not to the superficial muscles alone.

### How much does this depend on an assumed constant? A lot.

![Sensitivity of the glute-to-lumbar result to the lean cost and the knee-tracking gain](lean_cost_sensitivity.png)

**The size of this effect depends on an assumed constant, the lean cost w**
(`model.lean_cost`, default {w0:g}). It sets how "expensive" a trunk lean is compared
with muscle effort, and no study gives it a value. Weak (0.7) minus normal (1.0) gluteus
medius at the end of a 2-h run:

{table_sens}

Over the plausible range w = {f_hi['lean_cost']:g}-{f_lo['lean_cost']:g}, the extra lumbar
force caused by the weak gluteus medius ranges from {f_lo['extra_lumbar_force_N']:.1f} N to
{f_hi['extra_lumbar_force_N']:.1f} N (default {fdef['extra_lumbar_force_N']:.1f} N), a factor
of {f_hi['extra_lumbar_force_N'] / max(f_lo['extra_lumbar_force_N'], 1e-9):.0f}; the
extra lean from {f_lo['extra_lean_deg']:.2f} to {f_hi['extra_lean_deg']:.2f} deg. The
*direction* (weaker gluteus medius → more lean, more lumbar force) holds for every value
tried; the *size* is not a prediction. The knee-tracking gain matters much less here
(extra lumbar force {min(r['extra_lumbar_force_N'] for r in gain_rows):.1f} to
{max(r['extra_lumbar_force_N'] for r in gain_rows):.1f} N for k = {gain_rows[0]['knee_tracking_gain']:g}-{gain_rows[-1]['knee_tracking_gain']:g}).

## What the model assumes

- **Lean cost w is an assumption** with no published value (above). The lean is a variable
  of the load sharing, costed w θ², next to the muscles' capacity-weighted effort.
- Leaning by θ moves the upper body's centre of mass sideways by about h θ and lowers the
  hip abduction moment by about (vertical ground reaction force) × h_eff × θ; holding the
  trunk costs the lumbar side-benders (upper-body weight) × h_t × θ. Geometry from
  `sim/data/body.toml`, each value with its source or marked as an assumption.
- **Knee-tracking gain k is an assumption** (lesson 2).
- Gluteus medius "weakness" is a multiplier on its fresh maximum force; its fibre type
  (p_ST = 0.55) is a modelling value without a primary biopsy measurement.

{limits_section(["deep_vs_superficial", "one_runner", "even_pace", "left_out"], extra=[
    "**No pelvic drop.** The model has trunk lean as the only frontal-plane compensation; "
    "contralateral pelvic drop and hip adduction angles are not simulated.",
])}

## Try it yourself

```bash
runfatigue run configs/glute_med_fatigue.toml
runfatigue run configs/glute_med_fatigue.toml --set model.lean_cost=30
```
"""
    write_page(here / "README.md", text, written)
    return written
