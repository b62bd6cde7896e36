"""Validation report section: how the back load develops over a run, against measurement.

The product asks *when* a runner's back load rises. This section puts the model's time
course of L5/S1 compression, superficial lumbar load and joint moments next to what has
been measured over runs of 30 minutes to 25 km: spinal shrinkage (a stadiometer measure
of the disc height lost under compressive load; Leatt, Reilly & Troup 1986; Garbutt et
al. 1990; Rodacki et al. 2024) and the shift of joint work late in a 10-km run (Sanno et
al. 2018). No study was found that measured back-muscle activity, back-extensor
strength or the lumbar extension moment from early to late in a run of 30 minutes or
more. Used by :mod:`sim.teaching.validate` (``runfatigue validate``).

Examples
--------
>>> sorted(SHRINKAGE)
['garbutt_1990', 'leatt_1986', 'rodacki_2024']
"""
from __future__ import annotations

import numpy as np

from .validation_back_load import _run
from .validation_common import _pyplot, _table

#: Measured spinal shrinkage over runs, as (label, x, shrinkage [mm], source); x is run time
#: [min] for the timed runs, distance [km] for the 25-km run.
SHRINKAGE = {
    "garbutt_1990": ("30-min runs at 70-100 % of marathon pace, 14 runners", (0.0, 15.0, 30.0),
                     (0.0, 3.26, 3.26 + 2.12),
                     "Garbutt, Boocock, Reilly & Troup 1990, Med Sci Sports Exerc 22:769 "
                     "(first 15 min 3.26 +- 2.78 mm, second 2.12 +- 1.61 mm)"),
    "rodacki_2024": ("60 min at 10 km/h", (0.0, 30.0, 60.0), (0.0, 5.3, 7.5),
                     "Rodacki et al. 2024, Gait Posture"),
    "leatt_1986": ("25 km, 7 trained runners", (0.0, 6.0), (0.0, 2.35),
                   "Leatt, Reilly & Troup 1986, Br J Sports Med 20:119 (2.35 mm over the "
                   "first 6 km, 0.4 mm/km, a rate that continued over the last 19 km)"),
}

#: Other measured time courses this section quotes.
SOURCES = {
    "garbutt_pace": "shrinkage after 30 min at 70 / 85 / 100 % of marathon pace: 3.37 / "
                    "5.10 / 7.69 mm (Garbutt et al. 1990)",
    "sanno_2018": "near-maximal 10 km, positive work: falls at the ankle, rises at the knee "
                  "and hip (Sanno, Willwacher, Epro & Brueggemann 2018, Med Sci Sports "
                  "Exerc 50:2507; sizes not in the abstract)",
    "behm_2009": "erector spinae activity in 30-min runs at 60 and 80 % of heart-rate "
                 "reserve above that of a Biering-Sorensen hold (Behm, Cappa & Power 2009, "
                 "Appl Physiol Nutr Metab 34:1008): a level, not a time course",
}


def _window_ratio(res, split_min, end_min):
    """Mean per-stride peak L5/S1 compression over ``[split, end)`` / over ``[0, split)``."""
    t = res.time_s / 60.0
    c = np.asarray(res.l5s1_compression_N)
    late = c[(t >= split_min) & (t < end_min)].mean()
    return float(late / c[t < split_min].mean())


def time_course_section(save, disclaimer: str):
    """Markdown, figure paths and headline numbers of the section.

    Parameters
    ----------
    save : callable
        ``save(fig, name) -> relative path`` (the report's figure writer).
    disclaimer : str
        The report's disclaimer, quoted at the end.
    """
    plt = _pyplot()
    from .. import load_config

    mp = load_config(None).runner.marathon_pace_mps      # the default runner's pace [m/s]
    paces = {f: _run(**{"run.speed_mps": mp * f, "run.duration_min": 30.0})
             for f in (0.7, 0.85, 1.0)}
    hour = _run(**{"run.speed_mps": 10.0 / 3.6, "run.duration_min": 60.0})
    long_ = _run(**{"run.speed_mps": mp, "run.duration_min": 25000.0 / mp / 60.0})
    v10 = 1.07 * mp                                       # a 10-km race pace (Riegel)
    tenk = _run(**{"run.speed_mps": v10, "run.duration_min": 10000.0 / v10 / 60.0})

    comp0 = {f: float(np.asarray(r.l5s1_compression_N)[r.time_s < 900.0].mean())
             for f, r in paces.items()}
    ratio15 = {f: _window_ratio(r, 15.0, 30.0) for f, r in paces.items()}
    ratio30 = _window_ratio(hour, 30.0, 60.0)
    km = np.asarray(long_.distance_km)
    c25 = np.asarray(long_.l5s1_compression_N)
    s25 = np.asarray(long_.superficial_load_index)
    i1, i25 = int(np.searchsorted(km, 1.0)), km.size - 1
    rise_c = float(c25[i25] / c25[i1] - 1.0)
    rise_s = float(s25[i25] / s25[i1] - 1.0)
    d = np.asarray(tenk.stride_demand_Nm)
    col = {n: i for i, n in enumerate(tenk.dofs)}

    def peak(k, name, sign=1.0):
        return float((sign * d[k][:, col[name]]).max())

    moments = {n: 100.0 * (peak(-1, n, s) / peak(0, n, s) - 1.0) for n, s in
               (("hip_flexion", -1.0), ("knee_extension", 1.0),
                ("ankle_plantarflexion", 1.0), ("lumbar_extension", 1.0))}

    def pct(x):
        return f"{100.0 * (x - 1.0):+.1f} %"

    rows = [
        ["30 min at 70 / 85 / 100 % of marathon pace: second 15 min against the first",
         "shrinkage 2.12 vs 3.26 mm: the disc's loss slows (Garbutt 1990)",
         "L5/S1 compression " + " / ".join(pct(ratio15[f]) for f in (0.7, 0.85, 1.0))],
        ["the same runs, by pace", SOURCES["garbutt_pace"], "compression " + " / ".join(
            f"{comp0[f]:.0f}" for f in (0.7, 0.85, 1.0)) + " N in the first 15 min"],
        ["60 min at 10 km/h: second 30 min against the first",
         "shrinkage 5.3 mm by 30 min, 7.5 mm by 60 min (Rodacki 2024)",
         "compression " + pct(ratio30)],
        ["25 km: km 1 to km 25", "shrinkage 0.4 mm/km over the first 6 km, the same rate "
         "over the last 19 km (Leatt 1986; faster in the last 19 km)",
         f"compression {100.0 * rise_c:+.1f} %, superficial lumbar load {100.0 * rise_s:+.1f} %"
         f" ({s25[i1]:.3f} -> {s25[i25]:.3f}), forward lean +{long_.trunk_flexion_deg[i25]:.1f}"
         " deg (marathon pace)"],
        ["10 km at 1.07 x marathon pace (a 10-km race): first to last stride",
         SOURCES["sanno_2018"],
         "peak moments: hip extension {:+.1f} %, knee extension {:+.1f} %, ankle {:+.1f} %, "
         "lumbar extension {:+.1f} %".format(*(moments[n] for n in
                                              ("hip_flexion", "knee_extension",
                                               "ankle_plantarflexion", "lumbar_extension")))],
        ["back-muscle activity or strength, early against late in a run of 30 min or more",
         "not found; " + SOURCES["behm_2009"],
         f"superficial lumbar load {s25[i1]:.2f} of fresh capacity at km 1 (marathon pace)"],
    ]

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    ax = axes[0]
    for key, color in (("garbutt_1990", "#0072B2"), ("rodacki_2024", "#D55E00")):
        label, x, y, _ = SHRINKAGE[key]
        ax.plot(x, y, "o-", color=color, label=label)
    ax.set_xlabel("run time [min]")
    ax.set_ylabel("spinal shrinkage, measured [mm]")
    ax.set_title("Measured: the disc's loss slows while the load holds", fontsize=10)
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.plot(km, 100.0 * (c25 / c25[i1] - 1.0), color="#0072B2", lw=2,
            label="L5/S1 compression (per-stride peak)")
    ax.plot(km, 100.0 * (s25 / s25[i1] - 1.0), color="#009E73", lw=2,
            label="superficial lumbar load")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel(f"distance [km] (marathon pace, {mp:g} m/s)")
    ax.set_ylabel("change since km 1 [%]")
    ax.set_title("Model: the back load over 25 km", fontsize=10)
    ax.legend(fontsize=8)
    path = save(fig, "back_load_time_course")
    i12 = int(np.searchsorted(km, 0.5 * (km[i1] + km[i25])))
    md = f"""## 11. Back load over a run: published time courses

The main sweep asks *when* the back load rises. What has been measured over runs of 30
minutes to 25 km is spinal shrinkage (the disc height lost under compressive load, by
stadiometer), and, late in a near-maximal 10 km, a shift of joint work toward the hip. No
study was found that measured back-muscle activity, back-extensor strength or the
lumbar extension moment from early to late in a run of 30 minutes or more (the nearest:
plank endurance after a run to exhaustion, Tong et al. 2014).

{_table(["what", "measured", "model"], rows)}

![back load over a run]({path})

Reading: the measurements show a load that is set by pace and holds, not one that builds
within the first hour or two: shrinkage grows with pace but slows with time (Garbutt,
Rodacki), and does not speed up over 25 km even though the trained runners ran the last
19 km faster (Leatt). The model agrees on the compression: it changes by under 1 % between
the two halves of a 30- or 60-minute run and by {100 * rise_c:.1f} % over 25 km at marathon
pace. Its superficial lumbar load rises by {100 * rise_s:.0f} % over those 25 km, mostly in
the second half ({s25[i12] - s25[i1]:+.3f} then {s25[i25] - s25[i12]:+.3f} of fresh
capacity), as the deep lumbar muscles tire and the forward lean grows; no measurement of
the back muscles' load over a run was found to check that against. Within 150 minutes at
2.6-3.2 m/s the rise is small against the differences that core strength and pace make,
so the main sweep separates runners mostly by level rather than by time (README, known
limits). The shrinkage data stop at 25 km. Late in a 10-km race the model shifts the stance moments
toward the hip (through the forward lean), as Sanno et al. found for positive work; but it
lowers the knee's peak moment where they found the knee's work rising, and leaves the
ankle's unchanged where they found its work falling (moments and work are not the same
measure; their sizes were not available).

Sources: {"; ".join(s[3] for s in SHRINKAGE.values())}; {"; ".join(SOURCES.values())}.

> {disclaimer}
"""
    head = {"compression_rise_25km": rise_c, "superficial_rise_25km": rise_s,
            "superficial_rise_25km_first_half": float(s25[i12] - s25[i1]),
            "superficial_rise_25km_second_half": float(s25[i25] - s25[i12]),
            "compression_ratio_second_15min": ratio15[1.0],
            "compression_ratio_second_30min": ratio30}
    return md, [path], head
