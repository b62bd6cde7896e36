"""Results directories: atomic writes, manifests and the resolved config.

Every file a command produces goes through :func:`atomic_write_bytes` (write to a
temporary file in the same directory, flush, ``fsync``, then ``os.replace``), so an
interrupted command never leaves a half-written file under its final name.

Layout of ``results/<name>/``::

    config.toml        the resolved configuration (defaults filled in)
    manifest.json      versions, git commit, seed, compile and run time
    summary.json       scalars of a single run (written by ``runfatigue run``)
    timeseries.npz     arrays of a single run (dimension order in the file's ``_dims``)
    figures/           PNG figures
    report.md          the validation report (``runfatigue validate``)

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = write_json(d / "x.json", {"a": 1})
>>> (d / "x.json").read_text().strip().startswith("{")
True
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from .errors import RunfatigueError

__all__ = [
    "jsonable",
    "directory_kind",
    "claim_run_directory",
    "directory_lock",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
    "write_json",
    "write_table_results",
    "markdown_table",
    "save_figure",
    "save_npz",
    "results_dir",
    "manifest",
    "write_manifest",
    "Timer",
]

_UMASK = os.umask(0)
os.umask(_UMASK)

_DEPENDENCIES = ("numpy", "numba", "llvmlite", "scipy", "matplotlib", "dask",
                 "distributed", "SALib")


@contextlib.contextmanager
def atomic_open(path, mode: str = "wb", **kwargs):
    """Open a temporary file beside ``path``; on success fsync it and rename it to ``path``.

    For files written piece by piece (e.g. streamed merges). If the block raises, the
    temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_open(p, "w") as fh:
    ...     _ = fh.write("done")
    >>> p.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)     # as an ordinary open() would (mkstemp uses 0600)
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    Parameters
    ----------
    path : str or pathlib.Path
        Final file name. Parent directories are created.
    data : bytes
        Content.

    Returns
    -------
    pathlib.Path
        The final path.
    """
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def atomic_write_text(path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def jsonable(obj):
    """Replace non-finite floats by ``None`` (JSON has no NaN) and numpy scalars by floats."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):  # numpy scalar or array
        return jsonable(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_json(path, obj) -> Path:
    """Write ``obj`` as indented JSON, atomically. NaN and infinities become ``null``."""
    return atomic_write_text(path, json.dumps(jsonable(obj), indent=2, sort_keys=False) + "\n")


def save_figure(fig, path, dpi: int = 120) -> Path:
    """Render a matplotlib figure to PNG in memory, then write it atomically."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return atomic_write_bytes(path, buf.getvalue())


def save_npz(path, **arrays) -> Path:
    """Write a compressed ``.npz`` atomically."""
    import numpy as np

    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return atomic_write_bytes(path, buf.getvalue())


class OutputPathError(RunfatigueError, ValueError):
    """An output directory cannot be used (it, or a folder above it, is a file)."""


def check_output_dir(path) -> Path:
    """Raise :class:`OutputPathError` unless ``path`` is, or can become, a directory.

    Called before any work starts, so that a bad ``--results`` or ``--out`` costs nothing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "f").write_text("x")
    1
    >>> check_output_dir(d / "new" / "run") == d / "new" / "run"
    True
    >>> check_output_dir(d / "f" / "run")
    Traceback (most recent call last):
    ...
    sim.results.OutputPathError: ... is a file, not a directory; choose another output directory
    """
    path = Path(path)
    for p in (path, *path.parents):
        if p.exists() and not p.is_dir():
            raise OutputPathError(f"{p}: is a file, not a directory; choose another output "
                                  "directory")
    return path


#: Files a run writes in ``results/<name>/`` (with ``figures/``).
RUN_FILES = ("summary.json", "timeseries.npz", "config.toml", "manifest.json")


def directory_kind(directory) -> str | None:
    """``"sweep"``, ``"run"`` or None: which kind of job a results directory belongs to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> directory_kind(d) is None
    True
    >>> _ = (d / "sweep.json").write_text("{}")
    >>> directory_kind(d)
    'sweep'
    """
    d = Path(directory)
    if (d / "sweep.json").exists() or (d / "chunks").exists():
        return "sweep"
    if any((d / f).exists() for f in ("summary.json", "timeseries.npz")):
        return "run"
    return None


@contextlib.contextmanager
def claim_run_directory(directory, force: bool = False, check_only: bool = False):
    """Own ``results/<name>/`` for one run while it writes (one rule for every writer).

    A directory belongs to one kind of job: a sweep's directory is refused; a finished
    run is not silently replaced (``force=True`` replaces it); while a run or a sweep
    writes, the directory's lock (``.lock``, released by the OS even on SIGKILL) turns a
    second writer away. Every refusal is an :class:`OutputPathError`.

    Yields a staging directory beside ``directory``: the run writes there, and only when
    everything is written are its files moved in (renames, which need no disk space) and
    the old run's files removed. A run that fails midway (a full disk) leaves the old run
    as it was. ``check_only``: refuse as above, write nothing (a check before simulating).
    """
    import shutil

    d = check_output_dir(directory)
    kind = directory_kind(d) if d.is_dir() else None
    if kind == "sweep":
        raise OutputPathError(f"{d}: holds a sweep, not a run; choose another name "
                              "(--set output.name=...) or another --results")
    d.mkdir(parents=True, exist_ok=True)
    with directory_lock(d):
        if directory_kind(d) == "run" and not force:
            raise OutputPathError(f"{d}: holds a finished run; --force replaces it, or "
                                  "--set output.name=... keeps both")
        if check_only:
            yield d
            return
        stage = Path(tempfile.mkdtemp(prefix=f".{d.name}.", suffix=".new", dir=d.parent))
        try:
            yield stage
            old = stage / ".old"
            old.mkdir()
            for name in (*RUN_FILES, "figures"):      # the old run's files, out of the way
                if (d / name).exists():
                    os.replace(d / name, old / name)
            for p in stage.iterdir():
                if p.name != ".old":
                    os.replace(p, d / p.name)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def directory_lock(d: Path):
    """Exclusive lock of a results directory while a run or a sweep writes it (``.lock``,
    released by the OS even on SIGKILL); :class:`OutputPathError` if another process
    holds it."""
    d = Path(d)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    fd = os.open(d / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputPathError(f"{d}: another runfatigue process is writing to this "
                                  "directory; wait for it to finish (or stop it)") from None
        yield
    finally:
        os.close(fd)


def results_dir(name: str, root="results") -> Path:
    """Return (and create) ``<root>/<name>``."""
    d = Path(root) / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def markdown_table(head, rows) -> str:
    """A markdown table from a header and rows of cells (each written with ``str``).

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [[1, 2.5]]))
    | a | b |
    |---|---|
    | 1 | 2.5 |
    """
    lines = ["| " + " | ".join(str(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def write_table_results(name: str, rows, table: str, script: str) -> Path:
    """Write an experiment's ``rows.json``, ``table.md`` and manifest into ``results/<name>``.

    Parameters
    ----------
    name : str
        Directory name under ``results/``.
    rows : list of dict
        The measured rows (JSON-ready).
    table : str
        The same rows as a markdown table.
    script : str
        The experiment's path, e.g. ``experiments/effort_criterion.py`` (the manifest's
        command is ``python <script>``).
    """
    d = results_dir(name)
    write_json(d / "rows.json", rows)
    atomic_write_text(d / "table.md", table)
    write_manifest(d, f"python {script}")
    return d


def _git_commit() -> str | None:
    """Commit of the checkout this package runs from, or None outside a git tree."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def manifest(command: str, seed=None, timings: dict | None = None, extra: dict | None = None) -> dict:
    """Build the manifest of a results directory.

    Parameters
    ----------
    command : str
        The command line that produced the results.
    seed : int, optional
        Random seed used, if any.
    timings : dict, optional
        Named durations in seconds, e.g. ``{"compile_s": 3.2, "run_s": 0.4}``.
    extra : dict, optional
        Further entries.
    """
    from .errors import __version__

    versions = {}
    for dist in _DEPENDENCIES:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    out = {
        "package": "runfatigue",
        "version": __version__,
        "command": command,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git_commit": _git_commit(),
        "seed": seed,
        "dependencies": versions,
        "timings_s": timings or {},
    }
    if extra:
        out.update(extra)
    return out


def write_manifest(directory, command: str, **kwargs) -> Path:
    """Write ``manifest.json`` into ``directory``; keyword arguments go to :func:`manifest`."""
    return write_json(Path(directory) / "manifest.json", manifest(command, **kwargs))


class Timer:
    """Context manager measuring wall time in seconds (``elapsed``).

    Examples
    --------
    >>> with Timer() as t:
    ...     pass
    >>> t.elapsed >= 0
    True
    """

    def __enter__(self):
        self._t0 = time.perf_counter()
        self.elapsed = 0.0
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self._t0
        return False
