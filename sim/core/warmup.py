"""Compile the numba kernels once per process, and say so while it happens.

The first command after install compiles the run loop (:func:`sim.core.engine.run_kernel`)
and the batch reduction (:func:`sim.core.batch.summarise_kernel`); numba caches the machine
code next to the package, so later commands only load it. Every command that simulates
calls :func:`ensure_compiled` first, with a ``say`` callback: with an empty cache it
prints a line *before* compiling starts and one with the measured time when it is done;
with a filled cache it stays quiet.

Examples
--------
>>> seconds = ensure_compiled()          # compiles, or loads numba's cache
>>> ensure_compiled() == 0.0             # once per process
True
"""
from __future__ import annotations

import time
from pathlib import Path

__all__ = ["COMPILE_ESTIMATE_S", "kernels_cached", "ensure_compiled", "compile_seconds"]

#: Compile time of a fresh install on 2 cores [s], measured with ``NUMBA_CACHE_DIR``
#: pointing at an empty directory (README "Quick start"); quoted in the progress line.
COMPILE_ESTIMATE_S = 30

_DONE = {"compiled": False, "seconds": 0.0}


def _index_paths() -> list[Path]:
    from .batch import summarise_kernel
    from .engine import run_kernel

    paths = []
    for dispatcher in (run_kernel, summarise_kernel):
        try:
            paths.append(Path(dispatcher._cache._cache_file._index_path))
        except AttributeError:                       # pragma: no cover - numba internals
            return []
    return paths


def kernels_cached() -> bool:
    """True if numba's on-disk cache holds the run loop and the batch reduction.

    Reads numba's cache index files (in the package's ``__pycache__``, or under
    ``NUMBA_CACHE_DIR``). A stale index (a source file changed since) still counts as
    cached here; numba then recompiles, which only makes the quiet path slower.
    """
    paths = _index_paths()
    return bool(paths) and all(p.is_file() for p in paths)


def ensure_compiled(say=None) -> float:
    """Compile (or load from the cache) the kernels every simulation uses.

    Parameters
    ----------
    say : callable, optional
        Called with one progress message before compiling and one after it, only when the
        cache is empty (nothing is said when the kernels are loaded from the cache).

    Returns
    -------
    float
        Seconds spent in this call (0.0 when this process already compiled them).
    """
    if _DONE["compiled"]:
        return 0.0
    from .batch import run_batch
    from ..config import load_config

    cold = not kernels_cached()
    if cold and say:
        say(f"compiling the simulation kernels (once after install, about "
            f"{COMPILE_ESTIMATE_S} s on 2 cores; cached for later commands) ...")
    start = time.perf_counter()
    run_batch([load_config(None, {"run.duration_min": 0.5, "output.name": "warmup"})])
    elapsed = time.perf_counter() - start
    _DONE.update(compiled=True, seconds=elapsed)
    if cold and say:
        say(f"kernels compiled in {elapsed:.1f} s")
    return elapsed


def compile_seconds() -> float:
    """Seconds this process spent in :func:`ensure_compiled` (0.0 before it ran)."""
    return _DONE["seconds"]
