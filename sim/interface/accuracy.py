"""The benchmark's scenario sets, and how far the default stepping is from the resolved one.

:func:`standard_configs` is the benchmark's standard sweep (pinned: a seeded Latin
hypercube). The default mode solves one representative stride per block and lets blocks
grow while capacities change slowly (``model.block_tolerance``; with
``model.index_tolerance`` also the back-load indices); the resolved mode steps every phase
sample.
:func:`tolerance_set` is a fixed set of scenarios that spans paces (2.5–4 m/s),
durations up to 4 h, runs that end in exhaustion and every shipped config (a sweep file by
its base scenario, left out where that repeats another shipped config);
:func:`compare` runs one scenario in both modes and measures

* the largest capacity difference of any muscle (fraction of fresh), with the default
  run's capacities interpolated at the resolved checkpoints;
* the largest difference of each back-load index curve (superficial load: fraction of
  capacity; shear: body weights) while both are running. A resolved checkpoint's value is
  the mean over its window, so it is compared at the window's middle with the default
  block that holds that moment (a block's value, the mean of its stride and the next
  block's, holds until the next block, the last one until its end, as
  :mod:`sim.physics.metrics` reads checkpoints);
* the spike onset of each index, compared only where both modes cross its threshold by a
  clear margin (:data:`ONSET_MARGIN`): near a knife edge an onset can move by a whole
  hour for a change of 0.001 in the index, which says nothing about the stepping;
* the time to exhaustion, where both runs end in exhaustion (the curves are compared only
  up to the earlier end, so this is where a run that ends minutes early shows);
* how many windows of each index curve were compared, and how many of them are over
  :data:`TOLERANCE` (``windows_<index>``, ``windows_over_<index>``).

:func:`windows_over` sums those counts over a set.

Both curves are compared up to the earlier of the two ends (exhaustion can come a block
apart). ``runfatigue bench`` reports the set's worst case.

Examples
--------
>>> names = [name for name, _ in tolerance_set()]
>>> len(names) >= 30, "baseline" in names
(True, True)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["standard_configs", "TOLERANCE", "ONSET_MARGIN", "tolerance_set", "compare",
           "curve_differences", "window_differences", "map_scenarios", "compare_all",
           "worst_case", "over_tolerance", "windows_over"]

#: The promise of the default stepping: capacity (fraction of fresh) and back-load index
#: curves (fraction of capacity; BW for shear) within this of the resolved mode.
TOLERANCE = 0.01

#: An onset is compared when both modes' index curves rise this far past the threshold
#: (the index's own unit).
ONSET_MARGIN = 0.02


def standard_configs(n=2000, minutes=120.0, seed=1):
    """The benchmark's scenarios (Latin hypercube, deterministic)."""
    from scipy.stats import qmc

    from ..config import load_config

    base = load_config(None, {"run.duration_min": minutes, "output.name": "bench"})
    x = qmc.LatinHypercube(d=3, rng=np.random.default_rng(seed)).random(n)
    return [base.with_overrides({"scenario.hip_flexor_tightness_deg": round(20 * a, 6),
                                 "run.speed_mps": round(2.5 + 1.5 * b, 6),
                                 "scenario.core_strength": round(0.6 + 0.4 * c, 6)})
            for a, b, c in x]


def configs_dir():
    """The shipped ``configs/`` folder: in the working directory, else beside the package."""
    for d in (Path.cwd() / "configs", Path(__file__).resolve().parents[2] / "configs"):
        if d.is_dir():
            return d
    return None


def _shipped():
    """Every shipped config file (the base scenario of a sweep file)."""
    import tomllib

    from ..config import load_config

    out = []
    d = configs_dir()
    for path in sorted(d.glob("*.toml")) if d else ():
        sweep = "sweep" in tomllib.loads(path.read_text(encoding="utf-8"))
        cfg = load_config(path, extra_sections=("sweep",) if sweep else ())
        out.append((path.stem, cfg))
    return out


def tolerance_set() -> list:
    """The fixed scenarios as ``(name, Config)`` pairs (at least 30, all different)."""
    from ..config import load_config

    base = load_config(None, {"output.name": "accuracy"})
    out = []
    for i, cfg in enumerate(standard_configs(12, 120.0)):          # the benchmark's own
        out.append((f"bench_{i}", cfg))
    for v in (2.5, 3.0, 3.5, 4.0):                                  # paces, 2 h
        out.append((f"pace_{v:g}", base.with_overrides({"run.speed_mps": v,
                                                          "run.duration_min": 120.0})))
    for v, tight, core in ((2.5, 0.0, 1.0), (2.8, 5.0, 0.9), (3.0, 15.0, 0.7),
                           (3.2, 10.0, 0.8)):                       # 4 h
        out.append((f"4h_{v:g}", base.with_overrides({
            "run.speed_mps": v, "run.duration_min": 240.0,
            "scenario.hip_flexor_tightness_deg": tight, "scenario.core_strength": core})))
    for v, minutes in ((3.4, 240.0), (3.6, 90.0), (3.8, 60.0)):    # end in exhaustion
        out.append((f"exhaust_{v:g}", base.with_overrides({"run.speed_mps": v,
                                                            "run.duration_min": minutes})))
    seen = [c.to_dict() for _, c in out]
    for name, cfg in _shipped():          # a sweep file's base may repeat another config
        if cfg.to_dict() not in seen:
            out.append((name, cfg))
            seen.append(cfg.to_dict())
    return out


def _running_curve(res, attr):
    x = np.asarray(getattr(res, attr), dtype=float)
    ok = np.isfinite(x) & (np.asarray(res.speed_mps) > 0.0)
    return ok, x


def window_differences(ref, other) -> dict:
    """Each compared window's back-load index difference of run ``other`` from run ``ref``.

    Read as :func:`curve_differences` reads them (``ref``'s windows at their middles).

    Returns
    -------
    dict
        For each back-load index of :data:`sim.core.simulation.INDICES`, ``(mid, diff)``:
        the middles [s] of the windows compared and the absolute differences there.
    """
    from ..core.simulation import INDICES

    keep = _kept_windows(ref, other)
    mid = ref.time_s + 0.5 * ref.duration_s
    out = {}
    for name, (attr, _, _) in INDICES.items():
        oko, xo = _running_curve(other, attr)
        okr, xr = _running_curve(ref, attr)
        to = other.time_s[oko]
        # (the last running checkpoint holds until its end, as every other one does)
        end = to[-1] + other.duration_s[oko][-1]
        sel = okr & keep & (mid >= to[0]) & (mid < end)
        xo_at = xo[oko][np.searchsorted(to, mid[sel], side="right") - 1]
        out[name] = (mid[sel], np.abs(xo_at - xr[sel]))
    return out


def _kept_windows(ref, other):
    """``ref``'s windows that end by the earlier of the two runs' ends."""
    t_end = min(other.time_s[-1] + other.duration_s[-1], ref.time_s[-1] + ref.duration_s[-1])
    return ref.time_s + ref.duration_s <= t_end + 1e-9


def curve_differences(ref, other) -> dict:
    """The largest differences of run ``other`` from run ``ref``, as :func:`compare` takes them.

    ``ref`` stands where :func:`compare` puts the resolved run: its checkpoints are the
    windows, ``other``'s capacities are interpolated at their starts and ``other``'s
    back-load indices read at their middles (the value of ``other``'s checkpoint holding
    that moment, its last running one up to its end; :func:`window_differences`), while
    both are running and up to the earlier of the two ends.

    Returns
    -------
    dict
        ``max_capacity_difference`` and ``max_<index>_difference`` for each back-load
        index of :data:`sim.core.simulation.INDICES`.
    """
    keep = _kept_windows(ref, other)
    cap_o = np.array([np.interp(ref.time_s[keep], other.time_s, other.capacity[:, j])
                      for j in range(other.capacity.shape[1])]).T
    out = {"max_capacity_difference": float(np.abs(cap_o - ref.capacity[keep]).max())}
    for name, (_, diff) in window_differences(ref, other).items():
        out[f"max_{name}_difference"] = float(diff.max()) if diff.size else 0.0
    return out


def compare(cfg, resolved=None) -> dict:
    """Run ``cfg`` in both modes; the differences described in the module docstring.

    ``resolved``: the resolved run of ``cfg``, if already at hand (settings that only the
    default stepping reads, such as ``model.lean_settle_deg``, leave it unchanged)."""
    from ..core.simulation import INDICES, simulate

    b = simulate(cfg.with_overrides({"model.mode": "block"}))
    r = resolved if resolved is not None else simulate(cfg.with_overrides({"model.mode":
                                                                         "resolved"}))
    diff = curve_differences(r, b)
    windows = window_differences(r, b)
    out = {"max_capacity_difference": diff["max_capacity_difference"],
           "exhaustion_default_s": b.exhaustion_s, "exhaustion_resolved_s": r.exhaustion_s,
           "checkpoints_default": int(b.time_s.size), "checkpoints_resolved": int(r.time_s.size),
           "exhaustion_difference_s": float(abs(b.exhaustion_s - r.exhaustion_s))
           if np.isfinite(b.exhaustion_s) and np.isfinite(r.exhaustion_s) else None}
    for name, (attr, thr_key, _) in INDICES.items():
        okb, xb = _running_curve(b, attr)
        okr, xr = _running_curve(r, attr)
        out[f"max_{name}_difference"] = diff[f"max_{name}_difference"]
        out[f"windows_{name}"] = int(windows[name][1].size)
        out[f"windows_over_{name}"] = int((windows[name][1] > TOLERANCE).sum())
        thr = getattr(cfg.spike, thr_key)
        clear = (np.nanmax(np.where(okb, xb, np.nan)) >= thr + ONSET_MARGIN
                 and np.nanmax(np.where(okr, xr, np.nan)) >= thr + ONSET_MARGIN)
        on_b, on_r = b.spike_onsets.get(name, np.nan), r.spike_onsets.get(name, np.nan)
        compared = bool(clear and np.isfinite(on_b) and np.isfinite(on_r))
        out[f"onset_{name}_default_s"] = float(on_b)
        out[f"onset_{name}_resolved_s"] = float(on_r)
        out[f"onset_{name}_difference_s"] = float(abs(on_b - on_r)) if compared else None
    return out


def windows_over(rows: dict) -> dict:
    """Windows compared and windows over :data:`TOLERANCE`, per back-load index, summed over
    ``{name: compare(...)}``: ``{index: {"compared": n, "over": n}}``.

    Examples
    --------
    >>> windows_over({"a": {"windows_x": 10, "windows_over_x": 1},
    ...               "b": {"windows_x": 5, "windows_over_x": 0}})
    {'x': {'compared': 15, 'over': 1}}
    """
    out = {}
    for v in rows.values():
        for k in v:
            if k.startswith("windows_") and not k.startswith("windows_over_"):
                name = k[len("windows_"):]
                acc = out.setdefault(name, {"compared": 0, "over": 0})
                acc["compared"] += int(v[k])
                acc["over"] += int(v[f"windows_over_{name}"])
    return out


def worst_case(rows: dict) -> dict:
    """The largest of each difference over ``{name: compare(...)}``, with its scenario."""
    keys = [k for k in next(iter(rows.values())) if k.startswith(("max_", "onset_", "exhaustion_"))
            and k.endswith(("_difference", "_difference_s"))]
    out = {}
    for k in keys:
        vals = [(v[k], name) for name, v in rows.items() if v[k] is not None]
        if vals:
            val, name = max(vals)
            out[k] = {"value": val, "scenario": name}
    out["within_tolerance"] = all(out[k]["value"] <= TOLERANCE for k in out
                                  if k.startswith("max_"))
    return out


def over_tolerance(rows: dict) -> list:
    """The scenarios of ``{name: compare(...)}`` with a curve difference over
    :data:`TOLERANCE`, largest first: ``{"scenario", "worst", "curve", "exhausted"}``
    (``curve`` the ``max_*_difference`` key of the largest, ``exhausted`` whether either
    stepping's run ended in exhaustion)."""
    out = []
    for name, v in rows.items():
        curves = {k: v[k] for k in v if k.startswith("max_") and k.endswith("_difference")}
        k = max(curves, key=curves.get)
        if curves[k] > TOLERANCE:
            ends = (v.get("exhaustion_default_s"), v.get("exhaustion_resolved_s"))
            out.append({"scenario": name, "worst": curves[k], "curve": k,
                        "exhausted": any(e is not None and np.isfinite(e) for e in ends)})
    return sorted(out, key=lambda r: -r["worst"])


def map_scenarios(fn, scenarios, threads=None, progress=None) -> list:
    """``[fn(name, cfg) for name, cfg in scenarios]`` on a pool of threads (the kernels
    release the GIL), in the order given; ``progress(i, n, name)`` after each in order.

    Examples
    --------
    >>> map_scenarios(lambda name, cfg: name.upper(), [("a", None), ("b", None)])
    ['A', 'B']
    """
    from concurrent.futures import ThreadPoolExecutor

    import numba

    scenarios = list(scenarios)
    out = []
    with ThreadPoolExecutor(max_workers=threads or numba.get_num_threads()) as pool:
        futures = [pool.submit(fn, name, cfg) for name, cfg in scenarios]
        for (name, _), fut in zip(scenarios, futures):
            out.append(fut.result())
            if progress is not None:
                progress(len(out), len(futures), name)
    return out


def compare_all(scenarios, threads=None, progress=None) -> dict:
    """:func:`compare` for every ``(name, Config)`` (:func:`map_scenarios`);
    ``{name: differences}`` in the order given."""
    say = progress or (lambda msg: None)
    scenarios = list(scenarios)
    rows = map_scenarios(lambda name, cfg: compare(cfg), scenarios, threads,
                         lambda i, n, name: say(f"default vs resolved: {i}/{n} ({name})"))
    return {name: row for (name, _), row in zip(scenarios, rows)}
