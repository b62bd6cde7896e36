"""Sobol' sensitivity indices of a finished sensitivity sweep (SALib's analysis).

:func:`analyze_sensitivity` takes the summary values of every scenario of a
``[sweep.sensitivity]`` sweep, censors the onsets of runs that never spiked at the run
duration, and returns first-order and total indices with their confidence intervals
per output and swept key.
"""
from __future__ import annotations

import numpy as np

from .sweep_scenarios import CENSORED_OUTPUTS, SALIB_HINT, SweepSpec


def _import_salib_analyze():
    from SALib.analyze import sobol as salib_sobol_analyze  # optional extra
    return salib_sobol_analyze


def analyze_sensitivity(spec: SweepSpec, results: dict, duration_s) -> list[dict]:
    """First-order and total Sobol' indices of the chosen outputs, with confidence intervals.

    Calls ``SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False, ...)`` for
    every output in ``spec.outputs`` (95 % bootstrap confidence intervals from 100
    resamples, seeded by ``spec.seed``, so the result is deterministic).

    **Censoring.** A run whose back-load index never spiked has a NaN onset. For the
    onset outputs (:data:`CENSORED_OUTPUTS`, e.g. ``spike_onset_s``) such runs are
    *censored at the run duration*: a never-spiking run counts as spiking at the end of
    the run (``duration_s``). This understates how safe that scenario is (its true onset
    is later, possibly never), so indices of onset are biased where many runs are
    censored; the ``censored`` column counts them. An output that is the same in every
    run (e.g. no run spiked at all) has undefined indices, reported as NaN.

    Parameters
    ----------
    spec : SweepSpec
        A sensitivity sweep (``spec.kind == "sensitivity"``).
    results : dict of str to numpy.ndarray
        Output name -> one value per scenario, in ``spec.rows`` order (other names are
        ignored).
    duration_s : float or numpy.ndarray
        Run duration in seconds (scalar, or one per scenario), used for censoring.

    Returns
    -------
    list of dict
        One dict per (output, parameter), outputs in ``spec.outputs`` order and parameters
        in ``spec.keys`` order, with ``output``, ``parameter``, ``S1``, ``S1_conf``,
        ``ST``, ``ST_conf``, ``n`` (scenarios) and ``censored`` (censored runs).

    Raises
    ------
    ImportError
        SALib is not installed (``pip install "runfatigue[sensitivity]"``).
    ValueError
        Not a sensitivity sweep, or an output missing, of the wrong length or with
        non-finite values (other than censored onsets).

    Examples
    --------
    >>> import numpy as np
    >>> spec = SweepSpec("sensitivity", ("scenario.core_strength", "run.speed_mps"), [],
    ...                  "sobol", 256, 1, {"scenario.core_strength": (0.6, 1.2),
    ...                  "run.speed_mps": (2.5, 4.0)}, ("peak_shear_bw",))
    >>> from SALib.sample import sobol
    >>> x = sobol.sample(spec.problem(), 256, calc_second_order=False, seed=1)
    >>> y = 0.1 * x[:, 0] + x[:, 1]  # speed dominates
    >>> rows = analyze_sensitivity(spec, {"peak_shear_bw": y}, duration_s=7200.0)
    >>> [(r["parameter"], round(r["S1"], 1), round(r["ST"], 1)) for r in rows]
    [('scenario.core_strength', 0.0, 0.0), ('run.speed_mps', 1.0, 1.0)]
    """
    if spec.kind != "sensitivity":
        raise ValueError(f"analyze_sensitivity needs a [sweep.sensitivity] sweep, got {spec.kind!r}")
    try:
        salib_analyze = _import_salib_analyze()
    except ImportError as e:
        raise ImportError(f"Sobol' sensitivity indices need SALib, which is not installed; "
                          f"install it with: {SALIB_HINT}") from e
    n = len(spec.rows) if spec.rows else spec.n * (len(spec.keys) + 2)
    out = []
    for name in spec.outputs:
        if name not in results:
            raise ValueError(f"results have no output {name!r} (have: "
                             f"{', '.join(sorted(results)) or 'none'})")
        y = np.array(results[name], dtype=np.float64).reshape(-1)
        if y.size != n:
            raise ValueError(f"output {name!r} has {y.size} values; the sweep has {n} scenarios")
        censored = 0
        if name in CENSORED_OUTPUTS:
            never = np.isnan(y)
            censored = int(never.sum())
            y = np.where(never, np.broadcast_to(np.asarray(duration_s, np.float64), y.shape), y)
        bad = int((~np.isfinite(y)).sum())
        if bad:
            raise ValueError(f"output {name!r} has {bad} non-finite values; Sobol' indices "
                             "need a finite value for every scenario")
        k = len(spec.keys)
        if np.ptp(y) == 0.0:
            si = {s: np.full(k, np.nan) for s in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            si = salib_analyze.analyze(spec.problem(), y, calc_second_order=False,
                                       seed=np.random.default_rng(spec.seed),
                                       print_to_console=False)
        for j, key in enumerate(spec.keys):
            out.append({"output": name, "parameter": key,
                        "S1": float(si["S1"][j]), "S1_conf": float(si["S1_conf"][j]),
                        "ST": float(si["ST"][j]), "ST_conf": float(si["ST_conf"][j]),
                        "n": int(y.size), "censored": censored})
    return out
