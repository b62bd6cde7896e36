"""A sweep's files: chunk CSVs with their checksums, the merged summary, the lock.

Each chunk is written atomically and its checksum record last, so a chunk counts as
complete only once its record exists; :func:`read_summary` reads the merged
``summary.csv``.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from contextlib import contextmanager
from pathlib import Path

from ..results import atomic_open, directory_lock
from . import sweep_series


def _jsonable(v):
    if isinstance(v, (tuple, list)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


def _cell(v) -> str:
    """One CSV cell: floats exactly (``repr``; ``nan``), bools as TOML, tables as JSON."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (int, str)):
        return str(v)
    return json.dumps(_jsonable(v), separators=(",", ":"))


def _csv_text(rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue()


#: Summary columns written as ``true``/``false``.
BOOL_FIELDS = ("spike_censored", "spike_from_start")


def _chunk_text(keys, start: int, rows, results: list[dict]) -> str:
    """CSV of one chunk: header, then one line per scenario."""
    fields = list(results[0])
    lines = [["scenario", *keys, *fields]]
    for j, (row, res) in enumerate(zip(rows, results)):
        if list(res) != fields:
            raise ValueError("scenarios of one sweep produced different summary fields")
        lines.append([str(start + j), *(_cell(v) for v in row),
                      *(_cell(bool(res[f]) if f in BOOL_FIELDS else float(res[f]))
                        for f in fields)])
    return _csv_text(lines)


@contextmanager
def _lock(directory: Path):
    """Exclusive lock of a sweep directory (:func:`sim.results.directory_lock`, shared
    with runs)."""
    directory.mkdir(parents=True, exist_ok=True)
    with directory_lock(directory):
        yield


def _locked_by_other(directory: Path) -> bool:
    """True if another process holds the directory's sweep lock right now."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        return False
    try:
        fd = os.open(directory / ".lock", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)                       # closing releases a lock this call took
    return False


def _chunk_path(directory: Path, i: int) -> Path:
    return directory / "chunks" / f"chunk_{i:06d}.csv"


def _sum_path(directory: Path, i: int) -> Path:
    """``chunks/chunk_NNNNNN.sha256``: the checksums of chunk ``i``'s files, written after
    them (JSON: ``{"csv": sha256, "series": sha256 or null}``)."""
    return directory / "chunks" / f"chunk_{i:06d}.sha256"


def _sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes (None if it cannot be read as a file)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _checksums_ok(directory: Path, i: int, series: bool) -> bool:
    """Chunk ``i``'s files still have the checksums recorded when they were written."""
    try:
        rec = json.loads(_sum_path(directory, i).read_text())
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(rec, dict) or rec.get("csv") != _sha256(_chunk_path(directory, i)):
        return False
    return not series or rec.get("series") == _sha256(sweep_series.chunk_path(directory, i))


def _clear(path: Path):
    """Remove whatever stands at ``path`` inside the sweep's own ``chunks/`` folder (a
    damaged file, or a directory where a file belongs) before it is rewritten."""
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _chunk_ok(path: Path, start: int, stop: int) -> bool:
    """A chunk file holds exactly scenarios start..stop-1 (checked line by line)."""
    try:
        with open(path, newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header or header[0] != "scenario":
                return False
            expect = start
            for row in reader:
                if len(row) != len(header) or row[0] != str(expect):
                    return False
                expect += 1
            return expect == stop
    except (OSError, UnicodeDecodeError, csv.Error):
        return False


def _remove_sweep(directory: Path):
    """``--force``: remove a sweep's own files (state first, so that a kill midway leaves
    a directory that is no longer taken for a sweep)."""
    import shutil

    for name in ("sweep.json", "summary.csv", "timeseries.npz", "sensitivity.csv",
                 "config.toml", "manifest.json"):
        if (directory / name).is_file():
            (directory / name).unlink()
    for name in ("chunks", "figures"):
        if (directory / name).is_dir():
            shutil.rmtree(directory / name)


def _remove_temporaries(directory: Path):
    """Delete half-written temporary files left by a killed process (never read)."""
    for d in (directory, directory / "chunks", directory / "figures"):
        if d.is_dir():
            for p in d.glob(".*.tmp"):
                try:
                    p.unlink()
                except OSError:  # pragma: no cover
                    pass


def _merge(directory: Path, n: int, n_chunks: int) -> Path:
    """Stream the chunk files into ``summary.csv`` (written atomically)."""
    final = directory / "summary.csv"
    with atomic_open(final, "wb") as out:
        header = None
        rows = 0
        for i in range(n_chunks):
            with open(_chunk_path(directory, i), "rb") as fh:
                first = fh.readline()
                if header is None:
                    header = first
                    out.write(first)
                elif first != header:
                    raise RuntimeError(f"chunk {i} has different columns than chunk 0")
                for line in fh:
                    out.write(line)
                    rows += 1
        if rows != n:
            raise RuntimeError(f"chunks hold {rows} scenarios, expected {n}")
    return final


def _groups_of(header) -> list[str]:
    """Muscle groups of a summary header (its ``end_capacity_*`` columns, in order)."""
    return [h[len("end_capacity_"):] for h in header if h.startswith("end_capacity_")]


def _n_series(csv_path: Path) -> int:
    """Number of time series of a chunk (from its CSV header's muscle groups)."""
    from ..core.batch import SERIES

    with open(csv_path, newline="") as fh:
        header = next(csv.reader(fh))
    return len(SERIES) + len(_groups_of(header))


def _write_series(directory: Path, n: int, bounds, n_chunks: int, times_s) -> Path:
    """Stream the chunks' series into ``timeseries.npz`` (names from summary.csv)."""
    from ..core.batch import series_names, series_units

    with open(directory / "summary.csv", newline="") as fh:
        groups = _groups_of(next(csv.reader(fh)))
    return sweep_series.write_npz(directory, n, bounds, n_chunks, times_s,
                                  series_names(groups), series_units(groups))


def read_summary(path, columns=None) -> dict:
    """Columns of a ``summary.csv`` as float arrays (NaN for ``nan``), streaming the file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``summary.csv`` (or a chunk file).
    columns : sequence of str, optional
        Columns to read (default: all numeric columns; non-numeric cells become NaN).
    """
    import numpy as np

    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        want = list(columns) if columns is not None else header
        missing = [c for c in want if c not in header]
        if missing:
            raise KeyError(f"{path}: no column(s) {', '.join(missing)}")
        idx = [header.index(c) for c in want]
        cols = [[] for _ in want]
        for row in reader:
            for c, k in zip(cols, idx):
                try:
                    c.append(float(row[k]))
                except ValueError:
                    c.append(float("nan"))
    return {name: np.array(c, dtype=np.float64) for name, c in zip(want, cols)}
