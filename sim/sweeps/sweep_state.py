"""A sweep directory's identity and state: ``config.toml``, ``sweep.json`` and the hash.

:func:`sweep_hash` fingerprints the resolved base config and the scenario rows;
``sweep.json`` records it, and :func:`_check_state` compares it before anything is
written, so a directory is only ever continued (``--resume``) by the same sweep.
:func:`_finished` decides whether a sweep is already complete (its ``summary.csv``
unchanged since, and its time series there if asked for now), which makes running a
finished sweep again a no-op. ``config.toml`` (:func:`_config_text`) is the resolved
base config followed by the ``[sweep]`` table as written, so it is itself a sweep file
that repeats the sweep. The layout of the whole directory is described in
:mod:`sim.sweeps.sweep`.
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
import tomllib
from pathlib import Path

from ..config import to_toml
from ..errors import UserError
from .sweep_spec import SweepSpec
from . import sweep_series
from .sweep_chunks import _jsonable, _locked_by_other, _sha256


#: Version of the files in a sweep directory (``sweep.json`` ``format``).
FORMAT = 1


def _canon(obj) -> bytes:
    """Canonical JSON (floats as ``repr``, so exact; NaN allowed) for hashing."""
    return json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"),
                      allow_nan=True).encode()


def sweep_hash(base, spec: SweepSpec) -> str:
    """SHA-256 of the resolved base config (without ``[output]``) and the sweep's rows.

    Two sweeps with the same hash compute the same scenarios, so a directory written by
    one can be resumed by the other. The package version is included (a new model
    version does not continue an old sweep).
    """
    from ..errors import __version__

    h = hashlib.sha256()
    cfg = {s: v for s, v in base.to_dict().items() if s != "output"}
    h.update(_canon({"format": FORMAT, "version": __version__, "base": cfg,
                     "kind": spec.kind, "keys": list(spec.keys), "n": len(spec),
                     "outputs": list(spec.outputs)}))
    for row in spec.rows:
        h.update(b"\n")
        h.update(_canon(row))
    return h.hexdigest()


def _toml_key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) else json.dumps(k)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _toml_table(path: list, table: dict, lines: list):
    lines.append("")
    lines.append("[" + ".".join(_toml_key(p) for p in path) + "]")
    subs = []
    for k, v in table.items():
        if isinstance(v, dict):
            subs.append((k, v))
        else:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in subs:
        _toml_table(path + [k], v, lines)


def _config_text(path: Path, base) -> str:
    """Resolved base config (with its name) + the [sweep] table as written."""
    header = (f"sweep resolved from {base.source}: the base scenario with defaults filled "
              "in, then the [sweep] table as written")
    # output.timeseries as this sweep uses it (its schema default is for single runs)
    named = base.with_overrides({"output.name": base.name,
                                 "output.timeseries": sweep_series.requested(base)})
    text = to_toml(named, header=header)
    sweep = tomllib.loads(Path(path).read_text(encoding="utf-8"))["sweep"]
    lines: list = []
    for k, v in sweep.items():
        _toml_table(["sweep", k], v, lines)
    return text + "\n".join(lines) + "\n"


def _read_state(directory: Path):
    p = directory / "sweep.json"
    if not p.exists():
        return None
    try:
        state = json.loads(p.read_text())
        if (not isinstance(state, dict) or not isinstance(state.get("hash"), str)
                or not isinstance(state.get("chunk_size"), int) or state["chunk_size"] < 1):
            raise ValueError
        return state
    except (OSError, ValueError):
        raise UserError(f"{p}: unreadable sweep state; remove {directory} to start the "
                        "sweep again") from None


def _check_state(directory: Path, digest: str, resume: bool, locked: bool = False):
    """The directory's sweep.json (None if new); errors for a mix-up of sweeps.
    ``locked``: this process holds the directory's lock."""
    state = _read_state(directory)
    if state is None and (directory / "chunks").exists():
        raise UserError(f"{directory}: has chunks/ but no sweep.json, so it cannot be "
                        "checked or resumed; remove the directory to start again")
    if state is not None:
        if not locked and _locked_by_other(directory):
            raise UserError(f"{directory}: another sweep process is writing to this "
                            "directory; wait for it to finish (or stop it)")
        same = state.get("hash") == digest
        if not resume and same and not state.get("complete"):
            raise UserError(f"{directory} holds this sweep, unfinished; continue it with "
                            "--resume, or remove the directory (or --set output.name=...) "
                            "to start again")
        if state["hash"] != digest:
            raise UserError(f"{directory}: holds a different sweep (base config or "
                            f"scenarios changed; hash "
                            f"{state['hash'][:12]} there, {digest[:12]} now); remove the "
                            "directory or --set output.name=... to start a new one")
    return state


def _finished(directory: Path, state, base) -> bool:
    """Complete, with time series if they are asked for now (a finished sweep resumed
    with ``output.timeseries = true`` computes its series)."""
    done = bool(state and state.get("complete") and (directory / "summary.csv").exists())
    if done and state.get("summary_sha256") is not None:
        # a summary.csv changed or truncated since completion is merged again
        done = _sha256(directory / "summary.csv") == state["summary_sha256"]
    if done and sweep_series.requested(base):
        done = (directory / "timeseries.npz").exists()
    return done


def _nothing_to_do(directory: Path, base, spec) -> Path:
    sys.stderr.write(f"sweep {base.name}: already complete ({len(spec)} scenarios); "
                     f"nothing to do: {directory / 'summary.csv'}\n")
    return directory
