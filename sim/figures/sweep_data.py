"""Reading a sweep's results and naming what is in them.

:func:`read_summary` reads ``summary.csv`` (only the columns asked for) into arrays;
the label and level helpers turn swept keys and values into axis text. Used by the sweep
figures (:mod:`sim.figures.sweep_plots`, :mod:`sim.figures.onset_curves`).
"""
from __future__ import annotations

import csv
import json
import math
import re
import tomllib
import warnings
from array import array
from pathlib import Path

import numpy as np

from ..errors import RunfatigueError
from .plots import PALETTE
from ..schema import SCHEMA


#: Readable name and unit of the keys people sweep most (others fall back to the schema).
_LABELS = {
    "scenario.hip_flexor_tightness_deg": ("hip-flexor tightness", "deg"),
    "scenario.glute_med_strength": ("gluteus medius strength", "× normal"),
    "scenario.quad_strength": ("quadriceps strength", "× normal"),
    "scenario.core_strength": ("core strength", "× normal"),
    "scenario.step_rate_scale": ("step rate", "× natural cadence"),
    "run.speed_mps": ("speed", "m/s"),
    "run.duration_min": ("run length", "min"),
    "runner.mass_kg": ("body mass", "kg"),
    "runner.marathon_pace_mps": ("marathon pace", "m/s"),
    "runner.hip_extension_rom_deg": ("hip extension range", "deg"),
    "intervention.stretch_before_deg": ("tightness removed by stretching", "deg"),
    "intervention.stretch_fade_min": ("stretch effect fades over", "min"),
    "intervention.slow_down_speed_mps": ("slow-down jog speed", "m/s"),
    "intervention.policy_wait_min": ("policy wait", "min"),
    "spike.shear_threshold_bw": ("shear spike threshold", "body weights"),
    "spike.superficial_threshold": ("superficial-load spike threshold", "× fresh capacity"),
    "spike.hold_s": ("spike hold time", "s"),
    "model.lean_cost": ("trunk-lean cost weight", "1/rad²"),
    "model.knee_tracking_gain": ("knee-tracking gain", "-"),
}


_SUFFIX_UNITS = (("_deg", "deg"), ("_mps", "m/s"), ("_min", "min"), ("_kg", "kg"),
                 ("_bw", "body weights"), ("_s", "s"), ("_N", "N"))


_SCHEMA_UNITS = {"1": "-", "BW": "body weights"}


#: Summary fields (everything after the swept keys in ``summary.csv`` starts with this one).
_FIRST_FIELD = "spike_onset_s"


_ONSET_COLUMNS = {
    "spike_onset_s": None,  # the configured index (``[spike] index``)
    "onset_shear_bw_s": "shear_bw",
    "onset_superficial_load_s": "superficial_load",
}


_NEVER_FACE = "#e4e4e4"


_NEVER_EDGE = "#a8a8a8"


_START_FACE = "#f9ddd0"  # light vermillion: above the threshold from the start


_START_MIN = 0.5        # onsets below this [min] read "from the start"


_INFEASIBLE_TEXT = "runner could not hold the pace (infeasible strides)"


_MISSING_FACE = "white"


_LINE_COLOURS = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple",
                                      "sky", "black")]


_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]


_HEATMAP_ANNOTATE_MAX = 14  # cell numbers are written when a panel has at most this many columns


#: Summary columns the default figures read (besides the swept keys).
_FIGURE_COLUMNS = ("spike_onset_s", "peak_shear_bw", "infeasible_strides", "spike_censored",
                   "run.duration_min")


_HEATMAP_MAX_PANELS = 9     # a grid heatmap shows at most this many facet levels (evenly spaced)


_HEATMAP_PATCH_MAX = 400    # cells per panel up to which each cell gets its own marks


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


def _name_unit(key: str):
    """(readable name, unit or "") of a dotted key."""
    if key in _LABELS:
        return _LABELS[key]
    section, _, leaf = key.rpartition(".")
    entry = SCHEMA.get(section, {}).get(leaf)
    for suffix, unit in _SUFFIX_UNITS:
        if leaf.endswith(suffix):
            name = leaf[: -len(suffix)]
            break
    else:
        name, unit = leaf, ""
    if entry is None:
        return key, unit  # unknown key: the key itself (with the unit its name carries)
    if not unit:
        unit = _SCHEMA_UNITS.get(entry.unit, entry.unit)
    return name.replace("_", " "), unit


def label(key: str) -> str:
    """Axis label of a swept dotted key, with its unit.

    Parameters
    ----------
    key : str
        Dotted configuration key, e.g. ``"scenario.core_strength"``.

    Returns
    -------
    str
        A readable name and ``[unit]``; unknown keys fall back to the key itself (with
        the unit its name carries, if any).

    Examples
    --------
    >>> label("scenario.hip_flexor_tightness_deg")
    'hip-flexor tightness [deg]'
    >>> label("scenario.core_strength")
    'core strength [× normal]'
    >>> label("intervention.rest_duration_min")
    'rest duration [min]'
    >>> label("custom.thing")
    'custom.thing'
    """
    name, unit = _name_unit(key)
    return f"{name} [{unit}]" if unit else name


def _value_text(key, value, text=None) -> str:
    """``"core strength = 0.6 × normal"`` (``text``: the value already formatted)."""
    return f"{_name_unit(key)[0]} = {text if text is not None else _fmt(value)}{_unit_suffix(key)}"


def _fmt(v) -> str:
    if isinstance(v, (str, np.str_)):
        return str(v)
    v = float(v)
    return f"{v:.4g}" if np.isfinite(v) else str(v)


def _fmt_levels(levels) -> list:
    """Labels of a set of levels with a common number of decimals (2.5, 3.0, 3.5)."""
    if any(isinstance(v, (str, np.str_)) for v in levels):
        return [str(v) for v in levels]
    texts = [_fmt(v) for v in levels]
    if any("e" in t for t in texts):
        return texts
    decimals = max((len(t.partition(".")[2]) for t in texts), default=0)
    return [f"{float(v):.{decimals}f}" for v in levels]


def _unit_suffix(key) -> str:
    unit = _name_unit(key)[1]
    return "" if unit in ("", "-") else f" {unit}"


def _matches(col, level):
    return _canon_array(col) == np.array([level], dtype=object)


def _leaf(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", key.rpartition(".")[2]) or "key"


def _canon_array(col) -> np.ndarray:
    """:func:`_canon` of every entry (an object array), computed once per distinct value."""
    col = np.asarray(col)
    if col.size == 0:
        return np.zeros(0, dtype=object)
    uniq, inverse = np.unique(col, return_inverse=True)
    canon = np.empty(len(uniq), dtype=object)
    canon[:] = [_canon(v) for v in uniq]
    return canon[inverse.reshape(-1)]


def _canon(v):
    """Value used to match grid levels (floats rounded to 10 significant digits)."""
    if isinstance(v, (str, np.str_)):
        return str(v)
    v = float(v)
    return float(f"{v:.10g}") if np.isfinite(v) else v


def _levels(col):
    """Distinct values of a column: sorted numbers, or strings in order of appearance."""
    if col.dtype.kind in "US":
        return list(dict.fromkeys(str(v) for v in col))
    return sorted({_canon(v) for v in np.unique(col) if np.isfinite(v)})


def _index_of(col, levels):
    lookup = {lv: i for i, lv in enumerate(levels)}
    col = np.asarray(col)
    if col.size == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, inverse = np.unique(col, return_inverse=True)
    idx = np.array([lookup.get(_canon(v), -1) for v in uniq], dtype=np.int64)
    return idx[inverse.reshape(-1)]


def _check_data(data, *keys):
    if not isinstance(data, dict) or "keys" not in data:
        raise TypeError("data must be the dict returned by read_summary(directory)")
    for k in keys:
        if k is not None and k not in data:
            raise SweepDataError(f"no column {k!r}; swept keys: {', '.join(data['keys'])}")
    if _n_rows(data) == 0:
        raise SweepDataError("the sweep has no rows yet (summary.csv holds only a header)")


def _n_rows(data) -> int:
    for name in list(data.get("columns", ())) + list(data["keys"]):
        if name in data:
            return len(data[name])
    return 0


def _col(data, name, default=np.nan):
    if name in data:
        return np.asarray(data[name], dtype=float)
    return np.full(_n_rows(data), default)


def _flag_col(data, name) -> np.ndarray:
    """A true/false column as booleans (all false if absent)."""
    if name not in data:
        return np.zeros(_n_rows(data), bool)
    return np.array([str(v).strip().lower() in ("true", "1", "1.0") for v in data[name]])


def _is_grid(data) -> bool:
    return data.get("kind", "grid") == "grid"


def _durations(data):
    """Run length per row [min] (a swept ``run.duration_min`` overrides the base)."""
    if "run.duration_min" in data and data["run.duration_min"].dtype.kind == "f":
        return np.asarray(data["run.duration_min"], dtype=float)
    return _col(data, "__none__", data["duration_min"])


def _base_value(data, key):
    section, _, leaf = key.rpartition(".")
    return data.get("config", {}).get(section, {}).get(leaf)


def _fixed_rows(data, shown, fixed):
    """Rows where the swept keys not shown sit at one value each.

    Returns the row mask and ``{key: value}`` of the keys held fixed. Default value of a
    key: its base-config value if that is one of the swept levels, else the middle level.
    """
    fixed = dict(fixed or {})
    rows = np.ones(_n_rows(data), dtype=bool)
    held = {}
    for k in data["keys"]:
        if k in shown:
            continue
        levels = _levels(data[k])
        if len(levels) <= 1:
            continue
        if k in fixed:
            want = _canon(fixed[k])
        else:
            base = _base_value(data, k)
            want = _canon(base) if base is not None and _canon(base) in levels \
                else levels[(len(levels) - 1) // 2]
        if want not in levels:
            raise SweepDataError(f"{k} = {_fmt(want)} is not one of the swept values "
                                 f"({', '.join(_fmt(v) for v in levels)})")
        rows &= _matches(data[k], want)
        held[k] = want
    return rows, held


def _onset_min(data, column):
    if column not in _ONSET_COLUMNS and not column.endswith("_s"):
        raise ValueError(f"{column!r} is not an onset column [s]")
    if column not in data:
        raise SweepDataError(f"no column {column!r} in the summary")
    return _col(data, column) / 60.0


def _onset_definition(data, column) -> str:
    """One sentence saying what 'spike onset' means for this column and config."""
    spike = data.get("config", {}).get("spike", {})
    index = _ONSET_COLUMNS.get(column) or spike.get("index", "shear_bw")
    hold = spike.get("hold_s")
    held = f" for {hold / 60:g} min" if hold else ""
    if index == "superficial_load":
        thr = spike.get("superficial_threshold")
        what = ("superficial lumbar muscle load stays above "
                + (f"{thr:g} × fresh capacity" if thr is not None else "its threshold"))
    else:
        thr = spike.get("shear_threshold_bw")
        what = ("L5/S1 anterior shear stays above "
                + (f"{thr:g} body weights" if thr is not None else "its threshold"))
    return f"Spike onset: the run time from which {what}{held}."


def _start_note(onset_min) -> str:
    """Explain onsets of 0 min (the index was above its threshold from the start)."""
    v = np.asarray(onset_min, dtype=float)
    if np.any(v[np.isfinite(v)] < _START_MIN):
        return ("An onset of 0 min (\"start\") means the index was above its threshold "
                "from the start of the run, not that it rose during the run.")
    return ""


def _held_title(data, held) -> str:
    """``"at core strength = 1.0 × normal"`` for the keys held fixed."""
    parts = []
    for k, v in held.items():
        levels = _levels(data[k])
        parts.append(_value_text(k, v, _fmt_levels(levels)[levels.index(v)]))
    return "at " + ", ".join(parts)


def _held_text(data, held) -> str:
    return f"Other swept keys held fixed: {_held_title(data, held)[3:]}." if held else ""
