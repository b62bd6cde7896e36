"""A runner's intensity domains, from the marathon pace: critical speed, the anaerobic
reserve D' and the heavy domain below critical speed.

Above critical speed (CS) a runner spends a finite reserve D' and stops when it is
spent, after ``D' / (v - CS)`` at constant speed [1] (the run kernel ends the run then,
:func:`sim.physics.fatigue.pools.reserve_spent_at`); below it, fatigue and glycogen set
the limit. The model
takes CS as the pace of a race of ``cs_race_min`` minutes, found from the runner's
marathon pace with Riegel's law ``T2 = T1 (d2/d1)^b`` [2], and D' as a fixed distance;
both in ``sim/data/fatigue.toml`` (``[reserve]``). The reserve itself lives in the
fast-twitch pools (:func:`sim.physics.fatigue.pools.reserve_step`).

Between the lactate threshold and CS (the heavy domain) the muscles' glycogen drain and
slow fatigue are multiplied by the strain ``H = 1 + A x^n``, ``x = (v - v_T)/(CS - v_T)``
(:func:`sim.physics.fatigue.pools.heavy_strain`). The threshold speed v_T is the marathon pace
times ``[heavy] onset_ratio``; A and n are fitted on Riegel race times between the
marathon and ten kilometres (:func:`sim.calibration.running.fit_race_times`, stored in
``sim/data/energy_calibration.json``).

References
----------
.. [1] Jones AM, Vanhatalo A (2017) The 'critical power' concept: applications to sports
   performance with a focus on intermittent high-intensity exercise. Sports Med
   47(Suppl 1):65-78.
.. [2] Riegel PS (1981) Athletic records and human endurance. Am Sci 69(3):285-290.
.. [3] Morton RH (1996) A 3-parameter critical power model. Ergonomics 39(4):611-619.

Examples
--------
>>> round(critical_speed(3.2) / 3.2, 3)
1.076
>>> d_prime_m()
200.0
"""
from __future__ import annotations

from . import params

__all__ = ["MARATHON_M", "riegel_speed", "riegel_time", "critical_speed", "d_prime_m",
           "cs_glycogen_share", "reserve_floor", "heavy_domain"]

#: Marathon distance [m].
MARATHON_M = 42195.0


def _reserve():
    return params.value("fatigue", "reserve")


def riegel_speed(marathon_pace_mps: float, race_s: float) -> float:
    """Speed [m/s] a runner with this marathon pace holds in a race of ``race_s`` seconds.

    Riegel: ``T = T_M (d / d_M)^b``, so ``v = v_M (T_M / T)^((b - 1)/b)``.

    Examples
    --------
    >>> round(riegel_speed(3.2, 42195.0 / 3.2), 6)
    3.2
    >>> round(riegel_speed(3.2, 3600.0), 3)      # an hour's race
    3.444
    """
    b = _reserve()["riegel_exponent"]
    t_m = MARATHON_M / marathon_pace_mps
    return marathon_pace_mps * (t_m / race_s) ** ((b - 1.0) / b)


def riegel_time(marathon_pace_mps: float, speed_mps: float) -> float:
    """Race time [s] at ``speed_mps`` for this marathon pace: the inverse of
    :func:`riegel_speed`.

    Examples
    --------
    >>> round(riegel_time(3.2, riegel_speed(3.2, 3600.0)), 6)
    3600.0
    """
    b = _reserve()["riegel_exponent"]
    t_m = MARATHON_M / marathon_pace_mps
    return t_m * (speed_mps / marathon_pace_mps) ** (-b / (b - 1.0))


def critical_speed(marathon_pace_mps: float) -> float:
    """Critical speed [m/s]: the Riegel speed of a ``cs_race_min`` race."""
    return riegel_speed(marathon_pace_mps, 60.0 * _reserve()["cs_race_min"])


def d_prime_m() -> float:
    """Anaerobic reserve D' [m]."""
    return float(_reserve()["d_prime"])


def cs_glycogen_share() -> float:
    """Share of critical speed that needs carbohydrate [1] (``[reserve]
    cs_glycogen_share``; :func:`sim.physics.fatigue.pools.critical_speed_factor`)."""
    return float(_reserve()["cs_glycogen_share"])


def reserve_floor() -> float:
    """Force factor of the fast-twitch pools once the reserve D' is spent [1].

    As D' is spent the fast-twitch pools lose force linearly, down to this floor, not to
    zero: the maximal power a runner can still produce falls linearly with the reserve
    expended and equals critical power, not zero, when it is gone (Morton 1996 [3]).
    Fitted with the heavy domain on the speed-duration anchors
    (:func:`sim.calibration.running.fit_race_times`, stored in
    ``sim/data/energy_calibration.json``); a calibration file without it gives 0.
    """
    from .energy import calibration

    return float(calibration().get("reserve_floor", 0.0))


def heavy_domain(marathon_pace_mps: float) -> dict:
    """Heavy-domain constants of the run kernel for this marathon pace.

    Returns
    -------
    dict
        ``heavy_onset_mps`` (v_T [m/s]), ``heavy_gain`` (A [1]) and ``heavy_power``
        (n [1]), named as in :data:`sim.core.engine.SCALARS`. A calibration file written
        before the heavy domain existed has no gain: the strain is then off (A = 0), so
        that ``experiments/calibrate_running_fatigue.py`` can run and write it; the
        shipped file has it (``tests/physics/fatigue/test_running_fatigue.py`` checks that
        races end on time, which they do not without it).
    """
    from .energy import calibration

    fit = calibration()
    ratio = params.value("fatigue", "heavy", "onset_ratio")
    return {"heavy_onset_mps": ratio * marathon_pace_mps,
            "heavy_gain": float(fit.get("heavy_gain", 0.0)),
            "heavy_power": float(fit.get("heavy_power", 1.0))}
