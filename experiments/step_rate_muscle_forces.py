"""What does a 10 % higher step rate change in each muscle's load?

The fresh default runner at 3.0 m/s, at its natural step rate and 10 % above it: each
muscle's peak force over the stride and its mean force over time (the mean over a stride's
duration, hence also the change of the force-time integral per minute), from
:func:`sim.teaching.validation_back_load.step_rate_changes`. The peak vertical force per
step falls as calibrated on Musgjerd et al. 2021 and the lumbar moments with it (an
assumption; ``experiments/step_rate_trunk_load.py`` varies it). Published: Lenhart, Thelen &
Heiderscheit (2014) J Orthop Sports Phys Ther 44(10):766, Table 1 (30 runners at their
preferred speed; musculoskeletal model; peak stance forces): gluteus maximus -7.8 %,
gluteus medius -10.6 %, the hamstrings' stance peaks +6-7 %. No study was found that
measured the trunk muscles' load per step at a changed step rate.

Writes ``results/step_rate_muscle_forces/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/step_rate_muscle_forces.py``.
"""
from __future__ import annotations

from sim.results import write_table_results
from sim.teaching.validation_back_load import STEP_RATE_MEASURED, step_rate_changes


def run() -> list[dict]:
    return [{"muscle": m, "peak_change_pct": p, "mean_change_pct": s,
             "measured_peak_change_pct": STEP_RATE_MEASURED.get(m)}
            for m, (p, s) in step_rate_changes().items()]


def as_markdown(rows) -> str:
    lines = ["| muscle | peak force [%] | mean force over time [%] "
             "| measured peak (Lenhart 2014) [%] |", "|---|---|---|---|"]
    for r in rows:
        m = r["measured_peak_change_pct"]
        lines.append(f"| {r['muscle']} | {r['peak_change_pct']:+.1f} "
                     f"| {r['mean_change_pct']:+.1f} "
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
