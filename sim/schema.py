"""The configuration schema: every key a config file may hold, its default and range.

Keys carry their unit in their name (``duration_min``, ``speed_mps``, ``mass_kg``).
:mod:`sim.config` reads TOML against this schema; nothing here does I/O.

Each entry is a :class:`Key`. A ``table_list`` key holds an array of tables (for
example pace segments), each validated against its own small schema.

Examples
--------
>>> SCHEMA["runner"]["mass_kg"].default
75.0
>>> SCHEMA["run"]["duration_min"].describe()
'a number in (0, 1440] [min]'
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Key", "SCHEMA"]


@dataclass(frozen=True)
class Key:
    """One configuration key.

    Parameters
    ----------
    kind : {"float", "int", "bool", "str", "table_list"}
        Value type. Integers are accepted where floats are expected.
    default : object
        Value used when the key is absent (``None``: absent means "not set").
    lo, hi : float, optional
        Allowed range; ``lo_open``/``hi_open`` make an end exclusive.
    choices : tuple of str, optional
        Allowed strings.
    unit : str
        Unit, shown in error messages.
    doc : str
        One-line meaning.
    item : dict, optional
        For ``table_list``: the schema of each table.
    """

    kind: str
    default: object = None
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple = ()
    unit: str = ""
    doc: str = ""
    item: dict = field(default_factory=dict)
    max_items: int = 1000

    def describe(self) -> str:
        """Human-readable statement of what is allowed."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            if self.choices:
                return "one of " + ", ".join(repr(c) for c in self.choices)
            return "a string"
        if self.kind == "table_list":
            keys = ", ".join(self.item)
            return f"an array of tables with keys {keys} (at most {self.max_items})"
        noun = "an integer" if self.kind == "int" else "a number"
        if self.lo is None and self.hi is None:
            text = f"{noun}"
        else:
            left = "(" if self.lo_open else "["
            right = ")" if self.hi_open else "]"
            lo = "-inf" if self.lo is None else f"{self.lo:g}"
            hi = "inf" if self.hi is None else f"{self.hi:g}"
            text = f"{noun} in {left}{lo}, {hi}{right}"
        return text + (f" [{self.unit}]" if self.unit else "")


def _f(default, lo=None, hi=None, unit="", doc="", lo_open=False, hi_open=False):
    return Key("float", default, lo, hi, lo_open, hi_open, (), unit, doc)


def _i(default, lo=None, hi=None, unit="", doc=""):
    return Key("int", default, lo, hi, False, False, (), unit, doc)


def _s(default, choices=(), doc=""):
    return Key("str", default, choices=tuple(choices), doc=doc)


def _b(default, doc=""):
    return Key("bool", default, doc=doc)


_SEGMENT = {
    "duration_min": _f(None, 0.0, 1440.0, "min", "length of this pace segment", lo_open=True),
    "speed_mps": _f(None, 2.0, 5.0, "m/s", "running speed in this segment"),
}

_BREAK = {
    "at_min": _f(None, 0.0, 1440.0, "min", "run time at which the rest break starts"),
    "duration_min": _f(None, 0.0, 120.0, "min", "length of the rest break", lo_open=True),
}

#: The full schema: section -> key -> :class:`Key`.
SCHEMA: dict[str, dict[str, Key]] = {
    "runner": {
        "mass_kg": _f(75.0, 30.0, 200.0, "kg", "body mass; muscle forces scale with it"),
        "marathon_pace_mps": _f(3.2, 2.0, 4.0, "m/s",
                                "fitness: the pace the runner holds for a marathon (glycogen "
                                "wall near 30 km; critical speed from it); above 4 m/s the "
                                "reference muscles cannot hold it"),
        "hip_extension_rom_deg": _f(12.5, -10.0, 40.0, "deg",
                                    "hip extension the flexible reference runner reaches in running"),
    },
    "run": {
        "duration_min": _f(120.0, 0.0, 1440.0, "min", "length of the run", lo_open=True),
        "speed_mps": _f(None, 2.0, 5.0, "m/s",
                        "constant pace; overrides segments (default 3.0 when no segments)"),
        "segments": Key("table_list", (), unit="", doc="pace segments run in order; the last "
                        "one is held to the end of the run", item=_SEGMENT, max_items=100),
    },
    "scenario": {
        "hip_flexor_tightness_deg": _f(0.0, 0.0, 30.0, "deg",
                                       "passive hip extension lost to tight hip flexors"),
        "glute_med_strength": _f(1.0, 0.2, 2.0, "1", "multiplier on gluteus medius F0"),
        "quad_strength": _f(1.0, 0.2, 2.0, "1", "multiplier on quadriceps F0"),
        "core_strength": _f(1.0, 0.2, 2.0, "1", "multiplier on deep lumbar muscle F0"),
        "step_rate_scale": _f(1.0, 0.85, 1.15, "1", "step rate relative to natural cadence"),
        "forward_lean_deg": _f(0.0, -10.0, 20.0, "deg",
                               "fresh trunk lean beyond the reference runner's (a runner who "
                               "leans more, or an instruction to lean); the fatigue lean adds "
                               "to it"),
    },
    "intervention": {
        "stretch_before_deg": _f(0.0, 0.0, 30.0, "deg",
                                 "tightness removed by stretching before the run"),
        "stretch_fade_min": _f(0.0, 0.0, 1440.0, "min",
                               "time for the stretching effect to fade (0: it lasts)"),
        "rest_breaks": Key("table_list", (), doc="rest breaks (all muscles at zero target)",
                           item=_BREAK, max_items=100),
        "pace_policy": _s("none", ("none", "slow_down", "in_run_sequence"),
                          "react to the back-load index inside the run"),
        "slow_down_speed_mps": _f(2.8, 2.0, 5.0, "m/s", "moderate jog the policy slows to"),
        "stretch_duration_min": _f(2.0, 0.0, 60.0, "min", "stop-and-stretch length (sequence)"),
        "rest_duration_min": _f(5.0, 0.0, 120.0, "min", "lie-down rest length (sequence)"),
        "policy_wait_min": _f(5.0, 0.0, 120.0, "min",
                              "how long the load may stay high before the next step"),
    },
    "spike": {
        "index": _s("superficial_load", ("shear_bw", "superficial_load"),
                    "back-load index whose onset is reported as spike_onset_s (both are "
                    "per-stride peaks)"),
        "shear_threshold_bw": _f(0.95, 0.0, 10.0, "BW",
                                 "absolute threshold on the stride's peak L5/S1 anterior "
                                 "shear: 700 N, the recommended limit for frequent loading "
                                 "(Gallagher & Marras 2012, Clin Biomech 27:973), for the "
                                 "75 kg reference runner (700 N / (75 kg x 9.81) = 0.95 BW)",
                                 lo_open=True),
        "superficial_threshold": _f(0.5, 0.0, 1.0, "1",
                                    "absolute threshold on the stride's peak superficial "
                                    "lumbar load (force / fresh capacity = peak activation): "
                                    "0.5, the peak-load limit for repetitive work over an "
                                    "hour (Jonsson 1982: peaks under 50 % MVC, never over "
                                    "70 %)", lo_open=True),
        "hold_s": _f(120.0, 0.0, 36000.0, "s", "time an index must stay above threshold"),
    },
    "model": {
        "mode": _s("block", ("block", "resolved"),
                   "stride-averaged block stepping or every stride resolved"),
        "block_s": _f(30.0, 0.0, 600.0, "s", "shortest stride-averaged block (and the checkpoint "
                      "spacing in resolved mode)", lo_open=True),
        "max_block_s": _f(240.0, 0.0, 3600.0, "s", "longest stride-averaged block; blocks grow "
                          "while capacities change slowly (block mode)", lo_open=True),
        "block_tolerance": _f(0.003, 0.0, 0.1, "1", "largest capacity change per block the "
                              "adaptive block length aims for", lo_open=True),
        "index_tolerance": _f(0.0, 0.0, 0.1, "1", "block mode: a block also grows only as "
                              "long as neither back-load index (capacity fraction; shear in "
                              "BW) moves by more than this per block (0: off, the default; "
                              "the running calibration was fitted without it)"),
        "reuse_tolerance": _f(0.002, 0.0, 0.05, "1", "block mode: reuse the last solved stride "
                              "while no capacity moved by more than this fraction (0: always "
                              "re-solve)"),
        "lean_settle_deg": _f(0.25, 0.0, 5.0, "deg", "block mode: where the posture update "
                              "after a block's stride would move the forward lean by more "
                              "than this, search the lean's optimum to within this and "
                              "run the stride there (solved again, or the search's last "
                              "probe where that lies within a quarter of this of the "
                              "optimum; numerical tolerance)", lo_open=True),
        "failed_stride_posture": _s("hold", ("hold", "search"),
                                    "when the muscles cannot make a stride at the forward lean "
                                    "held: hold that lean (default; exhaustion is reached "
                                    "at the posture the runner holds), or search other leans "
                                    "for one at which they can (assumption, off by default; "
                                    "experiments/posture_stranding.py)"),
        "exhaustion_hold_s": _f(60.0, 0.0, 3600.0, "s", "exhaustion: the muscles cannot make "
                                "the stride for this long in a row (assumption: a minute of "
                                "failing strides forces a runner to slow down or stop)",
                                lo_open=True),
        "n_phase": _i(64, 16, 512, "1", "phase samples per stride"),
        "activation_gain_per_s": _f(10.0, 0.0, 1000.0, "1/s",
                                    "3CC controller gain L", lo_open=True),
        "lean_cost": _f(100.0, 0.0, 1e6, "1/rad^2", "cost weight of trunk lateral lean (assumption)",
                        lo_open=True),
        "trunk_size_power": _f(0.5, 0.0, 1.0, "1",
                               "how a trunk muscle's share of the load sharing grows with its "
                               "size: activation ~ F0^power (1: plain capacity weighting, 0: "
                               "size-neutral, 0.5: Crowninshield & Brand's cubic criterion; "
                               "evidence in experiments/effort_criterion.py)"),
        "forward_lean": _b(True, "fatigued runners lean the trunk forward: the posture that "
                           "minimises effort plus its cost, chosen once per block of strides"),
        "forward_lean_cost": _f(None, 0.0, 1e4, "1/rad^2",
                                "cost of a forward lean: it multiplies the stride's effort by "
                                "exp(cost x lean^2) (default: calibrated on the lean growth of "
                                "fatigued runners, sim/data/forward_lean_calibration.json)"),
        "forward_lean_cost_of": _s("current", ("current", "fresh"),
                                   "what the forward lean's cost is a share of: the stride's "
                                   "current effort, or the fresh runner's (assumption; "
                                   "experiments/lean_preference.py)"),
        "lean_preference": _s("own", ("own", "flexible"),
                              "whose fresh posture the forward lean's preference keeps: the "
                              "runner's own (a tight runner starts at the fresh posture), or "
                              "the same runner's without tight hip flexors (a tight runner "
                              "leans from the first stride; assumption; "
                              "experiments/lean_preference.py)"),
        "fatigue": _b(True, "muscles tire (false: every muscle stays fresh, to see what "
                      "fatigue adds)"),
        "deep_core_fatigue": _b(True, "the deep lumbar muscles tire (false: they stay fresh)"),
        "lateral_lean": _b(True, "the trunk may lean over the stance hip to relieve the hip "
                           "abductors (a compensation variable of the load sharing)"),
        "knee_tracking_gain": _f(0.3, 0.0, 2.0, "1",
                                 "hip-abduction demand gain per unit quadriceps capacity loss "
                                 "(assumption)"),
        "seed": _i(0, 0, 2**31 - 1, "1", "random seed (sampling only; the model is deterministic)"),
    },
    "output": {
        "name": _s(None, doc="results directory name (default: the config file's stem)"),
        "timeseries": _b(True, "write timeseries.npz"),
    },
}
