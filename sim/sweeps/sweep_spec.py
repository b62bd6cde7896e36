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

import itertools
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import (Config, ConfigError, _fmt, _read_toml, _suggest, all_keys, load_config,
                      validate_value)
from ..schema import SCHEMA, Key

__all__ = ["SweepSpec", "load_sweep", "analyze_sensitivity", "SWEEP_KINDS",
           "SAMPLE_METHODS", "SENSITIVITY_METHODS", "SENSITIVITY_OUTPUTS",
           "CENSORED_OUTPUTS", "MAX_SCENARIOS", "SALIB_HINT"]

#: The tables ``[sweep]`` may hold; exactly one of them.
SWEEP_KINDS = ("grid", "sample", "sensitivity")
#: ``method`` of ``[sweep.sample]``: Latin hypercube or scrambled Sobol' (scipy.stats.qmc).
SAMPLE_METHODS = ("lhs", "sobol")
#: ``method`` of ``[sweep.sensitivity]``.
SENSITIVITY_METHODS = ("sobol",)
#: Run summary values whose sensitivity indices can be computed (``outputs``).
SENSITIVITY_OUTPUTS = (
    "spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s",
    "peak_shear_bw", "peak_shear_N", "peak_compression_N", "peak_superficial_load",
    "peak_trunk_lean_deg", "peak_pelvic_tilt_deg", "peak_trunk_flexion_deg",
    "end_capacity_hip_abductors", "end_capacity_hip_extensors",
    "end_capacity_hip_adductors", "end_capacity_hip_flexors",
    "end_capacity_knee_flexors", "end_capacity_knee_extensors",
    "end_capacity_plantarflexors", "end_capacity_dorsiflexors",
    "end_capacity_lumbar_deep", "end_capacity_lumbar_superficial",
    "end_capacity_abdominals",
)
#: Onset outputs: NaN ("never spiked") is censored at the run duration before analysis.
CENSORED_OUTPUTS = ("spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s")
#: Upper limit on the number of scenarios of one sweep.
MAX_SCENARIOS = 10_000_000
#: How to install the optional sensitivity dependency.
SALIB_HINT = 'pip install "runfatigue[sensitivity]"'

_ENTRIES = {
    "grid": None,  # any dotted key
    "sample": ("method", "n", "seed", "bounds"),
    "sensitivity": ("method", "n", "seed", "bounds", "outputs"),
}
_UNSWEEPABLE = ("output",)


@dataclass(frozen=True)
class _Entry(Key):
    """A :class:`~sim.schema.Key` with its own wording of what is allowed."""

    text: str = ""

    def describe(self) -> str:
        return self.text or super().describe()


_SEED = _Entry("int", None, 0, None, text="a non-negative integer")
_N = _Entry("int", None, 1, MAX_SCENARIOS, text=f"an integer in [1, {MAX_SCENARIOS:,}]")
_N_SOBOL = _Entry("int", None, 2, MAX_SCENARIOS,
                  text="a power of two of at least 2, e.g. 256, 1024, 4096")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the swept keys and one row of values per scenario.

    Attributes
    ----------
    kind : {"grid", "sample", "sensitivity"}
        Which ``[sweep.*]`` table it came from.
    keys : tuple of str
        Swept dotted keys, in the order written in the file.
    rows : list of tuple
        One tuple of values (aligned with ``keys``) per scenario, in a deterministic
        order: grid = Cartesian product, last key fastest; sample = the
        ``scipy.stats.qmc`` points in generation order; sensitivity = SALib's sample.
        Values are plain Python ``float``/``int``/``str``/``bool`` normalised by the
        schema (``run.segments`` values are tuples of dicts).
    method : str or None
        ``"lhs"``/``"sobol"`` (sample), ``"sobol"`` (sensitivity); ``None`` for a grid.
    n : int or None
        Sample size as written (sensitivity: SALib's base size, ``len(rows) = n*(k+2)``).
    seed : int or None
        Seed of the sample (``None`` for a grid).
    bounds : dict
        Dotted key -> ``(lo, hi)`` (sample, sensitivity).
    outputs : tuple of str
        Outputs to analyse (sensitivity only).
    source : str
        The config file.
    levels : dict
        Dotted key -> tuple of values (grid only).
    """

    kind: str
    keys: tuple
    rows: list = field(repr=False)
    method: str | None = None
    n: int | None = None
    seed: int | None = None
    bounds: dict = field(default_factory=dict)
    outputs: tuple = ()
    source: str = "<defaults>"
    levels: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def overrides(self, i: int) -> dict:
        """Dotted key -> value of scenario ``i``, ready for :meth:`Config.with_overrides`.

        Examples
        --------
        >>> spec = SweepSpec("grid", ("run.speed_mps",), [(2.5,), (3.0,)])
        >>> spec.overrides(-1)
        {'run.speed_mps': 3.0}
        """
        row = self.rows[i]
        out = {}
        for key, value in zip(self.keys, row):
            if isinstance(value, tuple):  # a table_list value (e.g. run.segments)
                value = [dict(t) for t in value]
            out[key] = value
        return out

    def config(self, base: Config, i: int) -> Config:
        """The full configuration of scenario ``i``: ``base`` with its overrides applied.

        Examples
        --------
        >>> from sim.config import load_config
        >>> spec = SweepSpec("grid", ("scenario.core_strength",), [(0.6,), (0.8,)])
        >>> spec.config(load_config(None), 0).scenario.core_strength
        0.6
        """
        return base.with_overrides(self.overrides(i))

    def problem(self) -> dict:
        """A fresh SALib problem dict (``num_vars``, ``names``, ``bounds``).

        Defined for sample and sensitivity sweeps (a new dict every call, as SALib
        adds entries to the dict it is given).

        Examples
        --------
        >>> spec = SweepSpec("sample", ("run.speed_mps",), [], "lhs", 0, 1,
        ...                  {"run.speed_mps": (2.5, 4.0)})
        >>> spec.problem()
        {'num_vars': 1, 'names': ['run.speed_mps'], 'bounds': [[2.5, 4.0]]}
        """
        if self.kind == "grid":
            raise ValueError("a grid sweep has no SALib problem (no bounds); "
                             "use [sweep.sample] or [sweep.sensitivity]")
        return {"num_vars": len(self.keys), "names": list(self.keys),
                "bounds": [[float(self.bounds[k][0]), float(self.bounds[k][1])]
                           for k in self.keys]}

    def describe(self) -> str:
        """One line for logs: kind, method, keys and number of scenarios.

        Examples
        --------
        >>> SweepSpec("grid", ("a.b", "c.d"), [(1, 2)] * 6).describe()
        'grid over 2 keys (a.b, c.d): 6 scenarios'
        """
        what = self.kind if self.method is None else f"{self.kind} ({self.method}, n={self.n})"
        return f"{what} over {len(self.keys)} keys ({', '.join(self.keys)}): {len(self)} scenarios"


# --------------------------------------------------------------------------- parsing

class _Ctx:
    """Source file name and message helpers."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, label, value, problem, allowed=None):
        msg = f"{self.source}: {label} = {_fmt(value)}: {problem}"
        if allowed:
            msg += f"; allowed: {allowed}"
        raise ConfigError(msg)


def _label(table: str, dotted: str) -> str:
    return f'{table}."{dotted}"'


def _flatten(table: dict) -> list[tuple[str, object]]:
    """``{"run": {"speed_mps": x}}`` (unquoted dotted keys) -> ``[("run.speed_mps", x)]``."""
    out = []
    for k, v in table.items():
        if isinstance(v, dict) and "." not in k:
            out.extend((f"{k}.{k2}", v2) for k2, v2 in v.items())
        else:
            out.append((k, v))
    return out


def _swept_keys(ctx: _Ctx, table_name: str, table: dict) -> list[tuple[str, object, Key]]:
    """Check the dotted keys of a grid or bounds table; return (key, value, spec)."""
    seen = set()
    out = []
    for dotted, value in _flatten(table):
        label = _label(table_name, dotted)
        if "." not in dotted:
            ctx.fail(label, value, "keys are 'section.key'" + _suggest(dotted, all_keys()))
        section, key = dotted.split(".", 1)
        if section not in SCHEMA:
            ctx.fail(label, value, f"unknown section [{section}]"
                     + (_suggest(dotted, all_keys()) or _suggest(section, SCHEMA)))
        if key not in SCHEMA[section]:
            ctx.fail(label, value, "unknown key" + _suggest(dotted, all_keys()))
        if section in _UNSWEEPABLE:
            ctx.fail(label, value, f"keys of [{section}] cannot be swept",
                     "keys of " + ", ".join(f"[{s}]" for s in SCHEMA if s not in _UNSWEEPABLE))
        if dotted in seen:
            ctx.fail(label, value, "key swept twice (written both quoted and unquoted?)",
                     "each key once")
        seen.add(dotted)
        out.append((dotted, value, SCHEMA[section][key]))
    return out


def _check_entries(ctx: _Ctx, kind: str, table: dict):
    allowed = _ENTRIES[kind]
    for k, v in table.items():
        if k not in allowed:
            hint = _suggest(k, allowed)
            if "." in k or isinstance(v, dict):
                hint += f" (ranges of swept keys go in [sweep.{kind}.bounds])"
            label = _label(f"sweep.{kind}", k) if "." in k else f"sweep.{kind}.{k}"
            raise ConfigError(f"{ctx.source}: {label} = {_fmt(v)}: unknown entry"
                              f"{hint}; allowed: {', '.join(allowed)}")


def _required(ctx: _Ctx, kind: str, table: dict, entry: str, spec: Key):
    if entry not in table:
        raise ConfigError(f"{ctx.source}: sweep.{kind}.{entry} is missing; "
                          f"allowed: {spec.describe()}")
    return validate_value(spec, table[entry], ctx.source, f"sweep.{kind}.{entry}")


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


def _parse_bounds(ctx: _Ctx, kind: str, table: dict) -> tuple[dict, dict]:
    name = f"sweep.{kind}.bounds"
    if "bounds" not in table:
        raise ConfigError(f"{ctx.source}: {name} is missing; allowed: a table [{name}] of "
                          'dotted keys to [lo, hi], e.g. "run.speed_mps" = [2.5, 4.0]')
    raw = table["bounds"]
    if not isinstance(raw, dict):
        ctx.fail(name, raw, f"expected a table [{name}]",
                 'dotted keys to [lo, hi], e.g. "run.speed_mps" = [2.5, 4.0]')
    if not raw:
        raise ConfigError(f"{ctx.source}: [{name}] is empty; allowed: dotted keys to [lo, hi], "
                          'e.g. "run.speed_mps" = [2.5, 4.0]')
    bounds, specs = {}, {}
    for dotted, value, spec in _swept_keys(ctx, name, raw):
        label = _label(name, dotted)
        if spec.kind not in ("float", "int"):
            ctx.fail(label, value, f"not a numeric key ({spec.describe()})",
                     "keys whose value is a number (use [sweep.grid] for the others)")
        allowed = f"[lo, hi] with lo < hi, each {spec.describe()}"
        if not isinstance(value, list) or len(value) != 2:
            ctx.fail(label, value, "expected [lo, hi]", allowed)
        lo = validate_value(spec, value[0], ctx.source, f"{label}[0]")
        hi = validate_value(spec, value[1], ctx.source, f"{label}[1]")
        if not lo < hi:
            ctx.fail(label, value, "lo must be below hi", allowed)
        bounds[dotted] = (lo, hi)
        specs[dotted] = spec
    return bounds, specs


def _seed(ctx: _Ctx, kind: str, table: dict, base: Config) -> int:
    if "seed" in table:
        return validate_value(_SEED, table["seed"], ctx.source, f"sweep.{kind}.seed")
    return int(base.model.seed)


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


# ------------------------------------------------------------------------- analysis

def _import_salib_analyze():
    from SALib.analyze import sobol as salib_sobol_analyze  # optional extra
    return salib_sobol_analyze


def analyze_sensitivity(spec: SweepSpec, results: dict, duration_s) -> list[dict]:
    """First-order and total Sobol' indices of the chosen outputs, with confidence intervals.

    Calls ``SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False, ...)`` for
    every output in ``spec.outputs`` (95 % bootstrap confidence intervals from 100
    resamples, seeded by ``spec.seed``, so the result is deterministic).

    **Censoring.** A run whose back-load index never spiked has a NaN onset. For the
    onset outputs (:data:`CENSORED_OUTPUTS`, e.g. ``spike_onset_s``) such runs are
    *censored at the run duration*: a never-spiking run counts as spiking at the end of
    the run (``duration_s``). This understates how safe that scenario is (its true onset
    is later, possibly never), so indices of onset are biased where many runs are
    censored; the ``censored`` column counts them. An output that is the same in every
    run (e.g. no run spiked at all) has undefined indices, reported as NaN.

    Parameters
    ----------
    spec : SweepSpec
        A sensitivity sweep (``spec.kind == "sensitivity"``).
    results : dict of str to numpy.ndarray
        Output name -> one value per scenario, in ``spec.rows`` order (other names are
        ignored).
    duration_s : float or numpy.ndarray
        Run duration in seconds (scalar, or one per scenario), used for censoring.

    Returns
    -------
    list of dict
        One dict per (output, parameter), outputs in ``spec.outputs`` order and parameters
        in ``spec.keys`` order, with ``output``, ``parameter``, ``S1``, ``S1_conf``,
        ``ST``, ``ST_conf``, ``n`` (scenarios) and ``censored`` (censored runs).

    Raises
    ------
    ImportError
        SALib is not installed (``pip install "runfatigue[sensitivity]"``).
    ValueError
        Not a sensitivity sweep, or an output missing, of the wrong length or with
        non-finite values (other than censored onsets).

    Examples
    --------
    >>> import numpy as np
    >>> spec = SweepSpec("sensitivity", ("scenario.core_strength", "run.speed_mps"), [],
    ...                  "sobol", 256, 1, {"scenario.core_strength": (0.6, 1.2),
    ...                  "run.speed_mps": (2.5, 4.0)}, ("peak_shear_bw",))
    >>> from SALib.sample import sobol
    >>> x = sobol.sample(spec.problem(), 256, calc_second_order=False, seed=1)
    >>> y = 0.1 * x[:, 0] + x[:, 1]  # speed dominates
    >>> rows = analyze_sensitivity(spec, {"peak_shear_bw": y}, duration_s=7200.0)
    >>> [(r["parameter"], round(r["S1"], 1), round(r["ST"], 1)) for r in rows]
    [('scenario.core_strength', 0.0, 0.0), ('run.speed_mps', 1.0, 1.0)]
    """
    if spec.kind != "sensitivity":
        raise ValueError(f"analyze_sensitivity needs a [sweep.sensitivity] sweep, got {spec.kind!r}")
    try:
        salib_analyze = _import_salib_analyze()
    except ImportError as e:
        raise ImportError(f"Sobol' sensitivity indices need SALib, which is not installed; "
                          f"install it with: {SALIB_HINT}") from e
    n = len(spec.rows) if spec.rows else spec.n * (len(spec.keys) + 2)
    out = []
    for name in spec.outputs:
        if name not in results:
            raise ValueError(f"results have no output {name!r} (have: "
                             f"{', '.join(sorted(results)) or 'none'})")
        y = np.array(results[name], dtype=np.float64).reshape(-1)
        if y.size != n:
            raise ValueError(f"output {name!r} has {y.size} values; the sweep has {n} scenarios")
        censored = 0
        if name in CENSORED_OUTPUTS:
            never = np.isnan(y)
            censored = int(never.sum())
            y = np.where(never, np.broadcast_to(np.asarray(duration_s, np.float64), y.shape), y)
        bad = int((~np.isfinite(y)).sum())
        if bad:
            raise ValueError(f"output {name!r} has {bad} non-finite values; Sobol' indices "
                             "need a finite value for every scenario")
        k = len(spec.keys)
        if np.ptp(y) == 0.0:
            si = {s: np.full(k, np.nan) for s in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            si = salib_analyze.analyze(spec.problem(), y, calc_second_order=False,
                                       seed=np.random.default_rng(spec.seed),
                                       print_to_console=False)
        for j, key in enumerate(spec.keys):
            out.append({"output": name, "parameter": key,
                        "S1": float(si["S1"][j]), "S1_conf": float(si["S1_conf"][j]),
                        "ST": float(si["ST"][j]), "ST_conf": float(si["ST_conf"][j]),
                        "n": int(y.size), "censored": censored})
    return out
