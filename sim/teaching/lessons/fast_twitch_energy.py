"""Lesson 1: fast-twitch fibres hold energy and lose it; a fast start drains them early.

Runs an even 3.0 m/s two-hour run against the same run with a fast start (15 min at
3.456 m/s, 1.08 x the runner's marathon pace, then 3.0 m/s; ``configs/fast_start.toml``
holds the 30-km version), and compares the energy stores
(glycogen) of the slow- and fast-twitch fibre pools of the leg muscles. The page also
holds the fibre-type honesty box: the article's "fast-twitch = superficial muscles"
against the measured fibre types of the lumbar muscles, and which the model uses.

Examples
--------
>>> d = compute(minutes=20)
>>> d["ft_used_15"]["fast start"] > d["ft_used_15"]["even pace"]
True
>>> d["p_st"]["erector_spinae_superficial"]
0.74
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...physics.muscles import muscle_set
from ...physics.params import load_quantities
from ...core.simulation import simulate
from ._common import (PALETTE, config, header, limits_section, md_table, new_figure, save,
                      write_page)

__all__ = ["NAME", "TITLE", "compute", "build"]

NAME = "fast_twitch_energy"
TITLE = "Fast-twitch fibres hold energy and lose it"

LUMBAR = ("multifidus", "quadratus_lumborum", "erector_spinae_deep", "erector_spinae_superficial")
LEG_GROUPS = ("hip_abductors", "hip_extensors", "hip_adductors", "knee_flexors", "hip_flexors",
              "knee_extensors", "plantarflexors", "dorsiflexors")

#: Measured slow-twitch fractions at lumbar and thoracic level (shared/reference/fatigue.md).
MEASURED = (
    ("thoracic level, longissimus (the superficial fascicles' bellies)", "0.74",
     "Širca & Kostevc 1985"),
    ("lumbar level, superficial layer (lumbar longissimus)", "0.57",
     "Širca & Kostevc 1985; Thorstensson & Carlson 1987"),
    ("lumbar level, deep layer (multifidus, deep erector spinae)", "0.62-0.63",
     "Thorstensson & Carlson 1987; Širca & Kostevc 1985"),
)


#: Fast-start speed [m/s]: 1.08 x the default marathon pace (3.2 m/s), just at critical speed.
FAST_MPS = 3.456


def _cases(minutes_):
    even = {"run.duration_min": minutes_, "run.speed_mps": 3.0}
    fast_min = min(15.0, 0.5 * minutes_)
    fast = {"run.duration_min": minutes_,
            "run.segments": [{"duration_min": fast_min, "speed_mps": FAST_MPS},
                             {"duration_min": minutes_ - fast_min, "speed_mps": 3.0}]}
    return {"even pace": even, "fast start": fast}, fast_min


def _store(res, leg, weights, pool):
    """F0-weighted mean energy store of the leg muscles for one pool (0 ST, 1 FT) [1]."""
    return res.energy[:, leg, pool] @ weights


def compute(minutes: float = 120.0) -> dict:
    """Run both cases and return the numbers the page quotes.

    Parameters
    ----------
    minutes : float
        Run length [min] (120 for the lesson).

    Returns
    -------
    dict
        ``results`` (case -> RunResult), ``ft_used_15`` / ``st_used_15`` (fraction of the
        leg muscles' FT / ST store used by the end of the fast segment, F0-weighted),
        ``ft_end`` / ``st_end`` (store left at the end), ``p_st`` (lumbar muscle -> p_ST),
        ``p_st_source``, ``fast_min``.
    """
    cases, fast_min = _cases(minutes)
    results = {k: simulate(config(o, NAME)) for k, o in cases.items()}
    any_res = next(iter(results.values()))
    leg = [any_res.muscles.index(m) for g in LEG_GROUPS for m in any_res.groups[g]]
    F0 = muscle_set(any_res.config.runner.mass_kg).F0[leg]
    w = F0 / F0.sum()
    out = {"results": results, "fast_min": fast_min, "leg_index": leg, "weights": w,
           "ft_used_15": {}, "st_used_15": {}, "ft_end": {}, "st_end": {}, "sup_peak": {}}
    for k, r in results.items():
        t = r.time_s / 60.0
        i15 = int(np.searchsorted(t, fast_min - 1e-9))
        i15 = min(i15, t.size - 1)
        ft, st = _store(r, leg, w, 1), _store(r, leg, w, 0)
        # "end": the state at the start of the last block (the last state kept)
        out["ft_used_15"][k] = float(1.0 - ft[i15])
        out["st_used_15"][k] = float(1.0 - st[i15])
        out["ft_end"][k] = float(ft[-1])
        out["st_end"][k] = float(st[-1])
        out["sup_peak"][k] = float(np.nanmax(r.superficial_load_index))
        out.setdefault("t15", {})[k] = float(t[i15])
    ms = muscle_set()
    q = load_quantities("muscles")["muscle"]
    out["p_st"] = {m: float(ms.p_st[ms.index(m)]) for m in LUMBAR}
    out["depth"] = {m: ms.depth[ms.index(m)] for m in LUMBAR}
    out["p_st_source"] = {m: q[m]["p_st"]["source"] for m in LUMBAR}
    return out


def _fig_stores(d):
    fig, axes = new_figure(3, 1, figsize=(8.0, 8.5), sharex=True)
    colours = {"even pace": PALETTE["blue"], "fast start": PALETTE["vermillion"]}
    for k, r in d["results"].items():
        t0 = r.time_s / 60.0
        axes[0].step(t0, r.speed_mps, where="post", color=colours[k], lw=2, label=k)
        axes[1].plot(t0, 100 * _store(r, d["leg_index"], d["weights"], 1), color=colours[k],
                     lw=2, label=k)
        axes[2].plot(t0, 100 * _store(r, d["leg_index"], d["weights"], 0), color=colours[k],
                     lw=2, label=k)
    for ax in axes:
        ax.axvspan(0, d["fast_min"], color="0.92", zorder=0)
    axes[0].set_ylabel("speed [m/s]")
    axes[0].set_title("Pace (grey band: the fast start)")
    axes[1].set_ylabel("energy store [% of full]")
    axes[1].set_title("Fast-twitch (FT) pools of the leg muscles: energy store")
    axes[2].set_ylabel("energy store [% of full]")
    axes[2].set_title("Slow-twitch (ST) pools of the leg muscles: energy store")
    axes[2].set_xlabel("run time [min]")
    for ax in axes:
        ax.legend(fontsize=8, loc="best")
    fig.suptitle("A fast start drains the fast-twitch fibres early (F0-weighted mean of 12 leg muscles)",
                 fontsize=11)
    return fig


def _fig_fibres(d):
    fig, ax = new_figure(1, 1, figsize=(8.0, 4.2))
    names = list(LUMBAR)
    labels = {"multifidus": "multifidus (deep)", "quadratus_lumborum": "quadratus lumborum (deep)",
              "erector_spinae_deep": "erector spinae, lumbar fascicles (deep)",
              "erector_spinae_superficial": "erector spinae, thoracic fascicles (superficial)"}
    y = np.arange(len(names))
    pst = np.array([d["p_st"][n] for n in names])
    for yi, n, p in zip(y, names, pst):
        deep = d["depth"][n] == "deep"
        assumed = d["p_st_source"][n].startswith("assumption")
        ax.barh(yi, 100 * p, color=PALETTE["blue"] if deep else PALETTE["vermillion"],
                hatch="//" if assumed else None, edgecolor="white" if not assumed else "0.3")
        ax.barh(yi, 100 * (1 - p), left=100 * p, color="0.85")
        ax.text(100 * p - 2, yi, f"{100 * p:.0f} % ST" + (" (assumed)" if assumed else ""),
                va="center", ha="right", color="white", fontsize=9, fontweight="bold")
        ax.text(100 * p + 2, yi, f"{100 * (1 - p):.0f} % FT", va="center", ha="left", fontsize=9)
    ax.set_yticks(y, [labels[n] for n in names])
    ax.set_xlim(0, 100)
    ax.set_xlabel("fibre type [% of fibres]: slow-twitch (coloured) and fast-twitch (grey)")
    ax.set_title("Article: 'fast-twitch fibres are the more superficial muscles'.\n"
                 "Measured (used by the model): the superficial fascicles are MORE slow-twitch, not less",
                 fontsize=10)
    return fig


def build(out_dir) -> list[Path]:
    """Run the lesson, write its figures and ``README.md`` into ``out_dir/fast_twitch_energy``.

    Examples
    --------
    >>> import tempfile
    >>> paths = build(tempfile.mkdtemp())  # doctest: +SKIP
    """
    d = compute()
    here = Path(out_dir) / NAME
    written: list[Path] = []
    save(_fig_stores(d), here / "energy_stores.png", written)
    save(_fig_fibres(d), here / "fibre_types.png", written)

    E, F = "even pace", "fast start"
    ev = d["results"][E]
    dur = ev.config.run.duration_min
    ratio = d["ft_used_15"][F] / max(d["ft_used_15"][E], 1e-12)
    rows_run = [[k, f"{100 * d['ft_used_15'][k]:.1f} %", f"{100 * d['st_used_15'][k]:.1f} %",
                 f"{100 * d['ft_end'][k]:.0f} %", f"{100 * d['st_end'][k]:.0f} %",
                 f"{d['results'][k].summary()['distance_km']:.1f} km",
                 f"{d['sup_peak'][k]:.2f}"] for k in (E, F)]
    table_run = md_table(["run", f"FT store used by {d['fast_min']:g} min",
                          f"ST store used by {d['fast_min']:g} min",
                          "FT store left at the end", "ST store left at the end",
                          "distance", "peak superficial back load [force / fresh capacity]"],
                         rows_run)
    pretty = {"multifidus": "multifidus", "quadratus_lumborum": "quadratus lumborum",
              "erector_spinae_deep": "erector spinae, lumbar fascicles (pars lumborum)",
              "erector_spinae_superficial": "erector spinae, thoracic fascicles (pars thoracis)"}
    rows_pst = [[pretty[m], d["depth"][m], f"{d['p_st'][m]:.2f}",
                 f"{1 - d['p_st'][m]:.2f}", d["p_st_source"][m]] for m in LUMBAR]
    table_pst = md_table(["muscle in the model", "depth", "p_ST (slow-twitch)",
                          "fast-twitch", "source"], rows_pst)
    table_meas = md_table(["where", "measured slow-twitch fraction", "source"],
                          [list(r) for r in MEASURED])
    sup, deep = d["p_st"]["erector_spinae_superficial"], d["p_st"]["erector_spinae_deep"]
    text = f"""
{header(1, TITLE, "Early in a run, fast-twitch fibres work hard; they hold energy but lose it as "
        "they fatigue. Later in a long run they are depleted and no longer work at full capacity.")}

## What the figures show

![Pace and energy stores of the fast- and slow-twitch pools](energy_stores.png)

Two {dur:g}-minute runs of the same 75 kg runner: an **even pace** of 3.0 m/s, and a
**fast start** of {d['fast_min']:g} min at {FAST_MPS:g} m/s (1.08 x the runner's marathon
pace) before settling to 3.0 m/s (`configs/fast_start.toml` runs the 30-km version). The middle panel is the energy store (glycogen) of the
fast-twitch (FT) pools of the 12 leg muscles, averaged with each muscle's maximum force as
weight; the bottom panel the same for the slow-twitch (ST) pools.

{table_run}

- In this run, by the end of the fast start the FT pools had used
  **{100 * d['ft_used_15'][F]:.1f} %** of their store against
  **{100 * d['ft_used_15'][E]:.1f} %** at an even pace: {ratio:.1f} times as much. The model
  recruits fibres by the size principle (ST first, FT only for what ST cannot give), so a
  faster pace calls on FT fibres sooner, and FT fibres use their store faster per unit of
  work.
- The ST pools do most of the work at these paces and use more of their store in
  absolute terms ({100 * d['st_used_15'][F]:.1f} % vs {100 * d['st_used_15'][E]:.1f} % by
  {d['fast_min']:g} min). The stores keep falling for the whole run: at the end the FT
  stores are at {100 * d['ft_end'][F]:.0f} % (fast start) and {100 * d['ft_end'][E]:.0f} %
  (even), the ST stores at {100 * d['st_end'][F]:.0f} % and {100 * d['st_end'][E]:.0f} %.
  The fast start's deficit is carried to the end: the early minutes cannot be bought back.
- **What the article says and the model does not show here.** The article has the
  fast-twitch fibres *depleted* late in a long run. In these runs it is the ST stores that
  run down most; the FT stores are still at {100 * d['ft_end'][E]:.0f} % after {dur:g} min
  at 3.0 m/s, because at this pace the size principle leaves most of the work to ST
  fibres. In the model, FT fibres take over more work only when the ST pools tire or
  empty, so their depletion comes with faster running or past the marathon "wall".
  **The evidence agrees with the model here, not with the article:** in muscle biopsies
  during prolonged exercise at moderate intensity the slow-twitch (type I) fibres empty
  their glycogen first and the fast-twitch (type II) fibres only progressively later, as
  they are recruited; only at high intensity do the fast-twitch fibres empty early
  (Gollnick et al. 1974; Vøllestad & Blom 1985). The article's picture (fast-twitch
  fibres working hard early and depleted late) fits a fast start or a race pace, as in
  the fast-start run above, more than an even easy run.
- Several muscles' FT stores hardly move in these runs: at 3.0 m/s their ST fibres carry
  nearly all of their load. That is the size principle at work, not an error.

### Honesty box: are the fast-twitch fibres the superficial back muscles?

![Slow- and fast-twitch fibres of the lumbar muscles in the model](fibre_types.png)

**The article says** fast-twitch fibres are "the more superficial muscles", suggesting the
superficial back muscles are the fast-twitch, fast-tiring ones.

**Measured fibre types say otherwise.** Biopsy studies of the back extensors:

{table_meas}

The superficial erector spinae that cross the lower back are the *thoracic* fascicles of
longissimus and iliocostalis; their bellies sit at thoracic level, where about 74 % of
fibres are slow-twitch. The deep lumbar muscles have about 57-63 %. So the superficial
group is **not** richer in fast-twitch fibres than the deep one; if anything, the reverse.

**The model uses the measured values**, not the article's claim (from
`sim/data/muscles.toml`):

{table_pst}

In the model the superficial fascicles have p_ST = {sup:.2f} and the deep lumbar fascicles
{deep:.2f}. When the superficial back muscles are overworked in later lessons, the reason
is *mechanics* (a weak or tired gluteus medius or deep core hands its work over), not that
they are made of fast-twitch fibre.

## What the model assumes

- Each muscle has two fibre pools (ST and FT) with its fibre-type fraction p_ST. The pools
  fatigue within minutes by the three-compartment model (Xia & Frey-Law 2008, joint
  constants of Frey-Law et al. 2012, rest multiplier of Looft et al. 2018). Splitting one
  muscle's constants into an FT pool that tires 3 times faster and an ST pool that
  recovers 1.5 times faster is an **assumption** (no published fit exists); it is
  calibrated so the whole muscle still matches the published endurance times.
- Recruitment follows the size principle: ST first, FT only for the rest.
- Each pool has an energy store (glycogen) that drains with its activation, faster per
  unit activation in FT pools, refills very slowly, and lowers the pool's capacity as it
  empties. The drain rate is **calibrated**, not measured per muscle: at marathon pace
  (3.2 m/s) the leg muscles' glycogen, both fibre types together, is down to about 20 %
  near 30 km (about 155 min).
- Net joint moments are those of the reference running data at that speed; fibre fatigue
  changes which muscles make them, not the moments themselves.

{limits_section(["even_pace", "one_runner", "left_out"], extra=[
    "**No whole-body energy.** The stores are per muscle; blood glucose, liver glycogen, "
    "fuelling during the run and the fat/carbohydrate mix are not modelled.",
    "**Fibre-type values for some muscles are assumptions** (quadratus lumborum, "
    "hamstrings, TFL, abdominals: about 0.5); they are marked 'assumption' in the table above "
    "and hatched in the figure.",
])}

## Try it yourself

```bash
runfatigue run configs/fast_start.toml
runfatigue run configs/baseline.toml
```
"""
    write_page(here / "README.md", text, written)
    return written
