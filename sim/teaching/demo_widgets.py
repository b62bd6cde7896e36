"""The demo's controls: sliders for the runner and the run, tick boxes for interventions.

:class:`_DemoWidgets` (a part of :class:`sim.teaching.demo.Demo`) adds the sliders
(:data:`_SLIDERS`) and check buttons (:data:`_TOGGLES`) beside the panels, turns a
moved slider or a ticked box into :meth:`sim.teaching.demo.Demo.update`, and keeps the
controls showing the current settings (the two pace policies exclude each other).
"""
from __future__ import annotations

from ..figures.plots import PALETTE
from .demo_settings import REST_BREAK_MIN


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


#: Check-button label -> the setting it toggles.
_TOGGLES = {
    "stretch hip flexors before the run": "stretch_before_deg",
    "slow to a jog when back load is high": "slow_down",
    "in-run sequence: slow down, stretch, lie down": "in_run_sequence",
    f"{REST_BREAK_MIN:g}-min rest break at half-time": "rest_break",
}


class _DemoWidgets:
    """Controls of :class:`sim.teaching.demo.Demo`: sliders, tick boxes and their sync.

    Expects ``figure``, ``settings``, ``result``, ``sliders``, ``checks``,
    ``_stretch_on``, ``_syncing`` and ``update`` on the same object.
    """

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
