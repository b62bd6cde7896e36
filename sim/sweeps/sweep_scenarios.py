"""A validated sweep: :class:`SweepSpec` (the swept keys and one row per scenario).

Also the names and limits shared by every part of a sweep specification: the kinds of
``[sweep]`` table, their methods, the outputs a sensitivity sweep can analyse and the
largest number of scenarios. :mod:`sim.sweeps.sweep_spec` describes the tables and
builds a :class:`SweepSpec` from a file (:func:`sim.sweeps.sweep_spec.load_sweep`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config

#: The tables ``[sweep]`` may hold; exactly one of them.
SWEEP_KINDS = ("grid", "sample", "sensitivity")
#: ``method`` of ``[sweep.sample]``: Latin hypercube or scrambled Sobol' (scipy.stats.qmc).
SAMPLE_METHODS = ("lhs", "sobol")
#: ``method`` of ``[sweep.sensitivity]``.
SENSITIVITY_METHODS = ("sobol",)
#: Run summary values whose sensitivity indices can be computed (``outputs``).
SENSITIVITY_OUTPUTS = (
    "spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s",
    "peak_shear_bw", "peak_shear_N", "peak_compression_N", "peak_superficial_load",
    "peak_trunk_lean_deg", "peak_pelvic_tilt_deg", "peak_trunk_flexion_deg",
    "end_capacity_hip_abductors", "end_capacity_hip_extensors",
    "end_capacity_hip_adductors", "end_capacity_hip_flexors",
    "end_capacity_knee_flexors", "end_capacity_knee_extensors",
    "end_capacity_plantarflexors", "end_capacity_dorsiflexors",
    "end_capacity_lumbar_deep", "end_capacity_lumbar_superficial",
    "end_capacity_abdominals",
)
#: Onset outputs: NaN ("never spiked") is censored at the run duration before analysis.
CENSORED_OUTPUTS = ("spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s")
#: Upper limit on the number of scenarios of one sweep.
MAX_SCENARIOS = 10_000_000
#: How to install the optional sensitivity dependency.
SALIB_HINT = 'pip install "runfatigue[sensitivity]"'


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the swept keys and one row of values per scenario.

    Attributes
    ----------
    kind : {"grid", "sample", "sensitivity"}
        Which ``[sweep.*]`` table it came from.
    keys : tuple of str
        Swept dotted keys, in the order written in the file.
    rows : list of tuple
        One tuple of values (aligned with ``keys``) per scenario, in a deterministic
        order: grid = Cartesian product, last key fastest; sample = the
        ``scipy.stats.qmc`` points in generation order; sensitivity = SALib's sample.
        Values are plain Python ``float``/``int``/``str``/``bool`` normalised by the
        schema (``run.segments`` values are tuples of dicts).
    method : str or None
        ``"lhs"``/``"sobol"`` (sample), ``"sobol"`` (sensitivity); ``None`` for a grid.
    n : int or None
        Sample size as written (sensitivity: SALib's base size, ``len(rows) = n*(k+2)``).
    seed : int or None
        Seed of the sample (``None`` for a grid).
    bounds : dict
        Dotted key -> ``(lo, hi)`` (sample, sensitivity).
    outputs : tuple of str
        Outputs to analyse (sensitivity only).
    source : str
        The config file.
    levels : dict
        Dotted key -> tuple of values (grid only).
    """

    kind: str
    keys: tuple
    rows: list = field(repr=False)
    method: str | None = None
    n: int | None = None
    seed: int | None = None
    bounds: dict = field(default_factory=dict)
    outputs: tuple = ()
    source: str = "<defaults>"
    levels: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def overrides(self, i: int) -> dict:
        """Dotted key -> value of scenario ``i``, ready for :meth:`Config.with_overrides`.

        Examples
        --------
        >>> spec = SweepSpec("grid", ("run.speed_mps",), [(2.5,), (3.0,)])
        >>> spec.overrides(-1)
        {'run.speed_mps': 3.0}
        """
        row = self.rows[i]
        out = {}
        for key, value in zip(self.keys, row):
            if isinstance(value, tuple):  # a table_list value (e.g. run.segments)
                value = [dict(t) for t in value]
            out[key] = value
        return out

    def config(self, base: Config, i: int) -> Config:
        """The full configuration of scenario ``i``: ``base`` with its overrides applied.

        Examples
        --------
        >>> from sim.config import load_config
        >>> spec = SweepSpec("grid", ("scenario.core_strength",), [(0.6,), (0.8,)])
        >>> spec.config(load_config(None), 0).scenario.core_strength
        0.6
        """
        return base.with_overrides(self.overrides(i))

    def problem(self) -> dict:
        """A fresh SALib problem dict (``num_vars``, ``names``, ``bounds``).

        Defined for sample and sensitivity sweeps (a new dict every call, as SALib
        adds entries to the dict it is given).

        Examples
        --------
        >>> spec = SweepSpec("sample", ("run.speed_mps",), [], "lhs", 0, 1,
        ...                  {"run.speed_mps": (2.5, 4.0)})
        >>> spec.problem()
        {'num_vars': 1, 'names': ['run.speed_mps'], 'bounds': [[2.5, 4.0]]}
        """
        if self.kind == "grid":
            raise ValueError("a grid sweep has no SALib problem (no bounds); "
                             "use [sweep.sample] or [sweep.sensitivity]")
        return {"num_vars": len(self.keys), "names": list(self.keys),
                "bounds": [[float(self.bounds[k][0]), float(self.bounds[k][1])]
                           for k in self.keys]}

    def describe(self) -> str:
        """One line for logs: kind, method, keys and number of scenarios.

        Examples
        --------
        >>> SweepSpec("grid", ("a.b", "c.d"), [(1, 2)] * 6).describe()
        'grid over 2 keys (a.b, c.d): 6 scenarios'
        """
        what = self.kind if self.method is None else f"{self.kind} ({self.method}, n={self.n})"
        return f"{what} over {len(self.keys)} keys ({', '.join(self.keys)}): {len(self)} scenarios"
