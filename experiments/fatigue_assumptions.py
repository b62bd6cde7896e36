"""How the headline fatigue results move when one assumed constant changes.

Every constant of sim/data/fatigue.toml that is an assumption (no published value) is set
to the low and the high end of a plausible range, one at a time, with everything else
(including the calibrated drains and slow rate) unchanged, and the runner with marathon
pace 3.2 m/s is simulated:

* knee-extensor, plantarflexor and hip-abductor loss at the end of a marathon,
* the largest leg-group loss after 10 minutes at marathon pace,
* knee-extensor loss at the end of a half marathon at 3.3 m/s,
* exhaustion at marathon pace, at the Riegel half-marathon speed and at 1.1 x marathon
  pace [min].

The heavy domain's onset (``[heavy] onset_ratio``, a scalar of the run) is varied the
same way; its gain and power are fitted and stay as calibrated.
The constants of the slow depression's recovery at rest (``[slow] rest_share``,
``rest_delay``, ``work_tau``, ``work_half``), which a continuous run barely feels, have
their own experiment: experiments/slow_recovery.py.

Writes results/fatigue_assumptions/table.md. Usage:
    python experiments/fatigue_assumptions.py
"""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

import sim
from sim.config import load_config
from sim.engine import SCALARS
from sim.fatigue.pools import MUSCLE_PARAMS
from sim.reserve import MARATHON_M, riegel_speed
from sim.scenario import build_inputs
from sim.simulation import simulate_inputs

MP = 3.2
#: (parameter-vector name, low, high, what the range rests on)
RANGES = (
    ("g_min_st", 0.7, 0.95, "force kept by a slow-twitch pool with empty glycogen"),
    ("g_min_ft", 0.6, 0.85, "force kept by a fast-twitch pool with empty glycogen"),
    ("K", 0.02, 0.1, "half-saturation of the glycogen capacity factor"),
    ("drain_K", 0.05, 0.3, "half-saturation of the glycogen drain"),
    ("slow_delay", 3600.0, 10800.0, "lag of the slow force depression [s]"),
    ("ft_onset", 0.35, 0.75, "share of the slow-twitch pool's force used before fast-twitch "
     "recruitment (measured range 0.32-0.76, sim/data/fatigue.toml)"),
    ("kappa_st", 0.8, 0.95, "perfusion protection of slow-twitch fibres"),
    ("kappa_ft", 0.7, 0.95, "perfusion protection of fast-twitch fibres"),
    ("tau_isch_off", 0.5, 2.0, "reperfusion time constant [s]"),
    ("u_occ", 0.15, 0.3, "force at which a held contraction occludes the muscle"),
    ("heavy_drain_exponent", 0.0, 1.0, "how fully the heavy-domain strain acts on the "
     "glycogen drain"),
    ("cs_glycogen_share", 0.0, 0.5, "share of critical speed that needs carbohydrate"),
    ("heavy_onset_mps", 0.95 * MP, 1.05 * MP,
     "speed where the heavy domain begins (lactate threshold) [m/s]"),
)
LEG = ("hip_abductors", "hip_extensors", "hip_adductors", "knee_flexors", "hip_flexors",
       "knee_extensors", "plantarflexors", "dorsiflexors")


def _run(minutes, speed, column=None, value=None):
    cfg = load_config(None, {"run.speed_mps": speed, "run.duration_min": minutes})
    inp = build_inputs(cfg)
    if column in SCALARS:
        sc = inp.sc.copy()
        sc[SCALARS.index(column)] = value
        inp = dataclasses.replace(inp, sc=sc)
    elif column is not None:
        prm = inp.prm.copy()
        prm[:, :, MUSCLE_PARAMS.index(column)] = value
        inp = dataclasses.replace(inp, prm=prm)
    return simulate_inputs(cfg, inp)


def headline(column=None, value=None) -> dict:
    """The headline numbers with one parameter-vector column set to ``value``."""
    t_m = MARATHON_M / MP / 60.0
    mar = _run(t_m, MP, column, value)
    long = _run(1.6 * t_m, MP, column, value)
    fast = _run(240.0, 1.1 * MP, column, value)
    half = _run(21097.5 / 3.3 / 60.0, 3.3, column, value)
    v_half = riegel_speed(MP, MARATHON_M / MP * 0.5 ** 1.06)
    half_limit = _run(400.0, v_half, column, value)
    ten = max(1.0 - float(np.interp(600.0, mar.time_s, mar.group_capacity(g))) for g in LEG)
    out = {f"{g}_marathon_loss": 1.0 - mar.end_group_capacity(g)
           for g in ("knee_extensors", "plantarflexors", "hip_abductors")}
    out.update(largest_10min_loss=ten,
               exhaustion_mp_min=long.exhaustion_s / 60.0,
               exhaustion_1p1_min=fast.exhaustion_s / 60.0,
               half_knee_loss=1.0 - half.end_group_capacity("knee_extensors"),
               exhaustion_half_min=half_limit.exhaustion_s / 60.0,
               marathon_exhausted=mar.exhausted)
    return out


def main(out_dir="results/fatigue_assumptions") -> list:
    t0 = time.perf_counter()
    rows = [("(as calibrated)", "", headline())]
    for name, lo, hi, what in RANGES:
        for v in (lo, hi):
            rows.append((f"{name} = {v:g}", what, headline(name, v)))
    header = ("setting", "knee ext. loss", "plantarfl. loss", "hip abd. loss",
              "largest 10-min loss", "half-marathon knee ext. loss", "exhausted at MP [min]",
              "exhausted at half-marathon speed [min]", "exhausted at 1.1 MP [min]")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, _, h in rows:
        lines.append("| " + " | ".join([
            label + (" (marathon not finished)" if h["marathon_exhausted"] else ""),
            f"{h['knee_extensors_marathon_loss']:.3f}", f"{h['plantarflexors_marathon_loss']:.3f}",
            f"{h['hip_abductors_marathon_loss']:.3f}", f"{h['largest_10min_loss']:.3f}",
            f"{h['half_knee_loss']:.3f}", f"{h['exhaustion_mp_min']:.0f}",
            f"{h['exhaustion_half_min']:.0f}", f"{h['exhaustion_1p1_min']:.0f}"]) + " |")
    text = ("# Fatigue assumptions: one at a time (runner with marathon pace 3.2 m/s)\n\n"
            "Losses are F0-weighted group losses at the end of a marathon; calibrated drains "
            "and slow rate unchanged. Checks of the issue: knee extensors 12-40 %, "
            "plantarflexors 8-30 %, hip abductors 8-35 %, 10-min loss at most 5 %, "
            "half marathon 10-35 %, exhaustion at marathon pace 220-330 min; Riegel time "
            "at the half-marathon speed 105 min.\n\n" + "\n".join(lines) + "\n\n"
            + "\n".join(f"- `{n}`: {w}; range {lo:.4g}-{hi:.4g}" for n, lo, hi, w in RANGES)
            + f"\n\n{time.perf_counter() - t0:.1f} s, sim {sim.__version__}\n")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "table.md").write_text(text)
    print(text)
    return rows


if __name__ == "__main__":
    main()
