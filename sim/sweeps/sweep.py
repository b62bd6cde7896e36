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

import hashlib
import json
import math
import sys
import time
import tomllib
from pathlib import Path

from ..config import to_toml
from ..errors import UserError
from ..results import (Timer, atomic_write_text, check_output_dir, directory_kind, save_figure,
                       write_json, write_manifest)
from .sweep_spec import SweepSpec, load_sweep
from . import sweep_series
# A sweep's files and its executors live in their own modules; their names are
# re-exported here, where they were before the split.
from .sweep_chunks import (_jsonable, _cell, _csv_text, BOOL_FIELDS, _chunk_text, _lock,
                           _locked_by_other, _chunk_path, _sum_path, _sha256, _checksums_ok,
                           _clear, _chunk_ok, _remove_sweep, _remove_temporaries, _merge,
                           _groups_of, _n_series, _write_series, read_summary)  # noqa: F401
from .executors import (DASK_HINT, _cpus, _KERNEL_LOCK, _compute_chunk, _warmup, _base_raw,
                        _base_from_raw, _dask_chunk, _dask_warmup, _Local, _Dask)  # noqa: F401

__all__ = ["run_sweep", "default_chunk_size", "sweep_hash", "read_summary",
           "sensitivity_figure", "DASK_HINT", "MAX_CHUNK"]


#: Largest default chunk (scenarios); bounds the memory of one batch.
MAX_CHUNK = 1024


#: Version of the files in a sweep directory (``sweep.json`` ``format``).
FORMAT = 1


#: Sweeps larger than this need ``yes=True`` (``--yes``): a grid typed one level too fine
#: should not start hours of work without a word.
CONFIRM_SCENARIOS = 1_000_000


#: The estimate printed before a sweep starts: a serial cost per scenario (building its
#: inputs) [s] plus kernel time per simulated minute, shared by the cores [core-s/min].
#: Measured on 2 cores: 2,000 2-hour scenarios in 12.7-13.6 s (``runfatigue bench``) and
#: 100,000 2-minute scenarios in 197 s (a Latin-hypercube sweep).
OVERHEAD_S = 1.9e-3


KERNEL_CORE_S_PER_MIN = 7.8e-5


#: From this many scenarios on, the count and an estimated duration are printed first.
ANNOUNCE_SCENARIOS = 10_000


EXECUTORS = ("local", "dask")


def default_chunk_size(n: int, parallel: int) -> int:
    """Scenarios per chunk: at least 2 chunks per worker/thread when possible, at most
    :data:`MAX_CHUNK`.

    Examples
    --------
    >>> default_chunk_size(100_000, 2), default_chunk_size(6, 2), default_chunk_size(1, 4)
    (1024, 2, 1)
    """
    return max(1, min(MAX_CHUNK, math.ceil(n / (2 * max(1, parallel)))))


def _canon(obj) -> bytes:
    """Canonical JSON (floats as ``repr``, so exact; NaN allowed) for hashing."""
    return json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"),
                      allow_nan=True).encode()


def sweep_hash(base, spec: SweepSpec) -> str:
    """SHA-256 of the resolved base config (without ``[output]``) and the sweep's rows.

    Two sweeps with the same hash compute the same scenarios, so a directory written by
    one can be resumed by the other. The package version is included (a new model
    version does not continue an old sweep).
    """
    from ..errors import __version__

    h = hashlib.sha256()
    cfg = {s: v for s, v in base.to_dict().items() if s != "output"}
    h.update(_canon({"format": FORMAT, "version": __version__, "base": cfg,
                     "kind": spec.kind, "keys": list(spec.keys), "n": len(spec),
                     "outputs": list(spec.outputs)}))
    for row in spec.rows:
        h.update(b"\n")
        h.update(_canon(row))
    return h.hexdigest()


def _hms(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class _Progress:
    """One self-overwriting line on stderr: done/total, percent, rate and time left."""

    def __init__(self, name: str, total: int, done: int, enabled: bool, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.name, self.total, self.done, self.new = name, total, done, 0
        self.t0 = time.perf_counter()
        self._last = 0.0
        self._width = 0
        self.draw(force=True)

    def update(self, n: int):
        self.done += n
        self.new += n
        self.draw()

    def rate(self) -> float:
        dt = time.perf_counter() - self.t0
        return self.new / dt if dt > 0 else 0.0

    def draw(self, force=False):
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.2 and self.done < self.total:
            return
        self._last = now
        rate = self.rate()
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        line = (f"sweep {self.name}: {self.done}/{self.total} scenarios "
                f"({100.0 * self.done / self.total:.1f}%), {rate:.1f} scenarios/s, "
                f"{_hms(left)} left")
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self, summary: str):
        if self.enabled:
            self.stream.write("\r" + " " * self._width + "\r")
        self.stream.write(summary + "\n")
        self.stream.flush()


def _toml_key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) else json.dumps(k)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _toml_table(path: list, table: dict, lines: list):
    lines.append("")
    lines.append("[" + ".".join(_toml_key(p) for p in path) + "]")
    subs = []
    for k, v in table.items():
        if isinstance(v, dict):
            subs.append((k, v))
        else:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in subs:
        _toml_table(path + [k], v, lines)


def _config_text(path: Path, base) -> str:
    """Resolved base config (with its name) + the [sweep] table as written."""
    header = (f"sweep resolved from {base.source}: the base scenario with defaults filled "
              "in, then the [sweep] table as written")
    # output.timeseries as this sweep uses it (its schema default is for single runs)
    named = base.with_overrides({"output.name": base.name,
                                 "output.timeseries": sweep_series.requested(base)})
    text = to_toml(named, header=header)
    sweep = tomllib.loads(Path(path).read_text(encoding="utf-8"))["sweep"]
    lines: list = []
    for k, v in sweep.items():
        _toml_table(["sweep", k], v, lines)
    return text + "\n".join(lines) + "\n"


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


def _read_state(directory: Path):
    p = directory / "sweep.json"
    if not p.exists():
        return None
    try:
        state = json.loads(p.read_text())
        if (not isinstance(state, dict) or not isinstance(state.get("hash"), str)
                or not isinstance(state.get("chunk_size"), int) or state["chunk_size"] < 1):
            raise ValueError
        return state
    except (OSError, ValueError):
        raise UserError(f"{p}: unreadable sweep state; remove {directory} to start the "
                        "sweep again") from None


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
                            progress, command, t_start)
    finally:
        ex.close()


def _check_state(directory: Path, digest: str, resume: bool, locked: bool = False):
    """The directory's sweep.json (None if new); errors for a mix-up of sweeps.
    ``locked``: this process holds the directory's lock."""
    state = _read_state(directory)
    if state is None and (directory / "chunks").exists():
        raise UserError(f"{directory}: has chunks/ but no sweep.json, so it cannot be "
                        "checked or resumed; remove the directory to start again")
    if state is not None:
        if not locked and _locked_by_other(directory):
            raise UserError(f"{directory}: another sweep process is writing to this "
                            "directory; wait for it to finish (or stop it)")
        same = state.get("hash") == digest
        if not resume and same and not state.get("complete"):
            raise UserError(f"{directory} holds this sweep, unfinished; continue it with "
                            "--resume, or remove the directory (or --set output.name=...) "
                            "to start again")
        if state["hash"] != digest:
            raise UserError(f"{directory}: holds a different sweep (base config or "
                            f"scenarios changed; hash "
                            f"{state['hash'][:12]} there, {digest[:12]} now); remove the "
                            "directory or --set output.name=... to start a new one")
    return state


def _finished(directory: Path, state, base) -> bool:
    """Complete, with time series if they are asked for now (a finished sweep resumed
    with ``output.timeseries = true`` computes its series)."""
    done = bool(state and state.get("complete") and (directory / "summary.csv").exists())
    if done and state.get("summary_sha256") is not None:
        # a summary.csv changed or truncated since completion is merged again
        done = _sha256(directory / "summary.csv") == state["summary_sha256"]
    if done and sweep_series.requested(base):
        done = (directory / "timeseries.npz").exists()
    return done


def _nothing_to_do(directory: Path, base, spec) -> Path:
    sys.stderr.write(f"sweep {base.name}: already complete ({len(spec)} scenarios); "
                     f"nothing to do: {directory / 'summary.csv'}\n")
    return directory


def _execute(path, base, spec, digest, directory, state, ex, chunk_size, progress,
             command, t_start) -> Path:
    n = len(spec)
    chunks_dir = directory / "chunks"
    resumed = state is not None
    if resumed:
        chunk = int(state["chunk_size"])
        if chunk_size is not None and chunk_size != chunk:
            sys.stderr.write(f"note: continuing with the chunk size of the interrupted "
                             f"sweep ({chunk}), not {chunk_size}\n")
        _remove_temporaries(directory)
    else:
        chunk = chunk_size or default_chunk_size(n, ex.parallel)
    n_chunks = math.ceil(n / chunk)
    times_s = sweep_series.grid_s(base, spec) if sweep_series.requested(base) else None
    sweep_state = {
        "format": FORMAT, "name": base.name, "source": str(path), "kind": spec.kind,
        "keys": list(spec.keys), "n_scenarios": n, "chunk_size": chunk,
        "n_chunks": n_chunks, "seed": spec.seed, "outputs": list(spec.outputs),
        "hash": digest,
        "hash_of": "sha256 of the resolved base config (without [output]), the package "
                   "version, the sweep kind, keys and every scenario row",
        "timeseries": None if times_s is None else {
            "step_s": sweep_series.STEP_S, "n_times": int(times_s.size),
            "dtype": str(sweep_series.DTYPE), "dims": sweep_series.DIMS["series"]},
        "complete": False,
    }
    if not resumed:
        atomic_write_text(directory / "config.toml", _config_text(Path(path), base))
        write_json(directory / "sweep.json", sweep_state)
    chunks_dir.mkdir(parents=True, exist_ok=True)

    def bounds(i):
        return i * chunk, min(n, (i + 1) * chunk)

    def done(i):
        start, stop = bounds(i)
        if not _chunk_ok(_chunk_path(directory, i), start, stop):
            return False
        if not _checksums_ok(directory, i, times_s is not None):
            return False
        return times_s is None or sweep_series.chunk_ok(
            sweep_series.chunk_path(directory, i), stop - start, times_s.size,
            _n_series(_chunk_path(directory, i)))

    todo = [i for i in range(n_chunks) if not done(i)]
    n_todo = sum(bounds(i)[1] - bounds(i)[0] for i in todo)
    say = ((lambda m: print(f"sweep {base.name}: {m}", file=sys.stderr, flush=True))
           if progress else None)
    compile_s = ex.warmup(base, spec.overrides(0), say) if todo else 0.0

    bar = _Progress(base.name, n, n - n_todo, progress)

    def write(i, result, count):
        text, series = result
        for p in (_sum_path(directory, i), _chunk_path(directory, i),
                  sweep_series.chunk_path(directory, i)):
            _clear(p)
        rec = {"csv": hashlib.sha256(text.encode("utf-8")).hexdigest(), "series": None}
        if times_s is not None:  # series first: a chunk's CSV implies its series
            path = sweep_series.save_chunk(sweep_series.chunk_path(directory, i), series)
            rec["series"] = _sha256(path)
        atomic_write_text(_chunk_path(directory, i), text)
        write_json(_sum_path(directory, i), rec)     # last: the chunk is complete
        bar.update(count)

    t_run = time.perf_counter()
    ex.run(base, spec, todo, bounds, write, times_s)
    # every chunk is checked against its checksum before the merge; a damaged one is
    # computed again (once; a second failure is reported)
    bad = [i for i in range(n_chunks) if not done(i)]
    if bad:
        sys.stderr.write(f"sweep {base.name}: {len(bad)} chunk(s) failed their check "
                         f"({', '.join(str(i) for i in bad[:5])}{' ...' if len(bad) > 5 else ''}); "
                         "computing them again\n")
        ex.run(base, spec, bad, bounds, write, times_s)
        bad = [i for i in range(n_chunks) if not done(i)]
        if bad:
            raise UserError(f"{directory / 'chunks'}: chunk {bad[0]} fails its check right "
                            "after it was written (is something else writing there?)")
    run_s = time.perf_counter() - t_run
    with Timer() as t_merge:
        _merge(directory, n, n_chunks)
    ts_s = 0.0
    if times_s is not None:
        with Timer() as t_ts:
            _write_series(directory, n, bounds, n_chunks, times_s)
        ts_s = t_ts.elapsed
    sens_s = 0.0
    if spec.kind == "sensitivity":
        with Timer() as t_sens:
            _sensitivity(directory, base, spec)
        sens_s = t_sens.elapsed
    from ..figures.sweep_plots import write_figures

    rate = n_todo / run_s if run_s > 0 and n_todo else float("nan")
    timings = {"compile_s": round(compile_s, 4), "run_s": round(run_s, 4),
               "merge_s": round(t_merge.elapsed, 4), "timeseries_s": round(ts_s, 4),
               "sensitivity_s": round(sens_s, 4), "figures_s": None,
               "total_s": round(time.perf_counter() - t_start, 4)}
    extra = {
        "scenarios_per_s": round(rate, 3) if math.isfinite(rate) else None,
        "sweep": {"kind": spec.kind, "keys": list(spec.keys), "n_scenarios": n,
                  "computed_now": n_todo, "reused": n - n_todo, "resumed": resumed,
                  "chunk_size": chunk, "n_chunks": n_chunks, "executor": ex.name,
                  "workers": ex.workers, "scheduler": getattr(ex, "scheduler", None),
                  "parallel": ex.parallel, "hash": digest},
    }
    write_manifest(directory, command or f"run_sweep({str(path)!r})", seed=spec.seed,
                   timings=timings, extra=extra)
    # complete before the figures: a figure that fails does not undo the sweep
    write_json(directory / "sweep.json", {**sweep_state, "complete": True,
                                          "summary_sha256": _sha256(directory / "summary.csv")})
    try:
        with Timer() as t_fig:
            write_figures(directory)
    except Exception as e:  # noqa: BLE001 - any figure failure: the results stand
        raise UserError(f"{directory}: sweep complete ({directory / 'summary.csv'}), but the "
                        f"figures failed ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); "
                        f"redraw them with 'runfatigue plot {directory}'") from None
    timings["figures_s"] = round(t_fig.elapsed, 4)
    timings["total_s"] = round(time.perf_counter() - t_start, 4)
    write_manifest(directory, command or f"run_sweep({str(path)!r})", seed=spec.seed,
                   timings=timings, extra=extra)
    rate_txt = f", {rate:.1f} scenarios/s" if math.isfinite(rate) else ""
    bar.close(f"sweep {base.name}: {n}/{n} scenarios done ({n_todo} computed now, "
              f"{n - n_todo} reused) in {run_s:.1f} s{rate_txt}; compile {compile_s:.1f} s")
    return directory
