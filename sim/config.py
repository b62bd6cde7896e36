"""Configuration: TOML files and ``--set`` overrides into a validated, frozen object.

A config file has the sections of :data:`sim.schema.SCHEMA` (``runner``, ``run``,
``scenario``, ``intervention``, ``spike``, ``model``, ``output``); absent keys take their
defaults. Every problem -- missing or unreadable file, malformed TOML, duplicate or
unknown key, wrong type, out-of-range or non-finite value -- raises
:class:`ConfigError`, whose message is one line naming the file, the key, the value and
what is allowed.

Length: about 430 lines, kept in one module on purpose: reading, checking and
writing a config share one set of rules (:func:`validate_value`), read in one place.

Examples
--------
>>> cfg = load_config(None, overrides={"run.duration_min": 60})
>>> cfg.run.duration_min, cfg.runner.mass_kg
(60.0, 75.0)
>>> cfg.with_overrides({"scenario.core_strength": 0.8}).scenario.core_strength
0.8
>>> try:
...     load_config(None, overrides={"runner.mas_kg": 70})
... except ConfigError as e:
...     print(e)
<overrides>: runner.mas_kg = 70: unknown key; did you mean 'runner.mass_kg'?
"""
from __future__ import annotations

import difflib
import math
import tomllib
from pathlib import Path

from .errors import RunfatigueError
from .schema import SCHEMA, Key

#: Most checkpoints one run may keep: each holds about 1.2 kB of per-muscle arrays, so
#: 200,000 checkpoints are about 240 MB (a 24-hour run at the default 30-s block keeps
#: 2,880).
MAX_CHECKPOINTS = 200_000
#: Largest config file read [bytes]; a config is a few kB.
MAX_CONFIG_BYTES = 1 << 20
#: Longest results directory name [bytes of UTF-8] (the usual file-name limit).
MAX_NAME_BYTES = 255

__all__ = ["ConfigError", "Config", "Section", "load_config", "parse_override",
           "validate_value", "all_keys", "to_toml"]


class ConfigError(RunfatigueError, ValueError):
    """Bad configuration input; ``str(err)`` is the one-line message for the user."""


class Section:
    """A read-only group of settings with attribute access (``cfg.runner.mass_kg``)."""

    __slots__ = ("_name", "_values")

    def __init__(self, name: str, values: dict):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, key):
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"config section [{self._name}] has no key {key!r}") from None

    def __reduce__(self):           # pickle: rebuilt through __init__ (slots, read-only)
        return (Section, (self._name, self._values))

    def __setattr__(self, key, value):
        raise AttributeError("configuration objects are read-only; use with_overrides()")

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def items(self):
        return self._values.items()

    def __repr__(self):
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"[{self._name}] {inner}"

    def __eq__(self, other):
        return isinstance(other, Section) and self._values == other._values

    def __hash__(self):
        return hash((self._name, repr(self._values)))


class Config:
    """A validated, frozen configuration.

    Attributes
    ----------
    source : str
        The file it came from (``"<defaults>"`` when built from defaults alone).
    name : str
        Results directory name: ``output.name`` or the config file's stem.
    """

    __slots__ = ("_sections", "source", "name", "_raw")

    def __init__(self, sections: dict, source: str, name: str, raw: dict):
        object.__setattr__(self, "_sections", {k: Section(k, v) for k, v in sections.items()})
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_raw", raw)

    def __getattr__(self, key):
        try:
            return self._sections[key]
        except KeyError:
            raise AttributeError(f"config has no section {key!r}") from None

    def __setattr__(self, key, value):
        raise AttributeError("configuration objects are read-only; use with_overrides()")

    def __reduce__(self):           # pickle: rebuilt through __init__ (slots, read-only)
        return (Config, ({k: sec._values for k, sec in self._sections.items()}, self.source,
                         self.name, self._raw))

    def get(self, dotted: str):
        """Value of a dotted key, e.g. ``cfg.get("run.speed_mps")``."""
        section, key = dotted.split(".", 1)
        return self._sections[section][key]

    def to_dict(self) -> dict:
        """Resolved settings as nested plain dicts (defaults filled in)."""
        return {s: dict(sec.items()) for s, sec in self._sections.items()}

    def with_overrides(self, overrides: dict) -> "Config":
        """A new config with dotted-key overrides applied and validated."""
        raw = _merge(self._raw, overrides, "<overrides>")
        return _build(raw, self.source, self._raw_name_default())

    def _raw_name_default(self):
        return Path(self.source).stem if self.source not in ("<defaults>",) else "run"

    def __eq__(self, other):
        return isinstance(other, Config) and self.to_dict() == other.to_dict()

    def __repr__(self):
        return f"Config(source={self.source!r}, name={self.name!r})"


def all_keys() -> list[str]:
    """Every dotted key the schema knows."""
    return [f"{s}.{k}" for s, keys in SCHEMA.items() for k in keys]


def _suggest(word: str, options) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _fmt(value) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list) and len(repr(value)) > 60:
        return repr(value)[:57] + "..."
    return repr(value) if not isinstance(value, bool) else str(value).lower()


def validate_value(spec: Key, value, where: str, key: str):
    """Check one value against its :class:`~sim.schema.Key`; return it normalised.

    Raises
    ------
    ConfigError
        With the message ``"<where>: <key> = <value>: <problem>; allowed: <range>"``.
    """
    original = value

    def fail(problem):
        raise ConfigError(f"{where}: {key} = {_fmt(original)}: {problem}; "
                          f"allowed: {spec.describe()}")

    if spec.kind == "bool":
        if not isinstance(value, bool):
            fail("wrong type")
        return value
    if spec.kind == "str":
        if not isinstance(value, str):
            fail("wrong type")
        if spec.choices and value not in spec.choices:
            hint = _suggest(value, spec.choices)
            fail("not an allowed choice" + (f" ({hint[2:]})" if hint else ""))
        return value
    if spec.kind == "table_list":
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            fail("wrong type")
        if len(value) > spec.max_items:
            fail("too many entries")
        out = []
        for i, table in enumerate(value):
            item = {}
            for k, v in table.items():
                if k not in spec.item:
                    raise ConfigError(f"{where}: {key}[{i}].{k} = {_fmt(v)}: unknown key"
                                      f"{_suggest(k, spec.item)}; allowed keys: "
                                      + ", ".join(spec.item))
                item[k] = validate_value(spec.item[k], v, where, f"{key}[{i}].{k}")
            for k, sub in spec.item.items():
                if k not in item:
                    if sub.default is None:
                        raise ConfigError(f"{where}: {key}[{i}].{k} is missing; "
                                          f"allowed: {sub.describe()}")
                    item[k] = sub.default
            out.append(item)
        return tuple(out)
    # numbers
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail("wrong type")
    if spec.kind == "int":
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                fail("not an integer")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            fail("not a finite number")
    if spec.lo is not None and (value < spec.lo or (spec.lo_open and value == spec.lo)):
        fail("out of range")
    if spec.hi is not None and (value > spec.hi or (spec.hi_open and value == spec.hi)):
        fail("out of range")
    return value


def _lookup(dotted: str, where: str, value=None) -> tuple[str, str, Key]:
    if "." not in dotted:
        raise ConfigError(f"{where}: {dotted} = {_fmt(value)}: keys are 'section.key'"
                          f"{_suggest(dotted, all_keys())}")
    section, key = dotted.split(".", 1)
    if section not in SCHEMA:
        raise ConfigError(f"{where}: {dotted} = {_fmt(value)}: unknown section [{section}]"
                          f"{_suggest(dotted, all_keys()) or _suggest(section, SCHEMA)}")
    if key not in SCHEMA[section]:
        raise ConfigError(f"{where}: {dotted} = {_fmt(value)}: unknown key"
                          f"{_suggest(dotted, all_keys())}")
    return section, key, SCHEMA[section][key]


def _merge(raw: dict, overrides: dict | None, where: str) -> dict:
    out = {s: dict(v) for s, v in raw.items()}
    for dotted, value in (overrides or {}).items():
        section, key, _ = _lookup(dotted, where, value)
        out.setdefault(section, {})[key] = value
        out.setdefault("_where", {})[dotted] = where
    return out


def _build(raw: dict, source: str, default_name: str) -> Config:
    wheres = raw.get("_where", {})
    sections = {}
    for section, keys in SCHEMA.items():
        given = raw.get(section, {})
        values = {}
        for key, spec in keys.items():
            if key in given:
                where = wheres.get(f"{section}.{key}", source)
                values[key] = validate_value(spec, given[key], where, f"{section}.{key}")
            else:
                values[key] = spec.default
        sections[section] = values
    _cross_check(sections, source)
    name = sections["output"]["name"] or default_name
    return Config(sections, source, name, raw)


def _cross_check(sections: dict, source: str):
    """Rules between keys."""
    run = sections["run"]
    if run["speed_mps"] is None and not run["segments"]:
        run["speed_mps"] = 3.0
    duration_min = run["duration_min"]
    block_s = sections["model"]["block_s"]
    ratio = 60.0 * duration_min / block_s          # inf for a block_s near 0
    if ratio > MAX_CHECKPOINTS:
        many = (f"{math.ceil(ratio):,} checkpoints (about {ratio * 1.2e-6:.1f} GB)"
                if math.isfinite(ratio) else "more checkpoints than memory holds")
        raise ConfigError(
            f"{source}: model.block_s = {block_s:g}: a {duration_min:g}-min run would keep "
            f"{many}; allowed: at most "
            f"{MAX_CHECKPOINTS:,} checkpoints, i.e. block_s >= "
            f"{60.0 * duration_min / MAX_CHECKPOINTS:.3g} s for this run")
    name = sections["output"]["name"]
    if name is not None and (not name or "/" in name or "\\" in name or name in (".", "..")
                             or any(ord(c) < 32 or ord(c) == 127 for c in name)
                             or len(name.encode("utf-8")) > MAX_NAME_BYTES):
        raise ConfigError(f"{source}: output.name = {name[:60]!r}"
                          f"{'...' if len(name) > 60 else ''}: not a usable directory name; "
                          "allowed: a non-empty name without path separators or control "
                          f"characters, at most {MAX_NAME_BYTES} bytes")


def _read_toml(path: Path) -> dict:
    where = str(path)
    if not path.exists():
        raise ConfigError(f"{where}: file not found")
    if path.is_dir():
        raise ConfigError(f"{where}: is a directory, expected a TOML config file")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as e:
        raise ConfigError(f"{where}: cannot read file ({e.strerror})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{where}: larger than {MAX_CONFIG_BYTES // 1024} kB; expected a "
                          "TOML config file (a few kB)")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text; expected a TOML config file") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{where}: malformed TOML: {e}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested too deeply to read; expected a TOML config file "
                          "(tables and arrays a few levels deep)") from None


def _check_structure(raw: dict, where: str, extra_sections=()):
    for section, content in raw.items():
        if section in extra_sections:
            continue
        if section == "sweep":
            raise ConfigError(f"{where}: [sweep]: this is a sweep config; run it with "
                              f"'runfatigue sweep {where}'; allowed here: "
                              f"{', '.join(SCHEMA)}")
        if section not in SCHEMA:
            raise ConfigError(f"{where}: [{section}]: unknown section"
                              f"{_suggest(section, list(SCHEMA) + list(extra_sections))}; "
                              f"allowed: {', '.join(SCHEMA)}")
        if not isinstance(content, dict):
            raise ConfigError(f"{where}: {section} = {_fmt(content)}: expected a table "
                              f"[{section}]")
        for key, value in content.items():
            if key not in SCHEMA[section]:
                raise ConfigError(f"{where}: {section}.{key} = {_fmt(value)}: unknown key"
                                  f"{_suggest(f'{section}.{key}', all_keys())}")


def parse_override(text: str) -> tuple[str, object]:
    """Parse a command-line ``key=value`` override; the value is read as TOML.

    Bare words that are not TOML (``--set spike.index=shear_bw``) are taken as strings.

    Examples
    --------
    >>> parse_override("run.duration_min=60")
    ('run.duration_min', 60)
    >>> parse_override("spike.index=superficial_load")
    ('spike.index', 'superficial_load')
    """
    if "=" not in text:
        raise ConfigError(f"--set {text}: expected key=value, e.g. --set run.duration_min=60")
    key, value = text.split("=", 1)
    key, value = key.strip(), value.strip()
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key, parsed


def load_config(path=None, overrides: dict | None = None, extra_sections=()) -> Config:
    """Load, validate and freeze a configuration.

    Parameters
    ----------
    path : str or pathlib.Path or None
        TOML file; ``None`` uses the defaults alone.
    overrides : dict, optional
        Dotted keys to values, e.g. ``{"run.duration_min": 60}``; validated like file values.
    extra_sections : tuple of str
        Top-level tables that other commands read themselves (e.g. ``"sweep"``); they are
        passed over here.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        On any bad input, with a one-line message naming file, key, value and what is allowed.
    """
    if path is None:
        raw, source, stem = {}, "<defaults>", "run"
    else:
        path = Path(path)
        raw, source, stem = _read_toml(path), str(path), path.stem
        _check_structure(raw, source, extra_sections)
        raw = {k: v for k, v in raw.items() if k not in extra_sections}
    raw = _merge(raw, overrides, "<overrides>" if path is None else f"{source} (--set)")
    return _build(raw, source, stem)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("nan" if math.isnan(v) else
                                                  ("inf" if v > 0 else "-inf"))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        if v and isinstance(v[0], dict):
            return "[" + ", ".join("{ " + ", ".join(f"{k} = {_toml_value(x)}"
                                                     for k, x in t.items()) + " }"
                                   for t in v) + "]"
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def to_toml(cfg: Config, header: str = "") -> str:
    """The resolved config as TOML text (unset optional keys are left out).

    Examples
    --------
    >>> import tomllib
    >>> text = to_toml(load_config(None))
    >>> tomllib.loads(text)["runner"]["mass_kg"]
    75.0
    """
    lines = [f"# {line}" for line in header.splitlines()] if header else []
    for section, values in cfg.to_dict().items():
        if lines:
            lines.append("")
        lines.append(f"[{section}]")
        for key, v in values.items():
            if v is None:
                continue
            lines.append(f"{key} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"
