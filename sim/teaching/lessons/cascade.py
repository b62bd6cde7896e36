"""Lesson 2: the cascade from tired quadriceps to knee tracking, hip abductors and trunk lean.

Chain as modelled: quadriceps capacity falls → the knee tracks worse (modelled as a gain
``k`` on the stance hip abduction demand, ``1 + k (1 − c_quad)``, an assumption) → the
hip abductors (gluteus medius) must give more → they tire → the trunk leans over the
stance hip to unload them. The lesson runs a runner with normal and with weak
quadriceps (strength 0.7) at marathon pace for two hours across several values of ``k``.

Examples
--------
>>> d = compute(minutes=20, gains=(0.0, 1.0))
>>> d["rows"][-1]["lean_end_deg"] >= d["rows"][0]["lean_end_deg"]
True
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...physics.compensation import knee_tracking_gain
from ...core.simulation import simulate
from ._common import (PALETTE, config, header, legend_below, limits_section, md_table, new_figure,
                      save, write_page)

__all__ = ["NAME", "TITLE", "GAINS", "compute", "compute_lean", "build"]

NAME = "cascade"
TITLE = "The cascade: knee tracking, pelvic stability, trunk lean"
#: Knee-tracking gains shown (default 0.3; plausible range 0-1, an assumption).
GAINS = (0.0, 0.3, 1.0)
SPEED = 3.2


def compute(minutes: float = 120.0, gains=GAINS) -> dict:
    """Runs for normal (1.0) and weak (0.7) quadriceps across knee-tracking gains.

    Returns
    -------
    dict
        ``rows``: one dict per (quad strength, gain) with end-of-run quadriceps capacity,
        demand multiplier, gluteus medius capacity, trunk lean and shear; ``results``:
        (quad strength, gain) -> RunResult; ``default_gain``.
    """
    default = config().model.knee_tracking_gain
    gains = tuple(sorted(set(gains) | {default}))
    rows, results = [], {}
    for q in (1.0, 0.7):
        for k in gains:
            r = simulate(config({"run.duration_min": minutes, "run.speed_mps": SPEED,
                                 "scenario.quad_strength": q, "model.knee_tracking_gain": k},
                                NAME))
            results[(q, k)] = r
            cq = r.group_capacity("knee_extensors")
            gm = r.capacity[:, r.muscles.index("gluteus_medius")]
            rows.append({"quad_strength": q, "gain": k, "quad_cap_end": float(cq[-1]),
                         "multiplier_end": float(knee_tracking_gain(float(cq[-1]), k)),
                         "glute_med_cap_end": float(gm[-1]),
                         "lean_end_deg": float(r.trunk_lean_deg[-1]),
                         "shear_end_bw": float(r.shear_bw[-1])})
    return {"rows": rows, "results": results, "default_gain": default, "gains": gains}


def _fig_chain(d):
    """A box diagram of the chain with this run's end-of-run numbers."""
    fig, ax = new_figure(1, 1, figsize=(10.0, 3.4))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 3)
    row = next(r for r in d["rows"] if r["quad_strength"] == 0.7 and r["gain"] == d["default_gain"])
    base = next(r for r in d["rows"] if r["quad_strength"] == 0.7 and r["gain"] == 0.0)
    boxes = [
        ("quadriceps tire", f"capacity {100 * row['quad_cap_end']:.0f} %\nof fresh at 2 h", PALETTE["sky"]),
        ("knee tracks worse\n(ASSUMED gain k)", f"k = {d['default_gain']:g}:\nhip abduction demand\n"
         f"x {row['multiplier_end']:.3f}", "0.8"),
        ("gluteus medius\nworks harder, tires", f"capacity {100 * row['glute_med_cap_end']:.1f} %\n"
         f"(k = 0: {100 * base['glute_med_cap_end']:.1f} %)", PALETTE["orange"]),
        ("trunk leans over\nthe stance hip", f"lean {row['lean_end_deg']:.2f} deg\n"
         f"(k = 0: {base['lean_end_deg']:.2f} deg)", PALETTE["green"]),
        ("lumbar side-benders\nhold the trunk", "see lesson 3", PALETTE["vermillion"]),
    ]
    for i, (title, body, colour) in enumerate(boxes):
        x = 0.1 + 2.0 * i
        ax.add_patch(__import__("matplotlib.patches", fromlist=["FancyBboxPatch"]).FancyBboxPatch(
            (x, 0.4), 1.6, 2.2, boxstyle="round,pad=0.05", fc=colour, alpha=0.35, ec="0.3"))
        ax.text(x + 0.8, 2.2, title, ha="center", va="center", fontsize=9, fontweight="bold")
        ax.text(x + 0.8, 1.1, body, ha="center", va="center", fontsize=8.5)
        if i < len(boxes) - 1:
            ax.annotate("", xy=(x + 2.0, 1.5), xytext=(x + 1.68, 1.5),
                        arrowprops=dict(arrowstyle="->", lw=1.5))
    ax.set_title(f"The chain as modelled, weak quadriceps (strength 0.7), {SPEED} m/s, end of a 2-h run",
                 fontsize=10)
    return fig


def _fig_time(d):
    fig, axes = new_figure(2, 2, figsize=(10.0, 7.0), sharex=True)
    axes = axes.ravel()
    styles = {0.0: ":", d["default_gain"]: "-", 1.0: "--"}
    for (q, k), r in d["results"].items():
        colour = PALETTE["blue"] if q == 1.0 else PALETTE["vermillion"]
        ls = styles.get(k, "-.")
        lab = f"quadriceps {q:g}, k = {k:g}"
        t0 = r.time_s / 60.0
        tm = (r.time_s + 0.5 * r.duration_s) / 60.0
        cq = r.group_capacity("knee_extensors")
        axes[0].plot(t0, 100 * cq, color=colour, ls=ls, lw=1.8, label=lab)
        mult = np.array([knee_tracking_gain(float(c), k) for c in cq])
        axes[1].plot(t0, mult, color=colour, ls=ls, lw=1.8, label=lab)
        axes[2].plot(t0, 100 * r.capacity[:, r.muscles.index("gluteus_medius")], color=colour,
                     ls=ls, lw=1.8, label=lab)
        axes[3].plot(tm, r.trunk_lean_deg, color=colour, ls=ls, lw=1.8, label=lab)
    axes[0].set_ylabel("quadriceps capacity [% of fresh]")
    axes[0].set_title("1. Quadriceps tire")
    axes[1].set_ylabel("multiplier on hip abduction demand [-]")
    axes[1].set_title("2. Knee tracking: 1 + k (1 - quad capacity), k ASSUMED")
    axes[2].set_ylabel("gluteus medius capacity [% of fresh]")
    axes[2].set_title("3. Gluteus medius tires")
    axes[3].set_ylabel("peak trunk lateral lean [deg]")
    axes[3].set_title("4. Trunk leans over the stance hip")
    for ax in axes[2:]:
        ax.set_xlabel("run time [min]")
    # one key for all four panels (the same six runs in each), below them
    legend_below(fig, *axes[0].get_legend_handles_labels(), ncol=2)
    fig.suptitle(f"How the chain unfolds over a 2-h run at {SPEED} m/s (blue: normal quadriceps, "
                 "orange-red: weak quadriceps 0.7)", fontsize=10)
    return fig


def compute_lean(minutes: float = 180.0) -> dict:
    """A run at marathon pace with and without the forward lean of fatigue.

    Returns
    -------
    dict
        ``on``, ``off`` (RunResult), and the peak knee- and hip-extension moments and
        superficial back load of the first and last stored strides of ``on`` [N m/kg], [1].
    """
    base = {"run.duration_min": minutes, "run.speed_mps": SPEED}
    on = simulate(config(base, NAME))
    off = simulate(config({**base, "model.forward_lean": False}, NAME))
    dem = np.asarray(on.stride_demand_Nm) / on.config.runner.mass_kg
    k, h = on.dofs.index("knee_extension"), on.dofs.index("hip_flexion")
    return {"on": on, "off": off, "minutes": minutes,
            "knee": (float(dem[0][:, k].max()), float(dem[-1][:, k].max())),
            "hip": (float(-dem[0][:, h].min()), float(-dem[-1][:, h].min()))}


def _fig_lean(d):
    fig, axes = new_figure(1, 2, figsize=(11.0, 4.2))
    on, off = d["on"], d["off"]
    axes[0].plot(on.time_s / 60.0, on.trunk_flexion_deg, color=PALETTE["orange"], lw=2)
    axes[0].set_xlabel("run time [min]")
    axes[0].set_ylabel("forward trunk lean beyond the fresh posture [deg]")
    axes[0].set_title("Tired legs: the trunk leans forward", fontsize=10)
    for r, lab, ls in ((on, "with the forward lean", "-"), (off, "posture held", "--")):
        axes[1].plot(r.time_s / 60.0, r.superficial_load_index, color=PALETTE["vermillion"],
                     ls=ls, lw=2, label=lab)
    axes[1].set_xlabel("run time [min]")
    axes[1].set_ylabel("superficial back muscles: peak force / fresh capacity")
    axes[1].set_title("... and the superficial back muscles work harder", fontsize=10)
    axes[1].legend(fontsize=8, loc="center right")
    return fig


def build(out_dir) -> list[Path]:
    """Run the lesson, write its figures and ``README.md`` into ``out_dir/cascade``.

    Examples
    --------
    >>> import tempfile
    >>> paths = build(tempfile.mkdtemp())  # doctest: +SKIP
    """
    d = compute()
    here = Path(out_dir) / NAME
    written: list[Path] = []
    save(_fig_chain(d), here / "chain.png", written)
    save(_fig_time(d), here / "cascade_over_time.png", written)
    ld = compute_lean()
    save(_fig_lean(ld), here / "forward_lean.png", written)
    lean_on, lean_off = ld["on"], ld["off"]
    tm = lean_on.time_s / 60.0
    lean_at = {m: float(np.interp(m, tm, lean_on.trunk_flexion_deg)) for m in (10.0, 90.0, 180.0)}
    k0 = d["default_gain"]
    rows = d["rows"]
    get = {(r["quad_strength"], r["gain"]): r for r in rows}
    table = md_table(
        ["quadriceps strength", "knee-tracking gain k", "quadriceps capacity at 2 h",
         "hip abduction demand multiplier at 2 h", "gluteus medius capacity at 2 h",
         "trunk lean at 2 h [deg]", "L5/S1 shear at 2 h [BW]"],
        [[f"{r['quad_strength']:g}",
          f"{r['gain']:g}" + (" (default)" if r["gain"] == k0 else ""),
          f"{100 * r['quad_cap_end']:.1f} %", f"{r['multiplier_end']:.3f}",
          f"{100 * r['glute_med_cap_end']:.1f} %", f"{r['lean_end_deg']:.2f}",
          f"{r['shear_end_bw']:.3f}"] for r in rows])
    w0, w1 = get[(0.7, 0.0)], get[(0.7, 1.0)]
    n0, n1 = get[(1.0, 0.0)], get[(1.0, k0)]
    wd = get[(0.7, k0)]
    rq = d["results"][(1.0, k0)]
    q_at = {m: float(np.interp(m, rq.time_s / 60.0, rq.group_capacity("knee_extensors")))
            for m in (10.0, 60.0)}
    text = f"""
{header(2, TITLE, "Without fibres at full function, joint deviations follow: fatigued quadriceps "
        "track the kneecap worse, and a fatigued gluteus medius gives less pelvic and lumbar "
        "stability.")}

## What the figures show

![The chain as modelled](chain.png)

![The chain over a two-hour run](cascade_over_time.png)

Two-hour runs at {SPEED} m/s (marathon pace of the reference runner), with normal
quadriceps (strength 1.0) and weak quadriceps (0.7), for knee-tracking gains
k = {", ".join(f"{k:g}" for k in d["gains"])}. Numbers at the end of the run:

{table}

- **Step 1, quadriceps tire.** After 2 h the quadriceps keep {100 * n1['quad_cap_end']:.1f} %
  of their fresh capacity (normal) or {100 * wd['quad_cap_end']:.1f} % (weak). Little of
  it goes early: with normal quadriceps {100 * (1 - q_at[10.0]):.1f} % is lost in the first
  10 minutes, {100 * (q_at[10.0] - q_at[60.0]):.1f} % in the rest of the first hour and
  {100 * (q_at[60.0] - n1['quad_cap_end']):.1f} % in the second, as glycogen runs low
  and slow fatigue builds.
- **Step 2, knee tracking (assumed).** The model turns the quadriceps' lost capacity into
  extra hip abduction demand in stance, 1 + k (1 - capacity). At the default k = {k0:g} the
  demand rises by only {100 * (n1['multiplier_end'] - 1):.1f} % (normal quadriceps) or
  {100 * (wd['multiplier_end'] - 1):.1f} % (weak); even at k = 1 with weak quadriceps it
  is {100 * (w1['multiplier_end'] - 1):.1f} %.
- **Steps 3-4, gluteus medius and trunk lean.** With weak quadriceps, going from k = 0 to
  k = 1 lowers gluteus medius capacity at 2 h from {100 * w0['glute_med_cap_end']:.1f} % to
  {100 * w1['glute_med_cap_end']:.1f} % and raises the trunk lean from
  {w0['lean_end_deg']:.2f} to {w1['lean_end_deg']:.2f} deg. With normal quadriceps and the
  default gain the lean at 2 h is {n1['lean_end_deg']:.2f} deg (k = 0:
  {n0['lean_end_deg']:.2f} deg).
- **Tired legs also lean forward.** Fatigued runners lean the trunk forward (+2 to +4 deg
  after fatiguing runs; Koblbauer et al. 2014, Bazett-Jones et al. 2013). The model's
  runner chooses that posture once per block of strides, trading the effort it saves at
  the tiring knees against what it costs the hips and the back:

  ![The forward lean over a three-hour run](forward_lean.png)

  At {SPEED} m/s the lean is {lean_at[10.0]:.1f} deg at 10 min, {lean_at[90.0]:.1f} deg at
  90 min and {lean_at[180.0]:.1f} deg at 3 h: it grows late, as the legs do tire late. Leaning moves
  work from the knee to the hip (peak knee-extension moment {ld['knee'][0]:.2f} ->
  {ld['knee'][1]:.2f} N m/kg, hip-extension {ld['hip'][0]:.2f} -> {ld['hip'][1]:.2f} N m/kg
  from the first to the last stride) and puts the upper body's weight further forward of
  the lower back, so the superficial back muscles work harder at the end: peak load
  {float(lean_on.superficial_load_index[-1]):.3f} of their fresh capacity, against
  {float(lean_off.superficial_load_index[-1]):.3f} if the runner held the fresh posture.
  The lean's cost has no published value; it is calibrated so that the lean grows by 3 deg
  between 10 minutes and 3 hours (`experiments/calibrate_forward_lean.py`).
- **How big is this?** Small in this model. The knee-tracking link moves the trunk lean by
  tenths of a degree and the L5/S1 anterior shear by less than 0.01 body weights. Most of
  the gluteus medius fatigue and trunk lean comes from running itself (every curve, k = 0
  included, shows it), not from the knee. Because k has no published value, this size
  is itself an assumption: the teaching point is the *direction* of the chain.

## What the model assumes

- **The knee-tracking gain k is an assumption** (`model.knee_tracking_gain`, default
  {k0:g}). Fatigue is known to increase hip adduction in stance (Radzak & Stickley 2020),
  but no study gives a number linking quadriceps capacity to hip abduction demand. The
  figure shows k = 0 (link switched off) to k = 1. Lesson 3 shows how the glute-to-lumbar
  result depends on it.
- The extra demand is a multiplier on the stance hip abduction moment of the reference
  running data; the knee's own mechanics (patellar tracking, knee valgus) are not
  simulated.
- Capacity = fraction of the fresh maximum force available now, from the fibre pools'
  fatigue and energy stores (lesson 1). Load is shared among muscles by minimising
  capacity-weighted effort, so a tired muscle hands work to fresh synergists (gluteus
  minimus, TFL) before the trunk leans.
- The trunk lean is a costed compensation: its cost (`model.lean_cost`) is also an
  assumption; see lesson 3.

{limits_section(["one_runner", "even_pace", "left_out"], extra=[
    "**Knee and pelvis kinematics are not simulated**: no patellar tracking, knee valgus "
    "or pelvic drop angle; only their effect on the hip abduction moment (through k) and "
    "the trunk lean.",
])}

## Try it yourself

```bash
runfatigue run configs/glute_med_fatigue.toml --set scenario.quad_strength=0.7 --set model.knee_tracking_gain=1.0
```
"""
    write_page(here / "README.md", text, written)
    return written
