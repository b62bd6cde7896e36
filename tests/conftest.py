"""Shared test fixtures.

Optional extras (dask, SALib): locally a test that needs a missing extra is skipped;
under CI (``CI=true``) it fails, so a broken install can never pass as "skipped".
"""
import importlib
import os

import matplotlib
import pytest

from sim.jit import use_compile_level

matplotlib.use("Agg")
use_compile_level()     # the build the runfatigue command runs (sim/jit.py)


@pytest.fixture
def require_extra():
    """Return ``require(module)``: import it, or skip (locally) / fail (CI) when missing."""

    def require(module: str):
        if os.environ.get("CI", "").lower() == "true":
            try:
                return importlib.import_module(module)
            except ImportError as e:  # pragma: no cover - only on a broken CI install
                pytest.fail(f"CI=true and optional dependency {module!r} is missing: {e}")
        return pytest.importorskip(module)

    return require
