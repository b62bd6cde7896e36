"""Reading a sweep's ``summary.csv`` (with ``sweep.json`` and ``config.toml``).

:func:`read_summary` reads only the columns asked for, row by row, into typed arrays and
finds the swept keys, the kind of sweep and the run length; :class:`SweepDataError` is
raised for a directory that cannot be read or plotted.

Re-exported by :mod:`sim.figures.sweep_data`, where they were defined before.
"""
from __future__ import annotations

import csv
import json
import math
import tomllib
import warnings
from array import array
from pathlib import Path

import numpy as np

from ..errors import RunfatigueError
from ..schema import SCHEMA
from .sweep_levels import _canon, _fmt, _levels


#: Summary fields (everything after the swept keys in ``summary.csv`` starts with this one).
_FIRST_FIELD = "spike_onset_s"


class SweepDataError(RunfatigueError, ValueError):
    """A sweep results directory that cannot be read or plotted; ``str(err)`` says why."""


def read_summary(directory, columns=None) -> dict:
    """Read a sweep's ``summary.csv`` (with ``sweep.json`` and ``config.toml``).

    The CSV is read row by row with the :mod:`csv` module into typed arrays. Columns that
    hold numbers (``nan`` included) become float arrays (``scenario`` an int array);
    columns that do not (e.g. a swept string option) stay string arrays. A truncated last
    row (a sweep still being written) is skipped with a warning.

    Parameters
    ----------
    directory : str or pathlib.Path
        A sweep results directory holding ``summary.csv``; ``sweep.json`` and
        ``config.toml`` are optional (without ``sweep.json`` the swept keys are the
        columns between ``scenario`` and ``spike_onset_s`` and the kind is inferred:
        "grid" if the rows form a full grid, else "sample"; without ``config.toml``
        the run length is the schema default).
    columns : iterable of str, optional
        Keep only these columns (plus ``scenario`` and the swept keys); the others are
        skipped while reading, so a 10^6-row summary needs memory for the kept ones only.
        Default: every column.

    Returns
    -------
    dict
        Column name -> :class:`numpy.ndarray` (one entry per row), plus
        ``"keys"`` (list of swept dotted keys, in order), ``"kind"`` (str),
        ``"duration_min"`` (float, run length [min], used to label "never"),
        ``"columns"`` (list of column names in file order) and ``"config"`` (dict, the
        parsed base configuration, empty if absent).

    Raises
    ------
    SweepDataError
        If ``summary.csv`` is missing or malformed, or a swept key has no column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "summary.csv").write_text(
    ...     "scenario,run.speed_mps,spike_onset_s,infeasible_strides\\n"
    ...     "0,3.0,nan,0\\n1,4.0,3600.0,2\\n")
    >>> data = read_summary(d)
    >>> data["keys"], data["kind"], data["duration_min"]
    (['run.speed_mps'], 'grid', 120.0)
    >>> data["spike_onset_s"]
    array([  nan, 3600.])
    """
    directory = Path(directory)
    path = directory / "summary.csv"
    if not path.is_file():
        raise SweepDataError(f"{path}: no such file (not a sweep results directory?)")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise SweepDataError(f"{path}: empty file (no header row)") from None
        if len(set(header)) != len(header):
            raise SweepDataError(f"{path}: duplicate column names in the header")
        cols = [array("d") for _ in header]
        text = [None] * len(header)  # list of str once a column turns out not numeric
        keep = _kept_columns(directory, header, columns)
        bad = []
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(header):
                bad.append(lineno)
                continue
            if bad:  # a malformed row followed by good ones: not a truncated tail
                raise SweepDataError(f"{path}, line {bad[0]}: {len(header)} fields expected")
            for j in keep:
                cell = row[j].strip()
                if text[j] is None:
                    try:
                        cols[j].append(float(cell))
                        continue
                    except ValueError:
                        text[j] = [_fmt(v) for v in cols[j]]
                text[j].append(cell)
        if bad:
            if len(bad) > 1:
                raise SweepDataError(f"{path}, line {bad[0]}: {len(header)} fields expected")
            warnings.warn(f"{path}: skipped a truncated last row (line {bad[0]})", stacklevel=2)

    data = {}
    for j in keep:
        name, c, t = header[j], cols[j], text[j]
        if t is not None:
            data[name] = np.array(t, dtype=str)
        else:
            a = np.frombuffer(c, dtype=np.float64).copy() if len(c) else np.zeros(0)
            data[name] = a.astype(np.int64) if name == "scenario" and np.all(np.isfinite(a)) else a

    spec = {}
    if (directory / "sweep.json").is_file():
        try:
            spec = json.loads((directory / "sweep.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise SweepDataError(f"{directory / 'sweep.json'}: not valid JSON ({e})") from None
    keys = spec.get("keys")
    if keys is None:
        stop = header.index(_FIRST_FIELD) if _FIRST_FIELD in header else len(header)
        keys = [h for h in header[:stop] if h != "scenario"]
    keys = [str(k) for k in keys]
    missing = [k for k in keys if k not in data]
    if missing:
        raise SweepDataError(f"{path}: swept key(s) {', '.join(missing)} have no column "
                             f"(columns: {', '.join(header)})")

    config = {}
    if (directory / "config.toml").is_file():
        try:
            config = tomllib.loads((directory / "config.toml").read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise SweepDataError(f"{directory / 'config.toml'}: not valid TOML ({e})") from None
    duration = config.get("run", {}).get("duration_min", SCHEMA["run"]["duration_min"].default)

    kind = spec.get("kind") or ("grid" if _is_full_grid(data, keys) else "sample")
    data.update(keys=keys, kind=str(kind), duration_min=float(duration), columns=header,
                config=config)
    return data


def _kept_columns(directory, header, columns) -> list:
    """Indices of the header's columns to read (all when ``columns`` is None)."""
    if columns is None:
        return list(range(len(header)))
    want = set(columns) | {"scenario"}
    try:
        spec = json.loads((Path(directory) / "sweep.json").read_text(encoding="utf-8"))
        want |= {str(k) for k in spec.get("keys", ())}
    except (OSError, json.JSONDecodeError):
        stop = header.index(_FIRST_FIELD) if _FIRST_FIELD in header else len(header)
        want |= set(header[:stop])
    return [j for j, h in enumerate(header) if h in want]


def _is_full_grid(data, keys) -> bool:
    if not keys:
        return False
    n = len(data[keys[0]])
    combos = {tuple(_canon(data[k][i]) for k in keys) for i in range(n)}
    return n > 0 and len(combos) == math.prod(len(_levels(data[k])) for k in keys)
