"""Figures of a parameter sweep: when does back loading spike, across scenarios?

Reads a sweep results directory (``results/<name>/``) and draws:

- :func:`onset_heatmap` -- spike onset [min] over two swept parameters (one panel per
  value of a third), "never" cells hatched grey, cells where the runner could not hold
  the pace outlined;
- :func:`onset_vs_parameter` -- spike onset [min] against one swept parameter, one line
  per value of another, one panel per value of a third; runs that never spiked sit in a
  "never" band above the end of the run, runs above the threshold from the start in a
  "start" band below 0 min, and no line joins a band to an onset;
- :func:`shear_heatmap` -- peak L5/S1 anterior shear [body weights], same layout;
- :func:`write_figures` -- all of the above that make sense for the sweep, written to
  ``figures/`` through :func:`sim.results.save_figure`.

Grid sweeps are drawn as heatmaps and lines; sampled sweeps (Latin hypercube, Sobol,
Saltelli) as scatter plots. Colours follow one rule: *hotter is worse* (an earlier spike,
more shear). Every figure states the question it answers and that this is an
educational model, not medical advice.

Input layout (written by the sweep executor)::

    summary.csv   header, then one row per scenario: ``scenario`` (int), the swept keys
                  as dotted names, then the summary fields of :func:`sim.core.batch.summary_fields`;
                  NaN written ``nan`` (a NaN onset means "never spiked")
    sweep.json    {"kind": "grid" | "sample" | "sensitivity", "keys": [...]}
    config.toml   the resolved base configuration (``[run] duration_min`` labels "never")

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import json, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rows = ["scenario,scenario.hip_flexor_tightness_deg,run.speed_mps,spike_onset_s,"
...         "peak_shear_bw,infeasible_strides"]
>>> for i, (t, v) in enumerate([(t, v) for v in (3.0, 4.0) for t in (0.0, 20.0)]):
...     onset = "nan" if (t, v) == (0.0, 3.0) else str(6000 - 100 * t - 1000 * (v - 3))
...     rows.append(f"{i},{t},{v},{onset},{0.7 + 0.01 * t},0")
>>> _ = (d / "summary.csv").write_text("\\n".join(rows) + "\\n")
>>> _ = (d / "sweep.json").write_text(json.dumps(
...     {"kind": "grid", "keys": ["scenario.hip_flexor_tightness_deg", "run.speed_mps"]}))
>>> _ = (d / "config.toml").write_text("[run]\\nduration_min = 120.0\\n")
>>> [p.name for p in write_figures(d)]
['onset_heatmap.png', 'onset_vs_hip_flexor_tightness_deg.png', 'peak_shear_heatmap.png']
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
from .plots import PALETTE, finish_figure
from ..results import save_figure
from ..schema import SCHEMA

__all__ = [
    "SweepDataError",
    "read_summary",
    "label",
    "onset_heatmap",
    "onset_vs_parameter",
    "shear_heatmap",
    "write_figures",
]

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


# --------------------------------------------------------------------------- reading

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


# --------------------------------------------------------------------------- labels

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


# --------------------------------------------------------------------------- data helpers

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


# --------------------------------------------------------------------------- figure helpers

def _onset_cmap():
    """Early (worse) = dark red, late = pale yellow: hotter is worse. Colour-blind safe."""
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    base = mpl.colormaps["YlOrRd"]
    return ListedColormap(base(np.linspace(0.97, 0.12, 256)), name="onset_hot_early")


def _shear_cmap():
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    base = mpl.colormaps["YlOrRd"]
    return ListedColormap(base(np.linspace(0.08, 0.97, 256)), name="shear_hot_high")


def _onset_norm(values, duration):
    """Colour scale from the start (0 min) to the end of the run.

    Fixed, not fitted to the data, so that a colour means the same minute in every
    figure: a sweep whose earliest spike is at 85 min does not paint it as dark as a
    spike at 10 min elsewhere.
    """
    from matplotlib.colors import Normalize

    finite = values[np.isfinite(values)]
    top = float(np.nanmax(np.append(np.asarray(duration, dtype=float), finite)))
    return Normalize(0.0, top if top > 0 else 1.0)


def _text_colour(rgba) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _new_figure(n_panels, panel_w=3.7, panel_h=3.3, extra_w=1.4, ncols_max=3):
    import matplotlib.pyplot as plt

    if n_panels == 1:
        panel_w, panel_h = 5.0, 4.2
    ncols = min(n_panels, ncols_max)
    nrows = math.ceil(n_panels / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_w * ncols + extra_w, panel_h * nrows + 1.6),
                             squeeze=False, sharex=True, sharey=True, layout="constrained")
    axes = axes.ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, list(axes[:n_panels])


def _legend_never(duration_text, exhausted=False):
    from matplotlib.patches import Patch

    label = f"never spiked within the {duration_text} run"
    if exhausted:
        label += " (\"exh.\": the runner was exhausted before the index crossed)"
    return Patch(facecolor=_NEVER_FACE, edgecolor=_NEVER_EDGE, hatch="///", label=label)


def _legend_infeasible(kind="cell"):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    text = _INFEASIBLE_TEXT
    if kind == "cell":
        return Patch(facecolor="none", edgecolor="black", linewidth=2.0, label=text)
    return Line2D([], [], ls="none", marker="o", markersize=11, markerfacecolor="none",
                  markeredgecolor="black", markeredgewidth=1.5, label=text)


def _duration_text(data):
    d = _durations(data)
    lo, hi = float(np.nanmin(d)), float(np.nanmax(d))
    return f"{lo:g}-min" if lo == hi else f"{lo:g}–{hi:g}-min"


def _set_level_ticks(axis, levels, max_labels=9):
    n = len(levels)
    step = max(1, math.ceil(n / max_labels))
    pos = np.arange(0, n, step)
    texts = _fmt_levels(levels)
    axis.set_ticks(pos)
    axis.set_ticklabels([texts[i] for i in pos])


# --------------------------------------------------------------------------- heatmaps

def _grid_cells(data, value, worse, x_key, y_key, facet_key, rows):
    """Cell values (facet, y, x) from the selected rows.

    Several runs in one cell are reduced to the worst (``worse="low"``: smallest, NaN
    counted as +inf, i.e. the earliest onset; ``"high"``: largest). Returns levels,
    values, a 'filled' mask, an 'infeasible' mask and the largest number of runs per cell.
    """
    xs, ys = _levels(data[x_key][rows]), _levels(data[y_key][rows])
    fs = _levels(data[facet_key][rows]) if facet_key else [None]
    xi, yi = _index_of(data[x_key][rows], xs), _index_of(data[y_key][rows], ys)
    fi = _index_of(data[facet_key][rows], fs) if facet_key else np.zeros(xi.size, np.int64)
    ok = (xi >= 0) & (yi >= 0) & (fi >= 0)
    shape = (len(fs), len(ys), len(xs))
    flat = np.ravel_multi_index((fi[ok], yi[ok], xi[ok]), shape)
    v = np.asarray(value, dtype=float)[rows][ok]
    count = np.zeros(math.prod(shape), np.int64)
    np.add.at(count, flat, 1)
    if worse == "low":
        acc = np.full(count.size, np.inf)
        np.minimum.at(acc, flat, np.where(np.isnan(v), np.inf, v))
        acc[acc == np.inf] = np.nan
    else:
        acc = np.full(count.size, -np.inf)
        np.maximum.at(acc, flat, np.where(np.isnan(v), -np.inf, v))
        acc[acc == -np.inf] = np.nan
    infeasible = np.zeros(count.size, bool)
    np.logical_or.at(infeasible, flat, _col(data, "infeasible_strides", 0.0)[rows][ok] > 0)
    censored = np.zeros(count.size, bool)
    np.logical_or.at(censored, flat, _flag_col(data, "spike_censored")[rows][ok])
    return (xs, ys, fs, acc.reshape(shape), (count > 0).reshape(shape),
            infeasible.reshape(shape), int(count.max(initial=0)), censored.reshape(shape))


def _heatmap(data, column, x_key, y_key, facet_key, fixed, *, onset):
    """Shared body of the onset and shear heatmaps (grid: cells; sample: scatter)."""
    _check_data(data, x_key, y_key, facet_key, column if not onset else None)
    if len({x_key, y_key, facet_key} - {None}) < (3 if facet_key else 2):
        raise ValueError("x_key, y_key and facet_key must be different keys")
    if not _is_grid(data):
        return _heatmap_sample(data, column, x_key, y_key, facet_key, onset=onset)

    from matplotlib.patches import Rectangle

    rows, held = _fixed_rows(data, {x_key, y_key, facet_key}, fixed)
    if onset:
        values = _onset_min(data, column)
        cmap, worse = _onset_cmap(), "low"
    else:
        values = _col(data, column)
        cmap, worse = _shear_cmap(), "high"
    rows, facet_note = _facet_rows(data, facet_key, rows)
    xs, ys, fs, Z, filled, infeasible, per_cell, censored = _grid_cells(
        data, values, worse, x_key, y_key, facet_key, rows)
    never = filled & np.isnan(Z) if onset else np.zeros_like(filled)
    missing = ~filled | (np.isnan(Z) & ~never)
    if onset:
        norm = _onset_norm(Z, _durations(data)[rows])
    else:
        from matplotlib.colors import Normalize

        finite = Z[np.isfinite(Z)]
        thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
        pts = np.append(finite, thr) if thr is not None and column == "peak_shear_bw" else finite
        lo, hi = (float(pts.min()), float(pts.max())) if pts.size else (0.0, 1.0)
        norm = Normalize(lo, hi if hi > lo else lo + 1e-3)

    # legend texts, also set on the drawn cells they describe
    never_text = _legend_never(_duration_text(data),
                               exhausted=bool((never & censored).any())).get_label()
    missing_text = "not run (no result)"
    fig, axes = _new_figure(len(fs))
    annotate = len(xs) <= _HEATMAP_ANNOTATE_MAX and len(ys) <= _HEATMAP_ANNOTATE_MAX
    per_cell_marks = len(xs) * len(ys) <= _HEATMAP_PATCH_MAX
    mesh = None
    xe, ye = np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5
    for f, ax in enumerate(axes):
        z = np.ma.masked_array(Z[f], mask=never[f] | missing[f])
        mesh = ax.pcolormesh(xe, ye, z, cmap=cmap, norm=norm, shading="flat",
                             edgecolors="white" if per_cell_marks else "face",
                             linewidth=0.6 if per_cell_marks else 0.0)
        mesh.set_gid("onset" if onset else column)
        ax.set_facecolor(_MISSING_FACE)
        if not per_cell_marks:
            # large panels: "never" as one flat layer, infeasible cells as small squares
            _bulk_marks(ax, xe, ye, never[f], infeasible[f] & filled[f], missing[f],
                        (never_text, _INFEASIBLE_TEXT, missing_text))
            ys_loop = ()
        else:
            ys_loop = range(len(ys))
        for j in ys_loop:
            for i in range(len(xs)):
                if never[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=_NEVER_FACE,
                                           edgecolor=_NEVER_EDGE, hatch="///", linewidth=0,
                                           gid="never", label=never_text))
                    if annotate:
                        # a run that ended in exhaustion first: not reached, not "never"
                        word = "exh." if censored[f, j, i] else "never"
                        ax.text(i, j, word, ha="center", va="center", fontsize=8,
                                color="0.25", gid="exhausted" if censored[f, j, i] else "never",
                                fontstyle="italic",
                                bbox=dict(boxstyle="round,pad=0.15", fc=_NEVER_FACE, ec="none"))
                elif missing[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=_MISSING_FACE,
                                           edgecolor="none", gid="missing", label=missing_text))
                    if annotate:
                        ax.text(i, j, "not run", ha="center", va="center", fontsize=7,
                                color="0.5", gid="missing")
                elif annotate:
                    txt = (("start" if Z[f, j, i] < _START_MIN else f"{Z[f, j, i]:.0f}") if onset
                           else f"{Z[f, j, i]:.2f}")
                    ax.text(i, j, txt, ha="center", va="center", fontsize=8,
                            color=_text_colour(cmap(norm(Z[f, j, i]))), gid="value")
                if infeasible[f, j, i] and filled[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.42, j - 0.42), 0.84, 0.84, fill=False,
                                           edgecolor="black", linewidth=2.0, gid="infeasible",
                                           label=_INFEASIBLE_TEXT))
        ax.set_xlim(-0.5, len(xs) - 0.5)
        ax.set_ylim(-0.5, len(ys) - 0.5)
        _set_level_ticks(ax.xaxis, xs)
        _set_level_ticks(ax.yaxis, ys)
        ax.tick_params(labelbottom=True, labelleft=True, labelsize=9)
        ax.set_xlabel(label(x_key), fontsize=10)
        ax.set_ylabel(label(y_key), fontsize=10)
        if facet_key:
            ax.set_title(_value_text(facet_key, fs[f], _fmt_levels(fs)[f]), fontsize=11)
        elif held:
            ax.set_title(_held_title(data, held), fontsize=10)
    cbar = fig.colorbar(mesh, ax=axes, shrink=0.9, pad=0.02)
    handles = []
    if onset:
        _onset_colorbar(cbar, data)
        if never.any():
            handles.append(_legend_never(_duration_text(data),
                                         exhausted=bool((never & censored).any())))
    else:
        cbar.set_label(_metric_label(column), fontsize=10)
        _mark_threshold(cbar, data, column)
    if infeasible[filled].any():
        handles.append(_legend_infeasible("cell"))
    if missing.any():
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor=_MISSING_FACE, edgecolor="0.6", label=missing_text))
    notes = [_onset_definition(data, column) if onset else _shear_note(data),
             _start_note(Z) if onset else "", _held_text(data, held), facet_note]
    if per_cell > 1:
        notes.append(f"Cells holding several runs show the {'earliest onset' if onset else 'highest value'}.")
    title = ("When does back loading spike?" if onset
             else "How much does the lower back get sheared?")
    return finish_figure(fig, title, notes=notes, handles=handles)


def _facet_rows(data, facet_key, rows):
    """Rows of at most :data:`_HEATMAP_MAX_PANELS` evenly spaced facet levels, and a note.

    A grid with more facet levels than that would draw unreadable panels (and take minutes
    and gigabytes at 10^5 scenarios); the first and last levels are always shown."""
    if not facet_key:
        return rows, ""
    levels = _levels(data[facet_key][rows])
    if len(levels) <= _HEATMAP_MAX_PANELS:
        return rows, ""
    pick = np.unique(np.round(np.linspace(0, len(levels) - 1, _HEATMAP_MAX_PANELS)).astype(int))
    shown = [levels[i] for i in pick]
    keep = np.isin(_index_of(data[facet_key], levels), pick)
    name, _ = _name_unit(facet_key)
    return rows & keep, (f"{len(shown)} of the {len(levels)} swept values of {name} are shown, "
                         "evenly spaced.")


def _bulk_marks(ax, xe, ye, never, infeasible, missing, texts):
    """'Never' and 'not run' cells as flat layers, infeasible cells as small open squares
    (``texts``: their legend labels, in that order)."""
    from matplotlib.colors import ListedColormap

    for cells, face, gid, text in ((never, _NEVER_FACE, "never", texts[0]),
                                   (missing, _MISSING_FACE, "missing", texts[2])):
        if cells.any():
            layer = np.ma.masked_array(np.ones(cells.shape), mask=~cells)
            ax.pcolormesh(xe, ye, layer, cmap=ListedColormap([face]), shading="flat", gid=gid,
                          label=text)
    if infeasible.any():
        jj, ii = np.nonzero(infeasible)
        ax.scatter(ii, jj, s=6, marker="s", facecolors="none", edgecolors="black",
                   linewidths=0.6, gid="infeasible", label=texts[1])


def _onset_colorbar(cbar, data):
    """Label the onset colour bar; its top is the end of the run.

    Tick labels are plain numbers (a long tick label would push the bar's label away from
    the bar); the label says that the top is the end of the run.
    """
    lo, hi = cbar.norm.vmin, cbar.norm.vmax
    end = np.nanmax(_durations(data)) == hi
    cbar.set_label("spike onset [min into the run]" + ("\n(top: end of the run)" if end else ""),
                   fontsize=10)
    ticks = [t for t in cbar.get_ticks() if lo <= t <= hi - 0.08 * (hi - lo)] + [hi]
    cbar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    cbar.ax.tick_params(labelsize=9)
    cbar.ax.text(0.5, -0.02, "earlier\n(worse)", transform=cbar.ax.transAxes,
                 ha="center", va="top", fontsize=8, color=PALETTE["vermillion"])


def _metric_label(column):
    return {"peak_shear_bw": "peak L5/S1 anterior shear [body weights]",
            "peak_shear_N": "peak L5/S1 anterior shear [N]",
            "peak_compression_N": "peak L5/S1 compression [N]",
            "peak_superficial_load": "peak superficial lumbar load [× fresh capacity]",
            "peak_trunk_lean_deg": "peak trunk lateral lean [deg]",
            "peak_pelvic_tilt_deg": "peak extra anterior pelvic tilt [deg]",
            "peak_trunk_flexion_deg": "peak forward trunk lean [deg]"}.get(column, column)


def _mark_threshold(cbar, data, column):
    """A black line and a labelled tick for the shear spike threshold on the colour bar.

    The ticks go on the bar's left (between the panels and the bar) and its label on the
    right, so the long threshold tick label does not push the label away from the bar.
    """
    thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
    if column != "peak_shear_bw" or thr is None:
        return
    lo, hi = cbar.norm.vmin, cbar.norm.vmax
    if lo <= thr <= hi:
        cbar.ax.axhline(thr, color="black", lw=2.5)
        ticks = [t for t in cbar.get_ticks() if lo <= t <= hi and abs(t - thr) > 0.07 * (hi - lo)]
        ticks = sorted(ticks + [thr])
        texts = _fmt_levels(ticks)
        cbar.set_ticks(ticks, labels=[txt if t != thr else f"spike threshold {txt}"
                                      for t, txt in zip(ticks, texts)])
        cbar.ax.yaxis.set_ticks_position("left")
        cbar.ax.yaxis.set_label_position("right")
        cbar.ax.tick_params(labelsize=9)


def _shear_note(data):
    thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
    base = "Highest L5/S1 anterior shear of any stride in the run, in multiples of body weight."
    return base + (f" The spike threshold ({thr:g} body weights) is marked on the colour bar."
                   if thr is not None else "")


def _others_vary(others, otherwise) -> str:
    if not others:
        return otherwise
    names = ", ".join(_name_unit(k)[0] for k in others)
    return f"{names} also {'varies' if len(others) == 1 else 'vary'} between points."


def _marker_size(n):
    return float(np.clip(4000.0 / max(n, 1), 10.0, 70.0))


def _sample_panels(data, facet_key, n):
    """Row masks and titles of the panels of a sampled sweep (facet in terciles)."""
    if not facet_key:
        return [np.ones(n, bool)], [None]
    col = data[facet_key]
    if col.dtype.kind in "US":
        levels = _levels(col)
        return [col == lv for lv in levels], [_value_text(facet_key, lv) for lv in levels]
    edges = np.nanquantile(col, [0, 1 / 3, 2 / 3, 1])
    name, unit = _name_unit(facet_key)
    masks, titles = [], []
    for i in range(3):
        m = (col >= edges[i]) & ((col < edges[i + 1]) if i < 2 else (col <= edges[i + 1]))
        masks.append(m)
        titles.append(f"{name} {edges[i]:.3g}–{edges[i + 1]:.3g}"
                      + (f" {unit}" if unit not in ("", "-") else ""))
    return masks, titles


def _heatmap_sample(data, column, x_key, y_key, facet_key, *, onset):
    """Scatter version of a heatmap for sampled sweeps."""
    n = _n_rows(data)
    masks, titles = _sample_panels(data, facet_key, n)
    x = np.asarray(data[x_key], dtype=float)
    y = np.asarray(data[y_key], dtype=float)
    infeasible = _col(data, "infeasible_strides", 0.0) > 0
    if onset:
        v, cmap = _onset_min(data, column), _onset_cmap()
        norm = _onset_norm(v, _durations(data))
    else:
        from matplotlib.colors import Normalize

        v, cmap = _col(data, column), _shear_cmap()
        finite = v[np.isfinite(v)]
        norm = Normalize(float(finite.min()) if finite.size else 0.0,
                         float(finite.max()) if finite.size else 1.0)
    never = np.isnan(v)
    never_text = f"never spiked within the {_duration_text(data)} run"
    s = _marker_size(n)
    fig, axes = _new_figure(len(masks))
    sc = None
    for ax, m, t in zip(axes, masks, titles):
        hit = m & ~never
        sc = ax.scatter(x[hit], y[hit], c=v[hit], cmap=cmap, norm=norm, s=s,
                        edgecolors="white", linewidths=0.4, gid="onset" if onset else column)
        if onset:
            ax.scatter(x[m & never], y[m & never], s=s, facecolors="none",
                       edgecolors="0.55", linewidths=1.0, gid="never", label=never_text)
        bad = m & infeasible
        ax.scatter(x[bad], y[bad], s=s * 2.6, facecolors="none", edgecolors="black",
                   linewidths=1.3, gid="infeasible", label=_INFEASIBLE_TEXT)
        ax.set_xlabel(label(x_key), fontsize=10)
        ax.set_ylabel(label(y_key), fontsize=10)
        ax.tick_params(labelbottom=True, labelleft=True, labelsize=9)
        if t:
            ax.set_title(t, fontsize=11)
    if sc is not None and sc.get_array() is None:
        sc.set_array(np.zeros(0))
    cbar = fig.colorbar(sc, ax=axes, shrink=0.9, pad=0.02)
    from matplotlib.lines import Line2D

    handles = []
    if onset:
        _onset_colorbar(cbar, data)
        if never.any():
            handles.append(Line2D([], [], ls="none", marker="o", markerfacecolor="none",
                                  markeredgecolor="0.55", label=never_text))
    else:
        cbar.set_label(_metric_label(column), fontsize=10)
        _mark_threshold(cbar, data, column)
    if infeasible.any():
        handles.append(_legend_infeasible("point"))
    others = [k for k in data["keys"] if k not in (x_key, y_key, facet_key)]
    notes = [_onset_definition(data, column) if onset else _shear_note(data),
             _start_note(v[np.logical_or.reduce(masks)]) if onset else "",
             f"One point per sampled scenario ({n}); " + _others_vary(others, "no other swept keys.")]
    title = ("When does back loading spike?" if onset
             else "How much does the lower back get sheared?")
    return finish_figure(fig, title, notes=notes, handles=handles)


def onset_heatmap(data, x_key, y_key, facet_key=None, *, column="spike_onset_s", fixed=None):
    """Spike onset [min] over two swept parameters: when does back loading spike?

    Grid sweeps: one cell per (x, y) pair, coloured by onset with *earlier = hotter*
    (dark red) on a fixed scale from 0 min to the end of the run; cells that never spiked are hatched light grey and labelled "never";
    cells where some strides were infeasible (``infeasible_strides > 0``: the runner
    could not keep the pace) get a black outline. With ``facet_key``, one panel per
    value of that key, on a shared colour scale. Sampled sweeps (``kind`` "sample" or
    "sensitivity"): a scatter of x against y coloured by onset, "never" points as open
    grey circles, infeasible ones ringed in black (a ``facet_key`` splits the points
    into terciles of that key).

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key, y_key : str
        Swept dotted keys on the horizontal and vertical axes.
    facet_key : str, optional
        Swept key with one panel per value.
    column : str
        Onset column [s]: ``"spike_onset_s"`` (the configured index, default),
        ``"onset_shear_bw_s"`` or ``"onset_superficial_load_s"``.
    fixed : dict, optional
        Grid sweeps: value of each other swept key to show (default: its base-config
        value if swept, else its middle value); named in the footnote.

    Returns
    -------
    matplotlib.figure.Figure
        Grid: each panel holds one :class:`~matplotlib.collections.QuadMesh` (gid
        ``"onset"``) whose array is the onset [min], masked where the run never spiked
        or was not run; rows are ``y`` levels, columns ``x`` levels (sorted).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> x, y = "scenario.hip_flexor_tightness_deg", "run.speed_mps"
    >>> data = {"keys": [x, y], "kind": "grid", "duration_min": 60.0,
    ...         x: np.array([0.0, 10.0, 0.0, 10.0]), y: np.array([3.0, 3.0, 4.0, 4.0]),
    ...         "spike_onset_s": np.array([np.nan, 3000.0, 2400.0, 1200.0]),
    ...         "infeasible_strides": np.array([0.0, 0.0, 0.0, 5.0])}
    >>> fig = onset_heatmap(data, x, y)
    >>> mesh = fig.axes[0].collections[0]
    >>> mesh.get_array()
    masked_array(
      data=[[--, 50.0],
            [40.0, 20.0]],
      mask=[[ True, False],
            [False, False]],
      fill_value=1e+20)
    >>> fig.axes[0].get_xlabel()
    'hip-flexor tightness [deg]'
    """
    return _heatmap(data, column, x_key, y_key, facet_key, fixed, onset=True)


def shear_heatmap(data, x_key, y_key, facet_key=None, *, column="peak_shear_bw", fixed=None):
    """Peak L5/S1 anterior shear [body weights] over two swept parameters.

    Same layout as :func:`onset_heatmap` (grid: cells with the value written in; sampled
    sweeps: scatter), coloured with *higher = hotter*; the shear spike threshold of the
    base configuration is marked on the colour bar. There is no "never" here: every run
    has a peak shear.

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key, y_key : str
        Swept dotted keys on the horizontal and vertical axes.
    facet_key : str, optional
        Swept key with one panel per value (shared colour scale).
    column : str
        Summary column to show (default ``"peak_shear_bw"``; e.g. ``"peak_shear_N"``,
        ``"peak_superficial_load"`` work too).
    fixed : dict, optional
        As in :func:`onset_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> data = {"keys": ["a.x_deg", "a.y_mps"], "kind": "grid", "duration_min": 60.0,
    ...         "a.x_deg": np.array([0.0, 10.0, 0.0, 10.0]),
    ...         "a.y_mps": np.array([3.0, 3.0, 4.0, 4.0]),
    ...         "peak_shear_bw": np.array([0.7, 0.8, 0.75, 0.9])}
    >>> fig = shear_heatmap(data, "a.x_deg", "a.y_mps")
    >>> fig.axes[0].collections[0].get_array().tolist()
    [[0.7, 0.8], [0.75, 0.9]]
    """
    _check_data(data, column)
    return _heatmap(data, column, x_key, y_key, facet_key, fixed, onset=False)


# --------------------------------------------------------------------------- curves

def onset_vs_parameter(data, x_key, group_key=None, facet_key=None, *, column="spike_onset_s",
                       fixed=None):
    """Spike onset [min] against one swept parameter: when does back loading spike?

    Onsets within the run are values on the y axis. The two other outcomes are
    categories with bands of their own: runs that never spiked sit in a grey "never" band
    above the end of the run (a dashed line at the run length), runs above the threshold
    from their first stride in a "start" band below 0 min; one row per group in each
    band, open markers for "never", filled ones for "start". Lines join only onsets
    within the run (and break where a band value lies between them), so the figure shows
    no gradual change that is not in the data. Infeasible runs (the runner could not
    keep the pace) are ringed.

    Grid sweeps: one panel per value of ``facet_key`` (shared axes; further swept keys
    held fixed), in each one line per value of ``group_key`` (Okabe-Ito colours,
    distinct markers). The groups are shifted sideways by a few points (dodged), so
    equal onsets of several groups, e.g. all from the start, stay visible side by side.
    Sampled sweeps (``kind`` "sample" or "sensitivity"): one point per scenario
    (coloured by ``group_key`` if given; one panel per tercile of ``facet_key``) and a
    trend on top, the median onset in bins of x, counting "never" as later than the run;
    a bin whose median is "never" or "start" is a diamond in the band's second row, above
    or below the scenarios' own row.

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key : str
        Swept dotted key on the horizontal axis.
    group_key : str, optional
        Swept key with one line (grid) or one colour (sample) per value.
    facet_key : str, optional
        Swept key with one panel per value (grid; at most nine, evenly spaced) or per
        tercile (sample).
    column : str
        Onset column [s] (see :func:`onset_heatmap`).
    fixed : dict, optional
        Grid sweeps: value of each other swept key (see :func:`onset_heatmap`).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel (then a colour bar, for a sampled sweep coloured by a number).
        Each panel's lines have gids ``"onset"`` (values within the run), ``"start"``,
        ``"never"`` (band markers) and ``"infeasible"`` (rings); the y tick labelled
        ``"never"`` marks the never band, ``"start"`` the start band (shown when a run
        spiked from the start).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> data = {"keys": ["a.x_deg"], "kind": "grid", "duration_min": 60.0,
    ...         "a.x_deg": np.array([0.0, 10.0, 20.0]),
    ...         "spike_onset_s": np.array([np.nan, 3000.0, 0.0])}
    >>> fig = onset_vs_parameter(data, "a.x_deg")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-2:]
    ['never', 'start']
    >>> [ln.get_ydata().tolist() for ln in fig.axes[0].lines if ln.get_gid() == "onset"]
    [[50.0]]
    """
    _check_data(data, x_key, group_key, facet_key)
    if group_key == x_key:
        raise ValueError("group_key must differ from x_key")
    if facet_key is not None and facet_key in (x_key, group_key):
        raise ValueError("facet_key must differ from x_key and group_key")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    onset = _onset_min(data, column)
    top = float(np.nanmax(_durations(data)))
    step = 0.055 * top  # height of one row of a band
    infeasible = _col(data, "infeasible_strides", 0.0) > 0
    grid = _is_grid(data)
    if grid:
        rows, held = _fixed_rows(data, {x_key, group_key, facet_key}, fixed)
        rows, facet_note = _facet_rows(data, facet_key, rows)
        if facet_key:
            levels = _levels(data[facet_key][rows])
            masks = [rows & _matches(data[facet_key], f) for f in levels]
            titles = [_value_text(facet_key, f, t) for f, t in zip(levels, _fmt_levels(levels))]
        else:
            masks, titles = [rows], [None]
        n_band = len(_levels(data[group_key][rows])) if group_key else 1
    else:
        held, facet_note = {}, ""
        masks, titles = _sample_panels(data, facet_key, _n_rows(data))
        rows = np.logical_or.reduce(masks)
        n_band = 2  # the scenarios' row, then the trend's
    shown = onset[rows]
    any_start = bool(np.any(np.isfinite(shown) & (shown < _START_MIN)))
    any_never = bool(np.any(np.isnan(shown)))
    dur = _duration_text(data)
    never_label = f"grey band: never spiked within the {dur} run (open markers)"
    start_label = "band below 0: above the threshold from the start (filled markers)"
    bands = dict(top=top, step=step, never_label=never_label, start_label=start_label)

    n = len(masks)
    ncols = min(n, 3)
    nrows = math.ceil(n / ncols)
    size = (7.6, 5.4) if n == 1 else (4.4 * ncols + 0.8, 4.0 * nrows + 1.8)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False, sharex=True,
                             sharey=True, layout="constrained")
    axes = list(axes.ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    axes = axes[:n]
    if grid:
        handles = _onset_curves_grid(fig, axes, masks, data, onset, infeasible, x_key,
                                     group_key, rows, bands)
    else:
        handles = _onset_curves_sample(fig, axes, masks, data, onset, infeasible, x_key,
                                       group_key, bands)
        others = [k for k in data["keys"] if k not in (x_key, group_key, facet_key)]
        notes_sample = (f"One point per sampled scenario ({_n_rows(data)}); "
                        + _others_vary(others, "no other swept keys."))

    # the bands: "never" above the end of the run, "start" below 0
    band_top = top + step * (n_band + 1)
    band_bottom = -step * (n_band + 1) if any_start else -0.03 * top
    for k, ax in enumerate(axes):
        ax.axhline(top, color="0.3", ls="--", lw=1.2, gid="end_of_run",
                   label=f"end of the {dur} run")
        ax.axhspan(top, band_top, facecolor=_NEVER_FACE, zorder=0, lw=0, gid="never_band",
                   label=never_label)
        if any_start:
            ax.axhspan(band_bottom, 0.0, facecolor=_START_FACE, zorder=0, lw=0,
                       gid="start_band", label=start_label)
        ax.set_ylim(band_bottom, band_top)
        if not grid:
            ax.margins(x=0.04)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=10, labelbottom=True)
        if k >= n - ncols:
            ax.set_xlabel(label(x_key), fontsize=11)
        if k % ncols == 0:
            ax.set_ylabel("spike onset [min into the run]", fontsize=11)
        if titles[k]:
            ax.set_title(titles[k], fontsize=11)
        elif held:
            ax.set_title(_held_title(data, held), fontsize=10, loc="left")
    ax = axes[0]
    ticks = [t for t in ax.get_yticks() if 0 <= t <= top - 0.08 * top] + [top]
    texts = [f"{t:g}" for t in ticks] + ["never"] + (["start"] if any_start else [])
    ticks = ticks + [top + step * (n_band + 1) / 2] + ([band_bottom / 2] if any_start else [])
    ax.set_yticks(ticks, texts)
    for ax in axes:
        for t in ax.get_yticklabels():
            if t.get_text() in ("never", "start"):
                t.set_fontstyle("italic")
                t.set_fontweight("bold")

    notes = [_onset_definition(data, column)]
    if not grid:
        notes.append(notes_sample)
    notes.append(_start_note(shown))
    if grid:
        if n > 1:
            notes.append(_held_text(data, held))
        notes.append(facet_note)
        if n_band > 1:
            notes.append("Markers of the groups are shifted sideways a little so that equal "
                         "onsets stay visible.")
    handles.append(Line2D([], [], color="0.3", ls="--", lw=1.2, label=f"end of the {dur} run"))
    if any_never:
        handles.append(_band_patch(_NEVER_FACE, never_label))
    if any_start:
        handles.append(_band_patch(_START_FACE, start_label))
    if np.any(infeasible & rows):
        handles.append(_legend_infeasible("point"))
    return finish_figure(fig, "When does back loading spike?", "lower = earlier spike (worse)",
                         notes=notes, handles=handles, ncol=2)


def _band_patch(face, text):
    from matplotlib.patches import Patch

    return Patch(facecolor=face, edgecolor="none", label=text)


def _dodge(n):
    """Sideways shifts [points] of ``n`` groups, centred on 0."""
    d = 7.0 if n <= 5 else max(2.5, 28.0 / (n - 1))
    return (np.arange(n) - (n - 1) / 2.0) * d


def _with_breaks(x, y, keep):
    """x, y of a line through the points ``keep`` (in x order), with a NaN where points
    that are not kept lie between them, so the line breaks there."""
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return np.zeros(0), np.zeros(0)
    span = np.arange(idx[0], idx[-1] + 1)
    return np.asarray(x, dtype=float)[span], np.where(keep[span], y[span], np.nan)


def _onset_curves_grid(fig, axes, masks, data, onset, infeasible, x_key, group_key, rows, bands):
    """Draw the grid panels of :func:`onset_vs_parameter`; return the legend handles."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    top, step = bands["top"], bands["step"]
    xs = _levels(data[x_key][rows])
    categorical = data[x_key].dtype.kind in "US"
    xpos = np.arange(len(xs)) if categorical else np.array(xs, dtype=float)
    groups = _levels(data[group_key][rows]) if group_key else [None]
    colours = (plt.get_cmap("viridis")(np.linspace(0, 0.9, len(groups)))
               if len(groups) > len(_LINE_COLOURS) else _LINE_COLOURS[:len(groups)])
    texts = _fmt_levels(groups) if group_key else [""]
    names = [_value_text(group_key, g, t) for g, t in zip(groups, texts)] if group_key \
        else ["spike onset"]
    shifts = _dodge(len(groups))
    drawn_line = np.zeros(len(groups), bool)
    for ax, mask in zip(axes, masks):
        for k, (g, colour) in enumerate(zip(groups, colours)):
            marker = _MARKERS[k % len(_MARKERS)]
            shift = ax.transData + ScaledTranslation(shifts[k] / 72.0, 0.0, fig.dpi_scale_trans)
            sel = mask & (_matches(data[group_key], g) if group_key else True)
            xi = _index_of(data[x_key][sel], xs)
            # one value per x level: the earliest onset (NaN = never counts as latest)
            y = np.full(len(xs), np.inf)
            np.minimum.at(y, xi, np.where(np.isnan(onset[sel]), np.inf, onset[sel]))
            bad = np.zeros(len(xs), bool)
            np.logical_or.at(bad, xi, infeasible[sel])
            has = np.zeros(len(xs), bool)
            has[xi] = True
            start = has & np.isfinite(y) & (y < _START_MIN)
            within = has & np.isfinite(y) & ~start
            never = has & ~np.isfinite(y)
            never_y, start_y = top + step * (k + 1), -step * (k + 1)
            xl, yl = _with_breaks(xpos[has], y[has], within[has])
            ax.plot(xl, yl, color=colour, marker=marker, lw=2, ms=7, gid="onset",
                    label=names[k], transform=shift)
            drawn_line[k] |= _has_segment(yl)
            ax.plot(xpos[start], np.full(start.sum(), start_y), ls="none", marker=marker, ms=7,
                    color=colour, gid="start", label=names[k], transform=shift)
            ax.plot(xpos[never], np.full(never.sum(), never_y), ls="none", marker=marker, ms=8,
                    markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.8,
                    gid="never", label=names[k], transform=shift)
            yb = np.select([within, start], [y, np.full(len(xs), start_y)], never_y)
            ring = bad & has
            ax.plot(xpos[ring], yb[ring], ls="none", marker="o", ms=15, markerfacecolor="none",
                    markeredgecolor="black", markeredgewidth=1.4, gid="infeasible",
                    label=_INFEASIBLE_TEXT, transform=shift)
        if categorical or len(xs) <= 12:
            ax.set_xticks(xpos, _fmt_levels(xs))
        # the shifted markers are not in the data limits: room for them at both ends
        lo, hi = (float(xpos.min()), float(xpos.max())) if xpos.size else (0.0, 1.0)
        pad = 0.5 if categorical or hi == lo else 0.08 * (hi - lo)
        ax.set_xlim(lo - pad, hi + pad)
    # a group whose onsets are all in the bands has no line: its legend entry shows none
    return [Line2D([], [], color=c, marker=_MARKERS[k % len(_MARKERS)], ms=7, label=nm,
                   lw=2, ls="-" if drawn_line[k] else "none")
            for k, (c, nm) in enumerate(zip(colours, names))]


def _has_segment(y) -> bool:
    """True if a line through ``y`` draws a segment (two neighbouring finite values)."""
    ok = np.isfinite(np.asarray(y, dtype=float))
    return bool(np.any(ok[1:] & ok[:-1]))


def _onset_curves_sample(fig, axes, masks, data, onset, infeasible, x_key, group_key, bands):
    """Draw the sampled-sweep panels of :func:`onset_vs_parameter`; return legend handles."""
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.colors import Normalize, to_rgba
    from matplotlib.lines import Line2D

    top, step = bands["top"], bands["step"]
    x = np.asarray(data[x_key], dtype=float)
    never = np.isnan(onset)
    start = np.isfinite(onset) & (onset < _START_MIN)
    within = ~never & ~start
    # spread the band points a little within their row so they do not hide each other
    wobble = 0.3 * np.sin(np.arange(x.size) * 2.399)
    ypos = np.select([within, start], [onset, -step * (1 + wobble)], top + step * (1 + wobble))
    s = _marker_size(x.size)
    numeric = bool(group_key) and data[group_key].dtype.kind == "f"
    if numeric:
        g = np.asarray(data[group_key], dtype=float)
        cmap = plt.get_cmap("viridis")
        norm = Normalize(float(np.nanmin(g)), float(np.nanmax(g)))
        colour = cmap(norm(g))
    else:
        colour = np.tile(np.array(to_rgba(PALETTE["blue"])), (x.size, 1))
    one = "one sampled scenario"
    trend_text = "trend: median onset in bins of x (never counts as later)"
    trend_never = "trend: most runs in this bin never spiked"
    trend_start = "trend: most runs in this bin spiked from the start"
    halo = [patheffects.withStroke(linewidth=5.0, foreground="white")]
    sc = None
    shown_never = shown_start = shown_line = False
    for ax, m in zip(axes, masks):
        pick = m & within
        sc = ax.scatter(x[pick], onset[pick], c=g[pick] if numeric else colour[pick],
                        cmap=cmap if numeric else None, norm=norm if numeric else None, s=s,
                        alpha=0.85, gid="onset", label=one)
        pick = m & start
        ax.scatter(x[pick], ypos[pick], color=colour[pick], s=s, alpha=0.85, gid="start",
                   label=bands["start_label"])
        pick = m & never
        ax.scatter(x[pick], ypos[pick], s=s, facecolors="none", edgecolors=colour[pick],
                   linewidths=1.0, gid="never", label=bands["never_label"])
        bad = m & infeasible
        ax.scatter(x[bad], ypos[bad], s=s * 2.6, facecolors="none", edgecolors="black",
                   linewidths=1.2, gid="infeasible", label=_INFEASIBLE_TEXT)
        xc, med = _censored_trend(x[m], onset[m])
        b_never = ~np.isfinite(med)
        b_start = np.isfinite(med) & (med < _START_MIN)
        b_within = np.isfinite(med) & ~b_start
        xl, yl = _with_breaks(xc, med, b_within)
        ax.plot(xl, yl, color="black", lw=2.5, zorder=6, path_effects=halo, gid="trend",
                label=trend_text)
        shown_line |= _has_segment(yl)
        style = dict(ls="none", marker="D", ms=7, markerfacecolor="white",
                     markeredgecolor="black", markeredgewidth=1.8, zorder=6)
        # the trend's band rows lie clear of the scenarios' rows (1 +- 0.3)
        ax.plot(xc[b_never], np.full(b_never.sum(), top + 2.3 * step), gid="trend_never",
                label=trend_never, **style)
        ax.plot(xc[b_start], np.full(b_start.sum(), -2.3 * step), gid="trend_start",
                label=trend_start, **style)
        shown_never |= bool(b_never.any())
        shown_start |= bool(b_start.any())
    handles = []
    if numeric:
        fig.colorbar(sc, ax=axes, pad=0.02).set_label(label(group_key), fontsize=10)
    else:
        handles.append(Line2D([], [], ls="none", marker="o", color=PALETTE["blue"], label=one))
    if shown_line:
        handles.append(Line2D([], [], color="black", lw=2.5, label=trend_text))
    diamond = dict(ls="none", marker="D", ms=7, markerfacecolor="white", markeredgecolor="black",
                   markeredgewidth=1.8)
    if shown_never:
        handles.append(Line2D([], [], label=trend_never, **diamond))
    if shown_start:
        handles.append(Line2D([], [], label=trend_start, **diamond))
    return handles


def _censored_trend(x, onset, nbins=None):
    """Bin centres and median onset per bin; NaN (never) counts as +inf (censored)."""
    finite_x = x[np.isfinite(x)]
    if finite_x.size < 2:
        return np.zeros(0), np.zeros(0)
    nbins = nbins or int(np.clip(round(math.sqrt(finite_x.size / 2)), 3, 12))
    edges = np.quantile(finite_x, np.linspace(0, 1, nbins + 1))
    edges = np.unique(edges)
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, edges.size - 2)
    centres, med = [], []
    for b in range(edges.size - 1):
        m = idx == b
        if not m.any():
            continue
        centres.append(float(np.median(x[m])))
        med.append(float(np.median(np.where(np.isnan(onset[m]), np.inf, onset[m]))))
    med = np.array(med)
    med[~np.isfinite(med)] = np.nan
    return np.array(centres), med


# --------------------------------------------------------------------------- all figures

def write_figures(directory) -> list:
    """Draw the sweep's figures into ``directory/figures`` and return their paths.

    Defaults: heatmaps of the first two swept keys (x, y), faceted by the third if there
    is one (grid: one panel per value, further keys held at their base value; sampled
    sweeps: one panel per tercile of the third key); onset against the first key,
    grouped by the second. A one-key sweep gets only the curve.
    Files (written atomically through :func:`sim.results.save_figure`):
    ``onset_heatmap.png``, ``onset_vs_<key>.png`` (``<key>``: the last part of the
    dotted key, e.g. ``onset_vs_hip_flexor_tightness_deg.png``) and
    ``peak_shear_heatmap.png``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Sweep results directory (see :func:`read_summary`).

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    SweepDataError
        If the directory cannot be read, has no swept keys or no rows yet.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "summary.csv").write_text(
    ...     "scenario,run.speed_mps,spike_onset_s,peak_shear_bw,infeasible_strides\\n"
    ...     "0,3.0,nan,0.8,0\\n1,3.5,5400,0.9,0\\n2,4.0,3600,1.0,3\\n")
    >>> [p.name for p in write_figures(d)]
    ['onset_vs_speed_mps.png']
    """
    import matplotlib.pyplot as plt

    directory = Path(directory)
    data = read_summary(directory, columns=_FIGURE_COLUMNS)
    keys = data["keys"]
    if not keys:
        raise SweepDataError(f"{directory / 'summary.csv'}: no swept keys (sweep.json 'keys' "
                             "is empty and no columns precede the summary fields)")
    _check_data(data)
    out = directory / "figures"
    jobs = []
    facet = keys[2] if len(keys) >= 3 else None
    if len(keys) >= 2:
        jobs.append(("onset_heatmap.png", lambda: onset_heatmap(data, keys[0], keys[1], facet)))
    jobs.append((f"onset_vs_{_leaf(keys[0])}.png",
                 lambda: onset_vs_parameter(data, keys[0], keys[1] if len(keys) >= 2 else None,
                                            facet)))
    if len(keys) >= 2 and "peak_shear_bw" in data:
        jobs.append(("peak_shear_heatmap.png", lambda: shear_heatmap(data, keys[0], keys[1], facet)))
    paths = []
    for name, make in jobs:
        fig = make()
        try:
            paths.append(save_figure(fig, out / name))
        finally:
            plt.close(fig)
    return paths
