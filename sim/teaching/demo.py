"""Teaching demo: sliders that re-run the model live, and an animation of one run.

:class:`Demo` keeps the settings a teacher changes (hip-flexor tightness, pace, gluteus
medius and deep core strength, run duration, and the interventions) apart from the
drawing: :meth:`Demo.update` re-simulates and moves the data of the existing artists, so
one update costs one simulation plus a few ``set_data`` calls. :func:`animate_run`
draws a run as an animation (a stick figure of pelvis and trunk beside bars of muscle
capacity and back load, with a run clock), and :func:`run_demo` is what
``runfatigue demo`` calls: a window with sliders when there is a display, otherwise (or
with ``save``) the animation written as a GIF.

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
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import ConfigError, load_config
from ..figures.plots import DISCLAIMER, PALETTE
from ..results import atomic_write_bytes
from ..core.simulation import simulate

__all__ = ["Settings", "Demo", "animate_run", "run_demo", "display_available",
           "DEFAULT_GIF", "LEAN_EXAGGERATION", "TILT_EXAGGERATION", "DEMO_RUNNER",
           "index_view"]

#: Where ``runfatigue demo`` writes its animation when no file is named.
DEFAULT_GIF = Path("results") / "demo" / "demo.gif"
#: The stick figure draws the trunk lean this many times larger than simulated.
LEAN_EXAGGERATION = 4.0
#: The stick figure draws the extra anterior pelvic tilt this many times larger.
TILT_EXAGGERATION = 2.0
#: Tightness removed by the "stretch before the run" toggle when the config sets none [deg].
STRETCH_DEG = 10.0
#: Length of the "rest break at half-time" toggle [min].
REST_BREAK_MIN = 5.0

#: The muscle groups of the capacity panel and bars: group -> (label, colour).
GROUPS = {
    "hip_abductors": ("hip abductors (gluteus medius, minimus, TFL)", PALETTE["orange"]),
    "knee_extensors": ("quadriceps", PALETTE["sky"]),
    "lumbar_deep": ("deep lumbar muscles", PALETTE["blue"]),
    "lumbar_superficial": ("superficial lumbar muscles", PALETTE["vermillion"]),
}
_SHORT = {"hip_abductors": "hip abductors", "knee_extensors": "quadriceps",
          "lumbar_deep": "deep lumbar", "lumbar_superficial": "superficial lumbar"}

#: What the runner is doing in each pace-policy stage (:data:`sim.core.engine.STAGES`).
_STAGE_TEXT = ("running at the planned pace", "slowed to a moderate jog",
               "stopped to stretch", "jogging after stretching",
               "lying on the back, hugging the knees", "jogging after the rest")

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


def _mid_min(res):
    """Checkpoint mid-times [min] (loads describe the block; states are at its start)."""
    return (res.time_s + 0.5 * res.duration_s) / 60.0


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


def status_text(res) -> str:
    """One line on the back-load spike of a run, for people.

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> status_text(res).startswith("No back-load spike")
    True
    """
    cfg = res.config
    if cfg.spike.index == "shear_bw":
        what = f"L5/S1 shear above {cfg.spike.shear_threshold_bw:g} BW"
    else:
        what = f"superficial lumbar load above {cfg.spike.superficial_threshold:g} of capacity"
    hold = f"{cfg.spike.hold_s / 60:g} min"
    onset = res.spike_onset_s
    if not np.isfinite(onset):
        head = f"No back-load spike: {what} never held for {hold}."
    elif onset < 1.0:
        head = f"Back load high from the start: {what} from the first minutes."
    else:
        head = f"Back-load spike at {onset / 60:.0f} min: {what} held for {hold} or more."
    s = res.summary()
    tail = f"  Peak shear {s['peak_shear_bw']:.2f} BW; {s['distance_km']:.1f} km."
    if s["infeasible_strides"] > 0:
        tail += (f"  The muscles could not hold this pace in {s['infeasible_strides']:.0f} "
                 "strides.")
    return head + tail


# ------------------------------------------------------------------ animation
def _rot(x, y, deg, ox=0.0, oy=0.0):
    """Rotate points (x, y) by ``deg`` counter-clockwise about (ox, oy)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    x, y = np.asarray(x, float) - ox, np.asarray(y, float) - oy
    return ox + c * x - s * y, oy + s * x + c * y


def _side_view(tilt_draw_deg):
    """Side view (runner faces right): pelvis, lumbar curve, trunk, rear thigh.

    Returns a dict of (x, y) arrays. The pelvis turns forward about the hip by the drawn
    extra anterior tilt; the lumbar spine extends by as much so the trunk stays upright
    (the model's compensation); the rear thigh keeps the extension the stride needs.
    """
    # the pelvis as the coaches' "bucket" (open at the top), relative to the hip joint
    # (0, 0); the spine leaves its back rim at L5/S1. Anterior tilt tips it forward.
    px = np.array([-0.2, -0.13, 0.12, 0.2])
    py = np.array([0.26, -0.1, -0.1, 0.26])
    px, py = _rot(px, py, -tilt_draw_deg)             # clockwise = anterior tilt
    sx, sy = (float(v) for v in _rot(-0.2, 0.26, -tilt_draw_deg))
    t12 = (-0.13, 0.66)
    # the lumbar curve bulges forward (lordosis) with the extra extension
    bulge = 0.05 + 0.004 * tilt_draw_deg
    cx, cy = 0.5 * (sx + t12[0]) + bulge, 0.5 * (sy + t12[1])
    u = np.linspace(0.0, 1.0, 24)
    lx = (1 - u) ** 2 * sx + 2 * (1 - u) * u * cx + u ** 2 * t12[0]
    ly = (1 - u) ** 2 * sy + 2 * (1 - u) * u * cy + u ** 2 * t12[1]
    trunk = (np.array([t12[0], t12[0]]), np.array([t12[1], 1.0]))
    thigh = _rot([0.0, 0.0], [0.0, -0.62], -20.0)      # rear leg, hip extended
    # the sacral plateau steepens with anterior tilt; shear pushes L5 forward-down along it
    return {"pelvis": (px, py), "l5s1": (sx, sy), "lumbar": (lx, ly), "trunk": trunk,
            "thigh": thigh, "head": (t12[0], 1.1), "disc_deg": -(35.0 + tilt_draw_deg)}


def _back_view(lean_draw_deg):
    """Back view: pelvis level, trunk leaning over the right (stance) hip."""
    pelvis = (np.array([-0.2, 0.2]), np.array([0.0, 0.0]))
    legs = ((np.array([-0.11, -0.15]), np.array([0.0, -0.62])),
            (np.array([0.11, 0.11]), np.array([0.0, -0.62])))
    # seen from behind, the runner's right is the viewer's right; lean toward it
    sx, sy = _rot([0.0, 0.0], [0.0, 1.0], -lean_draw_deg)
    shx, shy = _rot([-0.22, 0.22], [0.86, 0.86], -lean_draw_deg)
    hx, hy = _rot(0.0, 1.1, -lean_draw_deg)
    return {"pelvis": pelvis, "legs": legs, "spine": (sx, sy), "shoulders": (shx, shy),
            "head": (float(hx), float(hy))}


def _clock(seconds: float) -> str:
    m = int(round(seconds)) // 60
    return f"{m // 60}:{m % 60:02d}"


def _policy_text(cfg) -> str:
    iv = cfg.intervention
    parts = []
    if iv.stretch_before_deg > 0:
        parts.append(f"stretched {iv.stretch_before_deg:g}° before")
    parts += {"none": [], "slow_down": ["slows down when back load is high"],
              "in_run_sequence": ["in-run sequence (slow down, stretch, lie down)"]}[
        iv.pace_policy]
    if iv.rest_breaks:
        parts.append(f"{len(iv.rest_breaks)} rest break(s)")
    return ", ".join(parts) if parts else "none"


def animate_run(res, path, frames: int = 60, fps: int = 10, dpi: int = 80, progress=None):
    """Write a GIF of one run: stick figure, capacity and back-load bars, run clock.

    Left, a stick figure of pelvis and trunk seen from behind (trunk lateral lean over the
    stance hip, drawn :data:`LEAN_EXAGGERATION` times larger) and from the side (extra
    anterior pelvic tilt with the lumbar spine bending back, drawn
    :data:`TILT_EXAGGERATION` times larger; the L5/S1 anterior shear as an arrow), over
    a grey upright reference. Right, bars of muscle-group capacity [% of fresh] and of
    the back load (peak L5/S1 anterior shear [BW] and superficial lumbar load [force /
    fresh capacity], each against its threshold), and the shear over the whole run with
    a moving marker. Frames are evenly spaced in run time. The GIF is rendered into a
    temporary file and then written to ``path`` atomically.

    Parameters
    ----------
    res : RunResult
        From :func:`sim.simulate`.
    path : str or pathlib.Path
        The GIF to write (parent directories are created).
    frames : int
        Number of frames (at least 2).
    fps : int
        Frames per second.
    dpi : int
        Resolution; the frame is 10 × 6 inches (800 × 480 pixels at 80 dpi).
    progress : callable, optional
        Called with a short message after every tenth frame.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim, tempfile, pathlib
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> out = animate_run(res, pathlib.Path(tempfile.mkdtemp()) / "run.gif", frames=3)
    >>> out.stat().st_size > 0
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    frames = int(frames)
    if frames < 2:
        raise ValueError(f"frames = {frames}: an animation needs at least 2 frames")
    if not fps > 0:
        raise ValueError(f"fps = {fps}: must be positive")
    cfg = res.config
    t_end = float(res.time_s[-1] + res.duration_s[-1])
    times = np.linspace(0.0, t_end, frames)
    ck = np.clip(np.searchsorted(res.time_s, times, side="right") - 1, 0, res.time_s.size - 1)
    caps = {g: 100.0 * np.interp(times, res.time_s, res.group_capacity(g)) for g in GROUPS}
    thr_s = cfg.spike.shear_threshold_bw
    thr_u = cfg.spike.superficial_threshold
    shear_max = max(1.4, float(np.nanmax(np.r_[res.shear_bw, thr_s])) * 1.1)
    sup_max = max(1.2, float(np.nanmax(np.r_[res.superficial_load_index, thr_u])) * 1.1)
    onset = res.spike_onset_s
    grey = "0.82"

    fig = plt.figure(figsize=(10.0, 6.0), dpi=dpi)
    fig.text(0.02, 0.95, "A run, minute by minute", fontsize=13, weight="bold")
    sc = cfg.scenario
    speeds = res.speed_mps[res.speed_mps > 0]
    pace = (f"{cfg.run.speed_mps:g} m/s" if cfg.run.speed_mps is not None
            else f"{speeds.min():g}–{speeds.max():g} m/s" if speeds.size else "")
    fig.text(0.02, 0.885, f"{cfg.run.duration_min:g} min at {pace}; hip-flexor tightness "
             f"{sc.hip_flexor_tightness_deg:g}°, gluteus medius ×{sc.glute_med_strength:g}, "
             f"deep core ×{sc.core_strength:g}\ninterventions: {_policy_text(cfg)}",
             fontsize=8.5, color="0.3")
    clock = fig.text(0.98, 0.94, "", fontsize=17, ha="right", family="monospace",
                     weight="bold")
    doing = fig.text(0.98, 0.905, "", fontsize=9, ha="right", color="0.25")

    # ---- stick figures
    ax_b = fig.add_axes([0.0, 0.235, 0.22, 0.59])
    ax_f = fig.add_axes([0.21, 0.235, 0.25, 0.59])
    for ax in (ax_b, ax_f):
        ax.set_ylim(-0.72, 1.25)
        ax.set_aspect("equal", adjustable="box")
        ax.axis("off")
    ax_b.set_xlim(-0.55, 0.55)
    ax_f.set_xlim(-0.6, 0.65)
    ax_b.set_title("from behind", fontsize=9)
    ax_f.set_title("from the side (facing right)", fontsize=9)
    lw = 3.0
    # grey upright reference (no lean, no extra tilt)
    ref_b, ref_f = _back_view(0.0), _side_view(0.0)
    ax_b.plot(*ref_b["spine"], color=grey, lw=lw, zorder=0)
    ax_b.plot(*ref_b["shoulders"], color=grey, lw=lw, zorder=0)
    ax_f.plot(*ref_f["pelvis"], color=grey, lw=2, zorder=0)
    ax_f.plot(*ref_f["lumbar"], color=grey, lw=lw, zorder=0)
    for leg in ref_b["legs"]:
        ax_b.plot(*leg, color="0.35", lw=lw)
    b_pelvis, = ax_b.plot(*ref_b["pelvis"], color=PALETTE["purple"], lw=lw + 2,
                          solid_capstyle="round")
    b_spine, = ax_b.plot([], [], color=PALETTE["green"], lw=lw)
    b_sh, = ax_b.plot([], [], color=PALETTE["green"], lw=lw, solid_capstyle="round")
    b_head = plt.Circle((0, 1.1), 0.08, fc="white", ec="0.2", lw=2)
    ax_b.add_patch(b_head)
    ax_b.text(0.13, -0.66, "stance leg", fontsize=7, ha="left", va="center", color="0.4")
    b_text = ax_b.text(0.0, -0.74, "", fontsize=8.5, ha="center", va="top")
    f_thigh, = ax_f.plot(*ref_f["thigh"], color="0.35", lw=lw)
    f_pelvis, = ax_f.plot([], [], color=PALETTE["purple"], lw=2.5)
    f_lumbar, = ax_f.plot([], [], color=PALETTE["vermillion"], lw=lw)
    f_trunk, = ax_f.plot([], [], color=PALETTE["green"], lw=lw)
    f_head = plt.Circle(ref_f["head"], 0.08, fc="white", ec="0.2", lw=2)
    ax_f.add_patch(f_head)
    ax_f.plot([0.0], [0.0], "o", color="0.35", ms=4)
    f_joint, = ax_f.plot([], [], "o", color="black", ms=5, zorder=5)
    f_jlabel = ax_f.text(0.0, 0.0, "L5/S1", fontsize=7, ha="right", va="top")
    f_arrow = ax_f.annotate("", xy=(0, 0), xytext=(0, 0), zorder=6,
                            arrowprops=dict(arrowstyle="-|>", lw=2.5, color="black",
                                            mutation_scale=14))
    f_text = ax_f.text(0.0, -0.74, "", fontsize=8.5, ha="center", va="top")
    pause = fig.text(0.23, 0.52, "", fontsize=11, ha="center", va="center", weight="bold",
                     color="0.2", bbox=dict(fc="white", ec="0.6", boxstyle="round"))
    figure_artists = [b_spine, b_sh, b_head, b_pelvis, f_pelvis, f_lumbar, f_trunk, f_head,
                      f_joint, f_thigh] + [ln for ln in ax_b.lines if ln.get_color() == "0.35"]
    fig.text(0.23, 0.075, f"Angles drawn exaggerated (lean ×{LEAN_EXAGGERATION:g}, "
             f"tilt ×{TILT_EXAGGERATION:g}); grey: upright reference.\nArrow: L5/S1 "
             "anterior shear (red above the spike threshold).", fontsize=8, ha="center",
             color="0.3")

    # ---- capacity bars
    ax_c = fig.add_axes([0.63, 0.625, 0.33, 0.22])
    names = list(GROUPS)
    ypos = np.arange(len(names))[::-1]
    ax_c.barh(ypos, [100] * len(names), color="none", edgecolor="0.75", height=0.6)
    cap_bars = ax_c.barh(ypos, [100] * len(names), color=[GROUPS[g][1] for g in names],
                         height=0.6)
    cap_txt = [ax_c.text(2, y, "", va="center", fontsize=8, color="white", weight="bold")
               for y in ypos]
    ax_c.set_yticks(ypos, [_SHORT[g] for g in names], fontsize=9)
    ax_c.set_xlim(0, 100)
    ax_c.set_xlabel("capacity [% of fresh]", fontsize=8)
    ax_c.set_title("Muscle capacity left", fontsize=10, loc="left")
    ax_c.tick_params(labelsize=8)

    # ---- back-load bars, each on its own scale with its threshold
    ax_l = fig.add_axes([0.63, 0.45, 0.33, 0.055])
    ax_u = fig.add_axes([0.63, 0.3, 0.33, 0.055])
    load_bars, load_txt = [], []
    for ax, top, thr, label, unit in (
            (ax_l, shear_max, thr_s, "L5/S1 shear", "peak anterior shear [body weights]"),
            (ax_u, sup_max, thr_u, "superficial\nlumbar load",
             "superficial lumbar muscles: peak force / fresh capacity")):
        ax.barh([0], [top], color="none", edgecolor="0.75", height=0.8)
        load_bars.append(ax.barh([0], [0.0], color="0.3", height=0.8)[0])
        ax.axvline(thr, color="black", ls="--", lw=1.5, zorder=4)
        ax.text(thr, 1.02, f"threshold {thr:g}", color="black", fontsize=7,
                va="bottom", ha="center", transform=ax.get_xaxis_transform())
        ax.set_xlim(0, top)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([0], [label], fontsize=9)
        ax.set_xlabel(unit, fontsize=8, labelpad=1)
        ax.tick_params(labelsize=8)
        load_txt.append(ax.text(0.01, 0.5, "", fontsize=8, va="center", weight="bold",
                                transform=ax.transAxes))
    ax_l.set_title("Back load (per stride)", fontsize=10, loc="left", pad=12)

    # ---- whole-run strip of shear with a moving marker
    ax_t = fig.add_axes([0.63, 0.125, 0.33, 0.06])
    ax_t.plot(_mid_min(res), res.shear_bw, color="0.25", lw=1.2)
    ax_t.axhline(thr_s, color=PALETTE["vermillion"], ls=":", lw=1)
    if np.isfinite(onset):
        ax_t.axvline(onset / 60.0, color=PALETTE["vermillion"], ls="--", lw=1)
    lo = float(np.nanmin(np.r_[res.shear_bw, thr_s]))
    hi = float(np.nanmax(np.r_[res.shear_bw, thr_s]))
    pad = max(0.05, 0.15 * (hi - lo))
    ax_t.set_ylim(lo - pad, hi + pad)
    cursor = ax_t.axvline(0.0, color=PALETTE["blue"], lw=2)
    ax_t.set_xlim(0, t_end / 60.0)
    ax_t.set_title("shear [BW] over the whole run", fontsize=8, loc="left", pad=2)
    ax_t.set_xlabel("run time [min]", fontsize=8, labelpad=1)
    ax_t.tick_params(labelsize=7)

    fig.text(0.02, 0.035, status_text(res), fontsize=8.5,
             color=PALETTE["vermillion"] if np.isfinite(onset) else "black")
    fig.text(0.02, 0.008, DISCLAIMER, fontsize=7.5, color="0.4")

    def draw(i):
        k = ck[i]
        resting = not res.speed_mps[k] > 0
        lean = 0.0 if resting else float(np.nan_to_num(res.trunk_lean_deg[k]))
        tilt = 0.0 if resting else float(np.nan_to_num(res.pelvic_tilt_deg[k]))
        shear = float("nan") if resting else float(res.shear_bw[k])
        sup = float("nan") if resting else float(res.superficial_load_index[k])

        clock.set_text(f"run time {_clock(times[i])} h:min")
        stage = int(res.stage[k])
        what = _STAGE_TEXT[stage] if 0 <= stage < len(_STAGE_TEXT) else ""
        if resting and stage == 0:
            what = "rest break"
        doing.set_text(what if resting else f"{what}, {res.speed_mps[k]:.1f} m/s")
        pause.set_text(f"not running:\n{what}" if resting else "")
        pause.set_visible(resting)
        for artist in figure_artists:
            artist.set_alpha(0.25 if resting else 1.0)

        bv = _back_view(LEAN_EXAGGERATION * lean)
        b_spine.set_data(*bv["spine"])
        b_sh.set_data(*bv["shoulders"])
        b_head.center = bv["head"]
        b_text.set_text(f"trunk lean {lean:.1f}°\n(drawn ×{LEAN_EXAGGERATION:g})")

        sv = _side_view(TILT_EXAGGERATION * tilt)
        f_pelvis.set_data(*sv["pelvis"])
        f_lumbar.set_data(*sv["lumbar"])
        f_trunk.set_data(*sv["trunk"])
        jx, jy = sv["l5s1"]
        f_joint.set_data([jx], [jy])
        f_jlabel.set_position((jx - 0.03, jy - 0.02))
        if np.isfinite(shear):
            d = math.radians(sv["disc_deg"])
            length = 0.45 * shear
            f_arrow.xy = (jx + length * math.cos(d), jy + length * math.sin(d))
            f_arrow.set_position((jx, jy))
            f_arrow.arrow_patch.set_color(PALETTE["vermillion"] if shear > thr_s else "black")
            f_arrow.set_visible(True)
        else:
            f_arrow.set_visible(False)
        f_text.set_text(f"extra anterior pelvic tilt {tilt:.1f}°\n"
                        f"(drawn ×{TILT_EXAGGERATION:g})")

        for bar, txt, g in zip(cap_bars, cap_txt, names):
            bar.set_width(caps[g][i])
            txt.set_text(f"{caps[g][i]:.0f} %")
        for bar, txt, v, thr in zip(load_bars, load_txt, (shear, sup), (thr_s, thr_u)):
            ok = np.isfinite(v)
            bar.set_width(v if ok else 0.0)
            bar.set_color(PALETTE["vermillion"] if ok and v > thr else "0.3")
            txt.set_text("not running" if not ok else f"{v:.3f}" if round(v, 2) == thr
                         else f"{v:.2f}")
            txt.set_color("white" if ok else "0.3")
        cursor.set_xdata([times[i] / 60.0, times[i] / 60.0])
        return []

    anim = FuncAnimation(fig, draw, frames=frames, interval=1000.0 / fps, blit=False,
                         repeat=False)
    path = Path(path)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_gif = Path(tmp) / "animation.gif"
            def tick(i, n):
                if progress and (i + 1) % 10 == 0 and i + 1 < n:
                    progress(f"frame {i + 1}/{n}")

            anim.save(tmp_gif, writer=PillowWriter(fps=fps), dpi=dpi, progress_callback=tick)
            data = tmp_gif.read_bytes()
    finally:
        plt.close(fig)
    return atomic_write_bytes(path, data)


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
