"""Why does a 10 % higher step rate bring the superficial-load spike earlier?

The fresh default runner at 3.0 m/s, at its natural step rate and 10 % above it: each
muscle's peak force over the stride and its mean force per stride, and the mean force
per minute (per stride × strides per minute). The published change at +10 % is from
Lenhart, Thelen & Heiderscheit (2014) J Orthop Sports Phys Ther 44(10):766, Table 1
(30 runners at their preferred speed; musculoskeletal model, peak stance forces in N/kg):
gluteus maximus 15.80 → 14.57 (−7.8 %), gluteus medius 32.05 → 28.65 (−10.6 %); the
hamstrings' stance peaks rose 6–7 % (biceps femoris 3.83 → 4.07, semimembranosus
8.38 → 8.95). No study was found that measured the trunk muscles' load per step at a
changed step rate.

Writes ``results/step_rate_muscle_forces/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/step_rate_muscle_forces.py``.
"""
from __future__ import annotations

import sim
from sim.results import write_table_results

#: Lenhart et al. 2014, Table 1: peak stance force change at 110 % step rate [%].
MEASURED = {"gluteus_maximus": 100.0 * (14.57 / 15.80 - 1.0),
            "gluteus_medius": 100.0 * (28.65 / 32.05 - 1.0)}
SCALE = 1.1


def run(speed_mps: float = 3.0) -> list[dict]:
    res = {s: sim.simulate(sim.load_config(None, {"run.duration_min": 1.0,
                                                  "run.speed_mps": speed_mps,
                                                  "scenario.step_rate_scale": s}))
           for s in (1.0, SCALE)}
    base, fast = res[1.0], res[SCALE]
    rows = []
    for i, name in enumerate(base.muscles):
        peak = fast.peak_force_N[0, i] / base.peak_force_N[0, i] - 1.0
        mean = fast.mean_force_N[0, i] / base.mean_force_N[0, i] - 1.0
        rows.append({"muscle": name, "peak_change_pct": 100.0 * peak,
                     "mean_per_stride_change_pct": 100.0 * mean,
                     "mean_per_minute_change_pct": 100.0 * (SCALE * (1.0 + mean) - 1.0),
                     "measured_peak_change_pct": MEASURED.get(name)})
    return rows


def as_markdown(rows) -> str:
    lines = ["| muscle | peak force [%] | mean force per stride [%] | per minute [%] "
             "| measured peak (Lenhart 2014) [%] |", "|---|---|---|---|---|"]
    for r in rows:
        m = r["measured_peak_change_pct"]
        lines.append(f"| {r['muscle']} | {r['peak_change_pct']:+.1f} "
                     f"| {r['mean_per_stride_change_pct']:+.1f} "
                     f"| {r['mean_per_minute_change_pct']:+.1f} "
                     f"| {'' if m is None else f'{m:+.1f}'} |")
    return ("Change at a 10 % higher step rate, fresh runner, 3.0 m/s\n\n"
            + "\n".join(lines) + "\n")


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("step_rate_muscle_forces", rows, table,
                        "experiments/step_rate_muscle_forces.py")
    print(table)


if __name__ == "__main__":
    main()
