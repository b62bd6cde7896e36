"""Old import paths keep working: ``sim.engine`` is ``sim.core.engine``, and so on.

The package was reorganised into layers (README "Architecture"). Code written against the
flat layout (``from sim.engine import run_kernel``, ``import sim.fatigue``) still runs: a
finder on ``sys.meta_path`` answers an old name with the module at its new place, the
same module object, so attributes, monkeypatching and numba's compiled functions are
shared. New code should import from the new places.

Examples
--------
>>> import sim.engine, sim.core.engine
>>> sim.engine is sim.core.engine
True
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["OLD_TO_NEW", "install"]

#: Old module name (below ``sim.``) -> its new name (below ``sim.``).
OLD_TO_NEW = {
    "batch": "core.batch",
    "bench": "interface.bench",
    "cli": "interface.cli",
    "compensation": "physics.compensation",
    "demo": "teaching.demo",
    "energy": "physics.energy",
    "engine": "core.engine",
    "fatigue": "physics.fatigue",
    "fatigue.calibration": "calibration.fibre_pools",
    "fatigue.parameters": "physics.fatigue.parameters",
    "fatigue.pools": "physics.fatigue.pools",
    "fatigue.reference": "physics.fatigue.reference",
    "fatigue.threecc": "physics.fatigue.threecc",
    "gait": "physics.gait",
    "io": "interface.io",
    "lean_calibration": "calibration.lean",
    "lessons": "teaching.lessons",
    "lessons._common": "teaching.lessons._common",
    "lessons.cascade": "teaching.lessons.cascade",
    "lessons.everything_connected": "teaching.lessons.everything_connected",
    "lessons.fast_twitch_energy": "teaching.lessons.fast_twitch_energy",
    "lessons.glute_med_to_lumbar": "teaching.lessons.glute_med_to_lumbar",
    "lessons.tight_hip_flexors": "teaching.lessons.tight_hip_flexors",
    "lessons.what_helps": "teaching.lessons.what_helps",
    "metrics": "physics.metrics",
    "muscles": "physics.muscles",
    "pace": "physics.pace",
    "params": "physics.params",
    "plots": "figures.plots",
    "ranges": "core.ranges",
    "reference": "core.reference",
    "reserve": "physics.reserve",
    "run_loop": "core.run_loop",
    "running_calibration": "calibration.running",
    "scenario": "core.scenario",
    "sensitivity_assumed": "teaching.sensitivity_assumed",
    "sharing": "physics.sharing",
    "simulation": "core.simulation",
    "spine": "physics.spine",
    "sweep": "sweeps.sweep",
    "sweep_plots": "figures.sweep_plots",
    "sweep_series": "sweeps.sweep_series",
    "sweep_spec": "sweeps.sweep_spec",
    "validate": "teaching.validate",
    "validation_back_load": "teaching.validation_back_load",
    "warmup": "core.warmup",
}


def _moved_children() -> dict:
    """``from sim.fatigue import calibration`` asks the real package (``sim.physics.fatigue``)
    for its child: a module that moved out of an aliased package must answer there too."""
    out = {}
    for old, new in OLD_TO_NEW.items():
        parent, _, leaf = old.rpartition(".")
        if parent in OLD_TO_NEW and f"{OLD_TO_NEW[parent]}.{leaf}" != new:
            out[f"{OLD_TO_NEW[parent]}.{leaf}"] = new
    return out


_ALL = {**OLD_TO_NEW, **_moved_children()}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``sim.<old>`` and loads it as the already imported ``sim.<new>``."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("sim.") or fullname[4:] not in _ALL:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module("sim." + _ALL[spec.name[4:]])

    def exec_module(self, module):
        pass                                    # already executed under its new name


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias())   # before the path finder, which would load a copy
