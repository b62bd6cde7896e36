"""Computing a sweep's chunks and writing its results, once its directory is checked.

:func:`_execute` is the body of :func:`sim.sweeps.sweep.run_sweep` after the arguments,
the directory and its lock are settled: it picks the chunk size
(:func:`default_chunk_size`, or the interrupted sweep's on resume), writes
``config.toml`` and ``sweep.json`` for a new sweep, compiles the kernels on a tiny
batch, runs the missing chunks on the executor with a progress line, writes each
chunk (series first, its CSV, then its checksum record), computes a chunk that fails
its check once more, merges the chunks into ``summary.csv`` and ``timeseries.npz``,
writes ``manifest.json`` with the timings, marks the sweep complete and finally draws
the figures.
"""
from __future__ import annotations

import hashlib
import math
import sys
import time
from pathlib import Path

from ..errors import UserError
from ..results import Timer, atomic_write_text, write_json, write_manifest
from . import sweep_series
from .sweep_chunks import (_checksums_ok, _chunk_ok, _chunk_path, _clear, _merge, _n_series,
                           _remove_temporaries, _sha256, _sum_path, _write_series)
from .sweep_progress import _Progress
from .sweep_state import FORMAT, _config_text


#: Largest default chunk (scenarios); bounds the memory of one batch.
MAX_CHUNK = 1024


def default_chunk_size(n: int, parallel: int) -> int:
    """Scenarios per chunk: at least 2 chunks per worker/thread when possible, at most
    :data:`MAX_CHUNK`.

    Examples
    --------
    >>> default_chunk_size(100_000, 2), default_chunk_size(6, 2), default_chunk_size(1, 4)
    (1024, 2, 1)
    """
    return max(1, min(MAX_CHUNK, math.ceil(n / (2 * max(1, parallel)))))


def _execute(path, base, spec, digest, directory, state, ex, chunk_size, progress,
             command, t_start, sensitivity, figure_writer) -> Path:
    """Compute the chunks of ``spec`` not yet done in ``directory``, check them, merge them
    into ``summary.csv`` (and ``timeseries.npz``), write ``manifest.json`` and mark
    ``sweep.json`` complete, then draw the figures.

    ``state`` is the directory's ``sweep.json`` (``None``: a new sweep), ``ex`` the
    executor. The figures come from the caller (:mod:`sim.sweeps.sweep`, the one module of
    this layer that reaches the figures layer): ``sensitivity(directory, base, spec)``
    writes ``sensitivity.csv`` and its figure (sensitivity sweeps only), and
    ``figure_writer()``, called once the results are merged, returns the function that
    draws a sweep's figures from its directory.
    """
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
            sensitivity(directory, base, spec)
        sens_s = t_sens.elapsed
    write_figures = figure_writer()

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
