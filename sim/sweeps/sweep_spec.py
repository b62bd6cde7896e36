"""Sweep specifications: a ``[sweep]`` table into a validated, deterministic scenario list.

A sweep config is a normal config (the *base* scenario) plus exactly one of three
tables under ``[sweep]``; ``runfatigue sweep CONFIG`` runs it.

``[sweep.grid]``
    The Cartesian product over dotted config keys, each with an array of values::

        [sweep.grid]
        "scenario.hip_flexor_tightness_deg" = [0, 4, 8, 12, 16, 20]
        "run.speed_mps" = [2.5, 3.0, 3.5, 4.0]

    Scenarios come in product order with the *last* key varying fastest.

``[sweep.sample]``
    ``n`` points of a Latin hypercube (``method = "lhs"``) or a scrambled Sobol'
    sequence (``method = "sobol"``) from :mod:`scipy.stats.qmc`, scaled to the
    ``[sweep.sample.bounds]`` of each key::

        [sweep.sample]
        method = "lhs"
        n = 4096
        seed = 1
        [sweep.sample.bounds]
        "scenario.hip_flexor_tightness_deg" = [0, 20]
        "run.speed_mps" = [2.5, 4.0]

    Sobol' points keep their balance properties only when ``n`` is a power of two
    (512, 1024, 4096, ...); other ``n`` are accepted without a warning.

``[sweep.sensitivity]``
    Sobol' sensitivity indices (needs SALib: ``pip install "runfatigue[sensitivity]"``).
    The scenarios are SALib's own Saltelli-type sample,
    ``SALib.sample.sobol.sample(problem, n, calc_second_order=False, seed=seed)``, which
    has ``n * (k + 2)`` rows for ``k`` keys; ``n`` must be a power of two. ``outputs``
    picks the summary values to analyse (:data:`SENSITIVITY_OUTPUTS`) with
    :func:`analyze_sensitivity`::

        [sweep.sensitivity]
        method = "sobol"
        n = 1024
        outputs = ["spike_onset_s", "peak_shear_bw"]
        [sweep.sensitivity.bounds]
        "scenario.hip_flexor_tightness_deg" = [0, 20]
        "run.speed_mps" = [2.5, 4.0]

Every swept key must be a key of the config schema (``output.*`` keys cannot be swept)
and every swept value or bound is validated exactly like the same key in a config file,
so the allowed ranges are the schema's. Sampled keys must be numeric. ``seed`` defaults
to the config's ``model.seed``. Integer keys (e.g. ``model.n_phase``) take each integer in
``[lo, hi]`` with equal probability: the unit-interval coordinate ``u`` maps to
``lo + floor(u * (hi - lo + 1))``. A key set with ``--set`` may not also be swept (the
sweep would silently replace it). At most :data:`MAX_SCENARIOS` scenarios.

Every problem raises :class:`~sim.config.ConfigError` with a one-line message naming the
file, the key, the value and what is allowed.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pace.toml"
>>> _ = path.write_text('''
... [run]
... duration_min = 60
... [sweep.grid]
... "scenario.hip_flexor_tightness_deg" = [0, 10, 20]
... "run.speed_mps" = [2.5, 3.5]
... ''')
>>> base, spec = load_sweep(path)
>>> spec.kind, len(spec), spec.keys
('grid', 6, ('scenario.hip_flexor_tightness_deg', 'run.speed_mps'))
>>> spec.rows[:3]
[(0.0, 2.5), (0.0, 3.5), (10.0, 2.5)]
>>> spec.overrides(1)
{'scenario.hip_flexor_tightness_deg': 0.0, 'run.speed_mps': 3.5}
>>> spec.config(base, 1).run.speed_mps, spec.config(base, 1).run.duration_min
(3.5, 60.0)
>>> _ = path.write_text('''
... [sweep.grid]
... "scenario.hip_flexor_tightness_deg" = [0, 45]
... ''')
>>> try:
...     load_sweep(path)
... except ConfigError as e:
...     print(str(e).replace(str(path), "pace.toml"))
pace.toml: sweep.grid."scenario.hip_flexor_tightness_deg"[1] = 45: out of range; allowed: a number in [0, 30] [deg]
"""
from __future__ import annotations

from pathlib import Path

from ..config import Config, ConfigError, _fmt, _read_toml, _suggest, load_config
# The parts of a sweep specification live in their own modules; their names are
# re-exported here, where they were before the split.
from .sweep_scenarios import (SWEEP_KINDS, SAMPLE_METHODS, SENSITIVITY_METHODS,
                              SENSITIVITY_OUTPUTS, CENSORED_OUTPUTS, MAX_SCENARIOS, SALIB_HINT,
                              SweepSpec)  # noqa: F401
from .sweep_tables import (_ENTRIES, _UNSWEEPABLE, _Entry, _SEED, _N, _N_SOBOL, _Ctx, _label,
                           _flatten, _swept_keys, _check_entries, _required, _parse_bounds,
                           _seed)  # noqa: F401
from .sweep_designs import (_parse_grid, _int_column, _scale, _qmc_engine, _parse_sample,
                            _import_salib_sample, _parse_sensitivity)  # noqa: F401
from .sweep_sensitivity import _import_salib_analyze, analyze_sensitivity  # noqa: F401

__all__ = ["SweepSpec", "load_sweep", "analyze_sensitivity", "SWEEP_KINDS",
           "SAMPLE_METHODS", "SENSITIVITY_METHODS", "SENSITIVITY_OUTPUTS",
           "CENSORED_OUTPUTS", "MAX_SCENARIOS", "SALIB_HINT"]


def load_sweep(path, overrides: dict | None = None) -> tuple[Config, SweepSpec]:
    """Load a sweep config: the base configuration and its validated sweep.

    Parameters
    ----------
    path : str or pathlib.Path
        TOML file with the usual config sections plus one ``[sweep.*]`` table.
    overrides : dict, optional
        ``--set`` overrides of the base config (dotted key -> value). A swept key may
        not be overridden.

    Returns
    -------
    base : Config
        The base scenario (the config without the sweep).
    spec : SweepSpec
        The swept keys and the values of every scenario; scenario ``i`` is
        ``base.with_overrides(spec.overrides(i))``.

    Raises
    ------
    ConfigError
        One-line message naming the file, the key, the value and what is allowed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "lhs.toml"
    >>> _ = path.write_text('''
    ... [sweep.sample]
    ... method = "lhs"
    ... n = 4
    ... seed = 1
    ... [sweep.sample.bounds]
    ... "run.speed_mps" = [2.5, 4.0]
    ... "model.n_phase" = [32, 35]
    ... ''')
    >>> base, spec = load_sweep(path)
    >>> spec.kind, spec.method, len(spec), spec.bounds["run.speed_mps"]
    ('sample', 'lhs', 4, (2.5, 4.0))
    >>> sorted(int((r[0] - 2.5) / 1.5 * 4) for r in spec.rows)  # one point per stratum
    [0, 1, 2, 3]
    >>> sorted(r[1] for r in spec.rows)
    [32, 33, 34, 35]
    >>> load_sweep(path)[1].rows == spec.rows  # deterministic for a given seed
    True
    """
    base = load_config(path, overrides, extra_sections=("sweep",))
    path = Path(path)
    ctx = _Ctx(str(path))
    raw = _read_toml(path)
    if "sweep" not in raw:
        raise ConfigError(f"{ctx.source}: [sweep] is missing; allowed: one of [sweep.grid], "
                          "[sweep.sample] or [sweep.sensitivity] (use 'runfatigue run' for a "
                          "single scenario)")
    sweep = raw["sweep"]
    tables = ", ".join(f"[sweep.{k}]" for k in SWEEP_KINDS)
    if not isinstance(sweep, dict):
        ctx.fail("sweep", sweep, "expected a table [sweep]", f"exactly one of {tables}")
    for k, v in sweep.items():
        if k not in SWEEP_KINDS:
            raise ConfigError(f"{ctx.source}: sweep.{k} = {_fmt(v)}: unknown entry"
                              f"{_suggest(k, SWEEP_KINDS)}; allowed: exactly one of {tables}")
        if not isinstance(v, dict):
            ctx.fail(f"sweep.{k}", v, f"expected a table [sweep.{k}]", f"exactly one of {tables}")
    if len(sweep) != 1:
        given = ", ".join(f"[sweep.{k}]" for k in sweep) or "none"
        raise ConfigError(f"{ctx.source}: [sweep]: has {given}; "
                          f"allowed: exactly one of {tables}")
    (kind, table), = sweep.items()
    if kind == "grid":
        spec = _parse_grid(ctx, table)
    elif kind == "sample":
        spec = _parse_sample(ctx, table, base)
    else:
        spec = _parse_sensitivity(ctx, table, base)
    for key, value in (overrides or {}).items():
        if key in spec.keys:
            raise ConfigError(f"{ctx.source} (--set): {key} = {_fmt(value)}: the key is swept "
                              f"by [sweep.{kind}] and would be replaced; allowed: --set of "
                              "keys the sweep does not vary")
    return base, spec
