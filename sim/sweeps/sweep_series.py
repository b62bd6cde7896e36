"""Time series of a sweep: per-chunk ``.npy`` files streamed into ``timeseries.npz``.

A sweep writes time series only when its config sets ``[output] timeseries = true``
explicitly (in the file or with ``--set output.timeseries=true``); unlike a single run,
where the key defaults to true, a sweep without it writes none (:func:`requested`).

Every scenario is sampled on one grid of run times, every :data:`STEP_S` seconds from 0
up to (not including) the longest run duration of the sweep (:func:`grid_s`), so all
scenarios share the time axis; a shorter run is NaN after its end. Values and series are
those of :func:`sim.core.batch.run_batch_series` (:data:`sim.core.batch.SERIES`, then the capacity
of each muscle group).

Files (dimension order: scenario × time × series)::

    chunks/series_000123.npy
        float64 array (n_chunk, n_time, n_series) for the scenarios of chunk 123, in
        index order; written atomically next to ``chunks/chunk_000123.csv``
    timeseries.npz
        series        float64 (scenario, time, series)
        time_min      float64 (time,)          run time of each sample [min]
        series_names  str (series,)            e.g. ``shear_bw``, ``capacity_lumbar_deep``
        series_units  str (series,)            e.g. ``BW``, ``deg``, ``m/s``, ``1``
        scenario      int64 (scenario,)        scenario index (rows of summary.csv)
        _dims         JSON text: array name -> dimension names (:data:`DIMS`)

``timeseries.npz`` is an uncompressed zip (``ZIP_STORED``) written by streaming the chunk
files from disk, so memory stays bounded by one copy buffer whatever the sweep size;
``numpy.load`` reads it as usual, and :func:`load` maps ``series`` from the file without
reading it (``mmap=True``). It is written to a temporary file and renamed into place.

Examples
--------
>>> import pathlib, tempfile
>>> from sim.sweep import run_sweep
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "ts.toml").write_text('''
... [run]
... duration_min = 5
... [output]
... timeseries = true
... [sweep.grid]
... "scenario.core_strength" = [0.6, 1.0]
... ''')
>>> out = run_sweep(d / "ts.toml", results_root=d / "results", progress=False)
>>> z = load(out)
>>> z["series"].shape == (2, 5, len(z["series_names"])), z["time_min"].tolist()
(True, [0.0, 1.0, 2.0, 3.0, 4.0])
>>> z["_dims"]["series"], z["series_names"][0], z["series_units"][0]
(['scenario', 'time', 'series'], 'shear_bw', 'BW')
"""
from __future__ import annotations

import json
import math
import os
import struct
import zipfile
from pathlib import Path

import numpy as np

from ..results import atomic_open

__all__ = ["STEP_S", "DTYPE", "DIMS", "requested", "grid_s", "chunk_path", "save_chunk",
           "chunk_ok", "write_npz", "load"]

#: Spacing of the time grid of sweep time series [s] (a sample every minute of run time).
STEP_S = 60.0
#: dtype of the series in the chunk files and ``timeseries.npz`` (exact kernel values).
DTYPE = np.dtype("<f8")
#: Dimension names of the arrays in ``timeseries.npz`` (its ``_dims`` entry).
DIMS = {"series": ["scenario", "time", "series"], "time_min": ["time"],
        "series_names": ["series"], "series_units": ["series"], "scenario": ["scenario"]}

_BLOCK = 1 << 20  # bytes per copy step
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member dates: same content, same bytes


def requested(base) -> bool:
    """True if the sweep's base config sets ``output.timeseries = true`` explicitly.

    Examples
    --------
    >>> import sim
    >>> requested(sim.load_config(None)), requested(
    ...     sim.load_config(None, {"output.timeseries": True}))
    (False, True)
    """
    return base._raw.get("output", {}).get("timeseries") is True


def grid_s(base, spec) -> np.ndarray:
    """Sample times [s]: ``0, STEP_S, ...`` below the longest run duration of the sweep.

    Examples
    --------
    >>> import sim
    >>> class Spec:  # the two attributes used
    ...     keys, rows = ("run.duration_min",), [(2.5,), (1.0,)]
    >>> grid_s(sim.load_config(None), Spec())
    array([  0.,  60., 120.])
    """
    if "run.duration_min" in spec.keys:
        j = spec.keys.index("run.duration_min")
        longest = max(float(r[j]) for r in spec.rows)
    else:
        longest = float(base.run.duration_min)
    n = max(1, math.ceil(longest * 60.0 / STEP_S - 1e-9))
    return np.arange(n, dtype=np.float64) * STEP_S


def chunk_path(directory, i: int) -> Path:
    """``chunks/series_NNNNNN.npy`` of chunk ``i``."""
    return Path(directory) / "chunks" / f"series_{i:06d}.npy"


def save_chunk(path, series) -> Path:
    """Write one chunk's series as ``.npy`` atomically (temporary file, fsync, rename)."""
    arr = np.ascontiguousarray(series, dtype=DTYPE)
    with atomic_open(path, "wb") as fh:
        np.lib.format.write_array(fh, arr, allow_pickle=False)
    return Path(path)


def _npy_header(fh):
    """(shape, fortran_order, dtype, data offset) of the ``.npy`` stream at ``fh``."""
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
    elif version in ((2, 0), (3, 0)):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
    else:  # pragma: no cover
        raise ValueError(f"unsupported .npy version {version}")
    return shape, fortran, dtype, fh.tell()


def chunk_ok(path, count: int, n_time: int, n_series: int | None = None) -> bool:
    """A chunk's series file is complete: shape (count, n_time[, n_series]), float64,
    and exactly as long as its header says."""
    try:
        with open(path, "rb") as fh:
            shape, fortran, dtype, offset = _npy_header(fh)
            size = os.fstat(fh.fileno()).st_size
    except (OSError, ValueError, SyntaxError):
        return False
    if fortran or dtype != DTYPE or len(shape) != 3 or shape[:2] != (count, n_time):
        return False
    if n_series is not None and shape[2] != n_series:
        return False
    return size == offset + math.prod(shape) * DTYPE.itemsize


def _member(zf, name: str):
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _write_small(zf, name: str, arr):
    with zf.open(_member(zf, f"{name}.npy"), "w") as out:
        np.lib.format.write_array(out, np.asarray(arr), allow_pickle=False)


def _write_streamed(zf, name: str, dtype, shape, blocks):
    """One ``.npy`` member from a header and raw C-order data blocks (file objects or
    arrays), never holding more than one block."""
    import io

    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        head, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
               "shape": tuple(shape)})
    nbytes = math.prod(shape) * np.dtype(dtype).itemsize
    info = _member(zf, f"{name}.npy")
    info.file_size = len(head.getvalue()) + nbytes  # lets zipfile pick zip64 if needed
    written = 0
    with zf.open(info, "w", force_zip64=info.file_size > 2**31) as out:
        out.write(head.getvalue())
        for b in blocks:
            if isinstance(b, np.ndarray):
                data = np.ascontiguousarray(b, dtype=dtype).tobytes()
                out.write(data)
                written += len(data)
            else:
                while True:
                    data = b.read(_BLOCK)
                    if not data:
                        break
                    out.write(data)
                    written += len(data)
    if written != nbytes:
        raise RuntimeError(f"{name}: wrote {written} bytes of data, expected {nbytes}")


def write_npz(directory, n: int, bounds, n_chunks: int, times_s, names, units) -> Path:
    """Stream ``chunks/series_*.npy`` into ``timeseries.npz`` (temporary file, rename).

    Parameters
    ----------
    directory : pathlib.Path
        Sweep directory.
    n : int
        Scenarios.
    bounds : callable
        ``bounds(i) -> (start, stop)`` scenarios of chunk ``i``.
    n_chunks : int
        Chunks.
    times_s : ndarray (n_time,)
        Sample times [s].
    names, units : sequence of str (n_series,)
        Series names and units.
    """
    directory = Path(directory)
    n_time, n_series = len(times_s), len(names)

    def chunk_data():
        for i in range(n_chunks):
            start, stop = bounds(i)
            with open(chunk_path(directory, i), "rb") as fh:
                shape, fortran, dtype, _ = _npy_header(fh)
                if (fortran or dtype != DTYPE
                        or tuple(shape) != (stop - start, n_time, n_series)):
                    raise RuntimeError(f"{chunk_path(directory, i)}: shape {shape}, "
                                       f"expected {(stop - start, n_time, n_series)}")
                yield fh

    def scenarios():
        for s in range(0, n, _BLOCK // 8):
            yield np.arange(s, min(n, s + _BLOCK // 8), dtype=np.int64)

    final = directory / "timeseries.npz"
    with atomic_open(final, "w+b") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            _write_streamed(zf, "series", DTYPE, (n, n_time, n_series), chunk_data())
            _write_small(zf, "time_min", np.asarray(times_s, dtype=np.float64) / 60.0)
            _write_small(zf, "series_names", np.array(list(names), dtype=str))
            _write_small(zf, "series_units", np.array(list(units), dtype=str))
            _write_streamed(zf, "scenario", np.dtype("<i8"), (n,), scenarios())
            _write_small(zf, "_dims", np.array(json.dumps(DIMS)))
    return final


def _stored_offset(path: Path, member: str) -> int:
    """Byte offset of an uncompressed zip member's data in the file."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{path}: {member} is compressed; cannot map it")
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if local[:4] != b"PK\x03\x04":
            raise ValueError(f"{path}: bad zip local header for {member}")
        n_name, n_extra = struct.unpack("<HH", local[26:30])
    return info.header_offset + 30 + n_name + n_extra


def load(directory, mmap: bool = True) -> dict:
    """Arrays of a sweep's ``timeseries.npz`` (``directory`` or the file itself).

    ``series`` is a read-only :class:`numpy.memmap` of the file when ``mmap`` (nothing is
    read until indexed), else an array in memory. Labels are lists of str; ``_dims`` is
    the decoded dict.
    """
    path = Path(directory)
    if path.is_dir():
        path = path / "timeseries.npz"
    out = {}
    with np.load(path, allow_pickle=False) as z:
        for k in z.files:
            if k == "series" and mmap:
                continue
            out[k] = z[k]
    if mmap:
        start = _stored_offset(path, "series.npy")
        with open(path, "rb") as fh:
            fh.seek(start)
            shape, fortran, dtype, offset = _npy_header(fh)  # offset: in the file
        out["series"] = np.memmap(path, dtype=dtype, mode="r", offset=offset,
                                  shape=tuple(shape), order="F" if fortran else "C")
    out["_dims"] = json.loads(str(out["_dims"]))
    for k in ("series_names", "series_units"):
        out[k] = [str(x) for x in out[k]]
    return out
