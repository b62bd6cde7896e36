"""Validation report, glycogen: what is left in the leg muscles at the end of a run.

The F0-weighted stores of the locomotor muscles (fast-twitch, and fibre-weighted whole
muscle) and the per-muscle comparison with biopsies taken at the end of races
(:data:`BIOPSY_GLYCOGEN`), used by :mod:`sim.teaching.validation_running`.
"""
from __future__ import annotations

import numpy as np


def _ft_store(res) -> float:
    """F0-weighted fast-twitch glycogen of the locomotor muscles at the end of a run [1]."""
    from ..physics.energy import LOCOMOTOR_MUSCLES

    idx = [res.muscles.index(m) for m in LOCOMOTOR_MUSCLES]
    w = res.F0_N[idx] / res.F0_N[idx].sum()
    return float(res.energy[-1][idx, 1] @ w)


#: The prime movers of running whose fibre-type stores are compared with the order in
#: which biopsies show fibres emptying.
PRIME_MOVERS = ("gluteus_maximus", "vasti", "gastrocnemius", "soleus")


def _fibre_stores(res, names=PRIME_MOVERS) -> tuple[float, float]:
    """F0-weighted slow- and fast-twitch glycogen of ``names`` at the end of a run [1]."""
    idx = [res.muscles.index(m) for m in names]
    w = res.F0_N[idx] / res.F0_N[idx].sum()
    e = np.asarray(res.energy[-1])
    return float(e[idx, 0] @ w), float(e[idx, 1] @ w)


def _fibre_order_text(st, ft) -> str:
    """The paragraph on which fibres empty first (slow-twitch ``st`` and fast-twitch ``ft``
    stores of the prime movers at 30 km)."""
    first = "slow-twitch fibres empty first" if st < ft else "fast-twitch fibres empty first"
    agree = "as" if st < ft else "against what"
    return (f"At 30 km the prime movers' ({', '.join(m.replace('_', ' ') for m in PRIME_MOVERS)}) "
            f"slow-twitch store is {st:.2f} and their fast-twitch store {ft:.2f}: {first}, "
            f"{agree} biopsies after prolonged exercise at 60-75 % VO2max show (type I fibres "
            "first, type IIA with them at 75 % VO2max, IIAB and IIB last; Gollnick et al. "
            "1973, Pflugers Arch 344:1; Vollestad, Vaage & Hermansen 1984, Acta Physiol "
            "Scand 122:433). Calibrations of the wall that recruit fast-twitch fibres early "
            "and drain them three times as fast reverse this order in the vasti and the "
            "soleus (experiments/recruitment_onset.md).")


def _p_st(mp):
    """Each muscle's slow-twitch share of its fresh force [1] (runner with marathon pace
    ``mp``)."""
    from ..config import load_config
    from ..core.scenario import build_inputs

    return build_inputs(load_config(None, {"runner.marathon_pace_mps": mp})).prm[0, :, 0]


def _whole_store_at(res, mp=3.2, names=None, p_st=None) -> float:
    """F0-weighted whole-muscle (fibre-weighted) glycogen at the end of a run [1], of the
    locomotor muscles or of ``names``."""
    from ..physics.energy import LOCOMOTOR_MUSCLES, locomotor_store

    e = np.asarray(res.energy[-1])[None]
    return float(locomotor_store(e, _p_st(mp) if p_st is None else p_st, res.F0_N,
                                 res.muscles, names or LOCOMOTOR_MUSCLES)[0])


#: Glycogen left at the end of a run, measured in muscle biopsies: (label, run key, muscles
#: of the model compared, fraction left [1], +- [1] or None, source).
BIOPSY_GLYCOGEN = (
    ("lateral gastrocnemius, marathon", "marathon", ("gastrocnemius",), 148.0 / 758.0, None,
     "Asp, Rohde & Richter 1997, J Appl Physiol 83:1482 (758 -> 148 mmol/kg dw, n = 7)"),
    ("vastus lateralis, marathon", "marathon", ("vasti",), 0.44, 0.038,
     "Asp et al. 1999, J Appl Physiol 86:474 (56 ± 3.8 % used, n = 6)"),
    ("30-km race, normal diet (muscle not named in the table read)", "30km", ("vasti",),
     29.0 / 100.0, None,
     "Karlsson & Saltin 1971, J Appl Physiol 31:203 (100 -> 29 mmol/kg ww, n = 10; "
     "as tabulated by Hawley et al. 1997)"),
    ("30-km race, carbohydrate-loaded (as above)", "30km", ("vasti",), 105.0 / 194.0, None,
     "Karlsson & Saltin 1971 (194 -> 105 mmol/kg ww)"),
)


def _biopsy_rows(runs, mp=3.2):
    """Rows of the per-muscle glycogen comparison, and the model's values."""
    rows, vals = [], {}
    p_st = _p_st(mp)
    for label, key, names, left, sd, source in BIOPSY_GLYCOGEN:
        model = _whole_store_at(runs[key], names=names, p_st=p_st)
        whole = _whole_store_at(runs[key], p_st=p_st)
        vals[label] = model
        rows.append([label, f"{left:.2f}" + (f" ± {sd:.2f}" if sd else ""),
                     f"{model:.2f} ({'/'.join(names)})", f"{whole:.2f}", source])
    return rows, vals


def _biopsy_text(vals) -> str:
    """The per-muscle glycogen comparison in words (values from :func:`_biopsy_rows`)."""
    v30 = vals[BIOPSY_GLYCOGEN[2][0]]
    vl, gas = vals[BIOPSY_GLYCOGEN[1][0]], vals[BIOPSY_GLYCOGEN[0][0]]
    lo, hi = BIOPSY_GLYCOGEN[2][3], BIOPSY_GLYCOGEN[3][3]
    at30 = ("lie between" if lo <= v30 <= hi else "lie outside")
    return (f"The measured values span {min(b[3] for b in BIOPSY_GLYCOGEN):.2f}-"
            f"{max(b[3] for b in BIOPSY_GLYCOGEN):.2f} with muscle and diet. At 30 km the "
            f"model's vasti ({v30:.2f}) {at30} the two diets of the 30-km race ({lo:.2f}, "
            f"{hi:.2f}); by the marathon's end its vasti ({vl:.2f}) have drained "
            f"{'more' if vl < BIOPSY_GLYCOGEN[1][3] else 'less'} than trained marathoners' "
            f"vastus lateralis ({BIOPSY_GLYCOGEN[1][3]:.2f} left) and its gastrocnemius "
            f"({gas:.2f}) {'less' if gas > BIOPSY_GLYCOGEN[0][3] else 'more'} than theirs "
            f"({BIOPSY_GLYCOGEN[0][3]:.2f}): the per-muscle drains, calibrated on strength "
            "losses, put the glycogen in different muscles than the biopsies do (README, "
            "known limits).")
