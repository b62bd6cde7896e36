"""The demo's figure: three panels of one run, drawn once and then moved in place.

:class:`_DemoFigure` (a part of :class:`sim.teaching.demo.Demo`) builds the figure
(:meth:`_DemoFigure._build_figure`: back load with its threshold and the starting
run in grey, muscle capacity, compensations with the pace, spike-onset markers, a
status line and the disclaimer) and redraws it from a run by moving the data of the
existing artists (:meth:`_DemoFigure._draw`), so an update costs a few ``set_data``
calls. :func:`index_view` says how the configured back-load index is shown.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..figures.plots import DISCLAIMER, PALETTE
from .animation import GROUPS, _mid_min, status_text
from .demo_settings import Settings


class _DemoFigure:
    """Drawing of :class:`sim.teaching.demo.Demo`: its figure, panels and their redraw.

    Expects ``base_cfg``, ``baseline``, ``settings`` and the widget methods of
    :class:`sim.teaching.demo_widgets._DemoWidgets` on the same object.
    """

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
