"""Would a hip rotation DOF bring gluteus minimus within a factor of two of Lenhart 2014?

Question: the model's fresh-stride gluteus minimus peak (about 0.23 x the 1723 N of
Lenhart et al. 2014, Table 1) is the one published force outside the factor-two band
(tests/physics/test_published_forces.py). Lenhart's 3-D model also asks the gluteals for hip
rotation, which the model's DOF list leaves out, and the reference data do have an
internal rotation moment in stance (up to 0.4 N m/kg at 3 m/s, abduction about 1.4).
Does adding it, with the gluteals split into their parts, give gluteus minimus its
published share?

Method: one fresh stride at 3.0 m/s, 75 kg, solved phase by phase with the model's load
sharing (:func:`sim.physics.sharing.solve_sharing_weighted`: capacity-weighted effort with the
model's effort scale of lumped columns, fresh capacities, no compensation columns in any
variant so that they compare like with like). Variants:

1. ``model columns``: the model's own columns and DOFs;
2. ``parts, no rotation``: gluteus medius and minimus split into the three parts of the
   reference model (each part its own column with its own effort, abduction arms of the
   parts); the demand unchanged;
3. ``parts + rotation (q deg)``: a seventh row, hip internal rotation, demanded by the
   reference runner's ``hip_rotation_moment`` (+ = internal, right hip); piriformis added
   (the reference model's only deep external rotator); rotation arms of every hip
   muscle from straight lines between the path points that cross the hip, at hip
   flexion q = 0, 20 and 30 deg (rotation arms change sign with flexion, Delp et al.
   1999), and at the stride's own hip angle at each phase (``phase-dependent``);
4. ``size-neutral effort``: every column's effort weighed so that its activation no
   longer grows with its size (the criterion that makes the superficial back load grow
   late, experiments/late_spike_conditions.py), alone and with the rotation DOF.

Every variant is compared with all published peaks at 3.0 m/s, not only gluteus
minimus, so that a change that helps one muscle and harms others shows.

Moment arms are ``-dL/dq`` of the straight segment between the last pelvic and the first
femoral path point of Rajagopal2015.osim (Rajagopal et al. 2016), by central
differences, hip joint axes as in that file (flexion about z, adduction about x,
rotation about the femur's y axis). Check: at neutral posture the abduction arms of the
gluteus medius and minimus parts come out at the OpenSim values in
shared/reference/muscles.md (printed). Muscles that wrap over the pelvis or femoral
shaft (gluteus maximus, adductors, iliopsoas) get straight-line estimates, which are
approximate; the hamstrings, rectus femoris and the leg muscles get no rotation arm.

Writes ``results/hip_rotation_gluteus_minimus/`` (``table.md``, ``rows.json``, manifest).

Run: ``python experiments/hip_rotation_gluteus_minimus.py``

References
----------
Rajagopal A et al. (2016) IEEE Trans Biomed Eng 63(10):2068-2079 (model file
Rajagopal2015.osim). Delp SL, Hess WE, Hungerford DS, Jones LC (1999) Variation of
rotation moment arms with hip flexion. J Biomech 32(5):493-501. Lenhart R, Thelen D,
Heiderscheit B (2014) Hip muscle loads during running at various step rates. J Orthop
Sports Phys Ther (author manuscript PMC4296582).
"""
from __future__ import annotations

import csv
from importlib import resources

import numpy as np

from sim import params
from sim.gait import demand
from sim.muscles import DOFS, muscle_set, sharing_columns
from sim.results import atomic_write_text, results_dir, write_json, write_manifest
from sim.sharing import STATUS_OK, make_workspace, solve_sharing_weighted

SPEED = 3.0
MASS = 75.0

#: Hip joint centre in the pelvis frame [m] (Rajagopal2015.osim, joint hip_r,
#: location_in_parent).
HIP_CENTRE = np.array([-0.056276, -0.07849, 0.07726])

#: Segment of each muscle part that crosses the hip, from Rajagopal2015.osim: F0 [N],
#: last path point on the pelvis [m, pelvis frame], first point on the femur [m, femur
#: frame]. Parts marked (w) wrap over a cylinder in the model (straight line here).
PATHS = {
    "glmed1": (1093.5, (-0.0445, 0.0245, 0.1172), (-0.0218, -0.0117, 0.0555)),
    "glmed2": (765.1, (-0.085, 0.0316, 0.0675), (-0.0258, -0.0058, 0.0527)),
    "glmed3": (871.2, (-0.1152, -0.0073, 0.0526), (-0.0309, -0.0047, 0.0518)),
    "glmin1": (374.0, (-0.0464, -0.0149, 0.1042), (-0.0072, -0.0104, 0.056)),
    "glmin2": (394.8, (-0.0616, -0.0142, 0.0971), (-0.0096, -0.0104, 0.056)),
    "glmin3": (446.8, (-0.0789, -0.0155, 0.0798), (-0.0135, -0.0083, 0.055)),
    "piri": (1029.8, (-0.10202, -0.03066, 0.06092), (-0.0148, -0.0036, 0.0437)),
    "tfl": (411.2, (-0.0311, 0.0214, 0.1241), (0.0294, -0.0995, 0.0597)),
    "glmax1": (983.8, (-0.1257, -0.0242, 0.0779), (-0.0444, -0.0326, 0.0302)),     # (w)
    "glmax2": (1406.0, (-0.1344, -0.0609, 0.0813), (-0.045, -0.0584, 0.0252)),     # (w)
    "glmax3": (947.8, (-0.1273, -0.1263, 0.0435), (-0.0281, -0.1125, 0.0094)),     # (w)
    "addbrev": (625.8, (-0.0191, -0.094, 0.0154), (-0.002, -0.118, 0.0249)),       # (w)
    "addlong": (916.8, (-0.00758, -0.0889, 0.01888), (0.01126, -0.23937, 0.01583)),  # (w)
    "addmagDist": (597.3, (-0.07404, -0.12767, 0.03982), (0.01125, -0.2625, 0.0193)),  # (w)
    "addmagIsch": (597.3, (-0.08962, -0.12976, 0.04171), (0.00481, -0.38797, -0.03273)),  # (w)
    "addmagMid": (597.3, (-0.05266, -0.12075, 0.02854), (0.00242, -0.1624, 0.02922)),  # (w)
    "addmagProx": (597.3, (-0.03098, -0.10755, 0.01365), (-0.01527, -0.07886, 0.03202)),  # (w)
    "iliacus": (1021.1, (-0.0135, -0.0557, 0.0756), (-0.0023, -0.0565, 0.0139)),   # (w)
    "psoas": (1426.8, (-0.0205, -0.0654, 0.0656), (-0.0132, -0.0467, 0.0046)),     # (w)
}
#: Model column -> reference-model parts whose F0-weighted rotation arm it gets.
LUMPED = {
    "tensor_fasciae_latae": ("tfl",),
    "gluteus_maximus": ("glmax1", "glmax2", "glmax3"),
    "hip_adductors": ("addbrev", "addlong", "addmagDist", "addmagIsch", "addmagMid",
                      "addmagProx"),
    "iliopsoas": ("iliacus", "psoas"),
}
SPLIT = {"gluteus_medius": ("glmed1", "glmed2", "glmed3"),
         "gluteus_minimus": ("glmin1", "glmin2", "glmin3")}
_FLEX = DOFS.index("hip_flexion")
_ABD = DOFS.index("hip_abduction")
_ROT = len(DOFS)


def _rot(axis, deg):
    """Rotation matrix about a unit axis by ``deg`` degrees (Rodrigues)."""
    a = np.radians(deg)
    x, y, z = axis
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + np.sin(a) * k + (1.0 - np.cos(a)) * k @ k


def _length(part, flexion, adduction, rotation):
    """Length [m] of a part's hip-crossing segment at the given hip angles [deg]."""
    _, p_pelvis, p_femur = PATHS[part]
    r = _rot((0, 0, 1), flexion) @ _rot((1, 0, 0), adduction) @ _rot((0, 1, 0), rotation)
    return float(np.linalg.norm(HIP_CENTRE + r @ np.asarray(p_femur) - np.asarray(p_pelvis)))


def moment_arm(part, coordinate, flexion_deg=0.0):
    """Moment arm ``-dL/dq`` [m] about ``"flexion"``, ``"adduction"`` or ``"rotation"``.

    Positive = the part's tension moves the hip in the coordinate's positive direction
    (flexion, adduction, internal rotation of the right hip), at hip flexion
    ``flexion_deg`` with the other angles zero.
    """
    h = 1e-3                                    # deg
    k = ("flexion", "adduction", "rotation").index(coordinate)
    q_hi = [flexion_deg, 0.0, 0.0]
    q_lo = [flexion_deg, 0.0, 0.0]
    q_hi[k] += h
    q_lo[k] -= h
    return -(_length(part, *q_hi) - _length(part, *q_lo)) / np.radians(2.0 * h)


def _rotation_moment(speed, phase):
    """Reference runner's hip internal rotation moment [N m/kg] at ``phase`` (raw data)."""
    if speed not in params.load("gait")["reference"]["speed"]:
        raise ValueError(f"speed {speed} m/s: not a reference trial")
    name = f"hamner2013_s01_v{int(speed)}.csv"
    with resources.files("sim.data").joinpath("gait").joinpath(name).open() as fh:
        rows = list(csv.DictReader(fh))
    pct = np.array([float(r["pct"]) for r in rows]) / 100.0
    return np.interp(phase, pct, [float(r["hip_rotation_moment"]) for r in rows])


def _columns(ms, with_rotation, flexion):
    """Column names, F0 [N], moment arms (n_dof, n_col) [m] and effort scales [1]."""
    cols = sharing_columns(ms)
    n_dof = len(DOFS) + (1 if with_rotation else 0)
    names, f0, arms, rho = [], [], [], []
    for c, name in enumerate(cols.names):
        parts = SPLIT.get(name) if with_rotation is not None else None
        if parts:
            for p in parts:
                a = np.zeros(n_dof)
                a[_ABD] = -moment_arm(p, "adduction") * ms.moment_arm_scale
                if with_rotation:
                    a[_ROT] = moment_arm(p, "rotation", flexion) * ms.moment_arm_scale
                names.append(name)
                f0.append(PATHS[p][0] * ms.force_scale)
                arms.append(a)
                rho.append(1.0)
            continue
        a = np.zeros(n_dof)
        a[:len(DOFS)] = cols.A[:, c]
        if with_rotation and name in LUMPED:
            w = np.array([PATHS[p][0] for p in LUMPED[name]])
            r = np.array([moment_arm(p, "rotation", flexion) for p in LUMPED[name]])
            a[_ROT] = float(w @ r / w.sum()) * ms.moment_arm_scale
        names.append(name)
        f0.append(cols.F0[c])
        arms.append(a)
        rho.append(cols.effort_scale[c])
    if with_rotation:
        a = np.zeros(n_dof)
        a[_FLEX] = moment_arm("piri", "flexion") * ms.moment_arm_scale
        a[_ABD] = -moment_arm("piri", "adduction") * ms.moment_arm_scale
        a[_ROT] = moment_arm("piri", "rotation", flexion) * ms.moment_arm_scale
        names.append("piriformis")
        f0.append(PATHS["piri"][0] * ms.force_scale)
        arms.append(a)
        rho.append(1.0)
    return names, np.array(f0), np.ascontiguousarray(np.array(arms).T), np.array(rho)


#: Variants: label -> (split gluteals into parts, rotation arm posture or None for no
#: rotation DOF ("phase" = the stride's own hip angle), size-neutral effort).
VARIANTS = {
    "model columns": (False, None, False),
    "parts, no rotation": (True, None, False),
    "parts + rotation (0 deg)": (True, 0.0, False),
    "parts + rotation (20 deg)": (True, 20.0, False),
    "parts + rotation (30 deg)": (True, 30.0, False),
    "parts + rotation (phase-dependent)": (True, "phase", False),
    "size-neutral effort, model columns": (False, None, True),
    "size-neutral effort, parts + rotation (20 deg)": (True, 20.0, True),
}


def stride_forces(split, rotation, size_neutral):
    """Column forces over one fresh stride [N], column names, infeasible phase count.

    ``size_neutral`` weighs every column's effort by ``C sqrt(F0_mean / F0)`` instead of
    ``C`` (activation then independent of muscle size; see
    experiments/late_spike_conditions.py). A phase whose moments the muscles cannot meet
    keeps the solver's best-effort forces and is counted.
    """
    ms = muscle_set(MASS)
    d = demand(SPEED)
    moments = d.moments_Nm_per_kg * MASS
    with_rotation = None if not split else rotation is not None
    if with_rotation:
        moments = np.column_stack([moments, _rotation_moment(SPEED, d.phase) * MASS])
    force = None
    n_bad = 0
    for j in range(d.phase.shape[0]):
        q = -d.hip_extension_deg[j] if rotation == "phase" else (rotation or 0.0)
        names, f0, A, rho = _columns(ms, with_rotation, q)
        n_dof, n_col = A.shape
        if force is None:
            force = np.zeros((d.phase.shape[0], n_col))
        W = rho * f0 * (np.sqrt(f0.mean() / f0) if size_neutral else 1.0)
        f, th, lam = np.empty(n_col), np.empty(0), np.empty(n_dof)
        status, _, _ = solve_sharing_weighted(A, f0, W, np.zeros((n_dof, 0)), np.zeros(0),
                                              np.ascontiguousarray(moments[j]),
                                              np.zeros(n_dof), f, th, lam,
                                              make_workspace(n_dof, n_col, 0))
        n_bad += status != STATUS_OK
        force[j] = f
    return force, names, int(n_bad)


def run():
    """One row per variant: peak force and model / published ratio of each 3.0 m/s case."""
    cases = [c for c in params.load("published_forces")["case"] if c["speed"] == SPEED]
    rows = []
    for label, spec in VARIANTS.items():
        force, names, n_bad = stride_forces(*spec)
        row = {"variant": label, "infeasible_phases": n_bad}
        for c in cases:
            idx = [k for k, n in enumerate(names) if n in c["model_muscles"]]
            curve = force[:, idx].sum(axis=1)
            row[c["id"] + "_N"] = float(curve.max())
            row[c["id"] + "_ratio"] = float(curve.max() / (c["peak"] * MASS))
        idx = [k for k, n in enumerate(names) if n == "piriformis"]
        row["piriformis_N"] = float(force[:, idx].sum(axis=1).max()) if idx else None
        rows.append(row)
    return rows, cases


def as_markdown(rows, cases) -> str:
    check = [(p, 100 * -moment_arm(p, "adduction")) for p in
             ("glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3")]
    arms = [(p, *(100 * moment_arm(p, "rotation", q) for q in (0.0, 20.0, 30.0)))
            for p in ("glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3", "piri",
                      "tfl")]
    short = {"gluteus_medius": "GMED", "gluteus_minimus": "GMIN",
             "tensor_fasciae_latae": "TFL", "gluteus_maximus": "GMAX",
             "hamstrings": "HAMS", "iliopsoas": "ILPSO", "rectus_femoris": "RF",
             "hip_adductors": "ADD"}
    ids = [c["id"] for c in cases]
    txt = [f"# Hip rotation DOF and gluteus minimus (fresh stride, {SPEED} m/s, {MASS:g} kg)\n",
           "Educational model, not medical advice.\n",
           "Check of the moment-arm method, abduction arms at neutral [cm] (OpenSim values "
           "in shared/reference/muscles.md: 5.1 / 4.4 / 3.2 and 4.7 / 4.6 / 3.9): "
           + ", ".join(f"{p} {v:.1f}" for p, v in check) + ".\n",
           "Internal rotation arms [cm] at hip flexion 0 / 20 / 30 deg: "
           + "; ".join(f"{p} {a:+.1f} / {b:+.1f} / {c:+.1f}" for p, a, b, c in arms) + ".\n",
           "Model peak / published peak (Lenhart et al. 2014, the 3.0 m/s cases of "
           "sim/data/published_forces.toml); within a factor of two = 0.50-2.00.\n",
           "| variant | GMIN [N] | " + " | ".join(short.get(i, i) for i in ids)
           + " | piriformis [N] | infeasible phases |",
           "|---|---|" + "---|" * len(ids) + "---|---|"]
    for r in rows:
        ratios = " | ".join(
            (f"**{r[i + '_ratio']:.2f}**" if not 0.5 <= r[i + "_ratio"] <= 2.0
             else f"{r[i + '_ratio']:.2f}") for i in ids)
        piri = "-" if r["piriformis_N"] is None else f"{r['piriformis_N']:.0f}"
        txt.append(f"| {r['variant']} | {r['gluteus_minimus_N']:.0f} | {ratios} | {piri} | "
                   f"{r['infeasible_phases']} of 64 |")
    txt.append("\nBold: outside a factor of two. No compensation columns in any variant (the "
               "model's own fresh stride, with its lean column, gives gluteus minimus 392 N). "
               "Infeasible phases keep best-effort forces: the muscles cannot make the "
               "demanded moments there (rotation arms at neutral posture cannot make the "
               "stance internal rotation moment).")
    return "\n".join(txt) + "\n"


def main():
    rows, cases = run()
    d = results_dir("hip_rotation_gluteus_minimus")
    write_json(d / "rows.json", rows)
    table = as_markdown(rows, cases)
    atomic_write_text(d / "table.md", table)
    write_manifest(d, "python experiments/hip_rotation_gluteus_minimus.py")
    print(table)


if __name__ == "__main__":
    main()
