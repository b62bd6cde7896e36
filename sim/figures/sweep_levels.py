"""Swept keys and their values: readable names, units, formatted levels, matching rows.

:func:`label` turns a dotted key into axis text with its unit (the keys people sweep
most have names of their own, the others fall back to the schema); :func:`_fmt` and
:func:`_fmt_levels` write values; :func:`_levels`, :func:`_canon` and :func:`_index_of`
find the distinct levels of a swept column and which level each row holds (floats
compared at 10 significant digits).

Re-exported by :mod:`sim.figures.sweep_data`, where they were defined before.
"""
from __future__ import annotations

import re

import numpy as np

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
