"""Run a sweep: many scenarios through the batch kernel, streamed to disk in chunks.

:func:`run_sweep` loads a sweep config (:func:`sim.sweeps.sweep_spec.load_sweep`), splits its
scenarios into chunks of consecutive indices, runs each chunk with
:func:`sim.core.batch.run_batch` (locally, or as one Dask task per chunk), writes every chunk
to its own file as soon as it finishes, and merges the chunks into ``summary.csv`` when
all are done. ``runfatigue sweep CONFIG`` is the command-line front end.

Layout of ``results/<name>/`` (``name``: ``output.name`` or the config file's stem)::

    config.toml         resolved base config + the [sweep] table as written; a sweep
                        file itself, so ``runfatigue sweep results/<name>/config.toml``
                        repeats the sweep (and ``--resume`` continues it)
    sweep.json          kind, keys, scenario count, chunk size, chunk count, the hash of
                        the resolved base config + spec rows, and ``complete``
    chunks/chunk_000123.csv
                        scenarios [123 * chunk_size, 124 * chunk_size), same columns as
                        summary.csv; each written atomically when its chunk finishes
    summary.csv         all scenarios in index order (written atomically, once all
                        chunks exist)
    manifest.json       versions, git commit, seed, timings (compile_s on a tiny warm-up
                        batch, run_s, merge_s, ...) and scenarios per second
    sensitivity.csv     ([sweep.sensitivity] only) S1, S1_conf, ST, ST_conf per output
                        and parameter
    figures/sensitivity.png
                        ([sweep.sensitivity] only) bar chart of S1 and ST with their
                        95 % confidence intervals
    chunks/series_000123.npy
                        (time series only) float64 array (n_chunk, n_time, n_series) of
                        the chunk's scenarios, written atomically with its CSV
    timeseries.npz      (time series only) all scenarios' series, streamed from the
                        chunk files once all exist (see below)

Time series (optional): a sweep writes them only when its config sets ``[output]
timeseries = true`` explicitly (in the file, or ``--set output.timeseries=true``). The
key's schema default (true, for single runs) does not count: a sweep file without the
key writes no series, and ``config.toml`` records the choice. Every scenario is sampled
every :data:`sim.sweeps.sweep_series.STEP_S` = 60 s of run time, from 0 up to (not including)
the longest run duration of the sweep: the value of the checkpoint covering that time,
NaN after the run has ended (and, as in single runs, NaN back-load and posture values
while resting; speed is 0 then). ``timeseries.npz`` holds ``series`` (float64,
dimensions scenario × time × series), ``time_min`` (time) [min], ``series_names`` and
``series_units`` (series), ``scenario`` (scenario; the index of the summary.csv row) and
``_dims`` (JSON text mapping each array to its dimension names, as in :mod:`sim.interface.io`).
The series, in order: peak L5/S1 anterior shear ``shear_bw`` [BW], superficial load
index ``superficial_load_index`` [1], trunk lean ``trunk_lean_deg`` [deg], extra pelvic
tilt ``pelvic_tilt_deg`` [deg], forward trunk lean ``trunk_flexion_deg`` [deg], speed ``speed_mps`` [m/s], then ``capacity_<group>``
[fraction of fresh] of each muscle group (mean over its muscles) in the order of the
``end_capacity_*`` columns (:data:`sim.core.batch.SERIES`). The file is an uncompressed zip
streamed from the chunk files, so memory stays bounded by one chunk in the kernel and a
1 MiB copy buffer in the merge; :func:`sim.sweeps.sweep_series.load` maps ``series`` from disk.

``summary.csv`` columns: ``scenario`` (index, 0-based, as in the spec), the swept keys by
their dotted names in spec order, then :func:`sim.core.batch.summary_fields` in order (spike
onset [s], onset of each index [s], peak shear [N and body weights], peak compression
[N], peak superficial load [fraction of capacity], peak trunk lean and pelvic tilt [deg],
infeasible strides, strides, distance [km], exhaustion [s] (``nan``: the run reached its
end), ``spike_censored`` (``true``: the run ended in exhaustion before the index
crossed), peak forward trunk lean [deg], ``spike_from_start`` (``true``: the index was
above its threshold from the first stride, posture and pace alone), the onset in running
time [s] (rest breaks and stops not counted) and in distance [km], end capacity of each
muscle group [fraction, F0-weighted]). Floats are written
with ``repr`` (they parse back exactly); a run whose index was not reached has onset
``nan`` (``0`` means from the first stride). Booleans are ``true``/``false``; table values (e.g.
``run.segments``) are JSON.

Determinism: every scenario is computed on its own row of the batch kernel from its own
inputs, so results do not depend on the thread count, the chunk size or the executor;
``summary.csv`` and ``timeseries.npz`` are byte-identical across them.

Resume and re-runs: every file goes to a temporary name first and is renamed into place,
so an interrupted sweep leaves only complete chunk files (temporary ``.*.tmp`` files are
never read and are removed on resume). ``--resume`` recomputes only the missing chunks
(with time series, a chunk counts as done only when both its CSV and its series file are
complete), after checking that the directory was written by the same resolved base
config and the same scenario rows (``sweep.json`` hash; otherwise a one-line error; the
hash leaves out ``[output]``, so a finished sweep resumed with ``output.timeseries =
true`` computes its series and keeps its summary). Without
``--resume``, running the same finished sweep again is a no-op that keeps its results,
and a directory that holds an unfinished or a different sweep is never touched: the
command stops with an error suggesting ``--resume``, a different ``output.name``, or
removing the directory. A sweep process holds an exclusive lock on ``.lock`` in its
directory, so two processes never write the same sweep at once.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "tiny.toml").write_text('''
... [run]
... duration_min = 5
... [sweep.grid]
... "scenario.core_strength" = [0.6, 1.0]
... ''')
>>> out = run_sweep(d / "tiny.toml", results_root=d / "results", progress=False)
>>> (out / "summary.csv").read_text().splitlines()[0].split(",")[:4]
['scenario', 'scenario.core_strength', 'spike_onset_s', 'onset_shear_bw_s']
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import UserError
from ..results import atomic_write_text, check_output_dir, directory_kind, save_figure
from .sweep_spec import SweepSpec, load_sweep
# A sweep's files, its executors, its directory's state, its progress line and the
# computing of its chunks live in their own modules; their names are re-exported here,
# where they were before the split.
from .sweep_chunks import (_jsonable, _cell, _csv_text, BOOL_FIELDS, _chunk_text, _lock,
                           _locked_by_other, _chunk_path, _sum_path, _sha256, _checksums_ok,
                           _clear, _chunk_ok, _remove_sweep, _remove_temporaries, _merge,
                           _groups_of, _n_series, _write_series, read_summary)  # noqa: F401
from .executors import (DASK_HINT, _cpus, _KERNEL_LOCK, _compute_chunk, _warmup, _base_raw,
                        _base_from_raw, _dask_chunk, _dask_warmup, _Local, _Dask)  # noqa: F401
from .sweep_state import (FORMAT, _canon, sweep_hash, _toml_key, _toml_value, _toml_table,
                          _config_text, _read_state, _check_state, _finished,
                          _nothing_to_do)  # noqa: F401
from .sweep_progress import _hms, _Progress  # noqa: F401
from .sweep_execute import MAX_CHUNK, default_chunk_size, _execute  # noqa: F401

__all__ = ["run_sweep", "default_chunk_size", "sweep_hash", "read_summary",
           "sensitivity_figure", "DASK_HINT", "MAX_CHUNK"]


#: Sweeps larger than this need ``yes=True`` (``--yes``): a grid typed one level too fine
#: should not start hours of work without a word.
CONFIRM_SCENARIOS = 1_000_000


#: The estimate printed before a sweep starts: a serial cost per scenario (building its
#: inputs) [s] plus kernel time per simulated minute, shared by the cores [core-s/min].
#: Fitted to two sweeps on 2 idle cores (2026-12-05): 100,000 2-hour scenarios in 226.5 s
#: and 20,000 2-minute scenarios in 10.2 s (grids over tightness, pace and core strength).
OVERHEAD_S = 4.8e-4


KERNEL_CORE_S_PER_MIN = 3.0e-5


#: From this many scenarios on, the count and an estimated duration are printed first.
ANNOUNCE_SCENARIOS = 10_000


EXECUTORS = ("local", "dask")


def _check_args(executor, workers, scheduler, chunk_size):
    if executor not in EXECUTORS:
        raise UserError(f"--executor {executor}: unknown executor; allowed: "
                        + ", ".join(EXECUTORS))
    for name, v in (("--workers", workers), ("--chunk-size", chunk_size)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
            raise UserError(f"{name} {v}: expected a positive integer")
    if executor != "dask" and (workers is not None or scheduler):
        which = "--workers" if workers is not None else "--scheduler"
        raise UserError(f"{which} needs --executor dask (the local executor uses the numba "
                        "threads of this process; set NUMBA_NUM_THREADS to change them)")
    if workers is not None and scheduler:
        raise UserError("--workers and --scheduler exclude each other: --workers N starts a "
                        "local cluster, --scheduler ADDRESS uses an existing one")


def _duration_s(spec: SweepSpec, base):
    """Run duration [s] for censoring: per scenario if swept, else the base's."""
    import numpy as np

    if "run.duration_min" in spec.keys:
        j = spec.keys.index("run.duration_min")
        return np.array([float(r[j]) * 60.0 for r in spec.rows])
    return float(base.run.duration_min) * 60.0


_OUTPUT_LABELS = {
    "spike_onset_s": "spike onset [s]", "onset_shear_bw_s": "shear spike onset [s]",
    "onset_superficial_load_s": "superficial-load spike onset [s]",
    "peak_shear_bw": "peak anterior shear [BW]", "peak_shear_N": "peak anterior shear [N]",
    "peak_compression_N": "peak compression [N]",
    "peak_superficial_load": "peak superficial load [fraction of capacity]",
    "peak_trunk_lean_deg": "peak trunk lateral lean [deg]",
    "peak_trunk_flexion_deg": "peak forward trunk lean [deg]",
    "peak_pelvic_tilt_deg": "peak pelvic tilt [deg]",
    "exhaustion_s": "exhaustion [s]",
}


def _output_label(name: str) -> str:
    if name in _OUTPUT_LABELS:
        return _OUTPUT_LABELS[name]
    if name.startswith("end_capacity_"):
        return f"end capacity, {name[13:].replace('_', ' ')} [fraction]"
    return name


def sensitivity_figure(rows: list[dict], keys, outputs, title: str = ""):
    """Bar chart of first-order (S1) and total (ST) Sobol' indices with 95 % CIs.

    One panel per output (its unit in the panel title), one pair of bars per swept key;
    Okabe-Ito blue (S1, plain) and orange (ST, hatched), so the pairs stay apart in grey.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from ..figures.plots import DISCLAIMER, PALETTE

    n_out = len(outputs)
    k = len(keys)
    fig, axes = plt.subplots(n_out, 1, figsize=(max(6.5, 1.6 * k + 3.0), 2.6 * n_out + 1.2),
                             squeeze=False, sharex=True)
    x = np.arange(k)
    w = 0.38
    err = {"ecolor": PALETTE["black"], "lw": 1}
    for ax, out in zip(axes[:, 0], outputs):
        sub = {r["parameter"]: r for r in rows if r["output"] == out}
        s1, e1, st, et = (np.array([sub[p][c] for p in keys], dtype=float)
                          for c in ("S1", "S1_conf", "ST", "ST_conf"))
        ax.bar(x - w / 2, s1, w, yerr=e1, capsize=3, color=PALETTE["blue"],
               label="first-order index S1", error_kw=err)
        ax.bar(x + w / 2, st, w, yerr=et, capsize=3, color=PALETTE["orange"],
               label="total index ST", error_kw=err, hatch="//", edgecolor="white")
        ax.axhline(0.0, color=PALETTE["black"], lw=0.8)
        label = _output_label(out)
        cens = max((r.get("censored", 0) for r in sub.values()), default=0)
        if cens:
            n = max(r.get("n", 0) for r in sub.values())
            label += f": {cens} of {n} runs never spiked (censored at the run duration)"
        if not np.any(np.isfinite(s1)):
            label += ": same in every run, indices undefined"
        ax.set_title(label, fontsize=9.5, loc="left")
        ax.set_ylabel("Sobol' index [-]")
        lo = np.nanmin(np.concatenate([s1 - e1, st - et, [0.0]]))
        hi = np.nanmax(np.concatenate([s1 + e1, st + et, [1.0]]))
        ax.set_ylim(min(-0.05, float(lo) - 0.05), max(1.05, float(hi) + 0.05))
        ax.grid(axis="y", alpha=0.3)
    ax = axes[-1, 0]
    ax.set_xticks(x)
    ax.set_xticklabels([key.replace(".", ".\n", 1) for key in keys], fontsize=8.5)
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_xlabel("swept parameter (error bars: 95 % bootstrap confidence intervals)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncol=2, fontsize=8.5, frameon=False,
               bbox_to_anchor=(1.0, 1.0))
    if title:
        fig.text(0.01, 0.995, title, fontsize=10.5, va="top", ha="left", weight="bold")
    fig.text(0.01, 0.0, DISCLAIMER, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    return fig


def _sensitivity(directory: Path, base, spec: SweepSpec):
    from .sweep_spec import analyze_sensitivity

    res = read_summary(directory / "summary.csv", spec.outputs)
    try:
        rows = analyze_sensitivity(spec, res, _duration_s(spec, base))
    except ValueError as e:
        raise UserError(f"{spec.source}: sensitivity analysis: {e} (summary.csv is "
                        "complete; --resume retries the analysis)") from None
    cols = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n", "censored"]
    text = _csv_text([cols] + [[_cell(r[c]) for c in cols] for r in rows])
    atomic_write_text(directory / "sensitivity.csv", text)
    import matplotlib.pyplot as plt

    title = (f"What moves {' and '.join(spec.outputs)} most? Sobol' indices of the "
             f"{len(spec.keys)} swept parameters ({spec.n} base samples, {len(spec)} runs)")
    fig = sensitivity_figure(rows, spec.keys, spec.outputs, title)
    try:
        save_figure(fig, directory / "figures" / "sensitivity.png")
    finally:
        plt.close(fig)


def run_sweep(path, overrides=None, executor="local", workers=None, scheduler=None,
              chunk_size=None, resume=False, results_root="results", progress=True,
              force=False, command="", yes=False) -> Path:
    """Run every scenario of a sweep config and write ``results/<name>/``.

    Parameters
    ----------
    path : str or pathlib.Path
        Sweep config (a config with one ``[sweep.*]`` table; :mod:`sim.sweeps.sweep_spec`).
    overrides : dict, optional
        ``--set`` overrides of the base config (dotted key -> value).
    executor : {"local", "dask"}
        ``local``: chunks in order in this process, each on all numba threads.
        ``dask``: one task per chunk on a Dask cluster (``pip install "runfatigue[dask]"``).
    workers : int, optional
        Dask only: start a local cluster of this many worker processes on 127.0.0.1
        (default: one per CPU core).
    scheduler : str, optional
        Dask only: address of an existing scheduler (``tcp://host:8786``). Its workers
        must be able to import this package.
    chunk_size : int, optional
        Scenarios per chunk (default: :func:`default_chunk_size`). Results do not depend
        on it. On ``resume`` the chunk size of the interrupted sweep is kept.
    resume : bool
        Continue a sweep directory: compute only the missing chunks (the directory must
        come from the same base config and scenarios). A finished sweep is left as it is.
    results_root : str or pathlib.Path
        Parent of the results directory.
    progress : bool
        Show a progress line on stderr (only if stderr is a terminal); a one-line
        summary is printed at the end either way.
    force : bool
        Remove a sweep of this name (finished or not) and compute it again.
    yes : bool
        Start a sweep of more than :data:`CONFIRM_SCENARIOS` scenarios.
    command : str
        Command line recorded in ``manifest.json``.

    Returns
    -------
    pathlib.Path
        The results directory.

    Raises
    ------
    ConfigError
        Bad sweep config (nothing is written).
    UserError
        Bad arguments, an existing sweep without ``resume``, a resume whose config
        differs, Dask missing or unreachable.
    """
    _check_args(executor, workers, scheduler, chunk_size)
    t_start = time.perf_counter()
    base, spec = load_sweep(path, overrides)
    directory = check_output_dir(Path(results_root) / base.name)
    n = len(spec)
    dur = _duration_s(spec, base) if n else 0.0
    minutes = (float(dur) if isinstance(dur, float) else float(dur.mean())) / 60.0
    est = n * (OVERHEAD_S + KERNEL_CORE_S_PER_MIN * minutes / _cpus())
    if n > CONFIRM_SCENARIOS and not yes:
        raise UserError(f"sweep {base.name}: {n:,} scenarios of {minutes:g} min, about "
                        f"{_hms(est)} on {_cpus()} cores; add --yes to start it (more than "
                        f"{CONFIRM_SCENARIOS:,} scenarios)")
    if n >= ANNOUNCE_SCENARIOS:
        sys.stderr.write(f"sweep {base.name}: {n:,} scenarios of {minutes:g} min, about "
                         f"{_hms(est)} on {_cpus()} cores (estimate)\n")
    if directory.is_dir() and directory_kind(directory) == "run":
        raise UserError(f"{directory}: holds a run, not a sweep; choose another name "
                        "(--set output.name=...) or another --results")
    digest = sweep_hash(base, spec)
    if force:
        resume = False
    else:
        state = _check_state(directory, digest, resume)
        if _finished(directory, state, base):
            return _nothing_to_do(directory, base, spec)
    ex = _Dask(workers, scheduler) if executor == "dask" else _Local()
    ex.digest = digest
    try:
        with _lock(directory):
            if force:
                _remove_sweep(directory)
            state = _check_state(directory, digest, resume, locked=True)  # again, locked
            if _finished(directory, state, base):
                return _nothing_to_do(directory, base, spec)
            return _execute(path, base, spec, digest, directory, state, ex, chunk_size,
                            progress, command, t_start, _sensitivity, _figure_writer)
    finally:
        ex.close()


def _figure_writer():
    """:func:`sim.figures.sweep_plots.write_figures`, imported when a sweep ends (this
    module is the one place where a sweep reaches the figures layer)."""
    from ..figures.sweep_plots import write_figures

    return write_figures
