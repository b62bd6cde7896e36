"""What a block's value should be: its first stride's, or the block's mean?

Question: the default stepping solves one stride per block (30 s and longer). Until
2026-12-06 a block reported that stride's values (the stride at the block's start), held
until the next block; the resolved stepping, which the default is held to
(:mod:`sim.interface.accuracy`), reports each 30-s window's mean over all its strides.
Where a back-load index moves fast (the last minutes before exhaustion, when the posture
moves by degrees a minute) a held value trails the window mean by about half a block,
whatever the stepping. How large is that part of the default stepping's difference, and
how much of it does the trapezoid of the block's two end strides (the block's own stride
and the next block's, which the default stepping solves anyway) remove?

Method: every scenario of :func:`sim.interface.accuracy.tolerance_set`, resolved with 5-s
windows (a "perfect" trajectory, finely sampled) and with the standard 30-s windows; the
default run's blocks (their starts and lengths). From the 5-s run alone, three curves on
the default run's blocks: *held*, the 5-s window at the block's start; *trapezoid*, the
mean of that and the 5-s window at the block's end; *mean*, the 5-s windows within the
block averaged, stride-weighted. Each is compared with the 30-s resolved run as
:func:`sim.interface.accuracy.curve_differences` compares the default run (the largest
difference while both run); so is the default run itself (which reports the trapezoid
since 2026-12-06). The held curve's difference is a floor that no stepping of the state
can go below while a block reports its first stride. (Where a pace policy changes the
speed, ``slow_down`` and ``in_run_sequence``, the 5-s run's stops need not fall on the
default run's blocks: there the three curves also differ by the policy's timing.)

Writes ``results/block_means/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/block_means.py`` (about 6 minutes on 2 cores).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.core.simulation import simulate
from sim.interface.accuracy import TOLERANCE, curve_differences, map_scenarios, tolerance_set
from sim.results import write_table_results

#: The two resolved window lengths [s]: the fine trajectory and the standard reference.
FINE_S, COARSE_S = 5.0, 30.0

#: The back-load indices compared (attributes of :class:`sim.core.simulation.RunResult`).
INDICES = ("superficial_load_index", "shear_bw")


def on_blocks(fine, blocks, how):
    """``fine``'s back-load indices on ``blocks``' checkpoints: ``how`` is ``"held"`` (the
    fine window at the block's start), ``"trapezoid"`` (that and the one at its end,
    averaged) or ``"mean"`` (the fine windows within the block, stride-weighted)."""
    t, n = fine.time_s, fine.time_s.size
    start = np.clip(np.searchsorted(t, blocks.time_s + 1e-6, side="right") - 1, 0, n - 1)
    end = np.clip(np.searchsorted(t, blocks.time_s + blocks.duration_s + 1e-6,
                                  side="right") - 1, 0, n - 1)
    out = {}
    for attr in INDICES:
        x = getattr(fine, attr)
        if how == "held":
            y = x[start]
        elif how == "trapezoid":    # (within a stretch of running at one speed)
            same = (blocks.speed_mps > 0) & (fine.speed_mps[end] == fine.speed_mps[start])
            y = np.where(same, 0.5 * (x[start] + x[end]), x[start])
        else:
            y = x[start].copy()
            for q, (t0, d) in enumerate(zip(blocks.time_s, blocks.duration_s)):
                m = (t >= t0 - 1e-6) & (t < t0 + d - 1e-6) & np.isfinite(x)
                if m.any():
                    y[q] = float((x[m] * fine.strides[m]).sum() / fine.strides[m].sum())
        out[attr] = y
    return SimpleNamespace(time_s=blocks.time_s, duration_s=blocks.duration_s,
                           speed_mps=blocks.speed_mps, capacity=fine.capacity[start], **out)


def _row(name, cfg):
    fine, coarse = (simulate(cfg.with_overrides({"model.mode": "resolved",
                                                 "model.block_s": w}))
                    for w in (FINE_S, COARSE_S))
    default = simulate(cfg.with_overrides({"model.mode": "block"}))
    row = {"scenario": name}
    for how in ("held", "trapezoid", "mean"):
        d = curve_differences(coarse, on_blocks(fine, default, how))
        row[how] = {"superficial_load": d["max_superficial_load_difference"],
                    "shear_bw": d["max_shear_bw_difference"]}
    d = curve_differences(coarse, default)
    row["default"] = {"superficial_load": d["max_superficial_load_difference"],
                      "shear_bw": d["max_shear_bw_difference"]}
    return row


def run(threads=None):
    return map_scenarios(_row, tolerance_set(), threads)


def as_markdown(rows) -> str:
    cols = ("held", "trapezoid", "mean", "default")
    lines = ["| scenario | " + " | ".join(f"{c}: superficial | {c}: shear" for c in cols) + " |",
             "|---|" + "---|" * (2 * len(cols))]
    for r in rows:
        lines.append(f"| {r['scenario']} | " + " | ".join(
            f"{r[c]['superficial_load']:.4f} | {r[c]['shear_bw']:.4f}" for c in cols) + " |")
    lines.append("")
    for c in cols:
        over = [r["scenario"] for r in rows
                if max(r[c]["superficial_load"], r[c]["shear_bw"]) > TOLERANCE]
        worst = max(rows, key=lambda r: r[c]["superficial_load"])
        lines.append(f"- {c}: largest superficial-load difference "
                     f"{worst[c]['superficial_load']:.4f} (`{worst['scenario']}`), largest "
                     f"shear {max(r[c]['shear_bw'] for r in rows):.4f} BW; {len(over)} of "
                     f"{len(rows)} scenarios over {TOLERANCE}"
                     + (f" ({', '.join(over)})" if over else ""))
    lines += ["", "Largest differences from the resolved run with 30-s windows while both run "
                  "(superficial load: fraction of capacity; shear: BW). held, trapezoid, "
                  "mean: the resolved run with 5-s windows read on the default run's blocks; "
                  "default: the default stepping's own run."]
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("block_means", rows, table, "experiments/block_means.py")
    print(table)


if __name__ == "__main__":
    main()
