"""Validation report: the fatigue model next to its closed form and the literature.

:func:`write_report` runs each function in :data:`SECTIONS` in turn; a section returns
its Markdown text, its figures (saved under ``figures/``) and its headline numbers.
Later sections (gait demand, load sharing, spine loads) are appended to the list.

The report is for people: units on every axis, a colour-blind-safe palette (Okabe & Ito),
and a plain statement that the model is educational, not medical advice.

Length: about 430 lines: the fatigue model's own sections, one short function each; the
other sections live in ``validation_*.py``.

Examples
--------
>>> import tempfile
>>> out = write_report(tempfile.mkdtemp())                # doctest: +SKIP
>>> out["closed_form_max_rel_error_L10"] < 0.02           # doctest: +SKIP
True
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..physics import params
from ..results import atomic_write_text
# The report's building blocks and two of its sections live in their own modules; their
# names are re-exported here, where they were before the split.
from .validation_common import (PALETTE, DISCLAIMER, STRIDE_ON_S, STRIDE_OFF_S, STRIDE_LOAD, _DT,
                                Section, _Figures, _pyplot, _table, _stride_targets,
                                _capacity_every)  # noqa: F401
from .validation_forces import (_PERIOD_NAMES, _fresh_stride_run, _published_force_rows,
                                _speed_txt, _short_reference, _gluteus_minimus_note,
                                section_published_forces)  # noqa: F401
from .validation_running import (RUNNING_LOSSES, _running_runs, _fast_start_runs, _ft_store,
                                 _whole_store_at, _energy_calibration,
                                 section_running_fatigue)  # noqa: F401

__all__ = ["SECTIONS", "Section", "write_report"]


def section_introduction(figs: _Figures) -> Section:
    """What the fatigue model is, in five sentences."""
    md = f"""# runfatigue validation report

> {DISCLAIMER}

## 1. Fatigue model in brief

Each muscle has a slow-twitch (ST) and a fast-twitch (FT) fibre pool. Each pool follows
the three-compartment controller model: active (MA), resting (MR) and fatigued (MF)
fractions, fatigue rate F, recovery rate R and controller gain L (Xia & Frey-Law 2008;
Frey-Law, Looft & Heitsman 2012). Recovery and fatigue depend on blood flow: a muscle's
own contraction occludes it (fully above 20 % of its maximum force, built up over
seconds), recovery runs at R (1 + (r - 1) P) with the rest multiplier r = 15 of Looft,
Herkert & Frey-Law (2018) and perfusion P, and a perfused fibre fatigues at F (1 - kappa
h(E) P), kappa large for ST and smaller for FT fibres. A sustained hold above 20 % is
thus the published 3CC; brief stride contractions stay perfused. A muscle target is taken
from the ST pool first and from the FT pool only for the rest (size principle). Over
hours a glycogen store per pool drains with activity (its force and its aerobic
protection fall as it empties), and a slow force depression follows the accumulated work
with a two-hour lag while the muscle works and falls within hours at rest. Above critical
speed a finite reserve D' carried by the FT pools is spent. Capacity is the fraction of the fresh maximum force available now.
"""
    return Section(md)


def section_endurance(figs: _Figures) -> Section:
    """Endurance time vs intensity: closed form, joint model, two-pool muscle."""
    from ..physics.fatigue import (JOINT_CLASSES, closed_form_endurance_time, endurance_time,
                                   joint_constants)

    plt = _pyplot()
    tl = np.round(np.arange(0.20, 0.9001, 0.05), 2)
    fig, axes = plt.subplots(2, 4, figsize=(13, 6.2), sharex=True)
    rows, worst10, worst100, worst_muscle = [], 0.0, 0.0, 0.0
    p_set = (0.38, 0.5, 0.62, 0.8)
    for ax, joint in zip(axes.ravel(), JOINT_CLASSES):
        c = joint_constants(joint)
        cf = closed_form_endurance_time(tl, c.F, c.R)
        et10 = endurance_time(tl, joint=joint, gain=10.0)
        et100 = endurance_time(tl, joint=joint, gain=100.0)
        mus = {p: endurance_time(tl, joint=joint, model="muscle", p_st=p) for p in p_set}
        e10, e100 = np.abs(et10 / cf - 1).max(), np.abs(et100 / cf - 1).max()
        sel = (tl >= 0.2) & (tl <= 0.8 + 1e-9)
        em = max(np.abs(m[sel] / et10[sel] - 1).max() for m in mus.values())
        worst10, worst100 = max(worst10, e10), max(worst100, e100)
        worst_muscle = max(worst_muscle, em)
        rows.append([joint, f"{c.F:.5f}", f"{c.R:.5f}", f"{100 * e10:.2f}",
                     f"{100 * e100:.2f}", f"{100 * em:.1f}"])
        ax.semilogy(100 * tl, cf, color=PALETTE["black"], lw=2.5, label="closed form")
        ax.semilogy(100 * tl, et10, "o", color=PALETTE["orange"], ms=4,
                    label="joint model (L = 10/s)")
        ax.semilogy(100 * tl, mus[0.5], "--", color=PALETTE["blue"],
                    label="two-pool muscle, 50 % ST")
        ax.fill_between(100 * tl, np.min(list(mus.values()), axis=0),
                        np.max(list(mus.values()), axis=0), color=PALETTE["sky"], alpha=0.3,
                        label="two-pool muscle, 38-80 % ST")
        ax.set_title(joint + (" (also hip muscles)" if joint == "general" else ""))
    axes.ravel()[-1].axis("off")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    axes.ravel()[-1].legend(handles, labels, loc="center", frameon=False)
    for ax in axes[1]:
        ax.set_xlabel("target load [% MVC]")
    for ax in axes[:, 0]:
        ax.set_ylabel("endurance time [s]")
    fig.suptitle("How long can a sustained contraction be held? (Frey-Law 2012 constants)")
    fig.tight_layout()
    rel = figs.save(fig, "endurance_time")
    md = f"""## 2. Endurance time of sustained holds

A sustained hold fails when capacity (MA + MR) falls below the target. For a fast
controller the 3CC has a closed form, `ET = -ln(1 - R(1-TL)/(F TL))/R` (infinite below
`TL = R/(F+R)`). The numerical joint model adds the controller's lag, which matters most
at high targets. The two-pool muscle is calibrated to the joint model at 20-80 % MVC.

![Endurance time vs target]({rel})

Largest relative errors over 20-90 % MVC (joint model vs closed form) and 20-80 % MVC
(two-pool muscle with 38, 50, 62 or 80 % ST vs joint model):

{_table(["joint class", "F [1/s]", "R [1/s]", "L = 10/s vs closed form [%]",
         "L = 100/s vs closed form [%]", "two-pool vs joint model [%]"], rows)}

Acceptance: below 2 % (L = 10/s), 0.3 % (L = 100/s) and 20 % (two-pool).
"""
    return Section(md, [rel], {"closed_form_max_rel_error_L10": worst10,
                               "closed_form_max_rel_error_L100": worst100,
                               "two_pool_max_rel_error": worst_muscle})


def section_compartments(figs: _Figures) -> Section:
    """Pool compartments over a sustained hold that recruits both pools."""
    from ..physics.fatigue import endurance_time, simulate_muscle

    plt = _pyplot()
    joint, p_st, load = "general", 0.5, 0.4
    et = endurance_time(load, joint=joint, model="muscle", p_st=p_st, energy=True)
    dt = 0.1
    res = simulate_muscle(np.full(int(1.4 * et / dt), load), dt, joint=joint, p_st=p_st)
    t = res.time_s
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharex=True)
    colours = {"MA": PALETTE["red"], "MR": PALETTE["green"], "MF": PALETTE["purple"]}
    names = {"MA": "active MA", "MR": "resting MR", "MF": "fatigued MF"}
    for k, (ax, pool) in enumerate(zip(axes[:2], ("slow-twitch (ST)", "fast-twitch (FT)"))):
        ax.stackplot(t, res.MA[:, k], res.MR[:, k], res.MF[:, k],
                     colors=[colours[c] for c in ("MA", "MR", "MF")], alpha=0.75,
                     labels=[names[c] for c in ("MA", "MR", "MF")])
        ax.plot(t, res.energy[:, k], color=PALETTE["black"], lw=2, label="energy store E")
        ax.set_title(f"{pool} pool")
        ax.set_ylabel("fraction of the pool [-]")
        ax.set_ylim(0, 1.02)
    axes[0].legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax = axes[2]
    ax.plot(t, 100 * res.muscle_capacity, color=PALETTE["blue"], lw=2, label="muscle capacity")
    ax.plot(t, 100 * res.capacity[:, 0], color=PALETTE["orange"], label="ST pool capacity")
    ax.plot(t, 100 * res.capacity[:, 1], color=PALETTE["sky"], label="FT pool capacity")
    ax.axhline(100 * load, color=PALETTE["black"], ls=":", label="target (40 % MVC)")
    ax.set_ylabel("capacity [% of fresh maximum]")
    ax.set_title("capacity")
    ax.legend(fontsize=8)
    for a in axes:
        a.axvline(et, color=PALETTE["black"], lw=1, ls="--")
        a.axvspan(et, t[-1], color="0.85", alpha=0.5, lw=0)
        a.set_xlabel("time [s]")
        a.set_xlim(0, t[-1])
    axes[1].text(et + 3, 0.5, "after failure:\nthe target can\nno longer be met",
                 fontsize=8, va="center")
    axes[2].annotate("task failure", (et, 100 * load), xytext=(-70, -40),
                     textcoords="offset points", arrowprops={"arrowstyle": "->"})
    fig.suptitle(f"Holding 40 % MVC with a {int(100 * p_st)} % slow-twitch muscle "
                 f"({joint} class): ST works first, FT takes over as ST fatigues")
    fig.tight_layout()
    rel = figs.save(fig, "pool_compartments")
    i_ft = int(np.argmax(res.MA[:, 1] > 0.01))
    md = f"""## 3. Inside the pools during a sustained hold

A {int(100 * p_st)} % slow-twitch muscle ({joint} class) holds 40 % MVC. The ST pool
alone can give 50 %, so it carries the whole load at first (pool target 80 %). As its
fatigued fraction grows its capacity falls, and from t ≈ {t[i_ft]:.0f} s the FT pool
makes up the difference; it fatigues three times faster per unit activation. The hold
fails at {et:.0f} s (dashed line); after that (grey) both pools give all they have and
the muscle still falls short of the target. The energy stores (black lines) hardly move
in minutes: they are the slow component.

![Compartments]({rel})
"""
    return Section(md, [rel], {"hold_40pct_endurance_s": et})


def section_long_run(figs: _Figures) -> Section:
    """Capacity over a 3-hour running-like task with and without the energy store."""
    from ..physics.fatigue import muscle_parameters

    plt = _pyplot()
    targets = _stride_targets(3.0)
    out = {}
    for energy in (False, True):
        prm = muscle_parameters("general", 0.5, energy=energy)
        out[energy] = _capacity_every(prm, targets, 60.0)
    t_min = out[True][0] / 60.0
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4))
    ax.plot(t_min, 100 * out[False][1], color=PALETTE["orange"], lw=2,
            label="fast component only")
    ax.plot(t_min, 100 * out[True][1], color=PALETTE["blue"], lw=2,
            label="fast + slow components (glycogen, slow depression)")
    ax.set_xlabel("time [min]")
    ax.set_ylabel("muscle capacity [% of fresh maximum]")
    ax.set_title("capacity")
    ax.legend()
    st = out[True][2]
    ax2.plot(t_min, 100 * st[:, 3], color=PALETTE["orange"], lw=2, label="ST store")
    ax2.plot(t_min, 100 * st[:, 7], color=PALETTE["sky"], lw=2, ls="--", label="FT store")
    ax2.axhline(20, color=PALETTE["black"], ls=":", lw=1)
    ax2.annotate("20 %: the marathon 'wall'", (5, 22), fontsize=9)
    ax2.set_xlabel("time [min]")
    ax2.set_ylabel("energy store (glycogen) [% of full]")
    ax2.set_title("energy stores")
    ax2.legend(loc="upper right")
    fig.suptitle("A running-like task for 3 h: 0.35 s at 30 % MVC, 0.40 s rest, every stride "
                 "(50 % ST, general class)")
    fig.tight_layout()
    rel = figs.save(fig, "long_run_capacity")
    head = {}
    rows = []
    for h in (1, 2, 3):
        i = int(h * 60)
        head[f"capacity_{h}h_no_energy"] = float(out[False][1][i])
        head[f"capacity_{h}h_energy"] = float(out[True][1][i])
        rows.append([f"{h} h", f"{100 * out[False][1][i]:.1f}", f"{100 * out[True][1][i]:.1f}",
                     f"{100 * st[i, 3]:.0f}", f"{100 * st[i, 7]:.0f}"])
    md = f"""## 4. Hours of running: why capacity keeps falling

The fast component alone (3CC with perfusion) settles within minutes under a steady
intermittent load: fatigue and recovery balance. The slow components keep capacity
falling: the glycogen store drains with activity (more slowly as it empties), and the
pool's capacity factor g(E) drops once the store is low; the slow force depression
follows the accumulated work with a lag of two hours. When the ST pool can no longer
give the load, the FT pool is recruited and drains three times faster. (Base constants
of the parameter file; a runner's drains are scaled by the calibration of section
{SECTIONS.index(section_running_fatigue) + 1}.)

![Capacity over 3 h]({rel})

{_table(["time", "capacity without store [%]", "capacity with store [%]",
         "ST store [%]", "FT store [%]"], rows)}
"""
    return Section(md, [rel], head)


def section_rest_multiplier(figs: _Figures) -> Section:
    """r = 15 vs r = 1 on intermittent tasks."""
    from ..physics.fatigue import muscle_parameters

    plt = _pyplot()
    tasks = {
        "10 s at 50 % MVC, 10 s rest": (np.tile(np.r_[np.full(1000, 0.5), np.zeros(1000)], 45),
                                         1.0),
        "running stride: 0.35 s at 30 %, 0.40 s rest": (_stride_targets(0.25), 15.0),
    }
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
    head = {}
    for ax, (name, (u, every)) in zip(axes, tasks.items()):
        for r, colour, style in ((15.0, PALETTE["blue"], "-"), (1.0, PALETTE["red"], "--")):
            prm = muscle_parameters("general", 0.5, energy=False)
            prm[5] = r
            t, cap, _ = _capacity_every(prm, u, every)
            label = f"r = {r:g}" + (" (3CC-r, Looft 2018)" if r == 15 else " (original 3CC)")
            ax.plot(t / 60.0, 100 * cap, style, color=colour, lw=2, label=label)
            head.setdefault(name, {})[f"r={r:g}"] = float(cap[-1])
        ax.set_title(name)
        ax.set_xlabel("time [min]")
        ax.set_ylabel("muscle capacity [% of fresh maximum]")
        ax.legend()
    fig.suptitle("Recovery during rest: faster recovery while resting (r = 15) "
                 "means less fatigue in intermittent work")
    fig.tight_layout()
    rel = figs.save(fig, "rest_multiplier")
    rows = [[k, f"{100 * v['r=15']:.1f}", f"{100 * v['r=1']:.1f}"] for k, v in head.items()]
    md = f"""## 5. Rest recovery multiplier r

Looft et al. (2018) found that the original 3CC over-predicts fatigue in intermittent
tasks; multiplying recovery by r = 15 while the muscle rests fixed most of that. Here r
acts through perfusion: in full while the muscle is perfused (at rest, or between brief
contractions), not at all while it is occluded. Running is intermittent for every muscle
(each works for part of the stride), so r decides how much fatigue a stride pattern can
sustain.

![r = 15 vs r = 1]({rel})

{_table(["task", "capacity at end, r = 15 [%]", "capacity at end, r = 1 [%]"], rows)}
"""
    return Section(md, [rel], {"rest_multiplier_end_capacity": head})


def section_calibration(figs: _Figures) -> Section:
    """The two-pool calibration table."""
    from ..physics.fatigue.parameters import load_calibration

    plt = _pyplot()
    cal = load_calibration()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
    cycle = list(PALETTE.values())
    rows, worst, p_worst = [], 0.0, 0.0
    show = (0.3, 0.5, 0.7, 0.9)
    for k, (joint, row) in enumerate(cal["joint_class"].items()):
        p = np.asarray(row["p_st"])
        ax.plot(100 * p, row["scale_F"], color=cycle[k % 8], marker=".", label=joint)
        ax2.plot(100 * p, 100 * np.asarray(row["max_abs_rel_error"]), color=cycle[k % 8],
                 marker=".", label=joint)
        w = max(row["max_abs_rel_error"])
        if w > worst:
            worst, p_worst = w, row["p_st"][int(np.argmax(row["max_abs_rel_error"]))]
        rows.append([joint] + [f"{row['scale_F'][row['p_st'].index(s)]:.3f}" for s in show]
                    + [f"{100 * w:.1f}"])
    ax.set_xlabel("slow-twitch fraction p_ST [%]")
    ax.set_ylabel("fatigue scale sF [-]")
    ax.set_title("F_ST = sF·F, F_FT = 3·sF·F")
    ax2.axhline(20, color=PALETTE["black"], ls=":", label="acceptance (20 %)")
    ax2.set_xlabel("slow-twitch fraction p_ST [%]")
    ax2.set_ylabel("largest endurance-time error [%]")
    ax2.set_title("two-pool vs joint model, 20-80 % MVC")
    ax2.set_ylim(0, 32)
    ax2.legend(fontsize=8, ncol=4, loc="upper center")
    fig.suptitle("Calibration of the slow/fast-twitch split per joint class")
    fig.tight_layout()
    rel = figs.save(fig, "calibration")
    prov = cal["provenance"]
    md = f"""## 6. Calibration of the two-pool split

No study has fitted separate 3CC constants to slow- and fast-twitch fibres, so the split
is an assumption held to the data: the contrast is fixed (F_FT/F_ST =
{prov['F_contrast']:g}, R_ST/R_FT = {prov['R_contrast']:g}), the fibre-weighted mean
recovery rate equals the joint class's R, and one fatigue scale sF per joint class and
slow-twitch fraction is fitted so that sustained holds of the whole muscle last as long
as the joint model predicts. The fitted scale depends on the slow-twitch fraction but
hardly on the joint class (the curves overlap): each class is matched to its own F and
R, so only the split between the pools has to be corrected. The error is largest near
p_ST = {p_worst:.2f}, where both pools matter most ({100 * worst:.1f} %). Fitted
{prov['created_utc']} (package {prov['version']});
objective: {prov['objective']}.

![Calibration]({rel})

{_table(["joint class"] + [f"sF at p_ST = {s:g}" for s in show]
        + ["worst error over p_ST grid [%]"], rows)}
"""
    return Section(md, [rel], {"calibration_worst_rel_error": worst})


def section_assumptions(figs: _Figures) -> Section:
    """Which constants of the fatigue parameter file are assumptions."""
    q = params.load_quantities("fatigue")
    rows = []

    def walk(d, path):
        for k, v in d.items():
            if params.is_quantity(v):
                if str(v["source"]).lower().startswith("assumption"):
                    unit = "" if v["unit"] == "1" else f" {v['unit']}"
                    rows.append([f"`{path}{k}`", f"{v['value']:g}{unit}",
                                 v["source"][len("assumption"):].lstrip(": ")])
            elif isinstance(v, dict):
                walk(v, f"{path}{k}.")

    walk(q, "")
    md = f"""## 7. Assumptions in the fatigue parameters

Every number in `sim/data/fatigue.toml` carries its source. These have no published value
and are modelling choices:

{_table(["parameter", "value", "reason"], rows)}

> {DISCLAIMER}
"""
    return Section(md, [], {"n_assumptions": len(rows)})


def section_back_load(figs: _Figures) -> Section:
    """Forward lean and back load against the running literature
    (:mod:`sim.teaching.validation_back_load`)."""
    from .validation_back_load import back_load_section

    return Section(*back_load_section(figs.save, DISCLAIMER))


def section_time_course(figs: _Figures) -> Section:
    """The back load over a run against published time courses
    (:mod:`sim.teaching.validation_time_course`)."""
    from .validation_time_course import time_course_section

    return Section(*time_course_section(figs.save, DISCLAIMER))


#: Report sections in order; each takes the figure saver and returns a :class:`Section`.
SECTIONS = [section_introduction, section_endurance, section_compartments,
            section_long_run, section_rest_multiplier, section_calibration,
            section_assumptions, section_running_fatigue, section_published_forces,
            section_back_load, section_time_course]


def write_report(out_dir, sections=None) -> dict:
    """Write ``out_dir/report.md`` and ``out_dir/figures/*.png``.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Output directory (created).
    sections : list of callables, optional
        Defaults to :data:`SECTIONS`.

    Returns
    -------
    dict
        Headline numbers, e.g. ``closed_form_max_rel_error_L10`` [1],
        ``calibration_worst_rel_error`` [1], ``capacity_3h_energy`` [1].

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> head = write_report(d, sections=[section_introduction, section_assumptions])
    >>> (d / "report.md").exists(), head["n_assumptions"] > 0
    (True, True)
    """
    out_dir = Path(out_dir)
    figs = _Figures(out_dir)
    parts, headline = [], {}
    for section in SECTIONS if sections is None else sections:
        figs.number = SECTIONS.index(section) + 1 if section in SECTIONS else None
        s = section(figs)
        parts.append(s.markdown.strip() + "\n")
        headline.update({k: float(v) if isinstance(v, np.floating) else v
                         for k, v in s.headline.items()})
    atomic_write_text(out_dir / "report.md", "\n".join(parts))
    return headline
