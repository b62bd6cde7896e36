"""What the demo's controls set: :class:`Settings`, and the runner the demo starts from.

:class:`Settings` holds the values a teacher changes (hip-flexor tightness, pace,
gluteus medius and deep core strength, run duration, and the interventions);
:meth:`sim.teaching.demo.Demo.overrides` turns them into config overrides.
:data:`DEMO_RUNNER` is the demo's starting runner, :data:`STRETCH_DEG` and
:data:`REST_BREAK_MIN` what the "stretch before the run" and "rest break" toggles add.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Tightness removed by the "stretch before the run" toggle when the config sets none [deg].
STRETCH_DEG = 10.0
#: Length of the "rest break at half-time" toggle [min].
REST_BREAK_MIN = 5.0


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


#: The demo's starting runner: 8 deg tight hip flexors, core strength 0.8, 150 min at
#: 3.0 m/s (marathon pace 3.2 m/s). With the default back-load index its superficial back
#: load tips over its threshold late in the run, as the legs tire and the trunk leans.
DEMO_RUNNER = {"run.duration_min": 150.0, "run.speed_mps": 3.0,
               "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}
