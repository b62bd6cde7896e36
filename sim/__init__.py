"""runfatigue: fibre-pool fatigue and the shift of running load onto the lower back.

An educational and exploratory model, not medical advice.

Examples
--------
>>> import sim
>>> cfg = sim.load_config(None, overrides={"run.duration_min": 30})
>>> cfg.run.duration_min
30.0
"""
from . import _aliases
from .config import ConfigError, load_config
from .core.simulation import RunResult, simulate
from .errors import RunfatigueError, __version__

_aliases.install()              # old flat import paths (sim.engine, ...) keep working

__all__ = ["__version__", "load_config", "ConfigError", "RunfatigueError", "simulate",
           "RunResult"]
