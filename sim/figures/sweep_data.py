"""Reading a sweep's results and naming what is in them.

:func:`read_summary` reads ``summary.csv`` (only the columns asked for) into arrays;
the label and level helpers turn swept keys and values into axis text. Used by the sweep
figures (:mod:`sim.figures.sweep_plots`, :mod:`sim.figures.onset_curves`).

This module holds the constants the sweep figures share (colours and texts of "never",
"start", "infeasible" and "not run", line colours and markers, panel and cell limits, the
columns the default figures read) and re-exports the names of the modules the data code
lives in: :mod:`~sim.figures.sweep_levels` (names, units and levels of swept keys),
:mod:`~sim.figures.sweep_summary` (reading ``summary.csv``) and
:mod:`~sim.figures.sweep_columns` (columns, rows held fixed, onsets and their notes).
"""
from __future__ import annotations

from .figure_style import PALETTE

# The data code lives in modules of its own; their names are re-exported here, where they
# were before the split.
from .sweep_levels import (_LABELS, _SUFFIX_UNITS, _SCHEMA_UNITS, _name_unit, label, _value_text,
                           _fmt, _fmt_levels, _unit_suffix, _matches, _leaf, _canon_array, _canon,
                           _levels, _index_of)  # noqa: F401
from .sweep_summary import (_FIRST_FIELD, SweepDataError, read_summary, _kept_columns,
                            _is_full_grid)  # noqa: F401
from .sweep_columns import (_ONSET_COLUMNS, _START_MIN, _check_data, _n_rows, _col, _flag_col,
                            _is_grid, _durations, _base_value, _fixed_rows, _onset_min,
                            _onset_definition, _start_note, _held_title, _held_text)  # noqa: F401


# The look and limits the sweep figures share.
_NEVER_FACE = "#e4e4e4"


_NEVER_EDGE = "#a8a8a8"


_START_FACE = "#f9ddd0"  # light vermillion: above the threshold from the start


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
