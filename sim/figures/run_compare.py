"""Two or more runs on one figure (:func:`compare_runs`).

Re-exported by :mod:`sim.figures.plots`, where it was defined before.
"""
from __future__ import annotations

import numpy as np

from .figure_style import _figure, finish_figure
from .run_axes import _RUN_COLOURS, _RUN_STYLES, _end_min, _minutes, _states


def compare_runs(results, labels=None):
    """Two or more runs on one figure.

    Panels sharing the run-time axis: (1) peak L5/S1 anterior shear [BW] with the spike
    threshold and each run's shear spike onset marked (a triangle on its curve and a
    dashed line in its colour; a spike from the start gets the triangle only, just inside
    the axis); (2) superficial erector spinae load [fraction of fresh capacity] with its
    onsets; (3) hip-abductor capacity [% of fresh]; (4) speed [m/s]. Each run keeps one
    colour and line style in every panel.

    Parameters
    ----------
    results : sequence of RunResult
        At least two runs.
    labels : sequence of str, optional
        One label per run; default the configuration names.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If fewer than two runs or a wrong number of labels are given.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> runs = [sim.simulate(sim.load_config(None, {"run.duration_min": 10,
    ...                                             "run.speed_mps": v})) for v in (3.0, 4.0)]
    >>> fig = compare_runs(runs, ["3 m/s", "4 m/s"])
    >>> len(fig.axes)
    4
    """
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    results = list(results)
    if len(results) < 2:
        raise ValueError(f"compare_runs needs at least two runs, got {len(results)}")
    if labels is None:
        labels = [getattr(r.config, "name", f"run {i + 1}") for i, r in enumerate(results)]
        if len(set(labels)) < len(labels):
            labels = [f"{lab} ({i + 1})" for i, lab in enumerate(labels)]
    labels = [str(s) for s in labels]
    if len(labels) != len(results):
        raise ValueError(f"{len(labels)} labels for {len(results)} runs")

    fig, axes = _figure(4, 1, (9, 11), sharex=True)
    axes = axes[:, 0]
    t_end = max(_end_min(r) for r in results)
    thresholds = {"shear_bw": set(), "superficial_load": set()}
    handles = []
    for j, (res, lab) in enumerate(zip(results, labels)):
        colour = _RUN_COLOURS[j % len(_RUN_COLOURS)]
        ls = _RUN_STYLES[j % len(_RUN_STYLES)]
        t = _minutes(res)
        kw = dict(color=colour, ls=ls, lw=2, gid=f"run{j}")
        shear_on = res.spike_onsets["shear_bw"]
        when = ("no shear spike" if not np.isfinite(shear_on) else
                "shear spike from the start" if shear_on < 1.0 else
                f"shear spike at {shear_on / 60:.0f} min")
        name = f"{lab} ({when})"
        axes[0].plot(t, res.shear_bw, label=name, **kw)
        axes[1].plot(t, res.superficial_load_index, **kw)
        axes[2].plot(*_states(res, 100 * res.group_capacity("hip_abductors")), **kw)
        axes[3].step(*_states(res, res.speed_mps), where="post", **kw)
        thresholds["shear_bw"].add(res.config.spike.shear_threshold_bw)
        thresholds["superficial_load"].add(res.config.spike.superficial_threshold)
        for ax, index, y in ((axes[0], "shear_bw", res.shear_bw),
                             (axes[1], "superficial_load", res.superficial_load_index)):
            onset = res.spike_onsets[index]
            if np.isfinite(onset):
                k = int(np.clip(np.searchsorted(res.time_s, onset, side="right") - 1, 0,
                                res.time_s.size - 1))
                shift = ax.transData
                if onset >= 1.0:
                    ax.axvline(onset / 60.0, color=colour, ls=(0, (4, 3)), lw=1, alpha=0.8)
                else:
                    # from the start: no line (it would lie on the axis); the triangle is
                    # moved right by its half width, so that it stays inside the panel
                    shift = shift + ScaledTranslation(4.5 / 72.0, 0.0, fig.dpi_scale_trans)
                ax.plot([onset / 60.0], [y[k]], marker="v", ms=9, color=colour, mec="white",
                        ls="none", gid=f"onset{j}", clip_on=False, zorder=5, transform=shift)
        handles.append(Line2D([], [], color=colour, ls=ls, lw=2, label=name))
    hold = sorted({r.config.spike.hold_s for r in results})
    hold_txt = "/".join(f"{h:g}" for h in hold)
    for ax, index, unit in ((axes[0], "shear_bw", " BW"), (axes[1], "superficial_load", "")):
        for thr in sorted(thresholds[index]):
            ax.axhline(thr, color="0.4", ls=":", lw=1.2)
            ax.annotate(f"spike threshold {thr:g}{unit} (held {hold_txt} s)", (1.0, thr),
                        xycoords=("axes fraction", "data"), xytext=(-4, 3),
                        textcoords="offset points", ha="right", va="bottom", fontsize=8,
                        color="0.3")
    top0 = max(float(np.nanmax(np.append(r.shear_bw, 0))) for r in results)
    axes[0].set_ylim(0, 1.2 * max(top0, *thresholds["shear_bw"]))
    top1 = max(float(np.nanmax(np.append(r.superficial_load_index, 0))) for r in results)
    axes[1].set_ylim(0, 1.2 * max(top1, *thresholds["superficial_load"]))
    axes[2].set_ylim(0, 105)
    axes[3].set_ylim(0, 1.15 * max(float(np.max(r.speed_mps)) for r in results))
    axes[0].set_ylabel("L5/S1 anterior shear\n[body weights]")
    axes[0].set_title("Lumbar spine: peak anterior shear at L5/S1 per stride "
                      "(▼ and dashed line: spike onset)", fontsize=10)
    axes[1].set_ylabel("superficial load\n[peak force / fresh capacity]")
    axes[1].set_title("Superficial erector spinae (thoracic fascicles): peak load per stride "
                      "(▼: spike onset)", fontsize=10)
    axes[2].set_ylabel("capacity [% of fresh]")
    axes[2].set_title("Hip abductors (gluteus medius, minimus, TFL): capacity", fontsize=10)
    axes[3].set_ylabel("speed [m/s]")
    axes[3].set_title("Pace", fontsize=10)
    axes[3].set_xlabel("run time [min]")
    axes[3].set_xlim(0, t_end)
    for ax in axes:
        ax.grid(alpha=0.3, lw=0.5)
    notes = ["Spike onset: the first time the index stays above its threshold for the hold "
             "time; \"from the start\" means the run is above it in its first minutes."]
    return finish_figure(fig, f"Comparing {len(results)} runs", None, notes, handles,
                   ncol=1 if len(results) > 3 else min(2, len(results)))
