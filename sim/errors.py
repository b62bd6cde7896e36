"""The one error type for problems the user can fix, and the package version.

Every error a user can cause (a bad config file or value, an output path that cannot be
used, a damaged results directory, a sweep that cannot be read) derives from
:class:`RunfatigueError`. Its message is one line naming the file, key and value and
what is allowed; every ``runfatigue`` command prints it and exits with code 2, without a
traceback. The specific types (:class:`sim.config.ConfigError`,
:class:`sim.results.OutputPathError`, :class:`sim.interface.io.DamagedRunError`,
:class:`sim.figures.sweep_plots.SweepDataError`) subclass it so callers can still tell them apart; they are also
:class:`ValueError` s, as they were before this type existed.

This module imports nothing from the package, so any module may use it.

Examples
--------
>>> issubclass(UserError, RunfatigueError)
True
"""
from __future__ import annotations

__all__ = ["__version__", "RunfatigueError", "UserError"]

#: The package version (``pyproject.toml`` carries the same number).
__version__ = "0.1.0"


class RunfatigueError(Exception):
    """A problem with what the user asked for; ``str(err)`` is the one-line message."""


class UserError(RunfatigueError):
    """A user-facing problem found by a command (an option, a sweep, a directory)."""
