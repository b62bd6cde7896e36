"""Validation report section: fatigue over a run next to measured strength losses.

Strength loss during and after runs (``RUNNING_LOSSES``, with sources), the
speed-duration relation and the fast start, the glycogen at the wall.
"""
from __future__ import annotations


import numpy as np

from .validation_common import PALETTE, Section, _Figures, _pyplot, _table
from .validation_glycogen import (_biopsy_rows, _biopsy_text, _fibre_order_text, _fibre_stores,
                                  _ft_store, _whole_store_at)


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
    ("knee_extensors", "1.3 x marathon pace to exhaustion (above critical speed)", "severe",
     0.19, 0.04, "Felippe et al. 2020, Eur J Appl Physiol, doi:10.1007/s00421-020-04338-0 "
     "(quadriceps MVC after cycling to task failure within 6 min, the reserve W' used up)"),
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
            "severe": run(1.3 * mp, 30.0),
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


#: After the run: minutes of running at 3.0 m/s (the figure's run), then rest; the
#: minutes after the end of a run that the table reads.
AFTER_RUN_MIN, AFTER_RUN_READ_MIN = 90.0, (5.0, 30.0, 60.0, 120.0)


def _after_run(speed, minutes, mp=3.2):
    """A run of ``minutes`` at ``speed`` followed by 2 h of rest (a rest break to the end)."""
    from ..config import load_config
    from ..core.simulation import simulate

    return simulate(load_config(None, {
        "run.speed_mps": speed, "run.duration_min": minutes + 120.5,
        "runner.marathon_pace_mps": mp,
        "intervention.rest_breaks": [{"at_min": minutes, "duration_min": 120.0}]}))


def _after_run_figure(plt, figs, after) -> str:
    """Capacity of the calf and thigh over the run and the 2 h of rest after it."""
    t = after.time_s / 60.0
    fig, ax = plt.subplots(figsize=(8.5, 4.0))
    for g, c in (("plantarflexors", PALETTE["orange"]), ("knee_extensors", PALETTE["blue"])):
        ax.plot(t, 100 * after.group_capacity(g), color=c, lw=2, label=g.replace("_", " "))
    ax.axvspan(AFTER_RUN_MIN, t[-1], color=PALETTE["black"], alpha=0.07, lw=0)
    ax.annotate("rest", (AFTER_RUN_MIN + 2, 100.5), fontsize=9, va="bottom")
    ax.annotate("measured (Davies & White 1982):\ncalf 20-Hz force -18 % after\n1-2 h of "
                "running, back\nwithin about 2 h", (AFTER_RUN_MIN + 4, 90.6), fontsize=8.5)
    ax.set_xlabel("time [min] (90 min at 3.0 m/s, then rest)")
    ax.set_ylabel("group capacity [% of fresh maximum]")
    ax.set_ylim(90, 102)
    ax.legend(loc="lower left")
    ax.set_title("After the run: slow fatigue recovers within hours at rest", fontsize=10)
    fig.tight_layout()
    return figs.save(fig, "after_the_run")


def _marathon_text(ke) -> str:
    """The knee extensors after the marathon against Petersen et al. (2007)."""
    end, at30 = 1.0 - ke["end"], 1.0 - ke["after_min"][30.0]
    return (f"After the marathon the model's knee extensors have lost {100 * end:.0f} % at the "
            f"finish and {100 * at30:.0f} % 30 minutes later, where runners were still 22 % "
            "weaker 30 minutes after the finish (Petersen et al. 2007): the model recovers "
            "faster after a marathon than runners do, or loses too little by its end. One "
            "time constant cannot fit both this and the recovery within 2 h after 1-2 h of "
            "running; a share of the loss that grows with the run (muscle damage from the "
            "eccentric work of a long run) would be needed and is not modelled (README, "
            "known limits).")


def _after_text(after) -> str:
    """How much of each group's loss at the end of the run is back after 2 h of rest."""
    parts = []
    for g, v in after.items():
        loss = 1.0 - v["end"]
        back = v["after_min"][120.0] - v["end"]
        parts.append(f"{100 * back / loss:.0f} % of the {g.replace('_', ' ')}' "
                     f"{100 * loss:.1f} % loss is back after 2 h")
    return " and ".join(parts)


def _energy_calibration() -> dict:
    from ..physics.energy import calibration

    return calibration()


def section_running_fatigue(figs: _Figures) -> Section:
    """Strength loss over runs and the speed-duration curve against running data."""
    from ..physics.reserve import MARATHON_M, critical_speed, d_prime_m, riegel_speed, riegel_time

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
    after_rows, head["after_run"] = [], {}
    t_mar = MARATHON_M / mp / 60.0
    short = _after_run(3.0, AFTER_RUN_MIN, mp)
    rel3 = _after_run_figure(plt, figs, short)
    for run_label, after, minutes in ((f"{AFTER_RUN_MIN:.0f} min at 3.0 m/s", short,
                                       AFTER_RUN_MIN),
                                      (f"marathon at {mp:g} m/s", _after_run(mp, t_mar, mp),
                                       t_mar)):
        t_after = after.time_s / 60.0
        head["after_run"][run_label] = {}
        for g in ("plantarflexors", "knee_extensors"):
            c = after.group_capacity(g)
            end = float(np.interp(minutes - 0.5, t_after, c))
            later = [float(np.interp(minutes + m, t_after, c)) for m in AFTER_RUN_READ_MIN]
            after_rows.append([run_label, g.replace("_", " "), f"-{100 * (1 - end):.1f}"]
                              + [f"-{100 * (1 - x):.1f}" for x in later])
            head["after_run"][run_label][g] = {"end": end,
                                               "after_min": dict(zip(AFTER_RUN_READ_MIN, later))}
    store30 = _whole_store_at(runs["30km"])
    head["whole_muscle_store_30km"] = store30
    head["whole_muscle_store_marathon"] = _whole_store_at(runs["marathon"])
    head["prime_mover_stores_30km"] = dict(zip(("slow_twitch", "fast_twitch"),
                                               _fibre_stores(runs["30km"])))
    biopsy_rows, head["biopsy_glycogen"] = _biopsy_rows(runs, mp)
    cal = _energy_calibration()
    from ..physics import params

    after_short = head["after_run"][f"{AFTER_RUN_MIN:.0f} min at 3.0 m/s"]
    after_marathon = head["after_run"][f"marathon at {mp:g} m/s"]
    rest_share = params.value("fatigue", "slow", "rest_share")
    rest_delay = params.value("fatigue", "slow", "rest_delay")
    anchor_rows = [[f"{a['distance_m'] / 1000:g} km race" if "distance_m" in a
                    else "reserve spent, D'/(v - CS)", f"{a['speed_mps'] / mp:.3f}",
                    f"{a.get('riegel_s', a.get('reserve_spent_s', np.nan)) / 60:.1f}",
                    f"{a['model_s'] / 60:.1f}"]
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
    n = figs.number
    md = f"""## {n}. Fatigue over a run, against running data

Runner: 75 kg, marathon pace 3.2 m/s (critical speed {cs:.2f} m/s, D' {dp:.0f} m). Group
capacity is the F0-weighted capacity of the group's muscles at the end of the run; loss =
1 - capacity. Calibrated on: the glycogen wall (the locomotor muscles' F0-weighted whole
glycogen store at 20 % at 30 km, every slow-twitch store running down alike), the
marathon knee-extensor loss (24 %, the mean of the two marathon rows), the Riegel race
times between 30 km and 10 km and the half marathon's knee-extensor loss (21 %; the heavy
domain) and, above critical speed, the time the reserve D' is spent, when a run there
ends (table below). Every other row is a prediction. The half marathon is run at 1.03 x marathon pace; "to exhaustion" runs at
marathon pace until the muscles cannot make the stride (the loss at task failure).

{_table(["group", "run", "published loss [%]", "model loss [%]", "source"], rows)}

![Strength over distance]({rel1})

What the model reproduces: little loss early (every leg group keeps more than 95 % after
10 minutes at marathon pace), more and more late (every group that loses more than 8 %
loses more in the second half of the marathon), the marathon knee-extensor loss, a half
marathon that costs the knee extensors {100 * head['loss_knee_extensors_half']:.0f} % against
the marathon's {100 * head['loss_knee_extensors_marathon']:.0f} % (measured 21 and 22-26 %; the
half marathon's loss is a target of the heavy domain's fit, the order is not;
the measured loss at exhaustion hardly depends on how long the bout lasted, Thomas et al.
2016, Med Sci Sports Exerc 48:1751), a
slow 5-hour run whose loss appears late, and exhaustion soon after the marathon distance. What it
does not: {pf_text}at exhaustion the model's runner has lost far more strength
(knee extensors {100 * head['loss_knee_extensors_exhaustion']:.0f} %, hip abductors
{100 * head['loss_hip_abductors_exhaustion']:.0f} %) than runners at task failure (15-18 %),
and so it has above critical speed (knee extensors {100 * head['loss_knee_extensors_severe']:.0f} %
at 1.3 x marathon pace, against 19 ± 4 % after cycling that used up the reserve):
below critical speed the model stops only when the muscles cannot make the stride, and
above it, where the run ends when the reserve is spent, its fast-twitch fibres have lost
most of their force by then (the reserve's floor); runners stop earlier.
The 166-km ultra is not simulated (mountain terrain, sleep and food over a day). At 30 km
at marathon pace the F0-weighted whole-muscle glycogen store of the locomotor muscles is
{store30:.2f} (calibrated to about 0.2; fast-twitch units join from 45 % of the
slow-twitch pool's force, so both fibre types lose glycogen from the start, as at 75 % VO2max in
Vollestad, Vaage & Hermansen 1984); by the marathon's end it is {head['whole_muscle_store_marathon']:.2f}. Biopsies taken at the
end of races, muscle by muscle (glycogen left, as a fraction of the pre-race store):

{_table(["muscle, run", "measured", "model, that muscle", "model, all locomotor muscles",
         "source"], biopsy_rows)}

{_biopsy_text(head["biopsy_glycogen"])}

{_fibre_order_text(*head["prime_mover_stores_30km"].values())}

![Speed-duration]({rel2})

{_table(["speed [x MP]", "speed [m/s]", "model: exhaustion [min]",
         "Riegel race time [min]"], sd_rows)}

Above critical speed the fast-twitch pools lose force as the reserve D' is spent, not
down to nothing but to a floor ({cal.get('reserve_floor', 0.0):.2f} of their force): the
maximal power a runner can still produce falls linearly with the reserve spent and is
critical power, not zero, when it is gone (Morton 1996, Ergonomics 39:611); at task
failure above critical power cyclists still had about half their fresh maximal power
(Swisher et al. 2019, Med Sci Sports Exerc 51:1720) and 81 % of their quadriceps MVC
(Felippe et al. 2020, table above). A run above critical speed then ends about when the
reserve is spent (1.1 x marathon pace: {_t_at(1.1)} vs Riegel 41 min; 1.2 x:
{_t_at(1.2)} vs 9 min), at the forward lean the runner holds: where a failed stride may
search other leans instead (`model.failed_stride_posture = "search"`, not the default),
the default runner at 3.6 and 3.8 m/s goes on at another lean for 40-80 % longer (README,
known limits; `experiments/posture_stranding.py`). Between marathon pace and critical speed
(the heavy domain) glycogen drain and slow fatigue grow with the strain
H = 1 + A x^n, x = (v - v_T)/(CS - v_T), v_T = marathon pace (A = {cal['heavy_gain']:.3g},
n = {cal['heavy_power']:.3g}). Both are fitted together, on the Riegel race times of 30 to
10 km and, above critical speed, on the time the reserve is spent (the fit's runs use
blocks of at least 5 s, so near exhaustion its times differ by up to a 30-s block from
the default stepping of the table above):

{_table(["anchor", "speed [x MP]", "target time [min]", "model: exhaustion [min]"],
        anchor_rows)}

After the run: a run, then 2 h of rest. Loss [%] at the end of the run and at times after
it:

{_table(["run", "group", "at the end"] + [f"{m:g} min after" for m in AFTER_RUN_READ_MIN],
        after_rows)}

![After the run]({rel3})

Measured: after 1-2 h of level running and uphill walking the triceps surae's force to
20-Hz stimulation was 18 % lower, and it recovered within about 2 h (n = 5; Davies & White
1982, J Appl Physiol 53:236); the quick part of the recovery of running's
stretch-shortening-cycle fatigue takes 1-2 h, and a second dip follows over two days
(Nicol, Avela & Komi 2006, Sports Med 36:977); after a marathon the knee extensors were
22 % weaker 30 minutes after the finish (Petersen et al. 2007) and the dorsiflexors still
weaker 4 h after it, back at 24 h (Ross et al. 2007, Exp Physiol 92:417). In the model the
slow force depression develops only while a muscle works, and at rest it falls toward
{100 * rest_share:.0f} % of its load with a time constant of {rest_delay / 60:.0f} min
(assumptions, sim/data/fatigue.toml `[slow]`; sensitivity in experiments/slow_recovery.py):
{_after_text(after_short)}. {_marathon_text(after_marathon["knee_extensors"])} The
second dip a day or two later (muscle damage) is not modelled.

Fast start (the article's first point): the first 10 km at 1.08 x marathon pace (just
above critical speed, about the runner's 10-km race pace), the rest slower so that 30 km
take the even-pace time; compared with the even pace at 30 km:

{_table(["at the end of the run", "fast start", "even pace"], fs_rows)}

The fast start drains the fast-twitch glycogen and costs every leg group capacity
{fs_text}. Runners who start a marathon above about 94 % of critical speed slow down by
more than 25 % later (Smyth & Muniz-Pumares 2020, Med Sci Sports Exerc 52:2637).
"""
    return Section(md, [rel1, rel2, rel3], head)
