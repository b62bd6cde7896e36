"""How much the glute-to-lumbar result depends on constants without a published value.

The trunk-lean cost ``model.lean_cost`` and the knee-tracking gain
``model.knee_tracking_gain`` are assumptions. This study runs a weak gluteus medius
(strength 0.7) against a normal one (1.0) at marathon pace for two hours across a
plausible range of each constant and reports the *glute-to-lumbar result*: the extra
trunk lean, the extra lumbar muscle force and the extra L5/S1 shear that the weak
gluteus medius causes at the end of the run.

Examples
--------
>>> rows = glute_to_lumbar(lean_costs=(100.0,), knee_gains=(0.3,), minutes=20)
>>> rows[0]["extra_lean_deg"] > 0
True
"""
from __future__ import annotations

from ..config import load_config
from ..core.simulation import simulate

__all__ = ["glute_to_lumbar", "LEAN_COSTS", "KNEE_GAINS"]

#: Plausible range of the lean cost [1/rad^2] (default 100).
LEAN_COSTS = (10.0, 30.0, 100.0, 300.0, 1000.0)
#: Plausible range of the knee-tracking gain [1] (default 0.3).
KNEE_GAINS = (0.0, 0.15, 0.3, 0.6, 1.0)


def _end(res):
    lumbar = [res.muscles.index(m) for g in ("lumbar_deep", "lumbar_superficial", "abdominals")
              for m in res.groups[g]]
    return (res.trunk_lean_deg[-1], res.mean_force_N[-1, lumbar].sum(), res.shear_bw[-1])


def glute_to_lumbar(lean_costs=LEAN_COSTS, knee_gains=KNEE_GAINS, minutes=120.0,
                    speed_mps=3.2) -> list[dict]:
    """Weak (0.7) minus normal (1.0) gluteus medius at the end of a run, per constant value.

    Returns
    -------
    list of dict
        One row per (lean_cost, knee_tracking_gain) varied one at a time around the
        defaults: ``extra_lean_deg``, ``extra_lumbar_force_N`` (mean over the stride,
        summed over lumbar and abdominal muscles, right side), ``extra_shear_bw``.
    """
    defaults = load_config(None).model
    cases = [(w, defaults.knee_tracking_gain) for w in lean_costs]
    cases += [(defaults.lean_cost, k) for k in knee_gains if (defaults.lean_cost, k) not in cases]
    rows = []
    for w, k in cases:
        out = []
        for gm in (1.0, 0.7):
            cfg = load_config(None, {"run.duration_min": minutes, "run.speed_mps": speed_mps,
                                     "model.lean_cost": w, "model.knee_tracking_gain": k,
                                     "scenario.glute_med_strength": gm})
            out.append(_end(simulate(cfg)))
        (l0, f0, s0), (l1, f1, s1) = out
        rows.append({"lean_cost": w, "knee_tracking_gain": k, "lean_deg_normal": float(l0),
                     "extra_lean_deg": float(l1 - l0), "extra_lumbar_force_N": float(f1 - f0),
                     "extra_shear_bw": float(s1 - s0)})
    return rows


def as_markdown(rows) -> str:
    """The rows as a markdown table."""
    head = ("| lean cost [1/rad²] | knee-tracking gain | lean, normal glute [deg] | extra lean [deg] "
            "| extra lumbar force [N] | extra shear [BW] |\n|---|---|---|---|---|---|\n")
    body = "".join(f"| {r['lean_cost']:g} | {r['knee_tracking_gain']:g} | {r['lean_deg_normal']:.2f} "
                   f"| {r['extra_lean_deg']:.2f} | {r['extra_lumbar_force_N']:.1f} "
                   f"| {r['extra_shear_bw']:+.3f} |\n" for r in rows)
    return head + body
