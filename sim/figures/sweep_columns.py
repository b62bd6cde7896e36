"""Using a read summary: its columns, the rows to draw, onsets and the notes they need.

Typed access to columns (:func:`_col`, :func:`_flag_col`, :func:`_durations`), checks
(:func:`_check_data`), the rows where the swept keys not shown are held at one value
(:func:`_fixed_rows`, named by :func:`_held_title`), onset columns in minutes
(:func:`_onset_min`) and the footnotes saying what an onset, or an onset of 0 min, means.

Re-exported by :mod:`sim.figures.sweep_data`, where they were defined before.
"""
from __future__ import annotations

import numpy as np

from .sweep_levels import _canon, _fmt, _fmt_levels, _levels, _matches, _value_text
from .sweep_summary import SweepDataError


_ONSET_COLUMNS = {
    "spike_onset_s": None,  # the configured index (``[spike] index``)
    "onset_shear_bw_s": "shear_bw",
    "onset_superficial_load_s": "superficial_load",
}


_START_MIN = 0.5        # onsets below this [min] read "from the start"


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
