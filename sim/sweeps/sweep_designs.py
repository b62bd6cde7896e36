"""The three designs of a sweep: a grid, a quasi-random sample, SALib's Sobol' sample.

Each ``_parse_*`` function turns its validated ``[sweep.*]`` table into a
:class:`~sim.sweeps.sweep_scenarios.SweepSpec` with its rows in a deterministic order:
:func:`_parse_grid` the Cartesian product (last key fastest); :func:`_parse_sample` the
points of a Latin hypercube or a scrambled Sobol' sequence (:mod:`scipy.stats.qmc`)
scaled to the bounds (:func:`_scale`; integer keys by :func:`_int_column`);
:func:`_parse_sensitivity` SALib's Saltelli-type sample for Sobol' indices.
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from ..config import Config, ConfigError, validate_value
from ..schema import Key
from .sweep_scenarios import (MAX_SCENARIOS, SALIB_HINT, SAMPLE_METHODS, SENSITIVITY_METHODS,
                              SENSITIVITY_OUTPUTS, SweepSpec)
from .sweep_tables import (_N, _N_SOBOL, _Ctx, _check_entries, _label, _parse_bounds, _required,
                           _seed, _swept_keys)

def _parse_grid(ctx: _Ctx, table: dict):
    if not table:
        raise ConfigError(f"{ctx.source}: [sweep.grid] is empty; allowed: dotted config keys "
                          'with arrays of values, e.g. "run.speed_mps" = [2.5, 3.0]')
    levels = {}
    for dotted, values, spec in _swept_keys(ctx, "sweep.grid", table):
        label = _label("sweep.grid", dotted)
        allowed = f"a non-empty array of values, each {spec.describe()}"
        if not isinstance(values, list):
            ctx.fail(label, values, "expected an array of values", allowed)
        if not values:
            ctx.fail(label, values, "empty array", allowed)
        normalised, seen = [], set()
        for i, v in enumerate(values):
            v = validate_value(spec, v, ctx.source, f"{label}[{i}]")
            if repr(v) in seen:
                ctx.fail(f"{label}[{i}]", values[i], "value repeated", "each value once")
            seen.add(repr(v))
            normalised.append(v)
        levels[dotted] = tuple(normalised)
    total = math.prod(len(v) for v in levels.values())
    if total > MAX_SCENARIOS:
        sizes = " x ".join(str(len(v)) for v in levels.values())
        raise ConfigError(f"{ctx.source}: [sweep.grid]: {total:,} scenarios ({sizes}): too many; "
                          f"allowed: at most {MAX_SCENARIOS:,} scenarios")
    keys = tuple(levels)
    return SweepSpec("grid", keys, list(itertools.product(*levels.values())),
                     source=ctx.source, levels=levels)


def _int_column(u: np.ndarray, lo: int, hi: int) -> list:
    """Unit coordinates -> integers in [lo, hi], each with equal probability."""
    return [int(v) for v in (lo + np.minimum(np.floor(u * (hi - lo + 1)), hi - lo)).tolist()]


def _scale(unit: np.ndarray, keys, bounds, specs) -> list[tuple]:
    """Unit-cube points -> rows of plain Python values within the bounds."""
    cols = []
    for j, key in enumerate(keys):
        lo, hi = bounds[key]
        if specs[key].kind == "int":
            cols.append(_int_column(unit[:, j], lo, hi))
        else:
            cols.append(np.clip(lo + unit[:, j] * (hi - lo), lo, hi).tolist())
    return list(zip(*cols))


def _qmc_engine(cls, d, seed):
    rng = np.random.default_rng(seed)
    try:
        return cls(d, scramble=True, rng=rng)
    except TypeError:  # scipy < 1.15 names it ``seed``
        return cls(d, scramble=True, seed=rng)


def _parse_sample(ctx: _Ctx, table: dict, base: Config):
    from scipy.stats import qmc

    _check_entries(ctx, "sample", table)
    method = _required(ctx, "sample", table, "method", Key("str", None, choices=SAMPLE_METHODS))
    n = _required(ctx, "sample", table, "n", _N)
    seed = _seed(ctx, "sample", table, base)
    bounds, specs = _parse_bounds(ctx, "sample", table)
    keys = tuple(bounds)
    engine = _qmc_engine(qmc.LatinHypercube if method == "lhs" else qmc.Sobol, len(keys), seed)
    with warnings.catch_warnings():
        # Sobol' balance needs n = 2**m; documented, accepted without a warning.
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol")
        unit = engine.random(n)
    return SweepSpec("sample", keys, _scale(unit, keys, bounds, specs), method, n, seed,
                     bounds, source=ctx.source)


def _import_salib_sample():
    from SALib.sample import sobol as salib_sobol_sample  # optional extra
    return salib_sobol_sample


def _parse_sensitivity(ctx: _Ctx, table: dict, base: Config):
    _check_entries(ctx, "sensitivity", table)
    method = validate_value(Key("str", None, choices=SENSITIVITY_METHODS),
                            table.get("method", "sobol"), ctx.source, "sweep.sensitivity.method")
    n = _required(ctx, "sensitivity", table, "n", _N_SOBOL)
    if n & (n - 1):
        ctx.fail("sweep.sensitivity.n", table["n"],
                 "not a power of two (SALib's Sobol' sample needs one)", _N_SOBOL.describe())
    seed = _seed(ctx, "sensitivity", table, base)
    allowed_out = "a non-empty array of distinct names from " + ", ".join(SENSITIVITY_OUTPUTS)
    if "outputs" not in table:
        raise ConfigError(f"{ctx.source}: sweep.sensitivity.outputs is missing; "
                          f"allowed: {allowed_out}")
    outputs = table["outputs"]
    if not isinstance(outputs, list) or not outputs:
        ctx.fail("sweep.sensitivity.outputs", outputs, "expected a non-empty array of names",
                 allowed_out)
    out_key = Key("str", None, choices=SENSITIVITY_OUTPUTS)
    for i, name in enumerate(outputs):
        validate_value(out_key, name, ctx.source, f"sweep.sensitivity.outputs[{i}]")
        if name in outputs[:i]:
            ctx.fail(f"sweep.sensitivity.outputs[{i}]", name, "output repeated",
                     "each output once")
    bounds, specs = _parse_bounds(ctx, "sensitivity", table)
    keys = tuple(bounds)
    total = n * (len(keys) + 2)
    if total > MAX_SCENARIOS:
        ctx.fail("sweep.sensitivity.n", n, f"n * (keys + 2) = {total:,} scenarios: too many",
                 f"at most {MAX_SCENARIOS:,} scenarios")
    try:
        salib_sample = _import_salib_sample()
    except ImportError:
        raise ConfigError(f"{ctx.source}: [sweep.sensitivity] needs SALib, which is not "
                          f"installed; install it with: {SALIB_HINT}") from None
    spec = SweepSpec("sensitivity", keys, [], method, n, seed, bounds, tuple(outputs),
                     ctx.source)
    x = salib_sample.sample(spec.problem(), n, calc_second_order=False, seed=seed)
    cols = []
    for j, key in enumerate(keys):
        lo, hi = bounds[key]
        if specs[key].kind == "int":
            cols.append(_int_column((x[:, j] - lo) / (hi - lo), lo, hi))
        else:  # SALib's values as they are (already within the bounds)
            cols.append(np.clip(x[:, j], lo, hi).tolist())
    rows = list(zip(*cols))
    return SweepSpec("sensitivity", keys, rows, method, n, seed, bounds, tuple(outputs),
                     ctx.source)
