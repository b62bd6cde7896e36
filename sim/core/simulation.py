"""One run: :func:`simulate` a configuration and get a :class:`RunResult`.

Examples
--------
>>> import sim
>>> cfg = sim.load_config(None, {"run.duration_min": 20, "run.speed_mps": 3.0})
>>> res = sim.simulate(cfg)
>>> res.capacity.shape == (res.time_s.size, len(res.muscles))
True
>>> bool(res.capacity[-1, res.muscles.index("gluteus_medius")] < 1.0)
True
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..physics.metrics import running_at, spike_onset
from ..results import Timer
from .run_loop import run_inputs
from .scenario import build_inputs
from .warmup import compile_seconds, ensure_compiled

__all__ = ["RunResult", "simulate", "simulate_inputs", "run_inputs", "INDICES"]

#: Back-load indices: name -> (result attribute, config threshold key, unit).
INDICES = {
    "shear_bw": ("shear_bw", "shear_threshold_bw", "BW"),
    "superficial_load": ("superficial_load_index", "superficial_threshold", "1"),
}


@dataclass(frozen=True, eq=False)
class RunResult:
    """Result of one run. Arrays are indexed by checkpoint first (``time_s``).

    A checkpoint is a block of strides (or a rest interval) starting at ``time_s`` and
    lasting ``duration_s``. States (capacity, energy) are at its start; per-stride
    quantities (forces, loads, leans) are the mean over its strides: in resolved mode of
    every stride, in block mode of its representative stride and the next block's (the
    trapezoid, where the next block runs on at the same speed; peak forces the larger;
    :func:`sim.core.engine_blocks._block_means`). Rest intervals have NaN back-load values.

    Attributes
    ----------
    time_s : ndarray (n,)
        Checkpoint start times [s].
    duration_s : ndarray (n,)
        Checkpoint lengths [s].
    speed_mps : ndarray (n,)
        Running speed [m/s] (0 while resting).
    stage : ndarray of int (n,)
        Pace-policy stage (:data:`sim.core.engine.STAGES`).
    muscles : tuple of str
        Muscle names.
    groups : dict
        Functional group -> muscle names.
    capacity : ndarray (n, n_muscle)
        Fraction of the fresh maximum force available [1].
    pool_capacity, energy : ndarray (n, n_muscle, 2)
        Per fibre pool (ST, FT): capacity and energy store [1].
    peak_force_N, mean_force_N : ndarray (n, n_muscle)
        Peak and mean force over the stride [N] (right side for paired muscles).
    l5s1_compression_N, l5s1_shear_N : ndarray (n,)
        Per-stride peak L5/S1 compression and anterior shear [N].
    shear_bw : ndarray (n,)
        Peak anterior shear in body weights [BW].
    superficial_load_index : ndarray (n,)
        Peak superficial erector spinae force / its fresh capacity [1].
    trunk_lean_deg : ndarray (n,)
        Peak trunk lateral lean over the stance hip [deg]; at most the largest
        compensatory lean (a stride that needs more is infeasible and reports that limit).
    trunk_flexion_deg : ndarray (n,)
        Forward trunk lean held over the checkpoint's strides beyond the runner's fresh
        posture [deg], positive forward (NaN while resting).
    pelvic_tilt_deg : ndarray (n,)
        Extra anterior pelvic tilt beyond the flexible runner's fresh posture [deg]: the
        hip-flexor tightness deficit and the pelvis's share of the forward lean.
    infeasible_strides : ndarray (n,)
        Strides in the checkpoint whose moments could not be met: the strides run times the
        fraction of the solved strides that failed. Fractional, because in block mode one
        solved stride stands for every stride of its block.
    moment_residual : ndarray (n,)
        Largest relative moment residual ``|A f + B θ - m| / |m|`` of the feasible phases
        solved in the checkpoint [1].
    strides : ndarray (n,)
        Strides run in the checkpoint: its duration over the stride period (fractional; a
        checkpoint need not hold a whole number of strides).
    spike_onset_s : float
        Onset of the configured index [s]: 0 = from the first stride, NaN = not reached
        (see ``spike_censored``).
    spike_onsets : dict
        Onset per index name [s].
    stride_phase : ndarray (n_phase,)
        Phase of the within-stride samples [0-1).
    stride_checkpoints : ndarray of int
        Checkpoints whose stride curves are kept (first and last running ones, and
        quarters in between).
    stride_force_N : ndarray (n_keep, n_phase, n_muscle)
        Muscle forces over the stride at those checkpoints [N].
    stride_demand_Nm : ndarray (n_keep, n_phase, n_dof)
        Demanded net joint moments [N·m] (signs as in ``dofs``).
    stride_lean_deg, stride_shear_N : ndarray (n_keep, n_phase)
        Trunk lean [deg] and L5/S1 anterior shear [N] over the stride.
    dofs : tuple of str
        Names of the demand rows; each positive in the named direction
        (``lumbar_bending`` positive toward the right).
    exhaustion_s : float
        Exhaustion [s]: the start of the first stretch of ``model.exhaustion_hold_s``
        running in which the muscles could not make the stride; the run ends there. NaN
        if the runner held the plan to its end.
    F0_N : ndarray (n_muscle,)
        Fresh maximum force of each muscle without strength multipliers [N] (the
        weights of group capacities).
    limiting_muscle : str
        At exhaustion, the muscle whose peak force in the last running checkpoint took
        the largest share of its capacity force ("" if not exhausted).
    config : Config
        The resolved configuration.
    timings_s : dict
        ``run_s`` [s], and ``compile_s`` [s] for the first run in a process (kernel
        compilation or loading numba's cache, timed on a one-block run).
    """

    time_s: np.ndarray
    duration_s: np.ndarray
    speed_mps: np.ndarray
    stage: np.ndarray
    muscles: tuple
    groups: dict
    capacity: np.ndarray
    pool_capacity: np.ndarray
    energy: np.ndarray
    peak_force_N: np.ndarray
    mean_force_N: np.ndarray
    l5s1_compression_N: np.ndarray
    l5s1_shear_N: np.ndarray
    shear_bw: np.ndarray
    superficial_load_index: np.ndarray
    trunk_lean_deg: np.ndarray
    trunk_flexion_deg: np.ndarray
    pelvic_tilt_deg: np.ndarray
    infeasible_strides: np.ndarray
    moment_residual: np.ndarray
    strides: np.ndarray
    spike_onset_s: float
    spike_onsets: dict
    stride_phase: np.ndarray
    stride_checkpoints: np.ndarray
    stride_force_N: np.ndarray
    stride_demand_Nm: np.ndarray
    stride_lean_deg: np.ndarray
    stride_shear_N: np.ndarray
    dofs: tuple
    end_capacity: np.ndarray
    config: object = None
    timings_s: dict = field(default_factory=dict)
    exhaustion_s: float = float("nan")
    F0_N: np.ndarray = None
    limiting_muscle: str = ""

    @property
    def exhausted(self) -> bool:
        """True if the run ended in exhaustion."""
        return bool(np.isfinite(self.exhaustion_s))

    @property
    def spike_censored(self) -> bool:
        """True if the run ended in exhaustion before the configured index crossed."""
        return self.exhausted and not np.isfinite(self.spike_onset_s)

    @property
    def spike_from_start(self) -> bool:
        """True if the configured index was above its threshold from the first stride: the
        back is overloaded by posture and pace alone, not tipped over by fatigue."""
        return bool(self.spike_onset_s == 0.0)

    @property
    def spike_onset_running(self) -> tuple[float, float]:
        """Running time [s] and distance [km] at the spike onset (NaN, NaN if none); rest
        breaks and stops do not count."""
        return running_at(self.time_s, self.duration_s, self.speed_mps, self.spike_onset_s)

    @property
    def distance_km(self) -> np.ndarray:
        """Distance run at the start of each checkpoint [km]."""
        d = np.asarray(self.speed_mps) * np.asarray(self.duration_s)
        return np.concatenate(([0.0], np.cumsum(d)[:-1])) / 1000.0

    def _group_weights(self, group):
        idx = [self.muscles.index(n) for n in self.groups[group]]
        w = (np.ones(len(idx)) if self.F0_N is None else np.asarray(self.F0_N)[idx])
        return idx, w / w.sum()

    def group_capacity(self, group: str) -> np.ndarray:
        """F0-weighted mean capacity of a muscle group over time [1].

        The weights are the fresh maximum forces, so for the knee extensors the group
        capacity tracks the measured knee-extension MVC torque (their moment arms are
        close).
        """
        idx, w = self._group_weights(group)
        return self.capacity[:, idx] @ w

    def end_group_capacity(self, group: str) -> float:
        """F0-weighted capacity of a group at the end of the run [1].

        Summed left to right, as in the batch kernel, so both give identical numbers."""
        idx = [self.muscles.index(n) for n in self.groups[group]]
        w = np.ones(len(self.muscles)) if self.F0_N is None else np.asarray(self.F0_N)
        acc = 0.0
        tot = 0.0
        for i in idx:
            acc += float(w[i]) * float(self.end_capacity[i])
            tot += float(w[i])
        return acc / tot

    def summary(self) -> dict:
        """Scalars of the run (JSON-ready; NaN for 'never')."""
        def peak(x):
            return float(np.nanmax(x)) if np.any(np.isfinite(x)) else float("nan")

        out = {
            "spike_onset_s": self.spike_onset_s,
            "spike_onset_min": self.spike_onset_s / 60.0,
            "spike_censored": self.spike_censored,
            "spike_from_start": self.spike_from_start,
            "spike_onset_running_s": self.spike_onset_running[0],
            "spike_onset_km": self.spike_onset_running[1],
            "exhaustion_s": self.exhaustion_s,
            "exhaustion_min": self.exhaustion_s / 60.0,
        }
        for name, onset in self.spike_onsets.items():
            out[f"onset_{name}_s"] = onset
        out.update({
            "peak_shear_N": peak(self.l5s1_shear_N),
            "peak_shear_bw": peak(self.shear_bw),
            "peak_compression_N": peak(self.l5s1_compression_N),
            "peak_superficial_load": peak(self.superficial_load_index),
            "peak_trunk_lean_deg": peak(self.trunk_lean_deg),
            "peak_trunk_flexion_deg": peak(self.trunk_flexion_deg),
            "peak_pelvic_tilt_deg": peak(self.pelvic_tilt_deg),
            # plain left-to-right sums, as in the batch kernel (identical results)
            "infeasible_strides": _seqsum(self.infeasible_strides),
            "strides": _seqsum(self.strides),
            "distance_km": _seqsum(self.speed_mps * self.duration_s) / 1000.0,
        })
        for g in self.groups:
            out[f"end_capacity_{g}"] = self.end_group_capacity(g)
        out["limiting_muscle"] = self.limiting_muscle
        return out


def _seqsum(x) -> float:
    total = 0.0
    for v in np.asarray(x, dtype=np.float64).tolist():
        total += v
    return total


_COMPILED = {"done": False}


def simulate(cfg) -> RunResult:
    """Simulate one run of a configuration.

    Parameters
    ----------
    cfg : Config
        From :func:`sim.load_config`.

    Returns
    -------
    RunResult
    """
    return simulate_inputs(cfg, build_inputs(cfg))


def simulate_inputs(cfg, inp) -> RunResult:
    """Simulate prepared inputs, e.g. with model parameters changed for a study.

    Parameters
    ----------
    cfg : Config
        The configuration ``inp`` was built from (spike settings, names, units).
    inp : ScenarioInputs
        From :func:`sim.core.scenario.build_inputs`, possibly altered with
        :func:`dataclasses.replace`.

    Returns
    -------
    RunResult

    Examples
    --------
    >>> import dataclasses, sim
    >>> from sim.scenario import build_inputs
    >>> cfg = sim.load_config(None, {"run.duration_min": 10})
    >>> inp = build_inputs(cfg)
    >>> prm = inp.prm.copy(); prm[:, :, [1, 3]] *= 2.0       # every pool fatigues 2x faster
    >>> fast = simulate_inputs(cfg, dataclasses.replace(inp, prm=prm))
    >>> bool(fast.capacity[-1].mean() < sim.simulate(cfg).capacity[-1].mean())
    True
    """
    timings = {}
    if not _COMPILED["done"]:
        # the first run of a process: compiling (or loading numba's cache) is timed apart
        ensure_compiled()
        timings["compile_s"] = round(compile_seconds(), 4)
        _COMPILED["done"] = True
    with Timer() as t:
        n, out, state = run_inputs(inp)
    timings["run_s"] = round(t.elapsed, 4)
    return _package(cfg, inp, n, out, state, timings)


def _end_capacity(inp, state):
    from ..physics.fatigue.pools import muscle_capacity

    return np.array([muscle_capacity(state[i], inp.prm[0, i]) for i in range(inp.F0.size)])


def _package(cfg, inp, n, out, state, timings) -> RunResult:
    s = slice(0, n)
    time = out["time"][s]
    dur = out["dt"][s]
    bw = cfg.runner.mass_kg * inp.scalar("g")
    shear_bw = out["shear"][s] / bw
    sup = out["sup"][s]
    t_end = float(time[-1] + dur[-1]) if n else 0.0
    onsets = {
        "shear_bw": spike_onset(time, shear_bw, cfg.spike.shear_threshold_bw, cfg.spike.hold_s, t_end),
        "superficial_load": spike_onset(time, sup, cfg.spike.superficial_threshold,
                                        cfg.spike.hold_s, t_end),
    }
    running = np.flatnonzero(out["speed"][s] > 0)
    if running.size:
        picks = np.unique(np.round(np.linspace(0, running.size - 1, 5)).astype(int))
        keep = running[picks]
    else:
        keep = np.zeros(0, dtype=int)
    n_ph = inp.tpl_m.shape[1]
    return RunResult(
        time_s=time, duration_s=dur, speed_mps=out["speed"][s], stage=out["stage"][s],
        muscles=inp.muscles, groups=inp.groups, capacity=out["cap"][s],
        pool_capacity=out["pcap"][s], energy=out["energy"][s],
        peak_force_N=out["fpeak"][s], mean_force_N=out["fmean"][s],
        l5s1_compression_N=out["comp"][s], l5s1_shear_N=out["shear"][s], shear_bw=shear_bw,
        superficial_load_index=sup, trunk_lean_deg=out["lean"][s],
        trunk_flexion_deg=out["flex"][s],
        pelvic_tilt_deg=out["tilt"][s], infeasible_strides=out["infeas"][s],
        moment_residual=out["resid"][s],
        strides=out["strides"][s], spike_onset_s=onsets[cfg.spike.index], spike_onsets=onsets,
        stride_phase=np.arange(n_ph) / n_ph, stride_checkpoints=keep,
        stride_force_N=out["sforce"][keep], stride_demand_Nm=out["sdemand"][keep],
        stride_lean_deg=out["slean"][keep], stride_shear_N=out["sshear"][keep],
        dofs=inp.dofs, end_capacity=_end_capacity(inp, state), config=cfg, timings_s=timings,
        exhaustion_s=float(out["exh"][0]), F0_N=inp.F0 / inp.meta["strength"],
        limiting_muscle=_limiting(inp, out, n),
    )


def _limiting(inp, out, n) -> str:
    """Muscle with the largest peak force / capacity force in the last running checkpoint
    of an exhausted run ("" otherwise)."""
    if not np.isfinite(out["exh"][0]):
        return ""
    running = np.flatnonzero(out["speed"][:n] > 0)
    if running.size == 0:
        return ""
    k = int(running[-1])
    use = out["fpeak"][k] / np.maximum(inp.F0 * out["cap"][k], 1e-9)
    return inp.muscles[int(np.argmax(use))]

