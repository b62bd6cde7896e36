"""How far apart are two resolved runs that differ only by rounding?

Question: the default stepping is held to the resolved one within 0.01 (capacity, and
both back-load index curves; :mod:`sim.interface.accuracy`). In runs that end in
exhaustion the superficial-load curves stay apart by up to 0.05, where the forward lean's
optimum jumps between two valleys of the effort. On 2026-12-06 a change that moved every
run by rounding only (a stride's effort summed with ``1 / W`` instead of dividing by
``W``: summaries within 1e-9 s and 1e-13 of capacity over 632 runs) took away a
posture excursion of the *resolved* run of ``bench_5`` (2.5 deg of extra lean for a
minute, +0.05 of superficial load), and with it that scenario's whole distance from the
default stepping (0.049 to 0.006). How much of the distance in the other scenarios is the
reference's own sensitivity to rounding?

Method: every scenario of :func:`sim.interface.accuracy.tolerance_set`, run in both
steppings as it is and with the runner's mass 1e-12 of itself heavier (a change of the
size of the rounding in a run's sums; it reaches every force, capacity and effort).
Measured (:func:`sim.interface.accuracy.curve_differences`, the benchmark's comparison):
the default stepping against the resolved one, unperturbed and perturbed; the resolved
run against its perturbed self; and the default run against its perturbed self (read at
the unperturbed default run's blocks). And whether the reference has settled in its own
search: the resolved run against itself with half its posture search's tolerance
(``forward_lean.probe_settle_deg`` in ``sim/data/body.toml``, :data:`SEARCH_FACTOR`).

Writes ``results/resolved_rounding/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/resolved_rounding.py`` (about 7 minutes on 2 cores).
"""
from __future__ import annotations

import dataclasses

from sim.core.engine_layout import S
from sim.core.scenario import build_inputs
from sim.core.simulation import simulate, simulate_inputs
from sim.interface.accuracy import TOLERANCE, curve_differences, map_scenarios, tolerance_set
from sim.results import write_table_results

#: Relative change of the runner's mass: about the rounding of a run's sums.
PERTURBATION = 1e-12
#: The resolved stepping's posture-search tolerance is also run at this share of itself.
SEARCH_FACTOR = 0.5

KEYS = ("max_capacity_difference", "max_superficial_load_difference",
        "max_shear_bw_difference")


def _runs(cfg):
    mass = cfg.runner.mass_kg
    out = {}
    for tag, c in (("", cfg), ("_p", cfg.with_overrides(
            {"runner.mass_kg": mass * (1.0 + PERTURBATION)}))):
        out["default" + tag] = simulate(c.with_overrides({"model.mode": "block"}))
        out["resolved" + tag] = simulate(c.with_overrides({"model.mode": "resolved"}))
    rc = cfg.with_overrides({"model.mode": "resolved"})
    inp = build_inputs(rc)
    sc = inp.sc.copy()
    sc[S.probe_settle_rad] *= SEARCH_FACTOR
    out["resolved_h"] = simulate_inputs(rc, dataclasses.replace(inp, sc=sc))
    return out


def _worst(d) -> float:
    return max(d[k] for k in KEYS)


def _row(name, cfg):
    r = _runs(cfg)
    pairs = {"default_vs_resolved": ("resolved", "default"),
             "default_vs_resolved_perturbed": ("resolved_p", "default_p"),
             "resolved_vs_perturbed": ("resolved", "resolved_p"),
             "default_vs_perturbed": ("default", "default_p"),
             "resolved_vs_finer_search": ("resolved", "resolved_h")}
    row = {"scenario": name}
    for label, (ref, other) in pairs.items():
        d = curve_differences(r[ref], r[other])
        row[label] = {k: d[k] for k in KEYS}
        row[label]["worst"] = _worst(d)
    row["exhaustion_resolved_s"] = r["resolved"].exhaustion_s
    row["exhaustion_resolved_perturbed_s"] = r["resolved_p"].exhaustion_s
    row["exhaustion_resolved_finer_search_s"] = r["resolved_h"].exhaustion_s
    return row


def run(threads=None):
    rows = map_scenarios(_row, tolerance_set(), threads)
    return rows


def as_markdown(rows) -> str:
    lines = ["| scenario | default vs resolved | ... both perturbed | resolved vs perturbed "
             "resolved | default vs perturbed default | resolved vs its finer search |",
             "|---|---|---|---|---|---|"]

    def cell(d):
        return (f"{d['worst']:.4f} (sup {d['max_superficial_load_difference']:.4f})")

    for r in rows:
        lines.append(f"| {r['scenario']} | {cell(r['default_vs_resolved'])} | "
                     f"{cell(r['default_vs_resolved_perturbed'])} | "
                     f"{cell(r['resolved_vs_perturbed'])} | "
                     f"{cell(r['default_vs_perturbed'])} | "
                     f"{cell(r['resolved_vs_finer_search'])} |")
    lines.append("")
    for label in ("default_vs_resolved", "default_vs_resolved_perturbed",
                  "resolved_vs_perturbed", "default_vs_perturbed",
                  "resolved_vs_finer_search"):
        over = [r["scenario"] for r in rows if r[label]["worst"] > TOLERANCE]
        worst = max(rows, key=lambda r: r[label]["worst"])
        lines.append(f"- {label.replace('_', ' ')}: {len(over)} of {len(rows)} over "
                     f"{TOLERANCE:g}, worst {worst[label]['worst']:.4f} "
                     f"(`{worst['scenario']}`){': ' + ', '.join(over) if over else ''}")
    lines.append("")
    lines.append(f"Worst of the capacity, superficial-load and shear [BW] curve differences "
                 f"(superficial load alone in brackets); perturbed: the runner's mass "
                 f"{PERTURBATION:g} of itself heavier; finer search: the resolved "
                 f"stepping's posture-search tolerance times {SEARCH_FACTOR:g}.")
    return "\n".join(lines) + "\n"


def main():
    rows = run()
    table = as_markdown(rows)
    write_table_results("resolved_rounding", rows, table, "experiments/resolved_rounding.py")
    print(table)


if __name__ == "__main__":
    main()
