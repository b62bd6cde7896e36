"""Teaching demo: sliders that re-run the model live, and an animation of one run.

:class:`Demo` keeps the settings a teacher changes (hip-flexor tightness, pace, gluteus
medius and deep core strength, run duration, and the interventions) apart from the
drawing: :meth:`Demo.update` re-simulates and moves the data of the existing artists, so
one update costs one simulation plus a few ``set_data`` calls. :func:`animate_run`
(:mod:`sim.teaching.animation`) draws a run as an animation (a stick figure of pelvis and
trunk beside bars of muscle capacity and back load, with a run clock), and
:func:`run_demo` is what ``runfatigue demo`` calls: a window with sliders when there is
a display, otherwise (or with ``save``) the animation written as a GIF.

Matplotlib only. An educational model, not medical advice.

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import sim
>>> from sim.demo import Demo
>>> demo = Demo(sim.load_config(None, {"run.duration_min": 10}))
>>> res = demo.update(tightness_deg=15.0)
>>> demo.settings.tightness_deg
15.0
>>> demo.last_update_s > 0
True
>>> demo.close()
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import time
from pathlib import Path

from ..config import ConfigError, load_config
from ..core.simulation import simulate
from .animation import LEAN_EXAGGERATION, TILT_EXAGGERATION, animate_run  # noqa: F401
# The demo's settings, figure and controls live in their own modules; their names are
# re-exported here, where they were before the split.
from .demo_settings import STRETCH_DEG, REST_BREAK_MIN, Settings, DEMO_RUNNER  # noqa: F401
from .demo_figure import _DemoFigure, _interventions_text, index_view  # noqa: F401
from .demo_widgets import _SLIDERS, _TOGGLES, _DemoWidgets  # noqa: F401

__all__ = ["Settings", "Demo", "animate_run", "run_demo", "display_available",
           "DEFAULT_GIF", "LEAN_EXAGGERATION", "TILT_EXAGGERATION", "DEMO_RUNNER",
           "index_view"]

#: Where ``runfatigue demo`` writes its animation when no file is named.
DEFAULT_GIF = Path("results") / "demo" / "demo.gif"


class Demo(_DemoFigure, _DemoWidgets):
    """The interactive demo: settings, the latest run, and a figure drawn from it.

    Parameters
    ----------
    base_cfg : Config, optional
        Starting point (default: :data:`DEMO_RUNNER`, whose back load tips over during
        the run). The
        controls override tightness, pace, strengths, duration and interventions; every
        other key (runner, spike thresholds, model) stays as given.
    widgets : bool
        Add the sliders and check buttons to the figure (default). They work headless
        too, e.g. ``demo.checks.set_active(0)``.

    Attributes
    ----------
    settings : Settings
        The current control values.
    result : RunResult
        The run drawn now.
    baseline : RunResult
        The run of the starting settings (drawn in grey for comparison).
    figure : matplotlib.figure.Figure
        Three panels (L5/S1 shear with threshold and spike onset; capacity of hip
        abductors, quadriceps, deep and superficial lumbar muscles; trunk lean and extra
        pelvic tilt with the pace), a status line and the disclaimer.
    last_update_s : float
        Wall time of the last :meth:`update` (simulation plus moving the plotted data;
        the screen redraw is scheduled, not included) [s].
    sliders : dict
        Setting name -> :class:`matplotlib.widgets.Slider` (when ``widgets``).
    checks : matplotlib.widgets.CheckButtons or None
        The intervention toggles (when ``widgets``).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> demo = Demo(sim.load_config(None, {"run.duration_min": 10}))
    >>> before = demo.result.shear_bw.max()
    >>> after = demo.update(tightness_deg=20.0).shear_bw.max()
    >>> bool(after > before)
    True
    >>> demo.checks.set_active(0)          # tick "stretch hip flexors before the run"
    >>> demo.settings.stretch_before_deg
    10.0
    >>> demo.close()
    """

    def __init__(self, base_cfg=None, widgets: bool = True):
        self.base_cfg = base_cfg if base_cfg is not None else load_config(None, DEMO_RUNNER)
        self.settings = Settings.from_config(self.base_cfg)
        self._stretch_on = self.settings.stretch_before_deg or STRETCH_DEG
        self._syncing = False
        self.last_update_s = float("nan")
        self.sliders = {}
        self.checks = None
        self.result = simulate(self.config())
        self.baseline = self.result
        self._build_figure(widgets)
        self.update()

    # ----------------------------------------------------------------- state
    def overrides(self, settings: Settings | None = None) -> dict:
        """The dotted config overrides of ``settings`` (default: the current ones)."""
        s = self.settings if settings is None else settings
        out = {
            "scenario.hip_flexor_tightness_deg": s.tightness_deg,
            "scenario.glute_med_strength": s.glute_med_strength,
            "scenario.core_strength": s.core_strength,
            "run.duration_min": s.duration_min,
            "intervention.stretch_before_deg": s.stretch_before_deg,
            "intervention.pace_policy": s.pace_policy,
        }
        if s.speed_mps is not None:
            out["run.speed_mps"] = s.speed_mps
        base_breaks = [dict(b) for b in self.base_cfg.intervention.rest_breaks]
        if not s.rest_break:
            out["intervention.rest_breaks"] = []
        elif base_breaks:
            out["intervention.rest_breaks"] = base_breaks
        else:
            out["intervention.rest_breaks"] = [
                {"at_min": s.duration_min / 2.0, "duration_min": REST_BREAK_MIN}]
        return out

    def config(self, settings: Settings | None = None):
        """The validated :class:`~sim.config.Config` of ``settings`` (default: current).

        Raises
        ------
        ConfigError
            If a setting is out of its allowed range.
        """
        return self.base_cfg.with_overrides(self.overrides(settings))

    def update(self, **changes):
        """Change settings, re-simulate and redraw the existing artists in place.

        Parameters
        ----------
        **changes
            Fields of :class:`Settings`, e.g. ``tightness_deg=15``, ``speed_mps=3.5``,
            ``pace_policy="slow_down"``, ``rest_break=True``. None: redraw as is.

        Returns
        -------
        RunResult
            The new run (also in :attr:`result`).

        Raises
        ------
        ConfigError
            For an unknown setting or a value out of range; the settings stay unchanged.

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import sim
        >>> demo = Demo(sim.load_config(None, {"run.duration_min": 10}), widgets=False)
        >>> try:
        ...     demo.update(speed_mps=7.0)
        ... except sim.ConfigError as e:
        ...     print(e)
        <overrides>: run.speed_mps = 7.0: out of range; allowed: a number in [2, 5] [m/s]
        >>> demo.settings.speed_mps
        3.0
        >>> demo.close()
        """
        t0 = time.perf_counter()
        names = {f.name for f in dataclasses.fields(Settings)}
        for key in changes:
            if key not in names:
                match = difflib.get_close_matches(key, names, n=1)
                hint = f"; did you mean {match[0]!r}?" if match else ""
                raise ConfigError(f"demo setting {key!r}: unknown{hint} allowed: "
                                  + ", ".join(sorted(names)))
        new = dataclasses.replace(self.settings, **{
            k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
            for k, v in changes.items()})
        cfg = self.config(new)          # validates; raises before any state changes
        self.result = simulate(cfg)
        self.settings = new
        self._draw(self.result)
        self.last_update_s = time.perf_counter() - t0
        if self._interactive():
            self.figure.canvas.draw_idle()
        return self.result

    def close(self):
        """Close the figure (frees it in pyplot)."""
        import matplotlib.pyplot as plt

        plt.close(self.figure)


# ------------------------------------------------------------------ entry point
_NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def display_available() -> bool:
    """True if a window can be opened (an interactive backend and, on Linux, a display).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> display_available()
    False
    """
    import matplotlib

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        backend = matplotlib.get_backend().lower()
    except Exception:  # pragma: no cover - a broken backend setting
        return False
    if backend in _NON_INTERACTIVE or "inline" in backend:
        return False
    try:
        from matplotlib.backends import BackendFilter, backend_registry

        builtin_interactive = backend_registry.list_builtin(BackendFilter.INTERACTIVE)
        if backend.startswith("module://"):
            return True
        return backend in [b.lower() for b in builtin_interactive]
    except ImportError:  # pragma: no cover - matplotlib < 3.9
        return True


def run_demo(save=None, config=None, overrides=None, frames: int = 60, fps: int = 10,
             progress=None, command: str = "") -> int:
    """Open the slider window, or write the animation (``save``, or no display).

    Parameters
    ----------
    save : str or pathlib.Path, optional
        Write the animation of the configured run to this GIF instead of opening a
        window. Without a display the GIF goes to ``save`` or :data:`DEFAULT_GIF`.
    config : Config, optional
        Base configuration (default: the model defaults).
    overrides : dict, optional
        Dotted-key overrides applied to ``config``.
    frames, fps : int
        Animation length and speed.
    progress : callable, optional
        Called with a short message before each slow step (compiling, simulating,
        drawing).
    command : str
        The command line, recorded in the animation's manifest
        (``<animation>.manifest.json`` beside the GIF).

    Returns
    -------
    int
        Exit code (0).

    Raises
    ------
    ConfigError
        For a bad override.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "demo.gif"
    >>> run_demo(save=out, overrides={"run.duration_min": 10}, frames=3)  # doctest: +ELLIPSIS
    animation: ...demo.gif (3 frames, ...)
    0
    """
    from ..physics.pace import pace_text
    from ..results import Timer, manifest, write_json
    from ..core.warmup import compile_seconds, ensure_compiled

    say = progress or (lambda msg: None)
    cfg = config if config is not None else load_config(None, DEMO_RUNNER)
    if overrides:
        cfg = cfg.with_overrides(overrides)
    if save is None and display_available():
        try:
            return _open_window(cfg, say)
        except Exception as e:  # no usable window after all: write the animation
            print(f"demo: cannot open a window ({type(e).__name__}: {e}); writing the "
                  "animation instead", file=sys.stderr)
    path = Path(save) if save is not None else DEFAULT_GIF
    if save is None:
        print("demo: no display; writing the animation instead of opening a window",
              file=sys.stderr)
    ensure_compiled(say)
    say(f"simulating {cfg.run.duration_min:g} min at {pace_text(cfg.run)} ...")
    with Timer() as t_run:
        res = simulate(cfg)
    say(f"drawing {frames} frames into {path} ...")
    with Timer() as t_draw:
        animate_run(res, path, frames=frames, fps=fps, progress=say)
    size = path.stat().st_size
    write_json(path.with_name(path.stem + ".manifest.json"),
               manifest(command or "run_demo", timings={
                   "compile_s": round(compile_seconds(), 3), "run_s": round(t_run.elapsed, 3),
                   "draw_s": round(t_draw.elapsed, 3)},
                   extra={"animation": path.name, "config": cfg.to_dict()}))
    print(f"animation: {path} ({frames} frames, {size / 1024:.0f} KiB)")
    return 0


def _open_window(cfg, say=lambda msg: None) -> int:
    import matplotlib.pyplot as plt

    from ..core.warmup import ensure_compiled

    ensure_compiled(say)                   # compile (or load) the kernels first
    say("opening the window ...")
    demo = Demo(cfg)
    demo._shown = True
    demo.update()
    print(f"demo: one update (simulate {cfg.run.duration_min:g} min + redraw data) took "
          f"{demo.last_update_s * 1000:.0f} ms", file=sys.stderr)
    plt.show()
    return 0
