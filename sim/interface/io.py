"""Saving a run: ``results/<name>/`` with config, manifest, summary, time series, figures.

``timeseries.npz`` holds one array per quantity; the entry ``_dims`` is a JSON text
mapping each array name to its dimension names, e.g. ``capacity: [checkpoint, muscle]``
and ``energy: [checkpoint, muscle, pool]`` (pool 0 = slow-twitch, 1 = fast-twitch);
``muscles``, ``dofs`` and ``pools`` hold the labels.

Examples
--------
>>> import tempfile, pathlib, sim
>>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 5}))
>>> d = write_run(res, pathlib.Path(tempfile.mkdtemp()) / "demo", "doctest")
>>> sorted(p.name for p in d.iterdir())
['config.toml', 'figures', 'manifest.json', 'summary.json', 'timeseries.csv', 'timeseries.npz']
>>> z = load_timeseries(d)
>>> z["capacity"].shape == (z["time_s"].size, len(z["muscles"]))
True
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from ..config import to_toml
from ..errors import RunfatigueError
from ..results import atomic_write_text, save_figure, save_npz, write_json, write_manifest

__all__ = ["TIMESERIES_DIMS", "CSV_UNITS", "DamagedRunError", "timeseries_csv", "write_run",
           "write_run_figures",
           "load_timeseries", "load_run"]


class DamagedRunError(RunfatigueError, ValueError):
    """A saved run's ``timeseries.npz`` cannot be read (truncated, overwritten, or missing
    arrays)."""

#: Dimension names of every array in ``timeseries.npz``.
TIMESERIES_DIMS = {
    "time_s": ["checkpoint"], "duration_s": ["checkpoint"], "speed_mps": ["checkpoint"],
    "stage": ["checkpoint"], "capacity": ["checkpoint", "muscle"],
    "pool_capacity": ["checkpoint", "muscle", "pool"], "energy": ["checkpoint", "muscle", "pool"],
    "peak_force_N": ["checkpoint", "muscle"], "mean_force_N": ["checkpoint", "muscle"],
    "l5s1_compression_N": ["checkpoint"], "l5s1_shear_N": ["checkpoint"],
    "shear_bw": ["checkpoint"], "superficial_load_index": ["checkpoint"],
    "trunk_lean_deg": ["checkpoint"], "trunk_flexion_deg": ["checkpoint"],
    "pelvic_tilt_deg": ["checkpoint"],
    "infeasible_strides": ["checkpoint"], "moment_residual": ["checkpoint"],
    "strides": ["checkpoint"], "stride_phase": ["phase"],
    "stride_checkpoints": ["stored_checkpoint"],
    "stride_force_N": ["stored_checkpoint", "phase", "muscle"],
    "stride_demand_Nm": ["stored_checkpoint", "phase", "dof"],
    "stride_lean_deg": ["stored_checkpoint", "phase"],
    "stride_shear_N": ["stored_checkpoint", "phase"], "end_capacity": ["muscle"],
    "F0_N": ["muscle"],
}


#: Unit of every per-checkpoint array of ``timeseries.csv`` (``1``: a fraction or a count).
CSV_UNITS = {
    "time_s": "s", "duration_s": "s", "speed_mps": "m/s", "stage": "1",
    "shear_bw": "BW", "l5s1_shear_N": "N", "l5s1_compression_N": "N",
    "superficial_load_index": "1", "trunk_flexion_deg": "deg", "trunk_lean_deg": "deg",
    "pelvic_tilt_deg": "deg", "strides": "1", "infeasible_strides": "1",
    "moment_residual": "1", "capacity": "1", "pool_capacity": "1", "energy": "1",
    "peak_force_N": "N", "mean_force_N": "N",
}


def timeseries_csv(res) -> str:
    """A run's per-checkpoint series as CSV text, one row per checkpoint.

    Column headers are ``name [unit]``; per-muscle arrays get one column per muscle
    (``capacity:gluteus_medius [1]``) and per-pool arrays one per muscle and pool
    (``energy:vasti:fast_twitch [1]``). The values are those of ``timeseries.npz``
    (:data:`TIMESERIES_DIMS`); the within-stride curves stay in the archive only.

    Examples
    --------
    >>> import sim
    >>> text = timeseries_csv(sim.simulate(sim.load_config(None, {"run.duration_min": 2})))
    >>> text.splitlines()[0].split(",")[:3]
    ['time_s [s]', 'duration_s [s]', 'speed_mps [m/s]']
    """
    pools = ("slow_twitch", "fast_twitch")
    head, cols = [], []
    for name, unit in CSV_UNITS.items():
        a = np.asarray(getattr(res, name), dtype=np.float64)
        if a.ndim == 1:
            head.append(f"{name} [{unit}]")
            cols.append(a)
        elif a.ndim == 2:
            for i, m in enumerate(res.muscles):
                head.append(f"{name}:{m} [{unit}]")
                cols.append(a[:, i])
        else:
            for i, m in enumerate(res.muscles):
                for j, pool in enumerate(pools):
                    head.append(f"{name}:{m}:{pool} [{unit}]")
                    cols.append(a[:, i, j])
    lines = [",".join(head)]
    for row in np.column_stack(cols):
        lines.append(",".join("" if not np.isfinite(x) else repr(float(x)) for x in row))
    return "\n".join(lines) + "\n"


def write_run(res, directory, command: str) -> Path:
    """Write a :class:`~sim.core.simulation.RunResult` into ``directory``; returns it."""
    directory = Path(directory)
    cfg = res.config
    named = cfg.with_overrides({"output.name": cfg.name})
    atomic_write_text(directory / "config.toml", to_toml(named, header=f"resolved from {cfg.source}"))
    write_json(directory / "summary.json", res.summary())
    if cfg.output.timeseries:
        arrays = {k: np.asarray(getattr(res, k)) for k in TIMESERIES_DIMS}
        save_npz(directory / "timeseries.npz", **arrays, muscles=np.array(res.muscles),
                 dofs=np.array(res.dofs), pools=np.array(["slow_twitch", "fast_twitch"]),
                 _dims=np.array(json.dumps(TIMESERIES_DIMS)),
                 _groups=np.array(json.dumps({g: list(v) for g, v in res.groups.items()})),
                 _onsets=np.array(json.dumps(res.spike_onsets)),
                 _exhaustion=np.array(json.dumps({"exhaustion_s": float(res.exhaustion_s),
                                                  "limiting_muscle": res.limiting_muscle})))
        atomic_write_text(directory / "timeseries.csv", timeseries_csv(res))
    write_run_figures(res, directory)
    write_manifest(directory, command, seed=cfg.model.seed, timings=res.timings_s)
    return directory


def write_run_figures(res, directory) -> list:
    """Render every figure of a run into ``directory/figures``; returns the paths.

    ``load_curves.png`` (the fatigue cascade), ``pool_depletion.png`` (slow- vs
    fast-twitch pools), ``stride_forces_early_vs_late.png`` (forces within a stride) and
    ``compensation_angles.png`` (trunk lean, pelvic tilt); see :mod:`sim.figures.plots`.
    """
    from ..figures import plots
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    figures = (("load_curves.png", plots.load_curves),
               ("pool_depletion.png", plots.pool_depletion),
               ("stride_forces_early_vs_late.png", plots.stride_forces),
               ("compensation_angles.png", plots.compensation_angles))
    paths = []
    for name, draw in figures:
        fig = draw(res)
        try:
            paths.append(save_figure(fig, Path(directory) / "figures" / name))
        finally:
            plt.close(fig)
    return paths


def load_timeseries(directory) -> dict:
    """Arrays of ``timeseries.npz`` as a dict (labels as lists of str).

    Raises
    ------
    DamagedRunError
        If the file is not a complete archive written by :func:`write_run`.
    """
    path = Path(directory) / "timeseries.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            out = {k: z[k] for k in z.files if not k.startswith("_")}
            for k in z.files:
                if k.startswith("_"):
                    out[k] = json.loads(str(z[k]))
        for k in ("muscles", "dofs", "pools"):
            out[k] = [str(x) for x in out[k]]
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as e:
        raise DamagedRunError(f"{path}: damaged or incomplete ({type(e).__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else 'no detail'}); "
                              "re-run the run to rewrite it") from None
    missing = [k for k in (*TIMESERIES_DIMS, "_onsets", "_groups") if k not in out]
    if missing:
        raise DamagedRunError(f"{path}: missing arrays {', '.join(missing)}; re-run the run "
                              "to rewrite it")
    return out


def load_run(directory):
    """A :class:`~sim.core.simulation.RunResult` rebuilt from a saved run (no simulation).

    Raises
    ------
    FileNotFoundError
        If the directory lacks ``config.toml`` or ``timeseries.npz``.
    """
    from ..config import load_config
    from ..core.simulation import RunResult

    directory = Path(directory)
    for name in ("config.toml", "timeseries.npz"):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{directory}: no {name} (not a saved run; run "
                                    "'runfatigue run CONFIG' with output.timeseries = true)")
    cfg = load_config(directory / "config.toml")
    z = load_timeseries(directory)
    onsets = {k: (np.nan if v is None else float(v)) for k, v in z["_onsets"].items()}
    fields = {k: z[k] for k in TIMESERIES_DIMS}
    exh = z.get("_exhaustion", {"exhaustion_s": None, "limiting_muscle": ""})
    return RunResult(muscles=tuple(z["muscles"]), dofs=tuple(z["dofs"]),
                     groups={g: tuple(v) for g, v in z["_groups"].items()},
                     spike_onsets=onsets, spike_onset_s=onsets[cfg.spike.index],
                     config=cfg, timings_s={},
                     exhaustion_s=float(np.nan if exh["exhaustion_s"] is None
                                        else exh["exhaustion_s"]),
                     limiting_muscle=exh["limiting_muscle"], **fields)
