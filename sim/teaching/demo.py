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
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import ConfigError, load_config
from ..core.simulation import simulate
from ..figures.plots import DISCLAIMER, PALETTE
from .animation import (GROUPS, LEAN_EXAGGERATION, TILT_EXAGGERATION, _mid_min, animate_run,
                        status_text)

__all__ = ["Settings", "Demo", "animate_run", "run_demo", "display_available",
           "DEFAULT_GIF", "LEAN_EXAGGERATION", "TILT_EXAGGERATION", "DEMO_RUNNER",
           "index_view"]

#: Where ``runfatigue demo`` writes its animation when no file is named.
DEFAULT_GIF = Path("results") / "demo" / "demo.gif"
#: Tightness removed by the "stretch before the run" toggle when the config sets none [deg].
STRETCH_DEG = 10.0
#: Length of the "rest break at half-time" toggle [min].
REST_BREAK_MIN = 5.0


# Slider ranges (inside the schema's allowed ranges).
_SLIDERS = (
    # setting, label, min, max, step, value format
    ("tightness_deg", "hip-flexor tightness [deg of hip extension lost]", 0.0, 30.0, 1.0,
     "%.0f°"),
    ("speed_mps", "pace [m/s]", 2.0, 5.0, 0.1, "%.1f m/s"),
    ("glute_med_strength", "gluteus medius strength [× normal]", 0.3, 1.5, 0.05, "×%.2f"),
    ("core_strength", "deep core strength [× normal]", 0.3, 1.5, 0.05, "×%.2f"),
    ("duration_min", "run duration [min]", 10.0, 240.0, 5.0, "%.0f min"),
)


@dataclass(frozen=True)
class Settings:
    """What the demo's controls set. Everything else comes from the base config.

    Attributes
    ----------
    tightness_deg : float
        Hip-flexor tightness: passive hip extension lost [deg].
    speed_mps : float
        Constant pace [m/s]. ``None`` keeps the base config's pace segments.
    glute_med_strength, core_strength : float
        Strength multipliers of gluteus medius and the deep lumbar muscles [1].
    duration_min : float
        Run length [min].
    stretch_before_deg : float
        Tightness removed by stretching before the run [deg] (0: no stretching).
    pace_policy : {"none", "slow_down", "in_run_sequence"}
        Reaction to high back load inside the run: none; slow down to a moderate jog; or
        the article's sequence (slow down, stop to stretch, lie down and rest).
    rest_break : bool
        A 5-minute rest break at half-time (or the base config's rest breaks).
    """

    tightness_deg: float = 0.0
    speed_mps: float | None = 3.0
    glute_med_strength: float = 1.0
    core_strength: float = 1.0
    duration_min: float = 120.0
    stretch_before_deg: float = 0.0
    pace_policy: str = "none"
    rest_break: bool = False

    @classmethod
    def from_config(cls, cfg) -> "Settings":
        """The settings a config starts from."""
        return cls(tightness_deg=cfg.scenario.hip_flexor_tightness_deg,
                   speed_mps=cfg.run.speed_mps,
                   glute_med_strength=cfg.scenario.glute_med_strength,
                   core_strength=cfg.scenario.core_strength,
                   duration_min=cfg.run.duration_min,
                   stretch_before_deg=cfg.intervention.stretch_before_deg,
                   pace_policy=cfg.intervention.pace_policy,
                   rest_break=bool(cfg.intervention.rest_breaks))


#: Check-button label -> the setting it toggles.
_TOGGLES = {
    "stretch hip flexors before the run": "stretch_before_deg",
    "slow to a jog when back load is high": "slow_down",
    "in-run sequence: slow down, stretch, lie down": "in_run_sequence",
    f"{REST_BREAK_MIN:g}-min rest break at half-time": "rest_break",
}


class Demo:
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

    # -------------------------------------------------------------- drawing
    def _interactive(self) -> bool:
        import matplotlib

        return getattr(self, "_shown", False) or matplotlib.is_interactive()

    def _build_figure(self, widgets: bool):
        import matplotlib.pyplot as plt

        cfg = self.base_cfg
        base = self.baseline
        fig = plt.figure(figsize=(13.0, 8.5) if widgets else (9.0, 8.5))
        self.figure = fig
        if fig.canvas.manager is not None:
            try:
                fig.canvas.manager.set_window_title("runfatigue demo")
            except Exception:  # pragma: no cover - some backends have no title
                pass
        right = 0.60 if widgets else 0.90
        left = 0.08 if widgets else 0.11
        ax_s = fig.add_axes([left, 0.655, right - left, 0.235])
        ax_c = fig.add_axes([left, 0.375, right - left, 0.22], sharex=ax_s)
        ax_k = fig.add_axes([left, 0.115, right - left, 0.2], sharex=ax_s)
        self.axes = {"shear": ax_s, "capacity": ax_c, "compensation": ax_k}
        self._title = fig.text(left, 0.965, "", fontsize=12, weight="bold", va="bottom")
        self._subtitle = fig.text(left, 0.94, "", fontsize=9, color="0.3", va="bottom")

        # back-load panel: the configured index
        attr, thr, unit, ylabel, title, line_label = index_view(cfg)
        self._thr_band = ax_s.axhspan(thr, 10.0, color=PALETTE["vermillion"], alpha=0.07, lw=0)
        ax_s.axhline(thr, color=PALETTE["vermillion"], ls=":", lw=1.2,
                     label=f"spike threshold {thr:g} {unit} (must hold "
                           f"{cfg.spike.hold_s / 60:g} min)")
        (self._ghost,) = ax_s.plot(_mid_min(base), getattr(base, attr), color="0.65", lw=1.5,
                                   ls="-", label="starting settings")
        (self._shear,) = ax_s.plot([], [], color=PALETTE["black"], lw=2.2, label=line_label)
        ax_s.set_ylabel(ylabel)
        ax_s.set_title(title, loc="left", fontsize=10)
        ax_s.legend(fontsize=8, loc="lower left", ncol=1, framealpha=0.9)

        # capacity panel
        self._cap = {}
        for g, (label, colour) in GROUPS.items():
            (self._cap[g],) = ax_c.plot([], [], color=colour, lw=2, label=label)
        ax_c.set_ylim(0, 105)
        ax_c.set_ylabel("capacity [% of fresh]")
        ax_c.set_title("Muscle capacity (fatigue and energy stores)", loc="left", fontsize=10)
        ax_c.legend(fontsize=8, loc="lower left", ncol=2, framealpha=0.9)

        # compensation panel (+ pace on a twin axis)
        (self._lean,) = ax_k.plot([], [], color=PALETTE["green"], lw=2,
                                  label="trunk lateral lean (hip abductors tiring)")
        (self._tilt,) = ax_k.plot([], [], color=PALETTE["purple"], lw=2,
                                  label="extra anterior pelvic tilt (tight hip flexors)")
        (self._flex,) = ax_k.plot([], [], color=PALETTE["orange"], lw=2, ls="--",
                                  label="forward trunk lean (tired legs)")
        ax_v = ax_k.twinx()
        (self._speed,) = ax_v.step([], [], where="post", color="0.55", lw=1.2, label="pace")
        ax_v.set_ylim(0, 5.6)
        ax_v.set_ylabel("pace [m/s]", color="0.45")
        ax_v.tick_params(axis="y", colors="0.45")
        self.axes["pace"] = ax_v
        ax_k.set_ylabel("angle [deg]")
        ax_k.set_xlabel("run time [min]")
        ax_k.set_title("Compensations (pace in grey)", loc="left", fontsize=10)
        handles = [self._lean, self._tilt, self._flex, self._speed]
        ax_k.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper left",
                    ncol=2, framealpha=0.9)
        for ax in (ax_s, ax_c):
            ax.tick_params(labelbottom=False)

        # spike-onset markers
        self._onset = [ax.axvline(0.0, color=PALETTE["vermillion"], ls="--", lw=1.3,
                                  visible=False) for ax in (ax_s, ax_c, ax_k)]
        self._onset_label = ax_s.text(0.0, 0.97, "", transform=ax_s.get_xaxis_transform(),
                                      color=PALETTE["vermillion"], fontsize=8,
                                      ha="left", va="top")

        self._status = fig.text(left, 0.035, "", fontsize=10, va="bottom")
        fig.text(left, 0.008, DISCLAIMER + " The model's assumptions are listed in the "
                 "README and sim/data/*.toml.", fontsize=8, color="0.4", va="bottom")
        if widgets:
            self._build_widgets()

    def _build_widgets(self):
        from matplotlib.widgets import CheckButtons, Slider

        fig = self.figure
        x0, w = 0.70, 0.25
        fig.text(x0 - 0.02, 0.94, "Runner and run", fontsize=11, weight="bold", va="bottom")
        fig.text(x0 - 0.02, 0.925, "red tick = starting value (grey curve)", fontsize=8,
                 color="0.35", va="bottom")
        y = 0.875
        s = self.settings
        for name, label, lo, hi, step, fmt in _SLIDERS:
            value = getattr(s, name)
            if name == "speed_mps" and value is None:
                value = float(self.result.speed_mps[0])
            fig.text(x0 - 0.02, y + 0.035, label, fontsize=9, va="bottom")
            ax = fig.add_axes([x0, y, w, 0.028])
            slider = Slider(ax, "", lo, hi, valinit=min(max(value, lo), hi), valstep=step,
                            valfmt=fmt, color=PALETTE["sky"])
            slider.valtext.set_fontsize(9)
            slider.on_changed(lambda v, name=name: self._on_slider(name, v))
            self.sliders[name] = slider
            y -= 0.085
        fig.text(x0 - 0.02, 0.435, "Interventions (article point 6)", fontsize=11,
                 weight="bold", va="bottom")
        ax = fig.add_axes([x0 - 0.02, 0.2, 0.3, 0.22])
        ax.set_frame_on(False)
        labels = list(_TOGGLES)
        labels[0] = f"stretch hip flexors before the run (−{self._stretch_on:g}°)"
        self._check_keys = dict(zip(labels, _TOGGLES.values()))
        self.checks = CheckButtons(ax, labels, self._toggle_states(),
                                   label_props={"fontsize": [9] * len(labels)})
        self.checks.on_clicked(self._on_check)
        fig.text(x0 - 0.02, 0.15, "The in-run sequence begins by slowing down, so it\n"
                 "replaces the plain slow-down (one at a time).", fontsize=8, color="0.35",
                 va="bottom")

    def _toggle_states(self) -> list:
        s = self.settings
        return [s.stretch_before_deg > 0, s.pace_policy == "slow_down",
                s.pace_policy == "in_run_sequence", s.rest_break]

    def _on_slider(self, name, value):
        if not self._syncing:
            self.update(**{name: float(value)})

    def _on_check(self, label):
        if self._syncing:
            return
        key = self._check_keys[label]
        status = dict(zip(self._check_keys.values(), self.checks.get_status()))
        on = status[key]
        if key == "stretch_before_deg":
            change = {"stretch_before_deg": self._stretch_on if on else 0.0}
        elif key == "rest_break":
            change = {"rest_break": on}
        else:
            change = {"pace_policy": key if on else "none"}
        try:
            self.update(**change)
        finally:
            self._sync_widgets()

    def _sync_widgets(self):
        """Make sliders and tick boxes show the settings (pace policies are exclusive)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            for name, slider in self.sliders.items():
                value = getattr(self.settings, name)
                if value is not None and value != slider.val:
                    drawon, slider.drawon = slider.drawon, False
                    slider.set_val(value)
                    slider.drawon = drawon
            if self.checks is not None:
                drawon, self.checks.drawon = self.checks.drawon, False
                for i, (want, have) in enumerate(zip(self._toggle_states(),
                                                     self.checks.get_status())):
                    if want != have:
                        self.checks.set_active(i)
                self.checks.drawon = drawon
        finally:
            self._syncing = False

    def _draw(self, res):
        cfg = res.config
        s = self.settings
        t_mid, t0 = _mid_min(res), res.time_s / 60.0
        attr = index_view(cfg)[0]
        self._shear.set_data(t_mid, getattr(res, attr))
        for g, line in self._cap.items():
            line.set_data(t0, 100.0 * res.group_capacity(g))
        self._lean.set_data(t_mid, res.trunk_lean_deg)
        self._tilt.set_data(t_mid, res.pelvic_tilt_deg)
        self._flex.set_data(t_mid, res.trunk_flexion_deg)
        t_end = float(res.time_s[-1] + res.duration_s[-1]) / 60.0
        self._speed.set_data(np.append(t0, t_end), np.append(res.speed_mps, res.speed_mps[-1]))
        ax_s, ax_k = self.axes["shear"], self.axes["compensation"]
        ax_s.set_xlim(0.0, t_end)
        thr = index_view(cfg)[1]
        top = np.nanmax(np.r_[getattr(res, attr), getattr(self.baseline, attr), thr])
        if attr == "shear_bw":
            ax_s.set_ylim(0.0, max(1.4, math.ceil(top * 10.0 + 1.0) / 10.0))
        else:   # a load of a few per cent either side of the threshold: zoom to it
            low = np.nanmin(np.r_[getattr(res, attr), getattr(self.baseline, attr), thr])
            ax_s.set_ylim(max(0.0, 0.9 * low), min(1.05, 1.1 * top))
        ang = np.nanmax(np.r_[res.trunk_lean_deg, res.pelvic_tilt_deg, res.trunk_flexion_deg,
                              0.0])
        ax_k.set_ylim(0.0, max(5.0, 5.0 * math.ceil(ang * 1.1 / 5.0)))

        onset = res.spike_onset_s
        for line in self._onset:
            line.set_visible(bool(np.isfinite(onset)))
            if np.isfinite(onset):
                line.set_xdata([onset / 60.0, onset / 60.0])
        if np.isfinite(onset):
            self._onset_label.set_x(onset / 60.0)
            self._onset_label.set_text(f" spike onset {onset / 60:.0f} min")
        self._onset_label.set_visible(bool(np.isfinite(onset)))

        pace = (f"{s.speed_mps:.1f} m/s" if s.speed_mps is not None
                else "pace segments of " + Path(self.base_cfg.source).name)
        self._title.set_text("Why does the lower back hurt late in a run?")
        self._subtitle.set_text(
            f"{s.duration_min:g} min at {pace}; hip-flexor tightness {s.tightness_deg:g}°, "
            f"gluteus medius ×{s.glute_med_strength:.2f}, deep core ×{s.core_strength:.2f}; "
            f"interventions: {_interventions_text(s)}")
        self._status.set_text(status_text(res))
        self._status.set_color(PALETTE["vermillion"] if np.isfinite(onset) else "black")
        self._sync_widgets()


def _interventions_text(s: Settings) -> str:
    parts = []
    if s.stretch_before_deg > 0:
        parts.append(f"stretched {s.stretch_before_deg:g}° before")
    if s.pace_policy == "slow_down":
        parts.append("slow down when loaded")
    elif s.pace_policy == "in_run_sequence":
        parts.append("in-run sequence")
    if s.rest_break:
        parts.append("rest break")
    return ", ".join(parts) if parts else "none"


#: The demo's starting runner: 8 deg tight hip flexors, core strength 0.8, 150 min at
#: 3.0 m/s (marathon pace 3.2 m/s). With the default back-load index its superficial back
#: load tips over its threshold late in the run, as the legs tire and the trunk leans.
DEMO_RUNNER = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
               "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}


def index_view(cfg):
    """How the demo shows the configured back-load index.

    Returns
    -------
    tuple
        (RunResult attribute, threshold, threshold unit, axis label, panel title, line label).

    Examples
    --------
    >>> import sim
    >>> index_view(sim.load_config(None, {"spike.index": "shear_bw"}))[:2]
    ('shear_bw', 0.95)
    """
    if cfg.spike.index == "shear_bw":
        return ("shear_bw", cfg.spike.shear_threshold_bw, "BW", "shear [body weights]",
                "Back load: L5/S1 anterior shear", "peak L5/S1 anterior shear per stride")
    return ("superficial_load_index", cfg.spike.superficial_threshold, "x fresh capacity",
            "peak force / fresh capacity", "Back load: superficial lumbar muscles",
            "peak superficial erector spinae load per stride")


# ------------------------------------------------------------------ animation


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
