"""Validation report: the fatigue model next to its closed form and the literature.

:func:`write_report` runs each function in :data:`SECTIONS` in turn; a section returns
its Markdown text, its figures (saved under ``figures/``) and its headline numbers.
Later sections (gait demand, load sharing, spine loads) are appended to the list.

The report is for people: units on every axis, a colour-blind-safe palette (Okabe & Ito),
and a plain statement that the model is educational, not medical advice.

Examples
--------
>>> import tempfile
>>> out = write_report(tempfile.mkdtemp())                # doctest: +SKIP
>>> out["closed_form_max_rel_error_L10"] < 0.02           # doctest: +SKIP
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..physics import params
from ..results import atomic_write_text, save_figure

__all__ = ["SECTIONS", "Section", "write_report"]

#: Okabe-Ito colour-blind-safe palette.
PALETTE = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "yellow": "#F0E442", "blue": "#0072B2", "red": "#D55E00", "purple": "#CC79A7"}

DISCLAIMER = ("This is an educational and exploratory model, not medical advice. It "
              "shows how the assumptions behave; it does not diagnose or predict an "
              "individual's pain or injury.")

STRIDE_ON_S, STRIDE_OFF_S, STRIDE_LOAD = 0.35, 0.40, 0.30   # running-like duty cycle
_DT = 0.01


@dataclass
class Section:
    """One report section: Markdown, figure files (relative) and headline numbers."""

    markdown: str
    figures: list = field(default_factory=list)
    headline: dict = field(default_factory=dict)


class _Figures:
    """Saves figures under ``out_dir/figures`` and returns their relative paths."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir

    def save(self, fig, name: str) -> str:
        import matplotlib.pyplot as plt

        rel = f"figures/{name}.png"
        save_figure(fig, self.out_dir / rel)
        plt.close(fig)
        return rel


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"axes.grid": True, "grid.alpha": 0.3, "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _stride_targets(hours, load=STRIDE_LOAD):
    on, off = int(round(STRIDE_ON_S / _DT)), int(round(STRIDE_OFF_S / _DT))
    stride = np.r_[np.full(on, load), np.zeros(off)]
    return np.tile(stride, int(round(hours * 3600 / (STRIDE_ON_S + STRIDE_OFF_S))))


def _capacity_every(prm, targets, every_s):
    """Muscle capacity and states sampled every ``every_s`` seconds of a series."""
    from ..physics.fatigue.pools import fresh_state, muscle_capacity, simulate_states

    states = simulate_states(targets, _DT, prm, fresh_state())[::int(round(every_s / _DT))]
    cap = np.array([muscle_capacity(s, prm) for s in states])
    return np.arange(len(cap)) * every_s, cap, states


# ------------------------------------------------------------------ sections -------


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
with a two-hour lag. Above critical speed a finite reserve D' carried by the FT pools is
spent. Capacity is the fraction of the fresh maximum force available now.
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


_PERIOD_NAMES = {"stance": "stance", "early_swing": "early swing", "late_swing": "late swing"}


def _fresh_stride_run(speed_mps: float):
    """A one-minute run at ``speed_mps``; its first stored stride is the fresh one."""
    from .. import load_config, simulate

    return simulate(load_config(None, {"run.speed_mps": float(speed_mps),
                                       "run.duration_min": 1}))


def _published_force_rows(speed_override=None) -> list:
    """Model vs published peak force for each case of ``published_forces.toml``.

    ``speed_override`` replaces the speed of cases whose speed is an assumption (the
    source's speed could not be read), for a sensitivity check.
    """
    from ..physics.gait import stance_fraction

    data = params.load("published_forces")
    quant = params.load_quantities("published_forces")
    g = params.load("body")["segments"]["g"]
    margin = data["phase_windows"]["margin"]
    runs, rows = {}, []
    for case, q in zip(data["case"], quant["case"]):
        assumed = str(q["speed"]["source"]).lower().startswith("assumption")
        if speed_override is not None and not assumed:
            continue
        v = float(speed_override if speed_override is not None else case["speed"])
        run = runs[v] = runs.get(v) or _fresh_stride_run(v)
        mass = float(run.config.runner.mass_kg)
        force = np.asarray(run.stride_force_N)[0]                 # fresh stride
        phase = np.asarray(run.stride_phase)
        curve = force[:, [run.muscles.index(m) for m in case["model_muscles"]]].sum(axis=1)
        j = int(np.argmax(curve))
        unit = q["peak"]["unit"]
        pub_n = case["peak"] * mass * (g if unit == "BW" else 1.0)
        toe = stance_fraction(v)
        mid = 0.5 * (toe + 1.0)
        lo, hi = {"stance": (0.0, toe), "early_swing": (toe, mid),
                  "late_swing": (mid, 1.0)}[case["period"]]
        in_phase = (phase[j] - (lo - margin)) % 1.0 <= (hi - lo) + 2 * margin + 1e-12
        ratio = float(curve[j] / pub_n)
        rows.append({
            "case": case, "unit": unit, "speed": v, "mass": mass, "g": g,
            "speed_assumed": assumed, "phase": phase, "curve": curve, "toe_off": toe,
            "window": (lo, hi), "margin": margin, "model_n": float(curve[j]),
            "model_phase": float(phase[j]), "published_n": float(pub_n), "ratio": ratio,
            "magnitude_ok": 0.5 <= ratio <= 2.0, "phase_ok": bool(in_phase)})
    return rows


def _speed_txt(v: float) -> str:
    """Speed with at least one decimal: 3.0, 2.68."""
    txt = f"{v:.2f}"
    return txt[:-1] if txt.endswith("0") else txt


def _short_reference(full: str) -> str:
    """'Lenhart R, Thelen D, ... (2014) ...' -> 'Lenhart et al. 2014'."""
    import re

    year = re.search(r"\((\d{4})\)", full)
    return f"{full.split()[0]} et al." + (f" {year.group(1)}" if year else "")


def _gluteus_minimus_note(rows) -> str:
    """Why the gluteus minimus case fails, with the numbers of this run."""
    by_id = {r["case"]["id"]: r for r in rows}
    mini, medi = by_id["gluteus_minimus"], by_id["gluteus_medius"]
    f0 = params.load("muscles")["muscle"]["gluteus_minimus"]["F0"]
    pub_share = mini["case"]["peak"] / medi["case"]["peak"]
    return (f"Gluteus minimus carries far less force in the model than in the published "
            f"simulation: the published peak ({mini['published_n']:.0f} N) exceeds the "
            f"model muscle's maximum isometric force ({f0:.0f} N, Rajagopal et al. 2016), "
            f"and the model's load sharing gives gluteus minimus "
            f"{100 * mini['model_n'] / medi['model_n']:.0f} % of the gluteus medius force "
            f"where the published simulation gives {100 * pub_share:.0f} %. The net hip "
            f"abduction moment is still met, mostly by gluteus medius. Adding the hip "
            f"rotation moment the published 3-D model also balances, with the gluteals "
            f"split into their parts and rotation arms from the same reference model, "
            f"leaves gluteus minimus at 0.19-0.26 of the published peak "
            f"(`python experiments/hip_rotation_gluteus_minimus.py`).")


def section_published_forces(figs: _Figures) -> Section:
    """Peak muscle forces of a fresh stride next to published running studies."""
    plt = _pyplot()
    data = params.load("published_forces")
    rows = _published_force_rows()
    sens_speeds = (2.5, 3.5)
    sens = {v: {r["case"]["id"]: r for r in _published_force_rows(v)} for v in sens_speeds}
    mass, g = rows[0]["mass"], rows[0]["g"]
    bw = mass * g

    ncol = 5
    nrow = int(np.ceil(len(rows) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(16, 3.3 * nrow + 0.8), squeeze=False)
    for ax, r in zip(axes.ravel(), rows):
        x = 100 * r["phase"]
        lo, hi = r["window"]
        pub = r["published_n"] / bw
        ax.fill_between([100 * lo, 100 * hi], 0.5 * pub, 2.0 * pub, color=PALETTE["orange"],
                        alpha=0.18, lw=0, zorder=1)
        ax.plot([100 * lo, 100 * hi], [pub, pub], color=PALETTE["orange"], lw=3, zorder=3)
        ax.plot(x, r["curve"] / bw, color=PALETTE["blue"], lw=2, zorder=4)
        ok = r["magnitude_ok"] and r["phase_ok"]
        ax.plot(100 * r["model_phase"], r["model_n"] / bw, "o", ms=7, zorder=5,
                color=PALETTE["blue"] if ok else PALETTE["red"])
        top = max(2.0 * pub, r["curve"].max() / bw) * 1.18
        ax.set_ylim(0, top)
        ax.set_xlim(0, 100)
        toe = 100 * r["toe_off"]
        ax.axvspan(0, toe, ymin=0.93, ymax=1.0, color="0.45", lw=0, zorder=2)
        ax.axvspan(toe, 100, ymin=0.93, ymax=1.0, color="0.85", lw=0, zorder=2)
        ax.text(toe / 2, top * 0.965, "stance", fontsize=8, ha="center", va="center",
                color="white", zorder=3)
        ax.text((toe + 100) / 2, top * 0.965, "swing", fontsize=8, ha="center",
                va="center", color="0.2", zorder=3)
        verdict = "within 2x" if ok else ("outside 2x" if not r["magnitude_ok"]
                                          else "peak in wrong phase")
        ax.set_title(f"{r['case']['label']}, {_speed_txt(r['speed'])} m/s\nmodel/published "
                     f"= {r['ratio']:.2f}: {verdict}", fontsize=9,
                     color="black" if ok else PALETTE["red"])
    for ax in axes.ravel()[len(rows):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("gait cycle [%] (0 = right heel strike)")
    for ax in axes[:, 0]:
        ax.set_ylabel("force [body weights]")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color=PALETTE["blue"], lw=2,
                      label="model, fresh stride (right leg)"),
               Line2D([], [], color=PALETTE["blue"], marker="o", ls="",
                      label="model peak (red when the case fails)"),
               Line2D([], [], color=PALETTE["orange"], lw=3,
                      label="published peak, drawn over the period it was reported in"),
               Patch(color=PALETTE["orange"], alpha=0.3,
                     label="factor-of-two band (0.5x to 2x) in that period"),
               Patch(color="0.45", label="model stance (right foot on the ground)"),
               Patch(color="0.85", label="model swing")]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9)
    fig.suptitle(f"Muscle forces over one fresh stride vs published peaks "
                 f"({mass:g} kg runner; 1 body weight = {bw:.0f} N)")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    rel = figs.save(fig, "published_muscle_forces")

    refs = data["references"]
    table_rows, where_rows, failures, shifted = [], [], [], []
    for r in rows:
        c = r["case"]
        lo, hi = r["window"]
        if r["magnitude_ok"] and r["phase_ok"]:
            verdict = "pass"
        else:
            verdict = "**FAIL** (" + ", ".join(
                s for s, bad in (("magnitude", not r["magnitude_ok"]),
                                 ("phase", not r["phase_ok"])) if bad) + ")"
            failures.append(c["label"])
        speed = _speed_txt(r["speed"]) + (" (assumed)" if r["speed_assumed"] else "")
        sens_txt = "–"
        if r["speed_assumed"]:
            parts = []
            for v in sens_speeds:
                o = sens[v][c["id"]]
                parts.append(f"{o['ratio']:.2f}" + ("" if o["phase_ok"] else
                                                    " (peak outside the period)"))
                if (o["magnitude_ok"] and o["phase_ok"]) != (r["magnitude_ok"]
                                                             and r["phase_ok"]):
                    shifted.append(f"{c['label']} at {v:g} m/s")
            sens_txt = " / ".join(parts)
        table_rows.append([
            c["label"], _short_reference(refs[c["reference"]]), speed,
            f"{c['peak']:g} {r['unit']}",
            f"{r['published_n']:.0f} N = {r['published_n'] / bw:.2f} BW",
            f"{r['model_n']:.0f} N = {r['model_n'] / bw:.2f} BW",
            f"{r['ratio']:.2f}", sens_txt,
            f"{_PERIOD_NAMES[c['period']]}: {100 * lo:.0f} to {100 * hi:.0f} %",
            f"{100 * r['model_phase']:.0f} %", verdict])
        where_rows.append([f"{c['label']}, {_speed_txt(r['speed'])} m/s",
                           c["where"], c["other_peaks"]])
    ref_lines = "\n".join(f"- {v}" for v in refs.values())
    n_pass = len(rows) - len(failures)
    margin_pct = 100 * rows[0]["margin"]
    if shifted:
        sens_sentence = ("At those speeds the verdict changes for " + ", ".join(shifted)
                         + " (see the column).")
    else:
        sens_sentence = "No verdict changes at those speeds."
    rf = sens[3.5].get("rectus_femoris")
    rf_sentence = ""
    if rf is not None and not rf["phase_ok"]:
        rf_sentence = (" At 3.5 m/s the model's rectus femoris peak moves from stance into "
                       "early swing, where Lenhart et al. report a second peak almost as "
                       "large as the stance one (8.00 vs 8.93 N/kg).")
    number = SECTIONS.index(section_published_forces) + 1
    md = f"""## {number}. Peak muscle forces vs published running studies

For each muscle with a published running value, the model runs at the published speed
and its first stride (fresh, before any fatigue) is compared with the published peak.
A muscle passes when its peak force lies within a factor of two of the published peak
(0.5x to 2x) **and** occurs in the part of the gait cycle where the published peak
occurs: stance (right heel strike to toe-off), early swing (toe-off to mid-swing) or late
swing (mid-swing to the next heel strike), using the model's own toe-off at that speed.
Because the published periods come from other runners' gait events, the check accepts
a peak up to {margin_pct:.0f} % of the cycle outside the period. Forces are given in
newtons for the {mass:g} kg model runner and in body weights (BW, 1 BW = {bw:.0f} N);
published values in N/kg are multiplied by {mass:g} kg. **{n_pass} of {len(rows)} cases
pass.**

![Model forces over a fresh stride with the published peaks]({rel})

{_table(["muscle", "source", "speed [m/s]", "published peak (as printed)",
         "published", "model peak", "model / published",
         "model / published at 2.5 / 3.5 m/s", "published period (% of cycle)",
         "model peak at", "result"], table_rows)}

How to read it: the hip-muscle values of Lenhart et al. (2014) come from runners at
their preferred speed, whose value could not be read, so the model runs at an assumed
3.0 m/s and the table also gives the ratio at 2.5 and 3.5 m/s. {sens_sentence}{rf_sentence}
Two rows add up several published muscles to match one model muscle group: the
hamstrings (semimembranosus + biceps femoris long head; the published table lists no
semitendinosus or short head, so the published sum is a lower value for the whole
group) and the hip adductors (brevis + longus in early swing). The soleus +
gastrocnemius rows compare the model's summed calf force with Achilles tendon forces
**measured** in runners (shear wave tensiometry), not simulated: no simulated soleus or
gastrocnemius peak could be read.

Failures: {", ".join(failures) if failures else "none"}.
{_gluteus_minimus_note(rows) if "gluteus minimus" in failures else ""}

Not compared, because no published running value could be read for them: vasti,
tibialis anterior, soleus and gastrocnemius separately, and the lumbar and abdominal
muscles (multifidus, quadratus lumborum, erector spinae, rectus abdominis, obliques).

Where each published number was read:

{_table(["case", "where in the source", "other published peaks (not tested)"], where_rows)}

Sources:

{ref_lines}
"""
    return Section(md, [rel], {"published_forces_n_cases": len(rows),
                               "published_forces_n_pass": n_pass,
                               "published_forces_failures": [
                                   r["case"]["id"] for r in rows
                                   if not (r["magnitude_ok"] and r["phase_ok"])],
                               "published_forces_ratio": {r["case"]["id"]: r["ratio"]
                                                          for r in rows}})


# ------------------------------------------------------------------ running data -----

#: Published strength losses compared in :func:`section_running_fatigue`: (group, label,
#: run key, loss [1], +- [1] or None, source). Run keys: see ``_running_runs``.
RUNNING_LOSSES = (
    ("knee_extensors", "half marathon (3.3 m/s)", "half", 0.21, None, "PMC6207600"),
    ("knee_extensors", "30 km at marathon pace", "30km", 0.235, 0.149,
     "Millet et al. 2003, J Appl Physiol 94:193 (30-km race)"),
    ("knee_extensors", "marathon", "marathon", 0.22, None,
     "Petersen et al. 2007, Eur J Appl Physiol (elite)"),
    ("knee_extensors", "marathon", "marathon", 0.26, 0.14, "Nicol, Komi & Marconnet 1991"),
    ("plantarflexors", "marathon", "marathon", 0.17, None, "Petersen et al. 2007"),
    ("hip_abductors", "marathon pace to exhaustion", "exhaustion", 0.18, None,
     "Bazett-Jones et al. 2013 (run to exhaustion; controls less)"),
    ("knee_extensors", "marathon pace to exhaustion", "exhaustion", 0.15, 0.12,
     "all-out 20 km, loss at task failure (Ross et al. 2009)"),
    ("knee_extensors", "5 h at 2.25 m/s", "slow5h", 0.28, None,
     "Place et al. 2004, Med Sci Sports Exerc 36:1347 (5 h at 55 % of maximal aerobic speed)"),
    ("knee_extensors", "65 km at 2.5 m/s", "65km", 0.302, 0.18, "J Appl Physiol 92:486 (2002)"),
    ("knee_extensors", "166-km mountain ultra", None, 0.35, None,
     "Millet et al. 2011, PLoS One (PMC3043077): not simulated (mountain terrain, >24 h)"),
    ("plantarflexors", "166-km mountain ultra", None, 0.39, None, "Millet et al. 2011"),
)


def _running_runs(mp=3.2):
    """The runs of :data:`RUNNING_LOSSES` for a runner with marathon pace ``mp``."""
    from ..config import load_config
    from ..physics.reserve import MARATHON_M
    from ..core.simulation import simulate

    def run(speed, minutes):
        return simulate(load_config(None, {"run.speed_mps": speed, "run.duration_min": minutes,
                                           "runner.marathon_pace_mps": mp}))

    t_m = MARATHON_M / mp
    return {"half": run(1.03 * mp, 21097.5 / (1.03 * mp) / 60.0),
            "30km": run(mp, 30000.0 / mp / 60.0),
            "marathon": run(mp, t_m / 60.0),
            "exhaustion": run(mp, 1.6 * t_m / 60.0),
            "slow5h": run(0.703 * mp, 300.0),
            "65km": run(0.78 * mp, 65000.0 / (0.78 * mp) / 60.0)}


def _fast_start_runs(mp=3.2):
    """Point 5: 10 km at 1.08 x ``mp``, then 20 km slower (30 km in the even time), and
    the even pace over 30 km."""
    from ..config import load_config
    from ..core.simulation import simulate

    v1 = 1.08 * mp
    t1, t30 = 10000.0 / v1, 30000.0 / mp
    v2 = 20000.0 / (t30 - t1)
    fast = simulate(load_config(None, {
        "run.duration_min": t30 / 60.0, "runner.marathon_pace_mps": mp,
        "run.segments": [{"duration_min": t1 / 60.0, "speed_mps": v1},
                         {"duration_min": (t30 - t1) / 60.0, "speed_mps": v2}]}))
    even = simulate(load_config(None, {"run.duration_min": t30 / 60.0, "run.speed_mps": mp,
                                       "runner.marathon_pace_mps": mp}))
    return fast, even


def _ft_store(res) -> float:
    """F0-weighted fast-twitch glycogen of the locomotor muscles at the end of a run [1]."""
    from ..physics.energy import LOCOMOTOR_MUSCLES

    idx = [res.muscles.index(m) for m in LOCOMOTOR_MUSCLES]
    w = res.F0_N[idx] / res.F0_N[idx].sum()
    return float(res.energy[-1][idx, 1] @ w)


def _whole_store_at(res, mp=3.2) -> float:
    """F0-weighted whole-muscle (fibre-weighted) glycogen of the locomotor muscles at the
    end of a run [1]."""
    from ..config import load_config
    from ..physics.energy import locomotor_store
    from ..core.scenario import build_inputs

    p_st = build_inputs(load_config(None, {"runner.marathon_pace_mps": mp})).prm[0, :, 0]
    e = np.asarray(res.energy[-1])[None]
    return float(locomotor_store(e, p_st, res.F0_N, res.muscles)[0])


def _energy_calibration() -> dict:
    from ..physics.energy import calibration

    return calibration()


def section_running_fatigue(figs: _Figures) -> Section:
    """Strength loss over runs and the speed-duration curve against running data."""
    from ..physics.reserve import critical_speed, d_prime_m, riegel_speed, riegel_time

    plt = _pyplot()
    mp = 3.2
    runs = _running_runs(mp)
    rows, head = [], {}
    for group, label, key, loss, sd, source in RUNNING_LOSSES:
        pub = f"-{100 * loss:.1f}" + (f" ± {100 * sd:.1f}" if sd else "")
        if key is None:
            rows.append([group.replace("_", " "), label, pub, "not simulated", source])
            continue
        r = runs[key]
        model = 1.0 - r.end_group_capacity(group)
        end = (f" (exhausted at {r.exhaustion_s / 60:.0f} min)" if r.exhausted else "")
        within = "yes" if (sd and abs(model - loss) <= sd) else ("no" if sd else "-")
        rows.append([group.replace("_", " "), label + end, pub,
                     f"-{100 * model:.1f}" + (f" ({within}, within ± SD)" if sd else ""),
                     source])
        head[f"loss_{group}_{key}"] = float(model)
    head["exhaustion_min_at_marathon_pace"] = float(runs["exhaustion"].exhaustion_s / 60.0)

    # figure 1: group capacity over distance at marathon pace, with published points
    r = runs["exhaustion"]
    km = r.distance_km
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    colours = {"knee_extensors": PALETTE["blue"], "plantarflexors": PALETTE["orange"],
               "hip_abductors": PALETTE["green"]}
    for g, c in colours.items():
        ax.plot(km, 100 * r.group_capacity(g), color=c, lw=2, label=g.replace("_", " "))
    marks = {"marathon": 42.195, "30km": 30.0, "half": 21.0975}
    for group, label, key, loss, sd, source in RUNNING_LOSSES:
        if key in marks and group in colours:
            ax.errorbar(marks[key], 100 * (1 - loss), yerr=None if sd is None else 100 * sd,
                        fmt="o" if key != "half" else "s", color=colours[group], mfc="white",
                        capsize=3, ms=6)
    if r.exhausted:
        ax.axvline(km[-1] + r.speed_mps[-1] * r.duration_s[-1] / 1000, color=PALETTE["black"],
                   ls=":", lw=1)
        ax.annotate("exhausted", (km[-1], 52), ha="right", fontsize=9)
    ax.set_xlabel("distance [km] (marathon pace 3.2 m/s)")
    ax.set_ylabel("group capacity [% of fresh maximum]")
    ax.set_ylim(45, 102)
    ax.legend(loc="lower left", title="model (lines); published (open markers, ± SD)")
    ax.set_title("Strength over a run at marathon pace, to exhaustion\n(square: half "
                 "marathon, run 3 % faster)", fontsize=10)
    fig.tight_layout()
    rel1 = figs.save(fig, "capacity_over_distance")

    # figure 2: speed-duration
    factors = np.round(np.arange(1.0, 1.3001, 0.02), 3)
    from ..config import load_config
    from ..core.simulation import simulate

    t_exh = []
    for f in factors:
        res = simulate(load_config(None, {"run.speed_mps": f * mp, "run.duration_min": 420.0}))
        t_exh.append(res.exhaustion_s / 60.0 if res.exhausted else np.nan)
    t_exh = np.array(t_exh)
    cs, dp = critical_speed(mp), d_prime_m()
    t_grid = np.geomspace(60.0, 6 * 3600.0, 200)
    v_riegel = np.array([riegel_speed(mp, t) for t in t_grid])
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    ax.plot(t_grid / 60.0, v_riegel / mp, color=PALETTE["black"], lw=1.5,
            label="race-time equivalence (Riegel, time ∝ distance^1.06)")
    above = factors * mp > cs
    ax.plot(dp / (factors[above] * mp - cs) / 60.0, factors[above], color=PALETTE["sky"],
            lw=1.5, ls="--", label=f"D'/(v - CS), CS = {cs / mp:.3f} x MP, D' = {dp:.0f} m")
    ax.plot(t_exh, factors, "o-", color=PALETTE["red"], lw=2, label="model: exhaustion")
    ax.axhline(cs / mp, color=PALETTE["sky"], lw=1, ls=":")
    ax.annotate("critical speed", (1.1, cs / mp + 0.005), fontsize=8, color=PALETTE["blue"])
    ax.set_xscale("log")
    ax.set_xlabel("time the pace is held [min]")
    ax.set_ylabel("speed [x marathon pace]")
    ax.set_title("How long a pace can be held (runner with marathon pace 3.2 m/s)", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    rel2 = figs.save(fig, "speed_duration")
    sd_rows = []
    for f, t in zip(factors, t_exh):
        race = riegel_time(mp, f * mp)
        sd_rows.append([f"{f:.2f}", f"{f * mp:.2f}", "held" if np.isnan(t) else f"{t:.0f}",
                        f"{race / 60:.0f}"])
    head["speed_duration"] = {float(f): (None if np.isnan(t) else float(t))
                              for f, t in zip(factors, t_exh)}
    # fast start (point 5 of the article): 10 km at 1.08 x MP, then 30 km in the even time
    fast, even = _fast_start_runs(mp)
    ft = [_ft_store(r) for r in (fast, even)]
    fs_rows = [["distance [km]", f"{fast.summary()['distance_km']:.1f}"
                + (f" (exhausted at {fast.exhaustion_s / 60:.0f} min)" if fast.exhausted
                   else ""), f"{even.summary()['distance_km']:.1f}"],
               ["fast-twitch glycogen, locomotor muscles (F0-weighted)", f"{ft[0]:.3f}",
                f"{ft[1]:.3f}"]]
    for g in ("knee_extensors", "hip_abductors", "plantarflexors"):
        fs_rows.append([f"{g.replace('_', ' ')} capacity", f"{fast.end_group_capacity(g):.3f}",
                        f"{even.end_group_capacity(g):.3f}"])
    head["fast_start"] = {"distance_km": float(fast.summary()["distance_km"]),
                          "ft_store": ft, "knee_extensors": [
                              float(r.end_group_capacity("knee_extensors"))
                              for r in (fast, even)]}
    store30 = _whole_store_at(runs["30km"])
    head["whole_muscle_store_30km"] = store30
    cal = _energy_calibration()
    anchor_rows = [[f"{a['distance_m'] / 1000:g}", f"{a['speed_mps'] / mp:.3f}",
                    f"{a['riegel_s'] / 60:.0f}", f"{a['model_s'] / 60:.0f}"]
                   for a in cal["heavy_anchors"]]
    def _t_at(f):
        t = head["speed_duration"].get(f)
        return "not exhausted" if t is None else f"{t:.0f} min"

    pf, ke = head["loss_plantarflexors_marathon"], head["loss_knee_extensors_marathon"]
    pf_text = (f"the plantarflexors lose more than the knee extensors over the marathon "
               f"({100 * pf:.0f} vs {100 * ke:.0f} %; measured: 17 vs 22-26 %); "
               if pf > ke else "")
    fs_text = (f"and ends in exhaustion at {fast.summary()['distance_km']:.1f} km (the model "
               "cannot slow down by itself; it runs the planned pace until it fails)"
               if fast.exhausted else
               f"(knee extensors {fast.end_group_capacity('knee_extensors'):.2f} vs "
               f"{even.end_group_capacity('knee_extensors'):.2f} at 30 km)")
    n = SECTIONS.index(section_running_fatigue) + 1
    md = f"""## {n}. Fatigue over a run, against running data

Runner: 75 kg, marathon pace 3.2 m/s (critical speed {cs:.2f} m/s, D' {dp:.0f} m). Group
capacity is the F0-weighted capacity of the group's muscles at the end of the run; loss =
1 - capacity. Calibrated on: the glycogen wall (slow-twitch stores at 20 % at 30 km), the
marathon knee-extensor loss (24 %, the mean of the two marathon rows) and the Riegel race
times between 30 km and 10 km (the heavy domain, table below). Every other row is a
prediction. The half marathon is run at 1.03 x marathon pace; "to exhaustion" runs at
marathon pace until the muscles cannot make the stride (the loss at task failure).

{_table(["group", "run", "published loss [%]", "model loss [%]", "source"], rows)}

![Strength over distance]({rel1})

What the model reproduces: little loss early (every leg group keeps more than 95 % after
10 minutes at marathon pace), more and more late (every group that loses more than 8 %
loses more in the second half of the marathon), the marathon knee-extensor loss, a half
marathon that costs the knee extensors about as much as the marathon (each race is run
near its own limit; so is the measured loss at exhaustion, which hardly depends on how
long the bout lasted, Thomas et al. 2016, Med Sci Sports Exerc 48:1751), a slow 5-hour
run whose loss appears late, and exhaustion soon after the marathon distance. What it
does not: {pf_text}at exhaustion the model's runner has lost far more strength
(knee extensors {100 * head['loss_knee_extensors_exhaustion']:.0f} %, hip abductors
{100 * head['loss_hip_abductors_exhaustion']:.0f} %) than runners at task failure (15-18 %):
the model stops only when the muscles cannot make the stride, runners stop earlier.
The 166-km ultra is not simulated (mountain terrain, sleep and food over a day). At 30 km
at marathon pace the F0-weighted whole-muscle glycogen store of the locomotor muscles is
{store30:.2f}, where biopsies suggest about 0.2 (calibrated: the slow-twitch stores at
0.20; fibres are recruited by force, so at that pace many fast-twitch fibres are idle).

![Speed-duration]({rel2})

{_table(["speed [x MP]", "speed [m/s]", "model: exhaustion [min]",
         "Riegel race time [min]"], sd_rows)}

Above critical speed the reserve D' and the heavy-domain strain, which keeps rising there,
act together, so the model holds a pace for less than D'/(v - CS) and somewhat less than
the race-time equivalence (1.1 x marathon pace: {_t_at(1.1)} vs Riegel 41 min; 1.2 x:
{_t_at(1.2)} vs 9 min). Between marathon pace and critical speed
(the heavy domain) glycogen drain and slow fatigue grow with the strain
H = 1 + A x^n, x = (v - v_T)/(CS - v_T), v_T = marathon pace (A = {cal['heavy_gain']:.3g},
n = {cal['heavy_power']:.3g}), fitted on these race times:

{_table(["race [km]", "speed [x MP]", "Riegel time [min]", "model: exhaustion [min]"],
        anchor_rows)}

Fast start (the article's first point): the first 10 km at 1.08 x marathon pace (just
above critical speed, about the runner's 10-km race pace), the rest slower so that 30 km
take the even-pace time; compared with the even pace at 30 km:

{_table(["at the end of the run", "fast start", "even pace"], fs_rows)}

The fast start drains the fast-twitch glycogen and costs every leg group capacity
{fs_text}. Runners who start a marathon above about 94 % of critical speed slow down by
more than 25 % later (Smyth & Muniz-Pumares 2020, Med Sci Sports Exerc 52:2637).
"""
    return Section(md, [rel1, rel2], head)


#: Report sections in order; each takes the figure saver and returns a :class:`Section`.
def section_back_load(figs: _Figures) -> Section:
    """Forward lean and back load against the running literature
    (:mod:`sim.teaching.validation_back_load`)."""
    from .validation_back_load import back_load_section

    return Section(*back_load_section(figs.save, DISCLAIMER))


SECTIONS = [section_introduction, section_endurance, section_compartments,
            section_long_run, section_rest_multiplier, section_calibration,
            section_assumptions, section_running_fatigue, section_published_forces,
            section_back_load]


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
        s = section(figs)
        parts.append(s.markdown.strip() + "\n")
        headline.update({k: float(v) if isinstance(v, np.floating) else v
                         for k, v in s.headline.items()})
    atomic_write_text(out_dir / "report.md", "\n".join(parts))
    return headline
