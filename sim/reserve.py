"""Critical speed and the anaerobic reserve D' of a runner, from the marathon pace.

Above critical speed (CS) a runner spends a finite reserve D' and must stop within
roughly ``D' / (v - CS)`` [1]; below it, fatigue and glycogen set the limit. The model
takes CS as the pace of a race of ``cs_race_min`` minutes, found from the runner's
marathon pace with Riegel's law ``T2 = T1 (d2/d1)^b`` [2], and D' as a fixed distance;
both in ``sim/data/fatigue.toml`` (``[reserve]``). The reserve itself lives in the
fast-twitch pools (:func:`sim.fatigue.pools.reserve_step`).

References
----------
.. [1] Jones AM, Vanhatalo A (2017) The 'critical power' concept: applications to sports
   performance with a focus on intermittent high-intensity exercise. Sports Med
   47(Suppl 1):65-78.
.. [2] Riegel PS (1981) Athletic records and human endurance. Am Sci 69(3):285-290.

Examples
--------
>>> round(critical_speed(3.2) / 3.2, 3)
1.076
>>> d_prime_m()
200.0
"""
from __future__ import annotations

from . import params

__all__ = ["MARATHON_M", "riegel_speed", "riegel_time", "critical_speed", "d_prime_m"]

#: Marathon distance [m].
MARATHON_M = 42195.0


def _reserve():
    return params.load("fatigue")["reserve"]


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
