"""Lesson 6: what helps — slowing down, stretching, resting, and the in-run sequence.

A tight (15 deg), weak-core (0.6) runner at 3.2 m/s for two hours, doing nothing against:
running at a moderate jog from the start, slowing down when back loading stays high
(pace policy), stretching the hip flexors before the run (10 deg regained, fading over
90 min), two 5-min rest breaks, and the article's in-run sequence (slow down; if the
load stays high, stop to stretch; then lie down and rest).

Examples
--------
>>> d = compute(minutes=20, cases=("do nothing", "stretch before the run"))
>>> d["rows"][1]["peak_shear_bw"] < d["rows"][0]["peak_shear_bw"]
True
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...core.engine import STAGES
from ...physics.pace import DEFAULT_IN_RUN_STRETCH_DEG
from ...core.simulation import simulate
from ._common import (PALETTE, blank_figure, config, fmt_onset, header, limits_section, md_table,
                      minutes, new_figure, save, time_above_min, write_page)

__all__ = ["NAME", "TITLE", "RUNNER", "CASES", "compute", "build"]

NAME = "what_helps"
TITLE = "What helps: slow down, stretch, rest"
#: The tight, weak-core runner (dotted config keys).
RUNNER = {"run.duration_min": 120.0, "run.speed_mps": 3.2,
          "scenario.hip_flexor_tightness_deg": 15.0, "scenario.core_strength": 0.6,
          "spike.index": "shear_bw"}   # this page follows the shear (the tightness path)
#: Case -> (overrides, colour, equivalent config file). Six colours that stay apart for
#: colour-blind readers too (no two blues, no two oranges); "do nothing" is the grey
#: reference, drawn wide under the others.
CASES = {
    "do nothing": ({}, "0.55", "configs/tight_hip_flexors.toml --set scenario.core_strength=0.6"),
    "moderate jog from the start (2.8 m/s)": ({"run.speed_mps": 2.8}, PALETTE["blue"],
                                              "... --set run.speed_mps=2.8"),
    "slow down when loading stays high": ({"intervention.pace_policy": "slow_down",
                                           "intervention.slow_down_speed_mps": 2.8},
                                          PALETTE["purple"], "configs/slow_down.toml"),
    "stretch before the run": ({"intervention.stretch_before_deg": 10.0,
                                "intervention.stretch_fade_min": 90.0}, PALETTE["green"],
                               "configs/stretching.toml"),
    "two 5-min rest breaks (40, 80 min)": ({"intervention.rest_breaks": [
        {"at_min": 40.0, "duration_min": 5.0}, {"at_min": 80.0, "duration_min": 5.0}]},
        PALETTE["orange"], "... with [[intervention.rest_breaks]]"),
    "in-run sequence": ({"intervention.pace_policy": "in_run_sequence",
                         "intervention.slow_down_speed_mps": 2.8,
                         "intervention.stretch_duration_min": 2.0,
                         "intervention.rest_duration_min": 5.0,
                         "intervention.policy_wait_min": 5.0}, PALETTE["black"],
                        "configs/in_run_sequence.toml"),
}


def compute(minutes: float = 120.0, cases=None) -> dict:
    """Run the runner with each intervention; return table rows and the results.

    Returns
    -------
    dict
        ``rows`` (one per case: onset, peak and end shear, minutes above the threshold,
        distance, stages used), ``results`` (case -> RunResult), ``threshold``.
    """
    names = list(cases or CASES)
    rows, results = [], {}
    for n in names:
        r = simulate(config(dict(RUNNER, **{"run.duration_min": minutes}, **CASES[n][0]), NAME))
        results[n] = r
        s = r.summary()
        thr = r.config.spike.shear_threshold_bw
        run = r.speed_mps > 0
        last = np.flatnonzero(run)[-1]
        t_end = r.time_s[-1] + r.duration_s[-1]
        last30 = run & (r.time_s >= t_end - 1800.0)
        rows.append({"case": n, "onset_s": s["spike_onset_s"], "peak_shear_bw": s["peak_shear_bw"],
                     "end_shear_bw": float(r.shear_bw[last]),
                     "late_mean_bw": float(np.average(r.shear_bw[last30], weights=r.duration_s[last30]))
                     if last30.any() else float("nan"),
                     "above_min": time_above_min(r, thr), "distance_km": s["distance_km"],
                     "stop_min": float(r.duration_s[~run].sum() / 60.0),
                     "stages": [STAGES[i] for i in np.unique(r.stage)]})
    return {"rows": rows, "results": results, "threshold": config().spike.shear_threshold_bw}


def _fig(d):
    """Shear of every case on one panel, and each case's pace on a strip of its own (the
    paces coincide, so on one panel they would hide each other)."""
    names = list(d["results"])
    fig = blank_figure((9.0, 10.0))
    gs = fig.add_gridspec(1 + len(names), 1, height_ratios=[4.0] + [0.75] * len(names))
    ax = fig.add_subplot(gs[0])
    strip_axes = [fig.add_subplot(gs[1 + i], sharex=ax) for i in range(len(names))]
    end = max(float(r.time_s[-1] + r.duration_s[-1]) / 60.0 for r in d["results"].values())
    top = max(float(np.max(r.speed_mps)) for r in d["results"].values())
    for n, sx in zip(names, strip_axes):
        r, c = d["results"][n], CASES[n][1]
        reference = n == "do nothing"
        # the reference is wide and underneath: where a case runs like it, both show; the
        # in-run sequence is dashed, as it starts by slowing down (the same curve as the
        # pace policy until it stops to stretch)
        ax.plot(minutes(r), r.shear_bw, color=c, lw=4.0 if reference else 1.8,
                ls="--" if n == "in-run sequence" else "-",
                zorder=1.5 if reference else 2.5, label=n)
        t = np.append(r.time_s, r.time_s[-1] + r.duration_s[-1]) / 60.0
        sx.step(t, np.append(r.speed_mps, r.speed_mps[-1]), where="post", color=c, lw=1.8,
                label=n)
        sx.text(0.005, 0.93, n, transform=sx.transAxes, ha="left", va="top", fontsize=8,
                color="0.15")
        sx.set_ylim(0, 1.6 * top)
        sx.set_yticks([0, 3])
        sx.tick_params(labelsize=8, labelbottom=False)
        sx.grid(alpha=0.3, lw=0.5)
    ax.axhline(d["threshold"], color="0.4", ls=":", lw=1,
               label=f"spike threshold ({d['threshold']:g} BW)")
    ax.set_ylabel("peak L5/S1 anterior shear [body weights]")
    ax.set_title("Back load per stride (gaps: stopped to stretch or rest)")
    ax.tick_params(labelbottom=False)
    ax.set_xlim(0, end)
    strip_axes[-1].tick_params(labelbottom=True)
    strip_axes[-1].set_xlabel("run time [min]")
    strip_axes[0].set_title("Pace of each case (0 = stopped)", fontsize=10)
    # one y label for the strips, at their middle
    mid = strip_axes[(len(names) - 1) // 2]
    mid.set_ylabel("speed [m/s]")
    if len(names) % 2 == 0:
        mid.yaxis.label.set_y(0.0)
    # below the shear panel, outside it: it covers no curve
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.03), ncol=3, fontsize=8,
              frameon=False)
    fig.suptitle(f"A tight (15 deg), weak-core (0.6) runner, planned 3.2 m/s for {end:g} min",
                 fontsize=11)
    return fig


def _fig_bars(d):
    fig, ax = new_figure(1, 1, figsize=(8.5, 3.8))
    names = [r["case"] for r in d["rows"]]
    y = np.arange(len(names))
    ax.barh(y, [r["above_min"] for r in d["rows"]], color=[CASES[n][1] for n in names])
    for yi, r in zip(y, d["rows"]):
        ax.text(r["above_min"] + 1, yi, f"{r['above_min']:.0f} min", va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1.12 * max(max(r["above_min"] for r in d["rows"]), 1.0))  # room for the text
    ax.invert_yaxis()
    ax.set_xlabel(f"running time with peak shear above {d['threshold']:g} BW [min]")
    ax.set_title("Time spent above the spike threshold")
    return fig


def stretch_res_first(d, case="stretch before the run") -> float:
    """Peak shear of the first running block of ``case`` [BW]."""
    r = d["results"][case]
    return float(r.shear_bw[np.flatnonzero(r.speed_mps > 0)[0]])


def build(out_dir) -> list[Path]:
    """Run the lesson, write its figures and ``README.md`` into ``out_dir/what_helps``.

    Examples
    --------
    >>> import tempfile
    >>> paths = build(tempfile.mkdtemp())  # doctest: +SKIP
    """
    d = compute()
    here = Path(out_dir) / NAME
    written: list[Path] = []
    save(_fig(d), here / "interventions.png", written)
    save(_fig_bars(d), here / "time_above_threshold.png", written)
    rows = {r["case"]: r for r in d["rows"]}
    dur = RUNNER["run.duration_min"]
    table = md_table(["what the runner does", "spike onset", "peak shear [BW]",
                      "shear, last stride [BW]", "mean shear, last 30 min [BW]",
                      "minutes above threshold", "distance [km]", "stopped [min]"],
                     [[r["case"], fmt_onset(r["onset_s"], dur), f"{r['peak_shear_bw']:.3f}",
                       f"{r['end_shear_bw']:.3f}", f"{r['late_mean_bw']:.3f}",
                       f"{r['above_min']:.0f}", f"{r['distance_km']:.1f}", f"{r['stop_min']:.0f}"]
                      for r in d["rows"]])
    nothing = rows["do nothing"]
    jog = rows["moderate jog from the start (2.8 m/s)"]
    slow = rows["slow down when loading stays high"]
    stretch = rows["stretch before the run"]
    seq = rows["in-run sequence"]
    thr = d["threshold"]
    best = min(d["rows"], key=lambda r: r["above_min"])
    rest_res = d["results"]["two 5-min rest breaks (40, 80 min)"]
    i_after = int(np.flatnonzero((rest_res.time_s >= 45 * 60.0) & (rest_res.speed_mps > 0))[0])
    i_before = int(np.flatnonzero((rest_res.time_s < 40 * 60.0) & (rest_res.speed_mps > 0))[-1])
    stretch_first_lowest = stretch_res_first(d) == min(stretch_res_first(d, n) for n in d["results"])
    lowest_end = min(r["end_shear_bw"] for r in d["rows"])
    seq_note = ", the lowest end value here" if seq["end_shear_bw"] == lowest_end else ""
    seq_note += (" (just above the threshold)" if 0 < seq["end_shear_bw"] - thr < 0.01
                 else " (below the threshold)" if seq["end_shear_bw"] <= thr else "")
    seq_stops = ("; slowing down was enough, so this runner never stopped to stretch or rest"
                 if seq["stop_min"] == 0 else
                 f"; the runner stopped for {seq['stop_min']:.0f} min")
    configs = "\n".join(f"- {n}: `{c[2]}`" for n, c in CASES.items())
    text = f"""
{header(6, TITLE, "Slow down to a moderate jog; stretch glutes, hip flexors and hamstrings; lie on "
        "the back hugging the knees (rest); if nothing helps, see a physical therapist.")}

## What the figures show

![Shear and pace for each intervention](interventions.png)

![Time above the spike threshold](time_above_threshold.png)

A runner with hip flexors 15 deg tight and a weak deep core (60 % strength) plans
{dur:g} min at 3.2 m/s. Doing nothing, the peak L5/S1 anterior shear is
{nothing['peak_shear_bw']:.3f} BW and stays above the {thr:g} BW threshold for
{nothing['above_min']:.0f} of {dur:g} min.

{table}

- **Fewest minutes above the threshold:** {best['case']} ({best['above_min']:.0f} min).
- **Stretching before the run** {"lowers the shear most at the start" if stretch_first_lowest else "lowers the shear at the start"}: the peak falls to
  {stretch['peak_shear_bw']:.3f} BW and the spike starts only at
  {fmt_onset(stretch['onset_s'], dur)}, as the stretch wears off (the fade over 90 min is
  an assumption). By the end it is back at {stretch['end_shear_bw']:.3f} BW.
- **Slowing down** to 2.8 m/s lowers the shear from {nothing['end_shear_bw']:.3f} to
  {slow['end_shear_bw']:.3f} BW at the end, {"but for this runner not below the threshold: tightness and a weak core load the spine even at a moderate jog." if slow['end_shear_bw'] > thr else "below the threshold."} Jogging at 2.8 m/s
  from the start gives {jog['end_shear_bw']:.3f} BW at the end.
- **The in-run sequence** (slow down; if the load stays high, stop to stretch for 2 min,
  then lie down for 5 min, then jog on) ends at {seq['end_shear_bw']:.3f} BW{seq_note},
  after {seq['distance_km']:.1f} km instead of {nothing['distance_km']:.1f} km{seq_stops}.
- **Rest breaks alone** do not lower the shear in this model: right after the first break
  the shear is {rest_res.shear_bw[i_after]:.3f} BW against {rest_res.shear_bw[i_before]:.3f} BW
  just before it{", *higher*" if rest_res.shear_bw[i_after] > rest_res.shear_bw[i_before] else ""}, because
  rested muscles are fresh again and the model's shear is highest with fresh muscles (see
  the first limit below). Rest helps the muscles recover; it does not remove the cause
  (tightness, a weak core).
- **What the article's advice and the model agree on:** slowing down and stretching the
  hip flexors lower the back load; the effect of stretching fades; a tight, weak-core
  runner may still be above the threshold at a moderate jog, so the lasting fix is
  outside the run (flexibility and core strength; lesson 5). "If nothing helps, see a
  physical therapist" is the advice this model cannot replace.

## What the model assumes

- Stretching before the run removes 10 of the 15 deg of tightness, fading linearly to
  nothing over 90 min: both numbers are scenario choices, not measured effects of a
  stretching routine. The 2-min stop to stretch in the sequence removes
  {DEFAULT_IN_RUN_STRETCH_DEG:g} deg of tightness (an assumption, `sim/physics/pace.py`) and rests
  the muscles while it lasts.
- The pace policies react to the model's own shear index (threshold {thr:g} BW, wait
  5 min before the next step); a real runner reacts to pain, which the model does not
  compute.
- Rest (lying down, rest breaks) sets every muscle's target to zero, so recovery runs at
  the rest-recovery rate (r = 15, Looft et al. 2018); energy stores refill only slowly;
  the slow force depression stops developing within half a minute and falls with a time
  constant of 40 min toward a tenth of the slow load (assumptions set on strength
  recovering within about 2 h after 1-2 h of running, Davies & White 1982).
- Stretching of glutes and hamstrings is not modelled; only hip-flexor range is.

{limits_section(["even_pace", "recruitment", "threshold", "left_out"], extra=[
    "**Only hip-flexor stretching has a mechanism.** Stretching glutes and hamstrings, "
    "and the 'hugging knees' position itself, are modelled only as rest.",
])}

## Try it yourself

Equivalent config files:

{configs}
"""
    write_page(here / "README.md", text, written)
    return written
