"""Shared pieces of the teaching lessons: configs, page text, figures and known limits.

Every lesson page carries :data:`DISCLAIMER_LINE`, says what the model assumes and what
it leaves out, and quotes the model's known limits (:data:`LIMITS`) that matter for it.
Figures are drawn on :class:`matplotlib.figure.Figure` objects (no pyplot state) and
written atomically through :func:`sim.results.save_figure`.

Examples
--------
>>> fmt_onset(float("nan"), 120.0)
'never within 120 min'
>>> fmt_onset(0.0, 120.0)
'0 min (above the threshold from the start)'
>>> fmt_onset(1605.5, 120.0)
'27 min'
>>> print(md_table(["a", "b"], [[1, "x"]]))
| a | b |
|---|---|
| 1 | x |
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...config import load_config
from ...figures.plots import DISCLAIMER, PALETTE
from ...results import atomic_write_text, save_figure
from ...results import markdown_table as md_table  # noqa: F401  (the lessons' name)

__all__ = ["DISCLAIMER_LINE", "LIMITS", "config", "fmt_onset", "md_table", "minutes",
           "new_figure", "blank_figure", "legend_below", "save", "write_page", "lumbar_force_N", "time_above_min",
           "PALETTE", "DISCLAIMER"]

#: One-line reminder printed at the top of every lesson page.
DISCLAIMER_LINE = (f"> **{DISCLAIMER}** This page shows what a simplified model computes "
                   "for one reference runner; it does not diagnose, treat or predict "
                   "anyone's back pain. If your back hurts, see a physiotherapist or doctor.")

#: The model's known limits (README, "What the model shows today, and its known limits").
LIMITS = {
    "even_pace": (
        "**The back load rises late, but only a little.** Fatigued runners lean forward, and "
        "so does the model's runner (+3 deg between 10 minutes and 3 hours at marathon pace, "
        "most of it in the third hour). The lean moves work from the knees to the hips and "
        "the back, and as the deep lumbar muscles tire the superficial ones take over: the "
        "superficial back load rises. Within 150 minutes at 2.6-3.2 m/s that rise is a few "
        "per cent (measured spinal shrinkage, too, does not speed up over the first hours of "
        "a run: validation report), while core strength and pace set the level, so most "
        "runners are above the "
        "threshold from the first stride or never reach it; only runners close to it tip "
        "over during the run. Read an onset of 0 min as 'above the threshold from the start' "
        "and 'never' as 'never within the run', not as a prediction of when pain starts."),
    "recruitment": (
        "**Fast-twitch fibres at an even pace.** The model recruits fibres by force "
        "(slow-twitch first, fast-twitch from 70 % of the slow-twitch force), so at "
        "marathon pace many fast-twitch fibres stay idle: the legs' whole-muscle glycogen at "
        "30 km is about 43 % of the store (25 % at the marathon's end) where the marathon "
        "'wall' asks for about 20 % (biopsies at the end of races: 20-54 %, by muscle and "
        "diet), and the calf loses more strength over a marathon than measured (28 % vs "
        "17 %). Paces faster than marathon "
        "pace cost more through a heavy-domain strain fitted on race times (validation "
        "report)."),
    "deep_vs_superficial": (
        "**Which back muscle tires first follows the effort criterion.** With the plain "
        "capacity-weighted criterion the largest back muscle (the superficial erector spinae) "
        "would work hardest and tire first; measured back-extension holds show the deep "
        "multifidus tiring first. The model weighs trunk muscles so that activation grows "
        "with the square root of size (the size dependence of Crowninshield & Brand's cubic "
        "criterion), which reproduces that order (experiments/effort_criterion.py)."),
    "one_runner": (
        "**One runner's movement.** The net joint moments come from one set of reference "
        "running data (Hamner & Delp 2013, 2-5 m/s); every simulated runner moves like it, "
        "and net joint moments are held constant as the runner fatigues."),
    "threshold": (
        "**The spike threshold is a choice, not a pain threshold.** By default a spike is the "
        "superficial back muscles' peak load above half their fresh capacity, held for 2 "
        "min (Jonsson 1982: peak loads of repetitive work over an hour should stay under 50 % "
        "of maximum); the shear index uses 700 N, the frequent-loading limit of Gallagher & "
        "Marras 2012 (0.95 body weights at 75 kg)."),
    "left_out": (
        "**Left out:** hamstring and calf flexibility, ankle mobility, shoes and running "
        "surface. The article says these are connected to back pain too; the model has no "
        "mechanism for them, so it says nothing about them."),
}


def config(overrides: dict | None = None, name: str = "lesson"):
    """A resolved configuration from the defaults plus dotted ``overrides``.

    Lessons build their scenarios from the defaults (not from ``configs/*.toml``) so an
    installed package can build them; each page names the equivalent config file.

    Examples
    --------
    >>> config({"run.speed_mps": 3.2}).run.speed_mps
    3.2
    """
    return load_config(None, {"output.name": name, **(overrides or {})})


def fmt_onset(onset_s: float, duration_min: float) -> str:
    """Spike onset as text: minutes, 'from the start', or 'never within ... min'."""
    if not math.isfinite(onset_s):
        return f"never within {duration_min:g} min"
    if onset_s <= 0.0:
        return "0 min (above the threshold from the start)"
    m = onset_s / 60.0
    return f"{m:.1f} min" if m < 1.0 else f"{m:.0f} min"


def minutes(res) -> np.ndarray:
    """Checkpoint mid-times [min] (loads describe the block around them)."""
    return (res.time_s + 0.5 * res.duration_s) / 60.0


def lumbar_force_N(res, groups=("lumbar_deep", "lumbar_superficial", "abdominals")):
    """Mean force over the stride, summed over the muscles of ``groups`` (right side) [N]."""
    idx = [res.muscles.index(m) for g in groups for m in res.groups[g]]
    return res.mean_force_N[:, idx].sum(axis=1)


def time_above_min(res, threshold_bw: float) -> float:
    """Running time with peak anterior shear above ``threshold_bw`` [min]."""
    above = np.isfinite(res.shear_bw) & (res.shear_bw > threshold_bw)
    return float(np.sum(res.duration_s[above]) / 60.0)


def new_figure(nrows=1, ncols=1, figsize=(8.0, 5.0), **kwargs):
    """A constrained-layout figure and its axes, with the disclaimer footnote.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> fig.texts[0].get_text()
    'Educational model, not medical advice.'
    """
    fig = blank_figure(figsize)
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def blank_figure(figsize=(8.0, 5.0)):
    """A constrained-layout figure without axes, with the disclaimer footnote.

    Examples
    --------
    >>> blank_figure().texts[0].get_text()
    'Educational model, not medical advice.'
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    # below the axes (outside the canvas; the tight bounding box of the PNG keeps it)
    fig.text(0.005, -0.005, DISCLAIMER, fontsize=7, color="0.4", va="top")
    return fig


def legend_below(fig, handles, labels, ncol=3):
    """A figure legend in a strip below the panels, which the layout keeps free.

    One key for panels that show the same series; it covers no panel. (The strip is set
    through the layout engine, as in :func:`sim.figures.plots.finish_figure`; matplotlib's
    ``"outside lower center"`` placement can shift the legend onto the footnote when the
    figure is saved at another resolution.)

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1], label="a run")
    >>> [t.get_text() for t in legend_below(fig, *ax.get_legend_handles_labels()).get_texts()]
    ['a run']
    """
    leg = fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=ncol,
                     fontsize=8, frameon=False)
    frac = min(leg.get_window_extent().height / fig.dpi / fig.get_figheight() + 0.01, 0.4)
    fig.get_layout_engine().set(rect=(0.0, frac, 1.0, 1.0 - frac))
    return leg


def save(fig, path, written: list) -> Path:
    """Save ``fig`` as PNG (atomically), close it, and append the path to ``written``."""
    import matplotlib.pyplot as plt

    p = save_figure(fig, path)
    plt.close(fig)
    written.append(Path(p))
    return Path(p)


def write_page(path, text: str, written: list) -> Path:
    """Write a markdown page (atomically) and append the path to ``written``."""
    p = atomic_write_text(path, text.strip() + "\n")
    written.append(Path(p))
    return Path(p)


def limits_section(keys, extra=()) -> str:
    """The 'leaves out, and known limits' section: bullets of :data:`LIMITS` and extras."""
    items = list(extra) + [LIMITS[k] for k in keys]
    return ("## What the model leaves out, and its known limits\n\n"
            + "\n".join(f"- {s}" for s in items))


def header(number: int, title: str, point: str) -> str:
    """Page title, disclaimer line and the article's point the lesson is about."""
    return (f"# Lesson {number}: {title}\n\n{DISCLAIMER_LINE}\n\n"
            f"**The article's point.** {point}\n")
