"""Do the default and the resolved stepping give the same spike onset?

The spike onset is the product's answer to "when". The default (block) stepping holds one
forward lean per block; where the stride's effort has a kink in the lean (a muscle at its
bound), the posture update could swing across the kink block after block, and the
superficial load with it, by a few thousandths: on a runner whose index sits that close
to its threshold for an hour, the onset then depends on the swing. The posture update
keeps a bracket of the optimum to close in on such a kink
(:func:`sim.core.engine_posture.lean_update`).

Measured here on the first ``--scenarios`` of the benchmark's standard sweep
(:func:`sim.interface.accuracy.standard_configs`, 2-hour runs): the configured index's
onset in both modes, how many runs spike in both, in only one, and the distribution of
the difference where both do.

Writes ``results/onset_agreement/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/onset_agreement.py [--scenarios 80]`` (a few minutes on 2 cores).
"""
from __future__ import annotations

import argparse

import numpy as np

from sim.core.simulation import simulate
from sim.interface.accuracy import standard_configs
from sim.results import write_table_results


def run(n=80):
    rows = []
    for i, cfg in enumerate(standard_configs(2000)[:n]):
        b = simulate(cfg)
        r = simulate(cfg.with_overrides({"model.mode": "resolved"}))
        rows.append({"scenario": f"bench_{i}", "onset_default_min": b.spike_onset_s / 60.0,
                     "onset_resolved_min": r.spike_onset_s / 60.0,
                     "blocks_default": int(b.time_s.size)})
    return rows


def summary(rows) -> dict:
    b = np.array([r["onset_default_min"] for r in rows])
    r = np.array([r["onset_resolved_min"] for r in rows])
    both = np.isfinite(b) & np.isfinite(r)
    d = np.abs(b - r)[both]
    return {"scenarios": len(rows), "spike_in_both": int(both.sum()),
            "spike_in_one_only": int((np.isfinite(b) ^ np.isfinite(r)).sum()),
            "median_difference_min": float(np.median(d)) if d.size else float("nan"),
            "largest_difference_min": float(d.max()) if d.size else float("nan"),
            "over_5_min": int((d > 5.0).sum()), "over_15_min": int((d > 15.0).sum())}


def as_markdown(s) -> str:
    return ("| scenarios | spike in both modes | in one only | onset difference: median | "
            "largest | > 5 min | > 15 min |\n|---|---|---|---|---|---|---|\n"
            f"| {s['scenarios']} | {s['spike_in_both']} | {s['spike_in_one_only']} | "
            f"{s['median_difference_min']:.1f} min | {s['largest_difference_min']:.1f} min | "
            f"{s['over_5_min']} | {s['over_15_min']} |\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=80)
    a = ap.parse_args()
    rows = run(a.scenarios)
    s = summary(rows)
    table = as_markdown(s)
    write_table_results("onset_agreement", {"summary": s, "rows": rows}, table,
                        "experiments/onset_agreement.py")
    print(table)


if __name__ == "__main__":
    main()
