"""Reading a ``[sweep]`` table: its entries, swept keys and bounds, checked against the schema.

The checks shared by the three designs (:mod:`sim.sweeps.sweep_designs`): a swept key
must be a ``section.key`` of the config schema, not under ``[output]`` and not swept
twice (:func:`_swept_keys`); a design's table holds only its own entries
(:func:`_check_entries`); ``[sweep.*.bounds]`` maps numeric keys to ``[lo, hi]`` with
``lo < hi``, both validated like the key in a config file (:func:`_parse_bounds`); the
seed defaults to ``model.seed`` (:func:`_seed`). Every problem raises
:class:`~sim.config.ConfigError` with one line naming the file, the key, the value and
what is allowed (:class:`_Ctx`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..config import Config, ConfigError, _fmt, _suggest, all_keys, validate_value
from ..schema import SCHEMA, Key
from .sweep_scenarios import MAX_SCENARIOS

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
