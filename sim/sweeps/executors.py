"""Where a sweep's chunks run: this process's threads, or a Dask cluster.

Both executors compute a chunk with the same function (:func:`_compute_chunk`, the batch
of :mod:`sim.core.batch`) and hand its CSV text and series to the sweep's writer, so the
files do not depend on where a chunk ran.
"""
from __future__ import annotations

import os
import threading

from ..config import load_config
from ..errors import UserError
from ..results import Timer
from .sweep_chunks import _chunk_text


#: How to install the optional Dask dependency.
DASK_HINT = 'pip install "runfatigue[dask]"'


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_KERNEL_LOCK = threading.Lock()


def _compute_chunk(base, keys, rows, overrides: list[dict], start: int,
                   threads: int | None = None, times_s=None):
    """Run the scenarios of one chunk; return its CSV text and its time series
    (n_chunk × n_time × n_series, or None when ``times_s`` is None)."""
    import numba

    from ..core.batch import run_batch, run_batch_series

    cfgs = [base.with_overrides(ov) for ov in overrides]
    # One batch at a time per process (a multi-threaded Dask worker would otherwise
    # run several batches' threads at once); the batch's thread count follows numba's.
    # Neither changes any result.
    with _KERNEL_LOCK:
        old = numba.get_num_threads()
        if threads:
            numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        try:
            if times_s is None:
                results, series = run_batch(cfgs), None
            else:
                results, series = run_batch_series(cfgs, times_s)
        finally:
            numba.set_num_threads(old)
    return _chunk_text(keys, start, rows, results), series


def _warmup(base, first: dict, say=None) -> float:
    """Seconds to compile (or load from numba's cache) and run a tiny batch.

    ``say`` (optional) receives the compile progress messages of
    :func:`sim.core.warmup.ensure_compiled` (said only when the cache is empty).
    """
    from ..core.batch import run_batch
    from ..core.warmup import ensure_compiled

    compile_s = ensure_compiled(say)
    cfg = base.with_overrides(first)
    cfg = cfg.with_overrides({"run.duration_min": min(1.0, cfg.run.duration_min)})
    with Timer() as t:
        run_batch([cfg])
    return compile_s + t.elapsed


def _base_raw(base) -> dict:
    """The base config as the flat dotted-key dict it was built from (before defaults)."""
    raw = base._raw  # what the user wrote (+ --set); rebuilt exactly by load_config
    return {f"{s}.{k}": v for s, sec in raw.items() if not s.startswith("_")
            for k, v in sec.items()}


_BASE_CACHE: dict = {}


def _base_from_raw(flat: dict, digest: str):
    base = _BASE_CACHE.get(digest)
    if base is None:
        base = load_config(None, flat)
        _BASE_CACHE.clear()
        _BASE_CACHE[digest] = base
    return base


def _dask_chunk(flat: dict, digest: str, keys, rows, overrides, start, threads,
                times_s=None):
    """Dask task: one chunk on a worker; returns its CSV text and time series (or None)."""
    return _compute_chunk(_base_from_raw(flat, digest), keys, rows, overrides, start, threads,
                          times_s)


def _dask_warmup(flat: dict, digest: str, overrides: dict) -> float:
    return _warmup(_base_from_raw(flat, digest), overrides)


class _Local:
    name = "local"

    def __init__(self):
        import numba

        self.parallel = numba.get_num_threads()
        self.workers = None

    def warmup(self, base, ov, say=None) -> float:
        return _warmup(base, ov, say)

    def run(self, base, spec, todo, bounds, write, times_s=None):
        for i in todo:
            s, e = bounds(i)
            try:
                result = _compute_chunk(base, spec.keys, spec.rows[s:e],
                                        [spec.overrides(j) for j in range(s, e)], s,
                                        times_s=times_s)
            except ValueError as e:  # e.g. scenarios the model cannot run
                raise UserError(f"{spec.source}: {e}") from None
            write(i, result, e - s)

    def close(self):
        pass


class _Dask:
    name = "dask"

    def __init__(self, workers, scheduler):
        try:
            import distributed
        except ImportError:
            raise UserError("--executor dask needs Dask distributed, which is not "
                            f"installed; install it with: {DASK_HINT}") from None
        import logging

        self.distributed = distributed
        self.cluster = None
        self.scheduler = scheduler
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout="15s")
            except (OSError, TimeoutError, ValueError) as e:
                msg = " ".join(str(e).split())
                raise UserError(f"--scheduler {scheduler}: cannot connect to the Dask "
                                f"scheduler ({msg or type(e).__name__})") from None
            self.threads = None  # leave the workers' numba threads as they are
        else:
            n = workers or _cpus()
            try:
                # CRITICAL: a worker whose heartbeat races the scheduler's shutdown at the
                # end of a finished sweep logs an ERROR with a traceback; a failed task
                # reaches the client as an exception, not through these logs
                self.cluster = distributed.LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=logging.CRITICAL)
                self.client = distributed.Client(self.cluster)
            except (OSError, TimeoutError) as e:
                if self.cluster is not None:
                    self.cluster.close()
                msg = " ".join(str(e).split())
                raise UserError(f"--workers {n}: cannot start a local Dask cluster on "
                                f"127.0.0.1 ({msg or type(e).__name__})") from None
            # Share the machine's cores between the worker processes.
            self.threads = max(1, _cpus() // n)
            try:
                self.client.wait_for_workers(n, timeout=120)
            except BaseException:
                self.close()
                raise
        nthreads = self.client.nthreads()  # worker address -> threads
        self.workers = len(nthreads)
        self.parallel = max(1, sum(nthreads.values()))

    def warmup(self, base, ov, say=None) -> float:
        if say:
            say("the Dask workers compile the kernels, or load them from numba's cache ...")
        flat = _base_raw(base)
        if _base_from_raw(flat, "check").to_dict() != base.to_dict():  # pragma: no cover
            raise RuntimeError("the base config does not survive the trip to the workers")
        try:
            times = self.client.run(_dask_warmup, flat, self.digest, ov)
        except Exception as e:  # e.g. a remote worker without this package
            msg = " ".join(str(e).split())
            raise UserError(f"Dask workers cannot run the sweep ({type(e).__name__}: {msg}); "
                            "every worker needs this package (pip install "
                            '"runfatigue[dask]") in the same version') from None
        if not times:
            raise UserError(f"the Dask cluster at {self.scheduler} has no workers")
        if say:
            say(f"{len(times)} workers ready in {max(times.values()):.1f} s")
        return max(times.values())

    def run(self, base, spec, todo, bounds, write, times_s=None):
        as_completed = self.distributed.as_completed
        flat = _base_raw(base)
        meta = {}

        def submit(i):
            s, e = bounds(i)
            fut = self.client.submit(
                _dask_chunk, flat, self.digest, spec.keys, spec.rows[s:e],
                [spec.overrides(j) for j in range(s, e)], s, self.threads, times_s,
                key=f"runfatigue-chunk-{self.digest[:16]}-{i}", pure=False)
            meta[fut.key] = (i, e - s)
            return fut

        limit = max(4, 3 * self.parallel)  # tasks in flight: bounds client memory
        pending = iter(todo)
        live = {}
        ac = as_completed()
        for _, i in zip(range(limit), pending):
            fut = submit(i)
            live[fut.key] = fut
            ac.add(fut)
        try:
            for fut in ac:
                i, count = meta.pop(fut.key)
                try:
                    result = fut.result()
                except ValueError as e:
                    raise UserError(f"{spec.source}: {e}") from None
                write(i, result, count)
                live.pop(fut.key, None)
                fut.release()
                nxt = next(pending, None)
                if nxt is not None:
                    f2 = submit(nxt)
                    live[f2.key] = f2
                    ac.add(f2)
        except BaseException:
            for f in live.values():
                f.cancel()
            raise

    def close(self):
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
