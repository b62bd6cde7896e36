"""runfatigue: fibre-pool fatigue and the shift of running load onto the lower back.

An educational and exploratory model, not medical advice.

Examples
--------
>>> import sim
>>> cfg = sim.load_config(None, overrides={"run.duration_min": 30})
>>> cfg.run.duration_min
30.0
"""
__version__ = "0.1.0"

from .config import ConfigError, load_config  # noqa: E402
from .simulation import RunResult, simulate  # noqa: E402

__all__ = ["__version__", "load_config", "ConfigError", "simulate", "RunResult"]
