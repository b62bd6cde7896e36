"""Which LLVM optimisation level should the package's kernels be compiled with?

numba asks LLVM for level 3 by default. Each level is measured here the way a fresh
install meets it, alternating the levels round by round so that the machine's drift
falls on all of them alike:

- the cold compile: ``sim.warmup.ensure_compiled`` in a new process with an empty
  ``NUMBA_CACHE_DIR`` (the run loop, its helper process and the batch reduction);
- the speed after compiling: ``runfatigue bench`` on its standard 2,000 scenarios (median
  of its three timings), with that level's cache.

The package's own processes use ``sim.jit.OPT_LEVEL`` (``sim.jit.use_compile_level``).

Writes ``results/compile_level/`` (``table.md``, ``rows.json``, manifest).
Run: ``python experiments/compile_level.py [--rounds 3] [--levels 3 2 1]`` (about 2 min a
level and round on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from sim.results import write_table_results

COMPILE = "import sim.core.warmup as w; print(w.ensure_compiled())"


def _measure(level: int, cache: str) -> dict:
    env = {**os.environ, "NUMBA_OPT": str(level), "NUMBA_CACHE_DIR": cache}
    cold = subprocess.run([sys.executable, "-c", COMPILE], env=env, check=True,
                          capture_output=True, text=True)
    with tempfile.TemporaryDirectory() as res:
        bench = subprocess.run([sys.executable, "-m", "sim", "bench", "--json", "--reference",
                                "0", "--resolved", "0", "--long", "0", "--results", res],
                               env=env, check=True, capture_output=True, text=True)
    return {"level": level, "compile_s": float(cold.stdout.strip().splitlines()[-1]),
            "scenarios_per_s": json.loads(bench.stdout)["scenarios_per_s"]}


def run(levels=(3, 2, 1), rounds: int = 3) -> list[dict]:
    rows = []
    for r in range(rounds):
        for level in levels:
            with tempfile.TemporaryDirectory() as cache:
                row = {"round": r + 1, **_measure(level, cache)}
            print(row, flush=True)
            rows.append(row)
    return rows


def as_markdown(rows) -> str:
    lines = ["| LLVM level | cold compile [s], each round | median | benchmark "
             "[scenarios/s], each round | median |", "|---|---|---|---|---|"]
    for level in dict.fromkeys(r["level"] for r in rows):
        c = [r["compile_s"] for r in rows if r["level"] == level]
        s = [r["scenarios_per_s"] for r in rows if r["level"] == level]
        lines.append(f"| {level} | {', '.join(f'{x:.1f}' for x in c)} | "
                     f"{statistics.median(c):.1f} | {', '.join(f'{x:.0f}' for x in s)} | "
                     f"{statistics.median(s):.0f} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--levels", type=int, nargs="+", default=[3, 2, 1])
    a = ap.parse_args()
    rows = run(tuple(a.levels), a.rounds)
    table = as_markdown(rows)
    write_table_results("compile_level", rows, table, "experiments/compile_level.py")
    print(table)


if __name__ == "__main__":
    main()
