"""How the recovery of the slow force depression at rest moves the results.

The slow force depression S follows the expressed share x of the slow load Z (sim/data/
fatigue.toml, [slow]): x = 1 while a muscle works and ``rest_share`` at rest, through a
work gate on the muscle's recent work W (its force target filtered over ``work_tau``; the
gate is one half at ``work_half``). S develops only while the gate is open and falls
with ``rest_delay``. None of the four constants is measured. Each is set to the low
and the high end of a plausible range, one at a time, with everything else (including
the calibrated drains and slow rate) unchanged, and three things are measured:

* after the run: the plantarflexor and knee-extensor loss at the end of 90 min at
  3.0 m/s and after 2 h of rest (measured: low-frequency calf force -18 % after 1-2 h of
  running, recovered within about 2 h, Davies & White 1982, J Appl Physiol 53:236);
* the knee-extensor loss at the end of a marathon at 3.2 m/s (calibrated at 0.24) and
  30 min after it (measured: -22 % 30 min after the finish, Petersen et al. 2007);
* the back-load spike of the named mid-run runner (150 min at 3.0 m/s, hip-flexor
  tightness 8 deg, core strength 0.8) in running time, without and with a 5-min rest
  break at 45 min (issue "The back load that rises late": a rest break should not bring
  the spike earlier).

Writes results/slow_recovery/ (rows.json, table.md, manifest). Usage:
    python experiments/slow_recovery.py
"""
from __future__ import annotations

import dataclasses
import time

import numpy as np

import sim
from sim.config import load_config
from sim.fatigue.pools import MUSCLE_PARAMS
from sim.reserve import MARATHON_M
from sim.results import write_table_results
from sim.scenario import build_inputs
from sim.simulation import simulate_inputs

#: (parameter-vector name, low, high, what the range rests on)
RANGES = (
    ("rest_share", 0.0, 0.3, "share of the slow load still expressed after a long rest"),
    ("rest_delay", 1200.0, 4800.0, "time constant of the depression while it falls [s]"),
    ("work_tau", 2.0, 30.0, "filter of the recent work [s]"),
    ("work_half", 0.0005, 0.008, "recent work at which the work gate is one half"),
)
MID_RUN = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
           "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}
REST = [{"at_min": 45.0, "duration_min": 5.0}]


def _run(overrides, column=None, value=None):
    cfg = load_config(None, overrides)
    inp = build_inputs(cfg)
    if column is not None:
        prm = inp.prm.copy()
        prm[:, :, MUSCLE_PARAMS.index(column)] = value
        inp = dataclasses.replace(inp, prm=prm)
    return simulate_inputs(cfg, inp)


def _loss(res, group, t_s):
    return float(1.0 - np.interp(t_s, res.time_s, res.group_capacity(group)))


def _onset_min(res) -> float:
    return res.summary()["spike_onset_running_s"] / 60.0


def measure(column=None, value=None) -> dict:
    """The measured numbers with one parameter-vector column set to ``value``."""
    after = _run({"run.duration_min": 210.5, "run.speed_mps": 3.0,
                  "intervention.rest_breaks": [{"at_min": 90.0, "duration_min": 120.0}]},
                 column, value)
    out = {}
    for g in ("plantarflexors", "knee_extensors"):
        out[f"{g}_end"] = _loss(after, g, 90.0 * 60 - 30.0)
        out[f"{g}_rested"] = _loss(after, g, 210.0 * 60)
    t_mar = MARATHON_M / 3.2 / 60.0
    mar = _run({"run.duration_min": t_mar + 30.5, "run.speed_mps": 3.2,
                "intervention.rest_breaks": [{"at_min": t_mar, "duration_min": 30.0}]},
               column, value)
    out["marathon_knee"] = _loss(mar, "knee_extensors", t_mar * 60 - 30.0)
    out["marathon_knee_30"] = _loss(mar, "knee_extensors", (t_mar + 30.0) * 60)
    out["onset"] = _onset_min(_run(MID_RUN, column, value))
    out["onset_rest"] = _onset_min(_run({**MID_RUN, "intervention.rest_breaks": REST},
                                        column, value))
    return out


def main() -> list:
    t0 = time.perf_counter()
    rows = [("(as set)", measure())]
    for name, lo, hi, _ in RANGES:
        for v in (lo, hi):
            rows.append((f"{name} = {v:g}", measure(name, v)))
    header = ("setting", "plantarfl. loss after 90 min", "... after 2 h rest",
              "knee ext. loss after 90 min", "... after 2 h rest", "marathon knee ext. loss",
              "... 30 min after",
              "spike onset [running min]", "with a 5-min break at 45 min")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, h in rows:
        lines.append("| " + " | ".join([
            label, f"{h['plantarflexors_end']:.3f}", f"{h['plantarflexors_rested']:.3f}",
            f"{h['knee_extensors_end']:.3f}", f"{h['knee_extensors_rested']:.3f}",
            f"{h['marathon_knee']:.3f}", f"{h['marathon_knee_30']:.3f}", f"{h['onset']:.1f}",
            f"{h['onset_rest']:.1f}"])
            + " |")
    text = ("# Recovery of the slow force depression at rest: one assumption at a time\n\n"
            "Runner with marathon pace 3.2 m/s; calibrated drains and slow rate unchanged. "
            "Measured: low-frequency calf force -18 % after 1-2 h of running, recovered "
            "within about 2 h (Davies & White 1982); knee extensors -22 % 30 min after a "
            "marathon (Petersen et al. 2007); dorsiflexor strength still reduced 4 h "
            "after a marathon (Ross et al. 2007). Spike onsets: the named mid-run runner "
            "(150 min at 3.0 m/s, tightness 8 deg, core 0.8), NaN = not reached.\n\n"
            + "\n".join(lines) + "\n\n"
            + "\n".join(f"- `{n}`: {w}; range {lo:.4g}-{hi:.4g}" for n, lo, hi, w in RANGES)
            + f"\n\n{time.perf_counter() - t0:.1f} s, sim {sim.__version__}\n")
    write_table_results("slow_recovery", [{"setting": label, **h} for label, h in rows], text,
                        "experiments/slow_recovery.py")
    print(text)
    return rows


if __name__ == "__main__":
    main()
