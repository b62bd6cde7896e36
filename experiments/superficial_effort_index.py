"""Would a fatigue-aware superficial index answer "when" in the main sweep?

The default spike index is the superficial erector spinae's peak force over its *fresh*
maximum (threshold 0.5, Jonsson 1982). Jonsson's limits were set on EMG normalised to a
fresh maximal contraction, and a tired muscle needs more drive for the same force, so a
fatigue-aware reading divides by the muscle's *current* capacity instead: the fraction of
what the muscle can still do that each stride takes. This experiment recomputes the main
sweep (``configs/hip_flexor_tightness.toml``, 72 scenarios, 150 min) with both readings at
the default threshold and 10 % either side, and counts the scenarios that spike from the
first stride, during the run (and after 20 minutes), and never, and the 15-minute bins
the onsets fill.

The current-capacity reading is computed from the saved checkpoints (peak force / fresh
maximum / the muscle's capacity at that checkpoint); capacity changes by well under 1 %
within a checkpoint, so this is close to a per-stride computation.

Writes ``results/superficial_effort_index/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/superficial_effort_index.py``.
"""
from __future__ import annotations

import numpy as np

from sim.metrics import spike_onset
from sim.results import write_table_results
from sim.simulation import simulate
from sim.sweep_spec import load_sweep

MAIN_SWEEP = "configs/hip_flexor_tightness.toml"
FACTORS = (0.9, 1.0, 1.1)


def _onsets(results, reading, threshold):
    out = []
    for r in results:
        x = r.superficial_load_index
        if reading == "current capacity":
            x = x / r.capacity[:, r.muscles.index("erector_spinae_superficial")]
        end = float(r.time_s[-1] + r.duration_s[-1])
        out.append(spike_onset(r.time_s, x, threshold, r.config.spike.hold_s, end))
    return np.array(out)


def run() -> list[dict]:
    base, spec = load_sweep(MAIN_SWEEP)
    results = [simulate(spec.config(base, i)) for i in range(len(spec))]
    thr0 = base.spike.superficial_threshold
    rows = []
    for reading in ("fresh capacity", "current capacity"):
        for f in FACTORS:
            on = _onsets(results, reading, thr0 * f)
            late = on[np.isfinite(on) & (on > 0)]
            rows.append({"reading": reading, "threshold": round(thr0 * f, 4),
                         "from_start": int(np.sum(on == 0)), "during": int(late.size),
                         "after_20_min": int(np.sum(late > 1200.0)),
                         "never": int(np.sum(np.isnan(on))),
                         "bins_15_min": int(np.unique(np.floor(late / 900.0)).size),
                         "onsets_min": sorted(round(float(x) / 60.0, 1) for x in late)})
    return rows


def as_markdown(rows) -> str:
    lines = ["| superficial load over | threshold | from the first stride | during the run "
             "(after 20 min) | never | 15-min bins filled | onsets [min] |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        ons = ", ".join(f"{x:.0f}" for x in r["onsets_min"]) or "-"
        lines.append(f"| {r['reading']} | {r['threshold']:g} | {r['from_start']} | "
                     f"{r['during']} ({r['after_20_min']}) | {r['never']} | {r['bins_15_min']} "
                     f"| {ons} |")
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("superficial_effort_index", rows, table, "experiments/superficial_effort_index.py")
    print(table)


if __name__ == "__main__":
    main()
