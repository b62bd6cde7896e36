"""What does the posture's objective look like in the minutes before exhaustion?

Question: where the default stepping's superficial load lies more than the tolerance from
the resolved one, it is in the last minutes before exhaustion, where the resolved lean
moves by degrees within a window (``experiments/excess_windows.py``). Is that a jump
between two valleys of the posture's objective, how far apart are they, and how much
effort separates them?

Method: the scenarios of the tolerance set that end in exhaustion and were over the
tolerance (:data:`SCENARIOS`), run in the resolved stepping. At the capacities of each of
its windows in the last :data:`MINUTES` minutes, the slope ``g(lean)`` of the posture's
objective ``ln E(lean) - anchor lean + cost (lean - home)^2``
(:func:`sim.core.engine_posture.lean_update`) on a grid of leans :data:`GRID_DEG`, from
the reference path's stride solve (:func:`sim.core.reference_stride._lean_rate_by_joint`;
``anchor`` the fresh stride's relative rate). Valleys are where ``g`` turns from negative
to positive between grid points; the objective is ``g`` integrated over the grid. For
each window: its mean lean, the valleys, how far apart the deepest and the shallowest
lie, and how much effort a lean :data:`OFF_DEG` from the valley nearest the window's lean
costs on its flatter side (how well the effort pins the posture down), both as a share
of the stride's effort (``exp(d) - 1``). For contrast the same at the window a
quarter into each run, and the same at the default stepping's blocks (each block's lean:
its stride's, the block's mean after the trapezoid) in the same minutes; and, for a run
that does not end in exhaustion, the main sweep's named runner (:data:`NAMED_RUNNER`,
the last minutes before its end). ("min to exhaustion" is to the named runner's end.)

Writes ``results/posture_landscape/`` (``table.md``, ``rows.json``,
``posture_landscape.png``: the slope against the lean at every window of ``bench_5``, the
resolved lean marked; manifest).
Run: ``python experiments/posture_landscape.py`` (about 9 minutes on 2 cores).
"""
from __future__ import annotations

import math

import numpy as np

from sim.config import load_config
from sim.core.engine_layout import S
from sim.core.reference_stride import _lean_rate_by_joint
from sim.core.scenario import build_inputs
from sim.core.simulation import simulate
from sim.interface.accuracy import map_scenarios, tolerance_set
from sim.results import save_figure, write_table_results

#: The tolerance set's runs that end in exhaustion and were over the tolerance.
SCENARIOS = ("bench_5", "pace_4", "exhaust_3.8", "exhaust_3.4", "fast_start")
#: For contrast, a run that does not end in exhaustion: the main sweep's named runner
#: (``experiments/lean_preference.py``); its last minutes are those before its end.
NAMED_RUNNER = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
                "scenario.core_strength": 0.8, "scenario.hip_flexor_tightness_deg": 8.0}
#: Minutes before the resolved run's exhaustion whose windows are looked at.
MINUTES = 4.0
#: The leans at which the slope is taken [deg], beyond the runner's fresh posture.
GRID_DEG = np.arange(-2.0, 6.01, 0.25)
#: How far from a valley the effort of a lean is given [deg].
OFF_DEG = 1.0


def _landscape(name, cfg):
    """Both steppings' slopes on the grid at each checkpoint of the resolved run's last
    minutes (and a quarter into the run)."""
    res = simulate(cfg.with_overrides({"model.mode": "resolved"}))
    default = simulate(cfg.with_overrides({"model.mode": "block"}))
    end = (res.exhaustion_s if math.isfinite(res.exhaustion_s)
           else float(res.time_s[-1] + res.duration_s[-1]))
    return (_slopes(name, cfg, res, "resolved", end)
            + _slopes(name, cfg, default, "default", end))


def _slopes(name, cfg, res, stepping, exhaustion_s):
    """The slope on the grid at ``res``'s checkpoints within :data:`MINUTES` of
    ``exhaustion_s`` [s] (the resolved run's exhaustion, else its end) and at the one a
    quarter into the run."""
    inp = build_inputs(cfg)
    cost = float(inp.sc[S.fwd_lean_cost])
    home = float(inp.sc[S.lean_home_rad])

    def rel(k, lean):
        E, by_dof, bad = _lean_rate_by_joint(inp, float(res.speed_mps[k]), res.capacity[k], lean)
        return float(by_dof.sum() / E), bool(bad)

    anchor, _ = rel(0, home)
    grid = home + np.radians(GRID_DEG)          # beyond the fresh posture, as the run's lean
    rows = []
    quarter = int(np.searchsorted(res.time_s, 0.25 * res.time_s[-1]))
    for k in range(len(res.time_s)):
        late = res.time_s[k] >= exhaustion_s - 60.0 * MINUTES
        if res.speed_mps[k] <= 0.0 or not (late or k == quarter):
            continue
        g = np.full(grid.size, np.nan)
        for j, x in enumerate(grid):
            r, bad = rel(k, x)
            if not bad:
                g[j] = r - anchor + 2.0 * cost * (x - home)
        rows.append({"scenario": name, "stepping": stepping, "time_s": float(res.time_s[k]),
                     "to_exhaustion_min": float((exhaustion_s - res.time_s[k]) / 60.0),
                     "lean_deg": float(res.trunk_flexion_deg[k]),
                     "superficial_load": float(res.superficial_load_index[k]),
                     "slope": [None if not np.isfinite(v) else float(v) for v in g]})
    return rows


def valleys(g, grid_deg=GRID_DEG):
    """Leans [deg] where the slope ``g`` turns from negative to positive (the crossing,
    linear between grid points; a grid point with ``g`` exactly 0 counts once).

    Examples
    --------
    >>> valleys(np.array([-1.0, 1.0, -1.0, -1.0, 1.0]), np.arange(5.0))
    [0.5, 3.5]
    """
    out = []
    for j in range(len(g) - 1):
        a, b = g[j], g[j + 1]
        if np.isfinite(a) and np.isfinite(b) and a < 0.0 <= b:
            out.append(float(grid_deg[j] + (grid_deg[j + 1] - grid_deg[j]) * (-a) / (b - a)))
    return out


def objective(g, grid_deg=GRID_DEG):
    """The objective [1] on the grid, 0 at its first lean: ``g`` integrated (trapezoid)."""
    x = np.radians(grid_deg)
    return np.concatenate([[0.0], np.cumsum(0.5 * (g[1:] + g[:-1]) * np.diff(x))])


def summarise(row):
    """A window's valleys, how far apart the deepest and the shallowest are, and the effort
    of a lean :data:`OFF_DEG` from the valley nearest the window's lean on its flatter side
    [% of the stride's effort] (over the grid's feasible stretch that holds the lean)."""
    g = np.array([np.nan if v is None else v for v in row["slope"]])
    bad = np.flatnonzero(~np.isfinite(g))
    j0 = int(np.argmin(np.abs(GRID_DEG - row["lean_deg"])))
    lo = bad[bad < j0].max() + 1 if np.any(bad < j0) else 0
    hi = bad[bad > j0].min() if np.any(bad > j0) else g.size
    x, g = GRID_DEG[lo:hi], g[lo:hi]
    out = {"valleys_deg": valleys(g, x)}
    if x.size < 2 or not out["valleys_deg"]:
        return out
    f = objective(g, x)
    v = np.array(out["valleys_deg"])
    here = v[np.argmin(np.abs(v - row["lean_deg"]))]
    depth = np.interp(v, x, f)
    out["valleys_apart_pct"] = float(100.0 * (math.exp(depth.max() - depth.min()) - 1.0))
    rise = [np.interp(here + s * OFF_DEG, x, f) - np.interp(here, x, f) for s in (-1.0, 1.0)
            if x[0] <= here + s * OFF_DEG <= x[-1]]
    if rise:
        out["off_pct"] = float(100.0 * (math.exp(min(rise)) - 1.0))
    return out


def as_markdown(rows) -> str:
    lines = ["| scenario | stepping | window start [s] | min to exhaustion | lean [deg] | "
             "superficial load | valleys [deg] | valleys' depths apart [% effort] | "
             f"a lean {OFF_DEG:g} deg from the lean's valley [% effort] |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = summarise(r)
        lines.append(f"| {r['scenario']} | {r['stepping']} | {r['time_s']:.0f} | "
                     f"{r['to_exhaustion_min']:.1f} | {r['lean_deg']:.2f} | "
                     f"{r['superficial_load']:.3f} | "
                     + ", ".join(f"{v:.2f}" for v in s["valleys_deg"]) + " | "
                     + (f"{s['valleys_apart_pct']:.3f}" if "valleys_apart_pct" in s else "-")
                     + " | "
                     + (f"{s['off_pct']:.3f}" if "off_pct" in s else "-")
                     + " |")
    return "\n".join(lines) + "\n"


def figure(rows, name="bench_5"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sel = [r for r in rows if r["scenario"] == name and r["stepping"] == "resolved"]
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    cmap = plt.get_cmap("viridis")
    for i, r in enumerate(sel):
        g = np.array([np.nan if v is None else v for v in r["slope"]])
        c = cmap(i / max(1, len(sel) - 1))
        ax.plot(GRID_DEG, g, color=c, label=f"{r['to_exhaustion_min']:.1f} min before")
        ax.plot([r["lean_deg"]], [np.interp(r["lean_deg"], GRID_DEG, g)], "o", color=c)
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set_ylim(-0.03, 0.06)
    ax.set_xlabel("forward lean beyond the fresh posture [deg]")
    ax.set_ylabel("slope of the posture's objective [1/rad]")
    ax.set_title(f"{name}: the posture's objective near exhaustion (resolved stepping;\n"
                 "dots: the window's mean lean; a valley is where the slope turns positive)",
                 fontsize=9)
    ax.legend(fontsize=7)
    return fig


def main():
    cfgs = dict(tolerance_set())
    runs = [(n, cfgs[n]) for n in SCENARIOS]
    runs.append(("named runner", load_config(None, NAMED_RUNNER)))
    rows = [r for rs in map_scenarios(_landscape, runs) for r in rs]
    for r in rows:
        r.update(summarise(r))
    table = as_markdown(rows)
    out = write_table_results("posture_landscape", rows, table,
                              "experiments/posture_landscape.py")
    save_figure(figure(rows), out / "posture_landscape.png")
    print(table)
    print(out)


if __name__ == "__main__":
    main()
