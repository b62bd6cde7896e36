"""Parameter sets: data files in ``sim/data`` where every number carries its source.

A parameter file is TOML. Every number is a *quantity*: an inline table with its
``value``, its ``unit`` (``"1"`` for dimensionless) and its ``source`` (a citation, or
text starting with ``"assumption"``)::

    [joint_class.knee]
    F = { value = 0.01500, unit = "1/s", source = "Frey-Law, Looft & Heitsman 2012, Table 1" }

Plain strings, booleans and tables of quantities may sit beside them. :func:`load`
checks that every number is such a quantity and returns the file as nested dicts in
which each quantity is replaced by its value; :func:`load_quantities` keeps the full
quantities (for reports and provenance tables).

Examples
--------
>>> p = load("fatigue")                       # doctest: +SKIP
>>> p["joint_class"]["knee"]["F"]             # doctest: +SKIP
0.015
"""
from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from importlib import resources

__all__ = ["ParameterError", "data_path", "load", "value", "load_quantities", "is_quantity"]

_QUANTITY_KEYS = {"value", "unit", "source"}


class ParameterError(ValueError):
    """A shipped parameter file breaks the quantity rules (value, unit, source)."""


@lru_cache(maxsize=None)
def data_path(name: str):
    """Path-like resource of ``sim/data/<name>`` inside the installed package."""
    return resources.files("sim").joinpath("data", name)


def is_quantity(obj) -> bool:
    """True if ``obj`` is an inline table ``{value, unit, source}``."""
    return isinstance(obj, dict) and _QUANTITY_KEYS <= set(obj) and set(obj) <= _QUANTITY_KEYS | {"note"}


def _check(obj, where: str, fname: str):
    if isinstance(obj, bool) or isinstance(obj, str):
        return
    if isinstance(obj, (int, float)):
        raise ParameterError(f"{fname}: {where} = {obj!r} is a bare number; write "
                             "{ value = ..., unit = ..., source = ... }")
    if is_quantity(obj):
        v = obj["value"]
        vals = v if isinstance(v, list) else [v]
        for x in vals:
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise ParameterError(f"{fname}: {where}.value = {x!r} is not a finite number")
        if not str(obj["source"]).strip() or not str(obj["unit"]).strip():
            raise ParameterError(f"{fname}: {where} needs a non-empty unit and source")
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            _check(v, f"{where}.{k}" if where else k, fname)
        return
    if isinstance(obj, list):
        for i, v in enumerate(obj):
            _check(v, f"{where}[{i}]", fname)
        return
    raise ParameterError(f"{fname}: {where} has unsupported type {type(obj).__name__}")


def _strip(obj):
    if is_quantity(obj):
        v = obj["value"]
        return [float(x) for x in v] if isinstance(v, list) else float(v)
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


@lru_cache(maxsize=None)
def _read(name: str) -> dict:
    fname = name if name.endswith(".toml") else f"{name}.toml"
    with data_path(fname).open("rb") as fh:
        raw = tomllib.load(fh)
    _check(raw, "", fname)
    return raw


def load_quantities(name: str) -> dict:
    """Parameter file ``sim/data/<name>.toml`` with full ``{value, unit, source}`` entries."""
    import copy

    return copy.deepcopy(_read(name))


@lru_cache(maxsize=None)
def _values(name: str) -> dict:
    return _strip(_read(name))


def _copy(obj):
    """A fresh copy of a tree of dicts, lists and scalars (what :func:`_strip` returns)."""
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy(v) for v in obj]
    return obj


def load(name: str) -> dict:
    """Parameter file ``sim/data/<name>.toml`` with each quantity replaced by its value (float).

    The file is read and checked once per process; each call returns a fresh copy, so a
    caller may change what it gets."""
    return _copy(_values(name))


def value(name: str, *keys: str):
    """One value of ``sim/data/<name>.toml`` (e.g. ``value("fatigue", "reserve", "d_prime")``).

    Reads the checked, cached file without copying all of it (:func:`load` copies the
    whole tree), for code that reads a few numbers per scenario; a table (dict) or list is
    returned as a copy, so the cache cannot be changed through it."""
    out = _values(name)
    for k in keys:
        out = out[k]
    return _copy(out) if isinstance(out, (dict, list)) else out
