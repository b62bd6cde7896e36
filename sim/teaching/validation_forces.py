"""Validation report section: the model's muscle forces next to published running forces.

Peak forces of ten muscles at the reference speeds of the gait data against the
published running simulations (``sim/data/published_forces.toml``), with the gluteus
minimus exception.
"""
from __future__ import annotations


import numpy as np

from ..physics import params
from .validation_common import PALETTE, Section, _Figures, _pyplot, _table


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
    number = figs.number
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
